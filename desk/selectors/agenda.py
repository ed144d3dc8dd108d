"""The agenda: whose agenda a user may see, and the appointments of a week or a day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from access.rules import employed_social_worker, visible_records_filter
from casework.models import Appointment, SocialWorker
from casework.querysets import AppointmentQuerySet
from desk.selectors.team import led_team


@dataclass
class AgendaDay:
    day: datetime.date
    appointments: list[Appointment]


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(text: str) -> datetime.date | None:
    """The Monday of an ISO week written as "2026-W48" (None when it is not one)."""
    try:
        year, week = text.strip().upper().split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def week_text(monday: datetime.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def agenda_owners(user: Any, day: datetime.date) -> QuerySet[SocialWorker]:
    """Whose agenda `user` may open: their own, and for a team lead every employed member
    of the team they lead."""
    own = employed_social_worker(user, day)
    if own is None:
        return SocialWorker.objects.none()
    team = led_team(user)
    if team is not None:
        return SocialWorker.objects.filter(team=team).employed_on(day)
    return SocialWorker.objects.filter(pk=own.pk)


def visible_appointments(user: Any) -> AppointmentQuerySet:
    """Appointments with the clients whose file `user` may open (access.rules)."""
    return Appointment.objects.filter(visible_records_filter(Appointment, user))


def week_agenda(user: Any, social_worker: SocialWorker, monday: datetime.date) -> list[AgendaDay]:
    """The appointments of `social_worker` from `monday` to Sunday that `user` may see, per
    day (Saturday and Sunday only when something is planned then)."""
    sunday = monday + datetime.timedelta(days=6)
    appointments = (
        visible_appointments(user)
        .of_social_worker(social_worker)
        .between(monday, sunday)
        .select_related("client", "trajectory")
        .order_by("starts_at", "pk")
    )
    per_day: dict[datetime.date, list[Appointment]] = {
        monday + datetime.timedelta(days=n): [] for n in range(7)
    }
    for appointment in appointments:
        per_day[appointment.day].append(appointment)
    return [AgendaDay(day, items) for day, items in per_day.items() if day.weekday() < 5 or items]
