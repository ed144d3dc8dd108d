"""python manage.py seed_demo [--today YYYY-MM-DD]: (re)load the demo organisation."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.roles import ROLE_LABELS
from demo.generator import DemoRefused, seed_demo
from demo.generator.shape import CODE, EARLIEST_TODAY


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("--today: geen geldige datum (JJJJ-MM-DD): %(value)s") % {"value": value}
        ) from exc


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # a lazy string works as help
        "Laadt de demo-organisatie 'mechelen' (OCMW Mechelen) opnieuw: een bestaande "
        "demo-organisatie wordt vervangen. Drukt op het einde de demo-logins af."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=parse_day,
            default=None,
            help=_(
                "De dag 'vandaag' van de demo (JJJJ-MM-DD); standaard de echte datum. "
                "Dezelfde dag geeft dezelfde records."
            ),
        )

    def handle(self, *args, **options):
        # The demo makes logins with published passwords: never on a production server.
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "seed_demo maakt logins met gekende wachtwoorden en draait enkel met "
                    "DEBUG=1 (make demo zet dat aan), nooit op een productieserver."
                )
            )
        today = options["today"] or timezone.localdate()
        if today < EARLIEST_TODAY:
            raise CommandError(
                _("--today moet op of na %(day)s liggen.") % {"day": f"{EARLIEST_TODAY:%d/%m/%Y}"}
            )
        try:
            summary = seed_demo(today=today)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout
        out.write(
            _(
                "Demo-organisatie '%(code)s' (%(name)s) geladen met vandaag = %(today)s "
                "in %(seconds).1f s:"
            )
            % {
                "code": CODE,
                "name": summary.organisation.name,
                "today": f"{today:%d/%m/%Y}",
                "seconds": summary.seconds,
            }
        )
        for label, count in summary.counts.items():
            out.write(f"  {count:>7}  {label}")
        out.write("")
        out.write(self.style.SUCCESS(_("Demo-logins (gebruikersnaam / wachtwoord / rol):")))
        width = max(len(login.username) for login in summary.logins)
        for login in summary.logins:
            role = str(ROLE_LABELS.get(login.role, login.role))
            if login.description:
                role = f"{role}: {login.description}"
            out.write(f"  {login.username:<{width}}  {login.password:<24}  {role}")
