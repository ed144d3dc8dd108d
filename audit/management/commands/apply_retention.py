"""python manage.py apply_retention [--years N] [--dry-run]"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Pseudonymise clients whose last record ended more than N years ago "
        "(default TRAJECT_RETENTION_YEARS); statistics stay unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true", help="only list who is due")

    def handle(self, *args, years: int | None, dry_run: bool, **options):
        years = settings.TRAJECT_RETENTION_YEARS if years is None else years
        if years < 1:
            raise CommandError(_("--years moet minstens 1 zijn."))
        result = apply_retention(years=years, dry_run=dry_run)
        values = {
            "years": result.years,
            "cutoff": f"{result.cutoff:%d/%m/%Y}",
            "n": len(result.client_ids),
        }
        if dry_run:
            message = _(
                "Bewaartermijn %(years)s jaar (laatste record vóór %(cutoff)s): "
                "%(n)s cliënten te pseudonimiseren (proefdraai, niets gewijzigd)."
            )
        else:
            message = _(
                "Bewaartermijn %(years)s jaar (laatste record vóór %(cutoff)s): "
                "%(n)s cliënten gepseudonimiseerd."
            )
        self.stdout.write(message % values)
        if dry_run and result.client_ids:
            self.stdout.write(_("Cliënt-id's: ") + ", ".join(map(str, result.client_ids)))
        elif not dry_run:
            self.stdout.write(
                _("%(n)s records met vrije tekst gewist.") % {"n": result.texts_cleared}
            )
            self.stdout.write(
                _("%(n)s documenten met hun bestand verwijderd.") % {"n": result.documents_removed}
            )
