"""The team's figures: caseload per social assistant, per team and per FTE, and the
clients a caseload transfer would move.

The caseload of a social assistant is the number of distinct clients assigned to
them on the day (`AssignmentQuerySet.caseload_on`); per FTE it is that number
divided by their FTE, rounded as the council report's `caseload` figure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from access.rules import social_worker_profile, visible_clients
from casework.models import Assignment, SocialWorker, Team
from core.rounding import round_half_up


def per_fte(clients: int, fte: Decimal) -> Decimal | None:
    """Clients per FTE, rounded exactly as the council report's caseload figure."""
    if not fte:
        return None
    return round_half_up(Fraction(clients) / Fraction(fte), 2)


@dataclass
class WorkerRow:
    social_worker: SocialWorker
    clients: int

    @property
    def fte(self) -> Decimal:
        return self.social_worker.fte

    @property
    def clients_per_fte(self) -> Decimal | None:
        return per_fte(self.clients, self.fte)


@dataclass
class TeamRow:
    team: Team | None
    workers: list[WorkerRow] = field(default_factory=list)
    clients: int = 0

    @property
    def fte(self) -> Decimal:
        return sum((w.fte for w in self.workers), Decimal(0))

    @property
    def clients_per_fte(self) -> Decimal | None:
        return per_fte(self.clients, self.fte)


@dataclass
class CaseloadFigures:
    teams: list[TeamRow]
    social_workers: int
    fte: Decimal
    clients: int

    @property
    def clients_per_fte(self) -> Decimal | None:
        return per_fte(self.clients, self.fte)


def caseload_figures(
    organisations: QuerySet, day: datetime.date, team: Team | None = None
) -> CaseloadFigures:
    """Caseload per social assistant, per team and in total on `day` (three queries).

    The caseload is `AssignmentQuerySet.caseload_on`, as in the council report."""
    workers = SocialWorker.objects.filter(organisation__in=organisations).employed_on(day)
    assignments = Assignment.objects.filter(organisation__in=organisations)
    if team is not None:
        workers = workers.filter(team=team)
        assignments = assignments.filter(social_worker__team=team)
    workers = (
        workers.select_related("team")
        .with_caseload(day)
        .order_by("team__name", "last_name", "first_name")
    )
    per_team = assignments.caseload_per_team_on(day)
    rows: dict[int | None, TeamRow] = {}
    for worker in workers:
        row = rows.setdefault(worker.team_id, TeamRow(team=worker.team))
        row.workers.append(WorkerRow(social_worker=worker, clients=worker.caseload))  # type: ignore[attr-defined]
    for team_id, row in rows.items():
        row.clients = per_team.get(team_id, 0)
    teams = sorted(rows.values(), key=lambda r: (r.team is None, r.team.name if r.team else ""))
    return CaseloadFigures(
        teams=teams,
        social_workers=sum(len(r.workers) for r in teams),
        fte=sum((r.fte for r in teams), Decimal(0)),
        clients=assignments.caseload_on(day),
    )


def led_team(user: Any) -> Team | None:
    """The team a team lead leads (their own team), or None for managers and superusers."""
    social_worker = social_worker_profile(user)
    if user.is_superuser or social_worker is None:
        return None
    if user.has_perm("casework.transfer_caseload"):
        return social_worker.team
    return None


def transfer_candidates(user: Any, social_worker: SocialWorker, day: datetime.date) -> Any:
    """The clients `assignment_transfer` would move (an assignment to `social_worker`
    running on `day` or later) among those `user` may open."""
    moving = Assignment.objects.filter(social_worker=social_worker).not_ended_before(day)
    return visible_clients(user).filter(pk__in=moving.values("client_id"))
