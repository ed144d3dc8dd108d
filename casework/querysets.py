"""Reads in domain words. Every screen, export and statistic uses these, so that
"active in a month" or "visible to this user" has exactly one definition."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month."""
    first = datetime.date(year, month, 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def overlap_q(
    first: datetime.date, last: datetime.date, start: str, end: str, prefix: str = ""
) -> Q:
    """A record overlaps [first, last] when it starts on or before `last` and has
    no end or ends on or after `first` (ends are inclusive)."""
    return Q(**{f"{prefix}{start}__lte": last}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": first})
    )


class PeriodQuerySet(models.QuerySet):
    """Records with a start and an optional (inclusive) end."""

    start_field = "start_date"
    end_field = "end_date"

    def overlapping(self, first: datetime.date, last: datetime.date) -> Self:
        return self.filter(overlap_q(first, last, self.start_field, self.end_field))

    def active_on(self, day: datetime.date) -> Self:
        return self.overlapping(day, day)

    def in_month(self, year: int, month: int) -> Self:
        return self.overlapping(*month_bounds(year, month))

    def started_between(self, first: datetime.date, last: datetime.date) -> Self:
        return self.filter(**{f"{self.start_field}__range": (first, last)})

    def running(self, today: datetime.date) -> Self:
        return self.active_on(today)

    def for_organisation(self, organisation: Any) -> Self:
        return self.filter(organisation=organisation)


class RegistrationQuerySet(PeriodQuerySet):
    start_field = "registered_on"
    end_field = "ended_on"


class ScreeningQuerySet(PeriodQuerySet):
    start_field = "advised_on"
    end_field = "ended_on"


class SocialWorkerQuerySet(PeriodQuerySet):
    def employed_on(self, day: datetime.date) -> Self:
        # An unknown start date means "employed since before Traject knew".
        return self.filter(
            (Q(start_date__isnull=True) | Q(start_date__lte=day))
            & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        )


class ClientQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Any) -> Self:
        return self.filter(organisation=organisation)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> Self:
        """The clients whose file `user` may open: the one definition of access.

        A social worker sees the clients currently assigned to them or to a
        colleague of their team; a team lead sees their team's clients.
        Superusers see every client. Everybody else (managers included) sees
        no client file: they read aggregated figures only.
        """
        from casework.access import visible_clients_filter

        return self.filter(visible_clients_filter(user)).distinct()

    def assigned_to(self, social_worker: Any, day: datetime.date) -> Self:
        return self.filter(
            overlap_q(day, day, "start_date", "end_date", prefix="assignments__"),
            assignments__social_worker=social_worker,
        ).distinct()

    def search(self, text: str) -> Self:
        from casework.national_number import normalise_national_number

        text = text.strip()
        if not text:
            return self
        q = Q()
        for word in text.split():
            q &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        digits = normalise_national_number(text)
        if digits.isdigit() and len(digits) >= 6:
            q |= Q(national_number__startswith=digits)
        return self.filter(q | Q(external_id=text))
