"""python manage.py import_records BUNDLE [--dry-run]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from records.importer import import_bundle
from records.progress import Progress


class Command(BaseCommand):
    help = _(
        "Importeer een recordbundel (map of .zip): alles of niets. Elk probleem wordt "
        "gemeld als bestand.csv:REGEL: kolom: wat er mis is."
    )

    def add_arguments(self, parser):
        parser.add_argument("bundle", help=_("map of .zip met de CSV-bestanden"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alleen controleren, niets schrijven")
        )
        parser.add_argument(
            "--user", help=_("gebruikersnaam aan wie het audit-spoor de wijzigingen toeschrijft")
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Gebruiker %s bestaat niet.") % options["user"])
        # Progress on a terminal, or when asked for with -v 2; never on stdout.
        show = options["verbosity"] >= 2 or self.stderr.isatty()
        progress = Progress(self.stderr._out if show else None)
        result = import_bundle(
            options["bundle"],
            dry_run=options["dry_run"],
            user=user,
            source="command:import_records",
            progress=progress,
        )
        if not result.ok:
            lines = "\n".join(str(problem) for problem in result.problems)
            if result.problems.more:
                lines += "\n" + _("... en nog %(more)s problemen (niet getoond).") % {
                    "more": result.problems.more
                }
            count = result.problems.total
            raise CommandError(
                ngettext(
                    "%(count)s probleem gevonden; er is niets geschreven.",
                    "%(count)s problemen gevonden; er is niets geschreven.",
                    count,
                )
                % {"count": count}
                + "\n"
                + lines
            )
        for name, counts in result.counts.items():
            if counts.health_data:
                self.stdout.write(
                    _(
                        "%(file)s: %(created)s nieuw, %(existing)s bestaand (gezondheidsgegevens: "
                        "niet getoond of ze wijzigen)"
                    )
                    % {"file": name, "created": counts.created, "existing": counts.existing}
                )
                continue
            self.stdout.write(
                _("%(file)s: %(created)s nieuw, %(updated)s gewijzigd, %(unchanged)s ongewijzigd")
                % {"file": name, **vars(counts)}
            )
        rate = result.rows / result.seconds if result.seconds else 0
        summary = _("%(rows)s rijen in %(seconds).1f s (%(rate).0f rijen/s).") % {
            "rows": result.rows,
            "seconds": result.seconds,
            "rate": rate,
        }
        if options["dry_run"]:
            self.stdout.write(
                _("Geen problemen gevonden; er is niets geschreven (--dry-run). ") + summary
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Organisatie %(code)s geïmporteerd. ") % {"code": result.organisation_code}
                    + summary
                )
            )
