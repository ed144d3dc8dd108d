"""python manage.py export_client_data CLIENT_PK [--format json|xlsx] [--output FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.exports import FORMATS, client_data_export
from casework.models import Client
from core.writes import writes_by


class Command(BaseCommand):
    help = "Export everything about one client (GDPR art. 15) as JSON or XLSX (audited)."

    def add_arguments(self, parser):
        parser.add_argument("client_pk", type=int)
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("--output", help="file to write (default: standard output for JSON)")

    def handle(self, *args, client_pk: int, format: str, output: str | None, **options):
        client = Client.objects.filter(pk=client_pk).first()
        if client is None:
            raise CommandError(_("Geen cliënt met id %(pk)s.") % {"pk": client_pk})
        if format == "xlsx" and not output:
            raise CommandError(_("Geef --output FILE voor een XLSX-bestand."))
        with writes_by(source="command:export_client_data"):
            content, _content_type, filename = client_data_export(client=client, file_format=format)
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"{output}: {len(content)} bytes ({filename})")
        else:
            self.stdout.write(content.decode())
