"""Programme pages: JobRoad screenings, DUO for a JOB mentoring, results per year and
cost per result.

Figures are counts (everyone with a role sees them); names of participants are
shown only for clients the user may open (`access.rules.visible_clients`), and
referring a client to a session opens that client through `get_client_or_404`.
The yearly results are the council report's `programmes` statistic, so the
page and the report give the same figures.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from access.rules import get_client_or_404, organisations_of, visible_clients
from audit.services import audit_list_read
from desk.forms import add_service_errors
from desk.partner_forms import SessionReferralForm
from desk.partner_tables import SessionTable, with_session_figures
from desk.selectors.programmes import results_definition, yearly_results
from desk.views.base import RoleRequiredMixin, today
from partners.models import Programme, ProgrammeSession, Referral
from partners.services import referral_create

FIGURE_PERMISSIONS = ("casework.view_client", "casework.view_caseload_figures")
DUO_FOR_A_JOB = "duo_for_a_job"


class ProgrammeAccessMixin(RoleRequiredMixin):
    """Social assistants, team leads and managers (figures); each sees their organisation."""

    def has_permission(self) -> bool:
        user = self.request.user  # type: ignore[attr-defined]
        return any(user.has_perm(perm) for perm in FIGURE_PERMISSIONS)

    def programmes(self) -> Any:
        return Programme.objects.filter(
            organisation__in=organisations_of(self.request.user)  # type: ignore[attr-defined]
        ).select_related("organisation")


class ProgrammeListView(ProgrammeAccessMixin, View):
    """/programmes/: every programme with its results per year and cost per result."""

    def get(self, request: HttpRequest) -> HttpResponse:
        day = today()
        rows = []
        for organisation in organisations_of(request.user):
            results = yearly_results(organisation, day)
            for programme in self.programmes().filter(organisation=organisation):
                rows.append((programme, results.get(programme.code, [])))
        return TemplateResponse(
            request,
            "desk/programme_list.html",
            {
                "rows": rows,
                "definition": results_definition(),
                "show_organisation": len({p.organisation_id for p, _r in rows}) > 1,
            },
        )


class ProgrammeDetailView(ProgrammeAccessMixin, View):
    """/programmes/<pk>/: results per year, sessions (JobRoad screenings) and, for
    DUO for a JOB, the running mentorships."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.programmes().filter(pk=pk).first()
        if programme is None:
            raise Http404
        day = today()
        sessions = with_session_figures(programme.sessions.all())
        table = SessionTable(sessions)
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        referrals = Referral.objects.filter(programme=programme)
        running = referrals.active_on(day)
        context: dict[str, Any] = {
            "programme": programme,
            "results": yearly_results(programme.organisation, day).get(programme.code, []),
            "definition": results_definition(),
            "sessions": table,
            "has_sessions": programme.sessions.exists(),
            "running_count": running.count(),
            "is_mentoring": programme.code == DUO_FOR_A_JOB,
        }
        if request.user.has_perm("casework.view_client"):
            # Names only of the clients the user may open.
            context["my_running"] = list(
                running.filter(client__in=visible_clients(request.user))
                .select_related("client")
                .order_by("client__last_name", "client__first_name")
            )
            audit_list_read(request, context["my_running"], "programme_participants")
        return TemplateResponse(request, "desk/programme_detail.html", context)


class SessionDetailView(ProgrammeAccessMixin, View):
    """/programmes/sessions/<pk>/: a session (JobRoad screening) and referring a client."""

    template_name = "desk/session_detail.html"

    def load(self, pk: int) -> ProgrammeSession:
        session = (
            with_session_figures(
                ProgrammeSession.objects.filter(
                    programme__organisation__in=organisations_of(self.request.user)
                )
            )
            .select_related("programme")
            .filter(pk=pk)
            .first()
        )
        if session is None:
            raise Http404
        return session

    def candidates(self, session: ProgrammeSession) -> Any:
        already = Referral.objects.filter(session=session).values("client_id")
        return (
            visible_clients(self.request.user)
            .filter(organisation_id=session.organisation_id)
            .exclude(pk__in=already)
        )

    def can_refer(self) -> bool:
        return self.request.user.has_perm("partners.add_referral")

    def render(
        self,
        session: ProgrammeSession,
        form: SessionReferralForm | None,
        partial: str = "",
        searching: bool = False,
    ) -> HttpResponse:
        results, more = form.results() if form is not None else (None, False)
        if results:
            # The clients found by the search are listed by name.
            audit_list_read(self.request, results, "session_candidates")
        if partial:
            return TemplateResponse(
                self.request,
                f"{self.template_name}#{partial}",
                {"form": form, "results": results, "more_results": more, "searching": True},
            )
        participants = Referral.objects.filter(session=session)
        visible = (
            list(
                participants.filter(client__in=visible_clients(self.request.user))
                .select_related("client")
                .order_by("client__last_name", "client__first_name")
            )
            if self.request.user.has_perm("casework.view_client")
            else []
        )
        audit_list_read(self.request, visible, "session_participants")
        free = None if session.capacity is None else max(session.capacity - session.participants, 0)  # type: ignore[attr-defined]
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "session": session,
                "programme": session.programme,
                "free_places": free,
                "visible_participants": visible,
                "other_participants": session.participants - len(visible),  # type: ignore[attr-defined]
                "form": form,
                "results": results,
                "more_results": more,
                "searching": searching,
                "is_full": free == 0,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.load(pk)
        form = SessionReferralForm(clients=self.candidates(session)) if self.can_refer() else None
        return self.render(session, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Refer the chosen client; or, with `search` (the search field as one types, or
        its button without JavaScript), only look clients up: the search is posted, so a
        national number never ends up in a URL."""
        session = self.load(pk)
        if not self.can_refer():
            raise PermissionDenied
        form = SessionReferralForm(request.POST, clients=self.candidates(session))
        if request.POST.get("search"):
            if request.htmx:  # type: ignore[attr-defined]
                return self.render(session, form, partial="client_results")
            return self.render(session, form, searching=True)
        if form.is_valid():
            client = get_client_or_404(request, form.cleaned_data["client"].pk)
            try:
                referral_create(
                    client=client,
                    programme=session.programme,
                    start_date=form.cleaned_data["start_date"],
                    session=session,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(client)s is toegeleid naar %(session)s.")
                    % {"client": client.full_name, "session": session},
                )
                return redirect("programmes:session_detail", pk=session.pk)
        return self.render(session, form)
