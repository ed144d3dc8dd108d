"""python manage.py check_integrity [--organisation CODE]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Organisation
from partners.integrity import RULES


class Command(BaseCommand):
    help = _(
        "Toon de opgeslagen records die een regel van een geldig record breken (overlap, "
        "dubbels, datums in de toekomst of vóór de geboorte), zodat ze verbeterd kunnen "
        "worden voor de migratie die de regel in de database vastlegt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help=_("code van de organisatie (standaard: alle)"))

    def handle(self, *args: Any, **options: Any) -> None:
        code = options.get("organisation")
        organisation = None
        if code:
            organisation = Organisation.objects.filter(code=code).first()
            if organisation is None:
                raise CommandError(_("Organisatie %s bestaat niet.") % code)
        today = timezone.localdate()
        total = 0
        for rule in RULES:
            records = rule.breaking(today)
            if organisation is not None:
                records = records.filter(organisation=organisation)
            records = records.select_related("organisation").order_by("organisation", "pk")
            found = list(records)
            if not found:
                continue
            total += len(found)
            self.stdout.write(f"{rule.label}: {len(found)}")
            for record in found:
                client = _client_key(record, rule.client_path)
                self.stdout.write(
                    f"  {record.organisation.code} {record._meta.model_name} "
                    f"{record.external_id} ({_('cliënt')} {client}): {record}"
                )
        if total:
            raise CommandError(
                _("%(count)s records breken een regel; verbeter of verwijder ze.")
                % {"count": total}
            )
        self.stdout.write(self.style.SUCCESS(_("Geen records die een regel breken.")))


def _client_key(record: Any, path: str) -> str:
    for part in path.split("__"):
        record = getattr(record, part)
    return record.external_id
