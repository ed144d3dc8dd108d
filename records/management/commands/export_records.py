"""python manage.py export_records ORGANISATION_CODE OUT_DIR --user USERNAME

Every client in the bundle is named in the audit trail (an `export` entry each, for
the user given, source `command:export_records`)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_list_read, command_user
from casework.models import Client, Organisation
from core.writes import writes_by
from records.exporter import export_organisation


class Command(BaseCommand):
    help = _(
        "Exporteer alle records van een organisatie als recordbundel (een map met CSV-bestanden)."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation_code", help=_("code van de organisatie, bv. mechelen"))
        parser.add_argument("out_dir", help=_("map waarin de CSV-bestanden komen"))
        parser.add_argument(
            "--user",
            required=True,
            help=_("gebruikersnaam voor wie de export gebeurt (komt in het auditlogboek)"),
        )

    def handle(self, *args, **options):
        user = command_user(options["user"])
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
        with writes_by(user=user, source="command:export_records"):
            audit_list_read(
                user,
                Client.objects.filter(organisation=organisation),
                "export_records",
                action=AuditAction.EXPORT,
                details={"out_dir": str(options["out_dir"])},
            )
        for name, count in written.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(rows)s rijen in %(files)s bestanden geschreven naar %(dir)s.")
                % {"rows": sum(written.values()), "files": len(written), "dir": options["out_dir"]}
            )
        )
