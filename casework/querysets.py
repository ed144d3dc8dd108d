"""Reads of casework records in domain words. Every screen, export, rule and statistic
uses these, so that "assigned on a day" or "the caseload" has exactly one definition.

Which clients a user may see is not here but in `access.rules` (a layer above);
reads that join partner records (what runs for a client) are selectors of the
apps that show them.
"""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.apps import apps
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.folding import Fold, fold
from casework.national_number import normalise_national_number
from core.periods import PeriodQuerySet


def _assignee_q(social_worker: Any, team: Any) -> Q:
    """Assignments to `social_worker` or to any social worker of `team` (either may be None)."""
    q = Q(pk__in=[])
    if social_worker is not None:
        q |= Q(social_worker=social_worker)
    if team is not None:
        q |= Q(social_worker__team=team)
    return q


def _assignments() -> AssignmentQuerySet:
    """Every assignment (the model is defined after its queryset, in casework.models)."""
    return apps.get_model("casework", "Assignment")._default_manager.all()


class AssignmentQuerySet(PeriodQuerySet):
    """Assignments of clients to social workers.

    "Assigned on a day" is an assignment running that day (ends inclusive); the
    caseload on a day is the number of distinct clients so assigned: the one
    definition behind the caseload list, the access rules, the work queue, the
    team view, the admin and the council report's `caseload` statistic.
    """

    def assigned_on(
        self, day: datetime.date, *, social_worker: Any = None, team: Any = None
    ) -> Self:
        """The assignments running on `day`, to `social_worker` and/or anybody of `team`
        (neither given: every running assignment)."""
        running = self.active_on(day)
        if social_worker is None and team is None:
            return running
        return running.filter(_assignee_q(social_worker, team))

    def not_ended_before(self, day: datetime.date) -> Self:
        """Assignments running on `day` or starting later: what a transfer from `day` moves."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def caseload_on(self, day: datetime.date) -> int:
        """How many distinct clients have one of these assignments running on `day`."""
        counted = self.assigned_on(day).aggregate(n=Count("client", distinct=True))
        return int(counted["n"] or 0)

    def caseload_per_team_on(self, day: datetime.date) -> dict[int | None, int]:
        """The caseload on `day` per team of the social worker (team pk, None: no team)."""
        rows = (
            self.assigned_on(day)
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
        """Annotate `caseload`: the distinct clients assigned to each on `day`
        (`AssignmentQuerySet.caseload_on`, per social worker)."""
        per_worker = (
            _assignments()
            .assigned_on(day)
            .filter(social_worker=OuterRef("pk"))
            .order_by()
            .values("social_worker")
            .annotate(n=Count("client", distinct=True))
            .values("n")
        )
        return self.annotate(
            caseload=Coalesce(Subquery(per_worker, output_field=IntegerField()), Value(0))
        )


class AppointmentQuerySet(models.QuerySet):
    """Appointments. "On a day" and "in a week" are days in the organisation's time zone;
    an appointment "left unregistered" is still planned after it began: held, cancelled
    or a no-show is not yet recorded."""

    def between(self, first: datetime.date, last: datetime.date) -> Self:
        """Appointments starting on a day from `first` to `last` (both included)."""
        start = _day_start(first)
        end = _day_start(last + datetime.timedelta(days=1))
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def from_day(self, day: datetime.date) -> Self:
        """Appointments starting on `day` or later."""
        return self.filter(starts_at__gte=_day_start(day))

    def on_day(self, day: datetime.date) -> Self:
        return self.between(day, day)

    def planned(self) -> Self:
        return self.filter(status="planned")

    def unregistered_before(self, day: datetime.date) -> Self:
        """Planned appointments that started before `day`: their outcome is missing."""
        return self.planned().filter(starts_at__lt=_day_start(day))

    def due_by(self, day: datetime.date) -> Self:
        """Planned appointments starting on `day` or before: today's, and past ones left
        unregistered (the work queue's rule `appointment`)."""
        return self.planned().filter(starts_at__lt=_day_start(day + datetime.timedelta(days=1)))

    def of_social_worker(self, social_worker: Any) -> Self:
        return self.filter(social_worker=social_worker)


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the current time zone (Europe/Brussels)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class HouseholdMemberQuerySet(PeriodQuerySet):
    """Members of clients' households."""

    def dependants_on(self, day: datetime.date) -> Self:
        """The members in the household on `day` whom the client has as a dependant (ten
        laste): the one definition of "persoon met gezinslast" on a day."""
        return self.active_on(day).filter(dependant=True)


class ClientQuerySet(models.QuerySet):
    def assigned_on(
        self, day: datetime.date, *, social_worker: Any = None, team: Any = None
    ) -> Self:
        """The clients assigned on `day` to `social_worker` and/or anybody of `team`
        (`AssignmentQuerySet.assigned_on`)."""
        assignments = _assignments().assigned_on(day, social_worker=social_worker, team=team)
        return self.filter(pk__in=assignments.values("client_id"))

    def search(self, text: str) -> Self:
        """Clients by name, national number (with or without separators) or external id.

        Every word must occur in the first or the last name, in any order, accents and
        case ignored: "Baeten, Filip", "filip baeten" and "Baéten" all find Filip Baeten.
        """
        text = text.strip()
        if not text:
            return self
        words = [fold(word) for word in text.replace(",", " ").split()]
        q = Q()
        for word in words:
            q &= Q(folded_first_name__contains=word) | Q(folded_last_name__contains=word)
        digits = normalise_national_number(text)
        if digits.isdigit() and len(digits) >= 6:
            q |= Q(national_number__startswith=digits)
        folded = self.annotate(
            folded_first_name=Fold("first_name"), folded_last_name=Fold("last_name")
        )
        return folded.filter(q | Q(external_id=text))


class RegionQuerySet(models.QuerySet):
    """Regions: a small tree (a few dozen rows), read whole when a path is needed."""

    def _parents(self) -> dict[int, int | None]:
        return dict(self.model._default_manager.values_list("pk", "parent_id"))

    def ancestor_ids(self, pk: int) -> list[int]:
        """`pk` and every region above it, smallest first (stops at a cycle)."""
        parents = self._parents()
        path: list[int] = []
        current: int | None = pk
        while current is not None and current not in path:
            path.append(current)
            current = parents.get(current)
        return path

    def subtree_ids(self, pk: int) -> set[int]:
        """`pk` and every region below it."""
        children: dict[int | None, list[int]] = {}
        for region, parent in self._parents().items():
            children.setdefault(parent, []).append(region)
        found: set[int] = set()
        todo = [pk]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children.get(current, []))
        return found
