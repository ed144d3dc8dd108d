"""The client file: identity, household, the whole history as one timeline, what is
due, and a form to add or edit every kind of record (inline with htmx).

One view and one template serve the full page and its htmx fragments (Django
template partials): `client_detail.html#file_body` after a save,
`record_form.html#form` for the inline form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import reswap, retarget

from access.rules import (
    break_glass_grant,
    can_see_health_data,
    get_client_or_404,
    get_client_record_or_404,
)
from casework.models import (
    Appointment,
    Client,
)
from core.writes import ConflictError, record_update
from desk import workqueue
from desk.forms import (
    RecordForm,
    add_service_errors,
)
from desk.record_kinds import CLIENT_KIND, RECORD_KINDS, RecordKind, record_url, visible_kinds
from desk.selectors.timeline import timeline
from desk.stale_edits import StaleEdit, stale_edit
from desk.views.base import RoleRequiredMixin, today
from desk.views.documents import file_documents
from partners.plausibility import record_warnings


def file_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    """Everything the client file shows (also after an inline save)."""
    user = request.user
    day = today()
    health = can_see_health_data(user, client)
    kinds = visible_kinds(user, client, health)

    def can_change(kind: RecordKind) -> bool:
        return user.has_perm(kind.permission("change"))

    entries = timeline(client, kinds, day, can_change)
    documents = file_documents(user, client, entries, health=health)
    this_client = Client.objects.filter(pk=client.pk)
    items = workqueue.work_queue(
        clients=[client.pk], today=day, health_clients=this_client if health else None
    )
    assignments = client.assignments.select_related("social_worker__team").active_on(day)
    appointment_kind = RECORD_KINDS["appointment"]
    upcoming = (
        Appointment.objects.filter(client=client)
        .planned()
        .from_day(day)
        .select_related("social_worker")
        .order_by("starts_at")
        if appointment_kind in kinds
        else Appointment.objects.none()
    )
    household = client.household_members.all()
    return {
        "household_members": household.active_on(day).order_by("start_date", "pk"),
        # "Persoon met gezinslast" (the leefloon category) depends on this.
        "has_dependant": household.dependants_on(day).exists(),
        "client": client,
        "today": day,
        "age": client.age_on(day),
        "can_see_health_data": health,
        "current_assignments": assignments.order_by("-start_date"),
        "running": [entry for entry in entries if entry.running and entry.kind.in_running],
        "entries": entries,
        "work_items": items,
        "upcoming_appointments": upcoming,
        "appointment_add_url": (
            record_url(client, appointment_kind)
            if user.has_perm(appointment_kind.permission("add"))
            else ""
        ),
        "add_links": [
            (kind, record_url(client, kind))
            for kind in kinds
            if user.has_perm(kind.permission("add"))
        ],
        "can_edit_client": user.has_perm("casework.change_client"),
        "client_edit_url": record_url(client, CLIENT_KIND),
        "break_glass": break_glass_grant(user, client),
        "documents": documents,
        "can_view_documents": user.has_perm("documents.view_document"),
        "document_add_url": (
            reverse("desk:document_add", kwargs={"pk": client.pk})
            if user.has_perm("documents.add_document")
            else ""
        ),
    }


class ClientFileView(RoleRequiredMixin, View):
    """GET /clients/<pk>/: the client file."""

    permission_required = "casework.view_client"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_client_or_404(request, pk)
        template = "desk/client_detail.html"
        if request.htmx:  # type: ignore[attr-defined]
            template += "#file_body"
        response = TemplateResponse(request, template, file_context(request, client))
        return response


class RecordFormView(RoleRequiredMixin, View):
    """Add (GET/POST .../<kind>/new/) or edit (.../<kind>/<record_pk>/) a record of a client.

    With htmx the form is swapped into the file; after a save the file body is
    swapped back in, with the new record in the timeline and the work queue
    recomputed. Without JavaScript the same URLs work as ordinary pages.

    Opened from the work queue (a `next` parameter: the queue's own address, checked
    to stay on this site), cancelling and saving go back there: without JavaScript a
    redirect, with htmx an event (`traject:item-resolved`) on which the queue reloads
    its items in place.
    """

    template_name = "desk/record_form.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        slug = kwargs.get("kind", "client")
        self.kind = CLIENT_KIND if slug == "client" else RECORD_KINDS.get(slug)

    def get_permission_required(self) -> tuple[str, ...]:
        if self.kind is None:
            raise Http404
        action = "change" if self.kwargs.get("record_pk") or self.kind is CLIENT_KIND else "add"
        return (self.kind.permission(action),)

    def load(self, request: HttpRequest) -> tuple[Client, Any]:
        """The client (access checked and logged) and the record being edited (or None)."""
        assert self.kind is not None
        record_pk = self.kwargs.get("record_pk")
        if self.kind is CLIENT_KIND or record_pk is None:
            client = get_client_or_404(request, self.kwargs["pk"], health_data=self.kind.health)
            if self.kind is CLIENT_KIND:
                # A copy: the form fills it with the input, the page header keeps the saved name.
                return client, Client.objects.get(pk=client.pk)
            return client, None
        # The record, through the gate: only a record of this client, whose file (and
        # health data, for such a record) the user may open.
        of_this_client = self.kind.model._default_manager.filter(
            **{self.kind.client_lookup: self.kwargs["pk"]}
        )
        record = get_client_record_or_404(request, self.kind.model, record_pk, of_this_client)
        client = Client.objects.get(pk=self.kwargs["pk"])
        return client, record

    def make_form(self, client: Client, record: Any, data: Any = None) -> RecordForm:
        assert self.kind is not None
        initial = {}
        if record is None:
            initial = {
                name: self.request.GET[name]
                for name in self.kind.initial_params
                if name in self.request.GET
            }
        return self.kind.form_class(
            data,
            client=client,
            instance=record if record is not None else self.kind.new_instance(client),
            initial=initial,
        )

    def next_url(self) -> str:
        """Where to go after saving or cancelling (the work queue), when it is safe."""
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return url if url and safe else ""

    def render_form(
        self,
        client: Client,
        record: Any,
        form: RecordForm,
        warnings: list[str] | None = None,
        stale: StaleEdit | None = None,
    ) -> HttpResponse:
        assert self.kind is not None
        next_url = self.next_url()
        template = self.template_name
        if self.request.htmx:  # type: ignore[attr-defined]
            template += "#form"
        return TemplateResponse(
            self.request,
            template,
            {
                "client": client,
                "kind": self.kind,
                "record": record,
                "form": form,
                "action_url": self.request.path,
                "warnings": warnings or [],
                "notice": (
                    self.kind.add_notice(client, today())
                    if record is None and self.kind.add_notice
                    else ""
                ),
                "cancel_url": next_url or reverse("desk:client_detail", kwargs={"pk": client.pk}),
                "next_url": next_url,
                "stale": stale,
            },
        )

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        client, record = self.load(request)
        return self.render_form(client, record, self.make_form(client, record))

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        assert self.kind is not None
        client, record = self.load(request)
        form = self.make_form(client, record, request.POST)
        if form.is_valid():
            # Possible but probably mistyped: saved only once confirmed.
            warnings = record_warnings(form.instance, today())
            if warnings and not request.POST.get("confirm_warnings"):
                return self.render_form(client, record, form, warnings)
            try:
                if record is None:
                    self.kind.create(client=client, fields=form.record_fields(), user=request.user)
                else:
                    record_update(
                        instance=record,
                        expected_version=form.expected_version,
                        **form.record_fields(),
                    )
            except ConflictError:
                return self.refused_stale_edit(client, record, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except IntegrityError:
                form.add_error(
                    None,
                    _(
                        "Dit record botst met een ander record van deze cliënt "
                        "(bijvoorbeeld een overlappende periode). Er is niets opgeslagen."
                    ),
                )
            else:
                return self.saved(client, record)
        return self.render_form(client, record, form)

    def refused_stale_edit(self, client: Client, record: Any, form: RecordForm) -> HttpResponse:
        """Somebody saved the record since the user read it: show both versions, and the
        form again with what they typed and the current version (saving once more keeps
        their version on top of the current one)."""
        stored = type(record)._default_manager
        current = stored.get(pk=record.pk)
        explanation = stale_edit(
            current=current,
            typed=form.instance,  # the form put what was typed on it
            fields=list(form._meta.fields or ()),
            user=self.request.user,
            client_id=client.pk,
        )
        data = self.request.POST.copy()
        data["version"] = str(explanation.current_version)
        again = self.make_form(client, stored.get(pk=record.pk), data)
        return self.render_form(client, current, again, stale=explanation)

    def saved(self, client: Client, record: Any) -> HttpResponse:
        assert self.kind is not None
        if record is None:
            text = _("%(kind)s toegevoegd.") % {"kind": self.kind.label}
        else:
            text = _("%(kind)s gewijzigd.") % {"kind": self.kind.label}
        messages.success(self.request, text)
        next_url = self.next_url()
        if next_url:
            if self.request.htmx:  # type: ignore[attr-defined]
                # The queue reloads its items (the message included) on this event.
                return HttpResponse(status=204, headers={"HX-Trigger": "traject:item-resolved"})
            return redirect(next_url)
        if self.request.htmx:  # type: ignore[attr-defined]
            if self.kind is CLIENT_KIND:
                client.refresh_from_db()
            response = TemplateResponse(
                self.request,
                "desk/client_detail.html#file_body",
                file_context(self.request, client),
            )
            return reswap(retarget(response, "#file-body"), "outerHTML")
        return redirect("desk:client_detail", pk=client.pk)
