"""Periods: records with a start and an optional, inclusive end.

`overlap_q` is the one definition of "overlaps a period"; every queryset,
selector, rule and statistic that asks whether something ran on a day or in a
month builds on it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Self

from django.db import connection, models
from django.db.models import Expression, F, Q
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

_pinned_today: ContextVar[datetime.date | None] = ContextVar("pinned_today", default=None)


def today() -> datetime.date:
    """Today in the local time zone, as the models' rules compare dates with it ("not in
    the future"); inside `same_day()` the day the block started."""
    return _pinned_today.get() or timezone.localdate()


@contextmanager
def same_day() -> Iterator[datetime.date]:
    """Validate everything in the block against one day: a bulk validation asks the
    models' rules about 100,000 records, and the time zone conversion of
    `timezone.localdate()` per record costs more than the rule itself."""
    token = _pinned_today.set(timezone.localdate())
    try:
        yield today()
    finally:
        _pinned_today.reset(token)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month."""
    first = datetime.date(year, month, 1)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def code_point_order(path: str) -> F | Collate:
    """Text ordered by code point on every database, as Python and SQLite do (PostgreSQL
    sorts by the locale's collation, which ignores case and punctuation)."""
    if connection.vendor == "postgresql":
        return Collate(F(path), "C")
    return F(path)


def overlap_q(
    first: datetime.date | Expression,
    last: datetime.date | Expression,
    start: str,
    end: str,
    prefix: str = "",
) -> Q:
    """A record overlaps [first, last] when it starts on or before `last` and has
    no end or ends on or after `first` (ends are inclusive)."""
    return Q(**{f"{prefix}{start}__lte": last}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": first})
    )


def day_text(day: datetime.date | None) -> str:
    """A day as people read it (dd/mm/yyyy); empty for none."""
    return date_format(day, "d/m/Y") if day else ""


def period_text(start: datetime.date, end: datetime.date | None) -> str:
    """A period in words: "van 01/01/2024 tot 30/06/2024" or "sinds 01/01/2024"."""
    if end:
        return _("van %(start)s tot %(end)s") % {"start": day_text(start), "end": day_text(end)}
    return _("sinds %(start)s") % {"start": day_text(start)}


def runs_on(start: datetime.date, end: datetime.date | None, day: datetime.date) -> bool:
    """`overlap_q` for one record already read: it started on or before `day` and has no
    end or ends on or after it."""
    return start <= day and (end is None or end >= day)


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
