"""The week agenda of a social assistant, holding an appointment from it, and the
personal calendar feed (its secret address and the feed itself)."""

from __future__ import annotations

import datetime
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from access.rules import employed_social_worker, get_client_record_or_404
from audit.services import audit_list_read
from casework.models import Appointment, AppointmentKind, AppointmentStatus
from casework.services import appointment_set_status
from desk.calendar_feed import (
    absolute_url,
    calendar_feed_renew,
    calendar_feed_revoke,
    calendar_for,
    feed_user,
)
from desk.models import CalendarFeed
from desk.selectors.agenda import agenda_owners, monday_of, parse_week, week_agenda, week_text
from desk.views.base import RoleRequiredMixin, today

STATUS_ACTIONS = {
    "held": AppointmentStatus.HELD,
    "cancelled": AppointmentStatus.CANCELLED,
    "no_show": AppointmentStatus.NO_SHOW,
}


class AgendaView(RoleRequiredMixin, View):
    """GET /agenda/?week=2026-W48&worker=<pk>: a week of appointments, a table per day."""

    permission_required = "casework.view_appointment"

    def get(self, request: HttpRequest) -> HttpResponse:
        day = today()
        owners = list(agenda_owners(request.user, day))
        if not owners:
            raise Http404
        own = employed_social_worker(request.user, day)
        worker = next((w for w in owners if str(w.pk) == request.GET.get("worker")), None)
        worker = worker or next((w for w in owners if own and w.pk == own.pk), owners[0])
        week = request.GET.get("week", "")
        monday = parse_week(week) if week else monday_of(day)
        if monday is None:
            messages.error(
                request,
                _("'%(week)s' is geen week: schrijf ze als 2026-W48. Je ziet deze week.")
                % {"week": week[:20]},
            )
            monday = monday_of(day)
        days = week_agenda(request.user, worker, monday)
        shown = sorted({a.client_id for d in days for a in d.appointments})
        audit_list_read(request, shown, "agenda")

        def week_url(other: datetime.date) -> str:
            query = {"week": week_text(other)}
            if worker.pk != (own.pk if own else None):
                query["worker"] = str(worker.pk)
            return f"{request.path}?{urlencode(query)}"

        return TemplateResponse(
            request,
            "desk/agenda.html",
            {
                "days": days,
                "today": day,
                "worker": worker,
                "owners": owners if len(owners) > 1 else [],
                "monday": monday,
                "sunday": monday + datetime.timedelta(days=6),
                "week": week_text(monday),
                "week_number": monday.isocalendar()[1],
                "previous_url": week_url(monday - datetime.timedelta(days=7)),
                "next_url": week_url(monday + datetime.timedelta(days=7)),
                "this_week_url": week_url(monday_of(day)),
                "back": request.get_full_path(),
                "now": datetime.datetime.now(tz=datetime.UTC),
            },
        )


class AppointmentStatusView(RoleRequiredMixin, View):
    """POST /agenda/appointments/<pk>/<action>/: held, cancelled or a no-show.

    A GPMI evaluation that was held goes on to the evaluation form of its GPMI with
    the day filled in, so that the evaluation is registered in the same flow.
    """

    permission_required = "casework.change_appointment"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        status = STATUS_ACTIONS.get(action)
        if status is None:
            raise Http404
        appointment = get_client_record_or_404(request, Appointment, pk)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("desk:agenda")
        version = request.POST.get("version", "")
        if not version.isdigit():
            # A change without the version it read could overwrite somebody else's.
            messages.error(
                request, _("De versie van de afspraak ontbreekt: laad de pagina opnieuw.")
            )
            return redirect(back)
        try:
            appointment_set_status(
                appointment=appointment, status=status, expected_version=int(version)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        if (
            status == AppointmentStatus.HELD
            and appointment.kind == AppointmentKind.GPMI_EVALUATION
            and request.user.has_perm("casework.add_trajectoryevaluation")
        ):
            messages.success(
                request, _("Afspraak gehouden. Registreer nu de evaluatie van het GPMI.")
            )
            query = {"date": appointment.day.isoformat(), "face_to_face": "true"}
            if appointment.trajectory_id:
                query["trajectory"] = str(appointment.trajectory_id)
            url = reverse(
                "desk:record_add", kwargs={"pk": appointment.client_id, "kind": "evaluation"}
            )
            return redirect(f"{url}?{urlencode(query)}")
        messages.success(
            request,
            _("Afspraak geregistreerd als %(status)s.")
            % {"status": appointment.get_status_display()},
        )
        return redirect(back)


class CalendarFeedSettingsView(LoginRequiredMixin, View):
    """GET/POST /agenda/abonnement/: make a new secret feed address, or revoke it."""

    template_name = "desk/calendar_feed.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and employed_social_worker(request.user) is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render(self, request: HttpRequest, feed_url: str = "") -> HttpResponse:
        feed = CalendarFeed.objects.filter(user=cast(Any, request.user)).first()
        return TemplateResponse(request, self.template_name, {"feed": feed, "feed_url": feed_url})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(user=request.user)
            messages.success(request, _("Het agenda-abonnement is ingetrokken."))
            return redirect("desk:calendar_feed_settings")
        token = calendar_feed_renew(user=request.user)
        url = absolute_url(reverse("desk:calendar_feed", kwargs={"token": token}))
        return self.render(request, feed_url=url)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """GET /agenda/feed/<token>.ics: no login; an unknown or revoked token is a 404."""
    user = feed_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="traject.ics"'
    # Personal data behind a secret address: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response
