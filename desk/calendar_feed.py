"""The personal calendar feed (iCalendar, RFC 5545) an agenda program such as Outlook
subscribes to: a secret address per user, without login, and without names.

Mail and agenda programs copy what they fetch to other systems, so an event holds
only the client's initials, the kind of appointment and a link into Traject (which
asks for a login): no names, no place, no note. Times are in UTC, which every
program converts to the reader's time zone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from access.rules import employed_social_worker
from casework.models import Appointment, AppointmentStatus
from desk.models import CalendarFeed, feed_token_hash, new_feed_token
from desk.selectors.agenda import visible_appointments

# What the feed holds: from a month back to a year ahead.
FEED_PAST_DAYS = 31
FEED_FUTURE_DAYS = 366


def initials(first_name: str, last_name: str) -> str:
    """ "Jan Peeters" -> "J.P." (what leaves the system instead of a name)."""
    parts = [first_name, *last_name.split()]
    return "".join(f"{part[0].upper()}." for part in parts if part)


def absolute_url(path: str) -> str:
    """A link into Traject for a mail or an agenda program (TRAJECT_BASE_URL + path)."""
    return settings.TRAJECT_BASE_URL.rstrip("/") + path


def appointment_path(appointment: Appointment) -> str:
    return reverse(
        "desk:record_edit",
        kwargs={"pk": appointment.client_id, "kind": "appointment", "record_pk": appointment.pk},
    )


@transaction.atomic
def calendar_feed_renew(*, user: Any) -> str:
    """A new secret address for `user`'s feed (the old one stops working); the token is
    returned once and only its hash is kept."""
    token = new_feed_token()
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={"token_hash": feed_token_hash(token), "created_at": timezone.now()},
    )
    return token


def calendar_feed_revoke(*, user: Any) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_user(token: str) -> Any:
    """The active user whose feed `token` opens, or None."""
    feed = (
        CalendarFeed.objects.filter(token_hash=feed_token_hash(token))
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_for(user: Any, now: datetime.datetime | None = None) -> bytes:
    """The iCalendar file of `user`'s appointments (as their social-worker profile),
    limited to the clients whose file they may open."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Traject//Agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Traject")
    social_worker = employed_social_worker(user)
    if social_worker is not None:
        today = timezone.localdate(now)
        appointments = (
            visible_appointments(user)
            .of_social_worker(social_worker)
            .between(
                today - datetime.timedelta(days=FEED_PAST_DAYS),
                today + datetime.timedelta(days=FEED_FUTURE_DAYS),
            )
            .select_related("client")
            .order_by("starts_at")
        )
        host = settings.TRAJECT_BASE_URL.split("://")[-1].split("/")[0] or "traject"
        for appointment in appointments:
            calendar.add_component(_event(appointment, now, host))
    return calendar.to_ical()


def _event(appointment: Appointment, now: datetime.datetime, host: str) -> Event:
    client = appointment.client
    link = absolute_url(appointment_path(appointment))
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@{host}")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("last-modified", appointment.updated_at.astimezone(datetime.UTC))
    event.add("sequence", appointment.version)
    event.add("dtstart", appointment.starts_at.astimezone(datetime.UTC))
    event.add("dtend", appointment.ends_at.astimezone(datetime.UTC))
    event.add(
        "summary",
        f"{appointment.get_kind_display()} {initials(client.first_name, client.last_name)}",
    )
    event.add("description", link)
    event.add("url", link)
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event
