"""Reads in domain words. Every screen, export and statistic uses these, so that
"active in a month" or "visible to this user" has exactly one definition."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Self

from django.db import connection, models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Collate

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


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

    def latest_first(self) -> Self:
        """The latest advice first: by advice date; of two advices on one day, the one
        with the highest external id (code-point order), so that the same records give
        the same latest advice after an export and import (which keeps ids, not the
        order in which records were made)."""
        return self.order_by("-advised_on", code_point_order("external_id").desc(), "-pk")


class AssignmentQuerySet(PeriodQuerySet):
    """Assignments of clients to social workers.

    The caseload on a day is the number of distinct clients with an assignment
    running that day: the one definition behind the team view and the council
    report's `caseload` statistic.
    """

    def caseload_on(self, day: datetime.date) -> int:
        """How many distinct clients have one of these assignments running on `day`."""
        counted = self.active_on(day).aggregate(n=Count("client", distinct=True))
        return int(counted["n"] or 0)

    def caseload_per_team_on(self, day: datetime.date) -> dict[int | None, int]:
        """The caseload on `day` per team of the social worker (team pk, None: no team)."""
        rows = (
            self.active_on(day)
            .values_list("social_worker__team")
            .annotate(n=Count("client", distinct=True))
        )
        return {team_id: n for team_id, n in rows}


class SocialWorkerQuerySet(PeriodQuerySet):
    def employed_on(self, day: datetime.date) -> Self:
        # An unknown start date means "employed since before Traject knew".
        return self.filter(
            (Q(start_date__isnull=True) | Q(start_date__lte=day))
            & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        )

    def with_caseload(self, day: datetime.date) -> Self:
        """Annotate `caseload`: the distinct clients with an assignment to them running on `day`
        (the definition of `AssignmentQuerySet.caseload_on`, per social worker)."""
        running = overlap_q(day, day, "start_date", "end_date", prefix="assignments__")
        return self.annotate(caseload=Count("assignments__client", filter=running, distinct=True))


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

    def with_status(self, day: datetime.date) -> Self:
        """Annotate what runs on `day` (one query, whatever the number of clients):
        `income_kind`, `income_category` (the latest income right running),
        `gpmi_since` (the latest GPMI running), `article60_since` and
        `article60_until` (the latest article-60 placement running; its actual end,
        else its planned end) and `vdab_since` (the latest VDAB registration running)."""
        from casework.models import IncomeRight, Trajectory, TrajectoryKind
        from partners.models import Article60Placement, VdabRegistration

        income = IncomeRight.objects.filter(client=OuterRef("pk")).active_on(day)
        income = income.order_by("-start_date")
        gpmi = Trajectory.objects.filter(client=OuterRef("pk"), kind=TrajectoryKind.GPMI)
        gpmi = gpmi.active_on(day).order_by("-start_date")
        placement = Article60Placement.objects.filter(client=OuterRef("pk")).active_on(day)
        placement = placement.order_by("-start_date").annotate(
            ends=Coalesce("end_date", "planned_end_date")
        )
        vdab = VdabRegistration.objects.filter(client=OuterRef("pk")).active_on(day)
        vdab = vdab.order_by("-registered_on")
        return self.annotate(
            income_kind=Subquery(income.values("kind")[:1]),
            income_category=Subquery(income.values("category")[:1]),
            gpmi_since=Subquery(gpmi.values("start_date")[:1]),
            article60_since=Subquery(placement.values("start_date")[:1]),
            article60_until=Subquery(placement.values("ends")[:1]),
            vdab_since=Subquery(vdab.values("registered_on")[:1]),
        )

    def running_counts(self, day: datetime.date) -> dict[str, int]:
        """How many of these clients have each thing of `with_status` running on `day`:
        `clients`, `income`, `gpmi`, `article60`, `vdab` (one query)."""
        counts = self.with_status(day).aggregate(
            clients=Count("pk"),
            income=Count("income_kind"),
            gpmi=Count("gpmi_since"),
            article60=Count("article60_since"),
            vdab=Count("vdab_since"),
        )
        return {name: int(value or 0) for name, value in counts.items()}

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
