"""python manage.py export_records ORGANISATION_CODE OUT_DIR"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.models import Organisation
from records.exporter import export_organisation


class Command(BaseCommand):
    help = _(
        "Exporteer alle records van een organisatie als recordbundel (een map met CSV-bestanden)."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation_code", help=_("code van de organisatie, bv. mechelen"))
        parser.add_argument("out_dir", help=_("map waarin de CSV-bestanden komen"))

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=options["organisation_code"]).first()
        if organisation is None:
            raise CommandError(_("Organisatie %s bestaat niet.") % options["organisation_code"])
        try:
            written = export_organisation(organisation, options["out_dir"])
        except OSError as exc:
            raise CommandError(
                _("Kan niet schrijven naar %(dir)s: %(error)s")
                % {"dir": options["out_dir"], "error": exc}
            ) from exc
        for name, count in written.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(rows)s rijen in %(files)s bestanden geschreven naar %(dir)s.")
                % {"rows": sum(written.values()), "files": len(written), "dir": options["out_dir"]}
            )
        )
