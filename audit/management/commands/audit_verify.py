"""python manage.py audit_verify: check the audit trail's hash chain.

Exits non-zero and lists every break: an entry whose content no longer matches
its hash (it was edited), an entry whose predecessor is missing or was replaced
(a gap), an entry without a hash after the chain began. Prints the hash of the
newest entry: keep it elsewhere, it anchors the end of the chain (removing the
newest entries leaves no gap behind them).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.chain import last_hash, verify_chain
from audit.models import AuditEntry


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # a lazy string works as help
        "Controleert de hashketen van het auditlogboek: een gewijzigde of verdwenen regel "
        "wordt gemeld."
    )

    def handle(self, *args, **options):
        breaks = list(verify_chain(AuditEntry))
        count = AuditEntry.objects.count()
        for pk, problem in breaks:
            self.stderr.write(_("regel %(id)s: %(problem)s") % {"id": pk, "problem": problem})
        if breaks:
            raise CommandError(
                _("De hashketen van het auditlogboek is gebroken: %(n)s probleem/problemen.")
                % {"n": len(breaks)}
            )
        self.stdout.write(
            _("Hashketen in orde: %(count)s regels; laatste hash %(hash)s")
            % {"count": count, "hash": last_hash(AuditEntry) or "-"}
        )
