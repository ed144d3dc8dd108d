"""The team view (caseload per social assistant and per FTE) and the bulk transfer
of a caseload (a social assistant leaving or on leave).

Figures only: no client file content. The caseload of a social assistant is
the number of clients with an assignment to them running today; per FTE it is
that number divided by their FTE (the definition of the council report's
`caseload`, per social assistant and per team).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View
from django.views.generic import TemplateView

from access.rules import organisations_of, visible_clients
from audit.services import audit_list_read
from casework.models import Client, SocialWorker
from casework.services import assignment_transfer
from desk.forms import TransferConfirmForm, TransferForm, add_service_errors
from desk.selectors.team import caseload_figures, led_team, transfer_candidates
from desk.views.base import RoleRequiredMixin, today

TRANSFER_SESSION_KEY = "caseload_transfer_summary"


class TeamView(RoleRequiredMixin, TemplateView):
    """Caseload per social assistant and per FTE: a team lead's team, a manager's teams."""

    permission_required = "casework.view_team_caseload"
    template_name = "desk/team.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = today()
        team = led_team(self.request.user)
        context.update(
            today=day,
            team=team,
            figures=caseload_figures(organisations_of(self.request.user), day, team),
            can_transfer=self.request.user.has_perm("casework.transfer_caseload"),
        )
        return context


class TransferView(RoleRequiredMixin, View):
    """Move a caseload: choose (step 1), confirm the clients (step 2), see what moved."""

    permission_required = "casework.transfer_caseload"
    template_name = "desk/transfer.html"

    def people(self) -> tuple[Any, Any]:
        """Whose caseload the user may move, and to whom."""
        user = self.request.user
        day = today()
        everybody = SocialWorker.objects.filter(
            organisation__in=organisations_of(user)
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
            candidates = list(clients.values_list("pk", flat=True))
            confirm = TransferConfirmForm(
                initial={**form.cleaned_data, "clients": candidates},
                clients=clients,
                **kwargs,
            )
            audit_list_read(request, candidates, "transfer_confirmation")
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
                return redirect("desk:transfer_done")
        return self.render({"form": form, "step": 2, "choice": step1.cleaned_data})


class TransferDoneView(RoleRequiredMixin, TemplateView):
    """What the last transfer moved."""

    permission_required = "casework.transfer_caseload"
    template_name = "desk/transfer_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        summary = self.request.session.get(TRANSFER_SESSION_KEY)
        if summary:
            clients = list(visible_clients(self.request.user).filter(pk__in=summary["clients"]))
            audit_list_read(self.request, clients, "transfer_done")
            context.update(
                summary=summary,
                day=datetime.date.fromisoformat(summary["day"]),
                clients=clients,
                count=len(summary["clients"]),
            )
        return context
