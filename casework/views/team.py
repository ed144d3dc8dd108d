"""The team view (caseload per social assistant and per FTE) and the bulk transfer
of a caseload (a social assistant leaving or on leave).

Figures only: no client file content. The caseload of a social assistant is
the number of clients with an assignment to them running today; per FTE it is
that number divided by their FTE (the definition of the council report's
`caseload`, per social assistant and per team).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View
from django.views.generic import TemplateView

from casework.forms import TransferConfirmForm, TransferForm, add_service_errors
from casework.models import Assignment, Client, SocialWorker, Team
from casework.services import assignment_transfer
from casework.views.base import (
    RoleRequiredMixin,
    today,
    user_organisations,
    user_social_worker,
)
from reporting.statistics.rounding import round_half_up

TRANSFER_SESSION_KEY = "caseload_transfer_summary"


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
    social_worker = user_social_worker(user)
    if user.is_superuser or social_worker is None:
        return None
    if user.has_perm("casework.transfer_caseload"):
        return social_worker.team
    return None


class TeamView(RoleRequiredMixin, TemplateView):
    """Caseload per social assistant and per FTE: a team lead's team, a manager's teams."""

    permission_required = "casework.view_team_caseload"
    template_name = "casework/team.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = today()
        team = led_team(self.request.user)
        context.update(
            today=day,
            team=team,
            figures=caseload_figures(user_organisations(self.request.user), day, team),
            can_transfer=self.request.user.has_perm("casework.transfer_caseload"),
        )
        return context


def transfer_candidates(user: Any, social_worker: SocialWorker, day: datetime.date) -> Any:
    """The clients `assignment_transfer` would move (an assignment to `social_worker`
    running on `day` or later) among those `user` may open."""
    moving = Assignment.objects.filter(social_worker=social_worker).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    return Client.objects.visible_to(user).filter(pk__in=moving.values("client_id"))


class TransferView(RoleRequiredMixin, View):
    """Move a caseload: choose (step 1), confirm the clients (step 2), see what moved."""

    permission_required = "casework.transfer_caseload"
    template_name = "casework/transfer.html"

    def people(self) -> tuple[Any, Any]:
        """Whose caseload the user may move, and to whom."""
        user = self.request.user
        day = today()
        everybody = SocialWorker.objects.filter(
            organisation__in=user_organisations(user)
        ).employed_on(day)
        team = led_team(user)
        sources = everybody.filter(team=team) if team is not None else everybody
        if not user.is_superuser and team is None:
            sources = sources.none()
        return sources.select_related("team"), everybody.select_related("team")

    def form_kwargs(self) -> dict[str, Any]:
        sources, targets = self.people()
        return {"sources": sources, "targets": targets, "today": today()}

    def render(self, context: dict[str, Any]) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render({"form": TransferForm(**self.form_kwargs()), "step": 1})

    def post(self, request: HttpRequest) -> HttpResponse:
        kwargs = self.form_kwargs()
        if "confirm" not in request.POST:
            form = TransferForm(request.POST, **kwargs)
            if not form.is_valid():
                return self.render({"form": form, "step": 1})
            clients = transfer_candidates(
                request.user, form.cleaned_data["from_social_worker"], form.cleaned_data["day"]
            )
            confirm = TransferConfirmForm(
                initial={
                    **form.cleaned_data,
                    "clients": list(clients.values_list("pk", flat=True)),
                },
                clients=clients,
                **kwargs,
            )
            return self.render({"form": confirm, "step": 2, "choice": form.cleaned_data})
        # Step 2: the candidates are computed again from the submitted choice.
        step1 = TransferForm(request.POST, **kwargs)
        if not step1.is_valid():
            return self.render({"form": step1, "step": 1})
        source = step1.cleaned_data["from_social_worker"]
        target = step1.cleaned_data["to_social_worker"]
        day = step1.cleaned_data["day"]
        clients = transfer_candidates(request.user, source, day)
        form = TransferConfirmForm(request.POST, clients=clients, **kwargs)
        if form.is_valid():
            chosen = Client.objects.filter(pk__in=[c.pk for c in form.cleaned_data["clients"]])
            try:
                moved = assignment_transfer(
                    from_social_worker=source, to_social_worker=target, day=day, clients=chosen
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[TRANSFER_SESSION_KEY] = {
                    "from": str(source),
                    "to": str(target),
                    "day": day.isoformat(),
                    "clients": sorted({a.client_id for a in moved}),
                }
                return redirect("casework:transfer_done")
        return self.render({"form": form, "step": 2, "choice": step1.cleaned_data})


class TransferDoneView(RoleRequiredMixin, TemplateView):
    """What the last transfer moved."""

    permission_required = "casework.transfer_caseload"
    template_name = "casework/transfer_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        summary = self.request.session.get(TRANSFER_SESSION_KEY)
        if summary:
            context.update(
                summary=summary,
                day=datetime.date.fromisoformat(summary["day"]),
                clients=Client.objects.visible_to(self.request.user).filter(
                    pk__in=summary["clients"]
                ),
                count=len(summary["clients"]),
            )
        return context
