"""python manage.py export_client_data CLIENT_PK --user USERNAME [--format json|xlsx]
[--output FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from access.rules import can_export_client_data
from audit.exports import FORMATS, client_data_export
from audit.models import AuditAction
from audit.services import audit_log, command_user
from casework.models import Client
from core.writes import writes_by


class Command(BaseCommand):
    help = "Export everything about one client (GDPR art. 15) as JSON or XLSX (audited)."

    def add_arguments(self, parser):
        parser.add_argument("client_pk", type=int)
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("--output", help="file to write (default: standard output for JSON)")
        parser.add_argument(
            "--user", required=True, help="the user (e.g. the DPO) the export is made for"
        )

    def handle(self, *args, client_pk: int, format: str, output: str | None, **options):
        user = command_user(options["user"])
        client = Client.objects.filter(pk=client_pk).first()
        if client is None:
            raise CommandError(_("Geen cliënt met id %(pk)s.") % {"pk": client_pk})
        if not can_export_client_data(user, client):
            with writes_by(user=user, source="command:export_client_data"):
                audit_log(
                    action=AuditAction.DENIED,
                    user=user,
                    object_type=Client._meta.label_lower,
                    object_id=client.pk,
                    client_id=client.pk,
                    reason=_("Inzageverzoek (AVG art. 15) geweigerd"),
                )
            raise CommandError(
                _("%(user)s mag de gegevens van deze cliënt niet exporteren.")
                % {"user": user.get_username()}
            )
        if format == "xlsx" and not output:
            raise CommandError(_("Geef --output FILE voor een XLSX-bestand."))
        with writes_by(user=user, source="command:export_client_data"):
            content, _content_type, filename = client_data_export(
                client=client, file_format=format, user=user
            )
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"{output}: {len(content)} bytes ({filename})")
        else:
            self.stdout.write(content.decode())
