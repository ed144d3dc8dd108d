"""python manage.py seed_demo [--today YYYY-MM-DD]: (re)load the demo organisation."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.demo import seed_demo
from casework.demo.shape import CODE, EARLIEST_TODAY
from casework.roles import ROLE_LABELS


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today: geen geldige datum (JJJJ-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Laadt de demo-organisatie 'mechelen' (OCMW Mechelen) opnieuw: een bestaande "
        "demo-organisatie wordt vervangen. Drukt op het einde de demo-logins af."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=parse_day,
            default=None,
            help="De dag 'vandaag' van de demo (JJJJ-MM-DD); standaard de echte datum. "
            "Dezelfde dag geeft dezelfde records.",
        )

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        if today < EARLIEST_TODAY:
            raise CommandError(f"--today moet op of na {EARLIEST_TODAY:%d/%m/%Y} liggen.")
        summary = seed_demo(today=today)
        out = self.stdout
        out.write(
            f"Demo-organisatie '{CODE}' ({summary.organisation.name}) geladen "
            f"met vandaag = {today:%d/%m/%Y} in {summary.seconds:.1f} s:"
        )
        for label, count in summary.counts.items():
            out.write(f"  {count:>7}  {label}")
        out.write("")
        out.write(self.style.SUCCESS("Demo-logins (gebruikersnaam / wachtwoord / rol):"))
        width = max(len(login.username) for login in summary.logins)
        for login in summary.logins:
            role = ROLE_LABELS[login.role]
            out.write(
                f"  {login.username:<{width}}  {login.password:<24}  {role} ({login.description})"
            )
