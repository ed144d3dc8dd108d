"""The daily digest (reminders): what falls due today for a social assistant or a team
lead, sent by mail once a day by the scheduled task `send_daily_digests` and shown on
the home page.

Mail leaves the system: a digest names no client, only initials and a link into
Traject (which asks for a login).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from access.roles import SOCIAL_ASSISTANT, TEAM_LEAD, group_name
from access.rules import employed_social_worker
from audit.services import audit_list_read
from casework.models import Appointment
from desk import workqueue
from desk.calendar_feed import absolute_url, appointment_path, initials
from desk.models import DailyDigest
from desk.selectors.agenda import visible_appointments
from desk.selectors.team import led_team
from desk.workqueue import WorkItem


@dataclass
class DigestLine:
    """One line of a digest as it may leave the system: no name, initials and a link."""

    when: str
    what: str
    initials: str
    url: str
    overdue: bool = False


@dataclass
class Digest:
    user: Any
    day: datetime.date
    appointments: list[Appointment] = field(default_factory=list)
    items: list[WorkItem] = field(default_factory=list)
    team_items: list[WorkItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.appointments or self.items or self.team_items)

    @property
    def client_ids(self) -> list[int]:
        ids = {a.client_id for a in self.appointments}
        ids |= set(workqueue.client_ids(self.items + self.team_items))
        return sorted(ids)


def todays_appointments(user: Any, day: datetime.date) -> list[Appointment]:
    """The appointments of `user` (as social worker) on `day` that they may see."""
    social_worker = employed_social_worker(user, day)
    if social_worker is None:
        return []
    return list(
        visible_appointments(user)
        .of_social_worker(social_worker)
        .on_day(day)
        .exclude(status="cancelled")
        .select_related("client")
        .order_by("starts_at")
    )


def daily_digest(user: Any, day: datetime.date) -> Digest:
    """Today's appointments, the items of the user's queue due today or overdue and, for
    a team lead, those of the team."""
    digest = Digest(user=user, day=day, appointments=todays_appointments(user, day))
    social_worker = employed_social_worker(user, day)
    if social_worker is None:
        return digest
    mine = workqueue.social_worker_queue(social_worker, viewer=user, today=day)
    digest.items = [item for item in mine if item.due_date <= day]
    team = led_team(user)
    if team is not None:
        own = {(item.rule, item.client_id, item.url) for item in digest.items}
        digest.team_items = [
            item
            for item in workqueue.team_queue(team, viewer=user, today=day)
            if item.due_date <= day and (item.rule, item.client_id, item.url) not in own
        ]
    return digest


def _item_initials(item: WorkItem) -> str:
    last, _sep, first = item.client_name.partition(", ")
    return initials(first, last) if item.client_name else ""


def digest_lines(digest: Digest) -> dict[str, list[Any]]:
    """The digest as the mail shows it: appointments, own items, the team's items."""
    appointments = [
        DigestLine(
            when=f"{timezone.localtime(a.starts_at):%H:%M}",
            what=a.get_kind_display(),
            initials=initials(a.client.first_name, a.client.last_name),
            url=absolute_url(appointment_path(a)),
        )
        for a in digest.appointments
    ]

    def item_line(item: WorkItem) -> DigestLine:
        return DigestLine(
            when=f"{item.due_date:%d/%m/%Y}",
            what=str(item.rule_label),
            initials=_item_initials(item),
            url=absolute_url(item.url),
            overdue=item.overdue,
        )

    return {
        "appointments": appointments,
        "items": [item_line(item) for item in digest.items],
        "team": team_summary(digest.team_items),
    }


@dataclass
class TeamLine:
    """The items of one social assistant of a team lead's team: how many, how late."""

    social_worker: str
    items: int
    overdue: int
    oldest: datetime.date


def team_summary(items: list[WorkItem]) -> list[TeamLine]:
    """Per social assistant (staff, not clients: names may go by mail), the number of items
    due today or overdue, and the due date of the oldest; the most overdue first."""
    lines: dict[str, TeamLine] = {}
    for item in items:
        name = item.social_worker_name or "—"
        line = lines.setdefault(name, TeamLine(name, 0, 0, item.due_date))
        line.items += 1
        line.overdue += item.overdue
        line.oldest = min(line.oldest, item.due_date)
    return sorted(lines.values(), key=lambda line: (line.oldest, line.social_worker))


def digest_recipients(day: datetime.date) -> QuerySet[Any]:
    """Active users with a mail address who are social assistant or team lead and
    employed as a social worker on `day`."""
    users = (
        get_user_model()
        ._default_manager.filter(
            is_active=True,
            groups__name__in=[group_name(SOCIAL_ASSISTANT), group_name(TEAM_LEAD)],
            social_worker__isnull=False,
        )
        .exclude(email="")
    )
    return users.distinct().order_by("pk")


def digest_send(*, user: Any, day: datetime.date) -> bool:
    """Mail `user` the digest of `day` unless it was sent already (or there is nothing to
    say). The record of the sent digest and the mail succeed or fail together, so a
    digest is sent at most once and a failed one is sent on the next run."""
    if DailyDigest.objects.filter(user=user, day=day).exists():
        return False
    digest = daily_digest(user, day)
    if digest.empty:
        return False
    try:
        with transaction.atomic():
            DailyDigest.objects.create(
                user=user,
                day=day,
                appointments=len(digest.appointments),
                items=len(digest.items) + len(digest.team_items),
            )
            with translation.override("nl-be"):
                context = {
                    "digest": digest,
                    "lines": digest_lines(digest),
                    "queue_url": absolute_url(reverse("desk:workqueue") + "?scope=team"),
                }
                subject = _("Traject: je dag van %(day)s") % {"day": f"{day:%d/%m/%Y}"}
                body = render_to_string("desk/digest_mail.txt", context)
                home = absolute_url("/")
            send_mail(subject, body + f"\n{home}\n", None, [user.email])
            audit_list_read(user, digest.client_ids, "digest:mail")
    except IntegrityError:
        return False  # another worker sent it at the same moment
    return True
