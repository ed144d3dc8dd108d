"""manage.py council_report CODE --from YYYY-MM --to YYYY-MM --reference-month YYYY-MM
[--as-of YYYY-MM-DD] [--format json|csv|xlsx] [--output FILE]

CODE: an organisation, or a region (every organisation of it and its sub-regions)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.exports import FORMATS, render
from reporting.statistics import Month, ReportParameters, build_report, parse_day, scope_by_code


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` completely or not at all (a temporary file, then rename)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Het raadsrapport: elke statistiek met haar definitie, berekend uit de dossiers "
        "(JSON op standaarduitvoer, tenzij --output)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Required options and the format are checked in `parameters` (a Dutch message),
        # not by argparse (whose messages are English).
        parser.add_argument("organisation", metavar="CODE", help="organisatie of regio")
        parser.add_argument(
            "--from", dest="period_from", metavar="YYYY-MM", help="eerste maand (verplicht)"
        )
        parser.add_argument(
            "--to", dest="period_to", metavar="YYYY-MM", help="laatste maand (verplicht)"
        )
        parser.add_argument(
            "--reference-month", metavar="YYYY-MM", help="referentiemaand (verplicht)"
        )
        parser.add_argument(
            "--as-of", metavar="YYYY-MM-DD", help="opmaakdatum (standaard: vandaag)"
        )
        parser.add_argument(
            "--format", default="json", metavar="json|csv|xlsx", help="standaard: json"
        )
        parser.add_argument("--output", metavar="FILE", help="schrijf naar dit bestand")

    def parameters(self, options: dict[str, Any]) -> ReportParameters:
        missing = [
            option
            for option, key in (
                ("--from", "period_from"),
                ("--to", "period_to"),
                ("--reference-month", "reference_month"),
            )
            if not options.get(key)
        ]
        if missing:
            raise CommandError(
                _("Geef ook %(options)s op (JJJJ-MM).") % {"options": ", ".join(missing)}
            )
        if options["format"] not in FORMATS:
            raise CommandError(
                _("Onbekend formaat %(format)s: kies json, csv of xlsx.")
                % {"format": repr(options["format"])}
            )
        code = options["organisation"]
        scope = scope_by_code(code)
        if scope is None:
            raise CommandError(
                _("Onbekende organisatie of regio: %(code)s.") % {"code": repr(code)}
            )
        try:
            as_of = parse_day(options["as_of"]) if options["as_of"] else timezone.localdate()
            period_from = Month.parse(options["period_from"])
            period_to = Month.parse(options["period_to"])
            reference_month = Month.parse(options["reference_month"])
            return ReportParameters.for_scope(
                scope,
                period_from=period_from,
                period_to=period_to,
                reference_month=reference_month,
                as_of=as_of,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def handle(self, *args: Any, **options: Any) -> None:
        params = self.parameters(options)
        content = render(build_report(params), options["format"])
        if options["output"]:
            path = Path(options["output"])
            try:
                write_atomically(path, content)
            except OSError as exc:
                raise CommandError(
                    _("Kan %(path)s niet schrijven: %(error)s")
                    % {"path": path, "error": exc.strerror or exc}
                ) from exc
            return
        if isinstance(content, bytes):
            out = cast(TextIO, self.stdout._out)  # the stream OutputWrapper writes to
            buffer = getattr(out, "buffer", None)
            if buffer is None or (out is sys.stdout and sys.stdout.isatty()):
                raise CommandError(
                    _("Een XLSX-bestand gaat niet naar het scherm: geef --output BESTAND op.")
                )
            buffer.write(content)
            buffer.flush()
            return
        self.stdout.write(content, ending="")
