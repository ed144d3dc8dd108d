"""The client file: identity, household, the whole history as one timeline, what is
due, and a form to add or edit every kind of record (inline with htmx).

One view and one template serve the full page and its htmx fragments (Django
template partials): `client_detail.html#file_body` after a save,
`record_form.html#form` for the inline form.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_htmx.http import reswap, retarget

from casework import workqueue
from casework.access import (
    break_glass_grant,
    can_see_health_data,
    get_client_or_404,
    is_health_data,
)
from casework.forms import (
    ClientForm,
    ClientNoteForm,
    ExemptionForm,
    IncomeRightForm,
    RecordForm,
    TrajectoryEvaluationForm,
    TrajectoryForm,
    add_service_errors,
)
from casework.models import (
    Client,
    ClientNote,
    Exemption,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
)
from casework.services import record_create, record_update
from casework.views.base import RoleRequiredMixin, today
from partners.forms import (
    Article60PlacementForm,
    EmploymentForm,
    MmppScreeningForm,
    ReferralForm,
    VdabRegistrationForm,
)
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Referral,
    VdabRegistration,
)

NOTE_TITLE_CHARS = 80


def _d(day: datetime.date | None) -> str:
    return date_format(day, "d/m/Y") if day else ""


def period_text(start: datetime.date, end: datetime.date | None) -> str:
    if end:
        return _("van %(start)s tot %(end)s") % {"start": _d(start), "end": _d(end)}
    return _("sinds %(start)s") % {"start": _d(start)}


# --- What each kind of record looks like in the timeline ------------------------------


def _income_right(r: IncomeRight) -> tuple[str, list[str]]:
    return f"{r.get_kind_display()} ({r.get_category_display()})".capitalize(), [
        period_text(r.start_date, r.end_date)
    ]


def _trajectory(r: Trajectory) -> tuple[str, list[str]]:
    details = [period_text(r.start_date, r.end_date)]
    if r.goal:
        details.append(_("Doel: %(goal)s") % {"goal": r.goal})
    return str(r.get_kind_display()), details


def _evaluation(r: TrajectoryEvaluation) -> tuple[str, list[str]]:
    details = []
    if r.face_to_face is not None:
        details.append(_("face-to-face") if r.face_to_face else _("niet face-to-face"))
    if r.notes:
        details.append(r.notes)
    return _("Evaluatie van %(trajectory)s") % {"trajectory": r.trajectory}, details


def _exemption(r: Exemption) -> tuple[str, list[str]]:
    return _("Vrijstelling %(kind)s") % {"kind": r.get_kind_display()}, [
        period_text(r.start_date, r.end_date),
        _("Reden: %(reason)s") % {"reason": r.get_reason_display()},
    ]


def _note(r: ClientNote) -> tuple[str, list[str]]:
    author = r.author.get_full_name() or r.author.get_username() if r.author else ""
    title = Truncator(r.text).chars(NOTE_TITLE_CHARS)
    details = [r.text] if title != r.text else []
    if author:
        details.append(_("door %(author)s") % {"author": author})
    return title, details


def _article60(r: Article60Placement) -> tuple[str, list[str]]:
    employer = r.employer_name or r.get_employer_kind_display()
    details = [period_text(r.start_date, r.end_date)]
    if r.planned_end_date and not r.end_date:
        details.append(_("gepland einde %(date)s") % {"date": _d(r.planned_end_date)})
    if r.outcome:
        details.append(_("Doorstroom: %(outcome)s") % {"outcome": r.get_outcome_display()})
    return _("Artikel 60 bij %(employer)s (%(kind)s)") % {
        "employer": employer,
        "kind": r.get_employer_kind_display(),
    }, details


def _referral(r: Referral) -> tuple[str, list[str]]:
    details = [period_text(r.start_date, r.end_date)]
    if r.session_id:
        details.append(_("Sessie van %(date)s") % {"date": _d(r.session.date)})  # type: ignore[union-attr]
    details.append(
        _("Resultaat: %(outcome)s") % {"outcome": r.get_outcome_display()}
        if r.outcome
        else _("Nog geen resultaat")
    )
    return _("Toeleiding naar %(programme)s") % {"programme": r.programme}, details


def _vdab(r: VdabRegistration) -> tuple[str, list[str]]:
    details = [period_text(r.registered_on, r.ended_on)]
    if r.warm_handover:
        details.append(_("na warme overdracht"))
    return _("VDAB-inschrijving: %(category)s") % {"category": r.get_category_display()}, details


def _employment(r: Employment) -> tuple[str, list[str]]:
    contract = r.get_contract_display() or _("contract onbekend")
    return _("Werk (%(contract)s)") % {"contract": contract}, [
        period_text(r.start_date, r.end_date)
    ]


def _mmpp(r: MmppScreening) -> tuple[str, list[str]]:
    details = [_("geadviseerd op %(date)s") % {"date": _d(r.advised_on)}]
    if r.ended_on:
        details.append(_("vervallen op %(date)s") % {"date": _d(r.ended_on)})
    return _("MMPP-advies: %(category)s") % {"category": r.get_category_display()}, details


@dataclass(frozen=True)
class RecordKind:
    """One kind of record in the client file: its form, timeline text and permissions."""

    slug: str
    model: type[models.Model]
    form_class: type[RecordForm]
    label: Promise
    describe: Callable[[Any], tuple[str, list[str]]]
    date_field: str = "start_date"
    end_field: str | None = "end_date"
    client_lookup: str = "client"
    select_related: tuple[str, ...] = ()
    # Query parameters a work-queue link may use to fill in the form.
    initial_params: tuple[str, ...] = ()

    @property
    def health(self) -> bool:
        return is_health_data(self.model)

    def permission(self, action: str) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    def records(self, client: Client) -> models.QuerySet:
        records = self.model._default_manager.filter(**{self.client_lookup: client})
        return records.select_related(*self.select_related) if self.select_related else records

    def new_instance(self, client: Client) -> models.Model:
        if self.client_lookup == "client":
            return self.model(client=client, organisation_id=client.organisation_id)
        return self.model(organisation_id=client.organisation_id)

    def create(self, *, client: Client, fields: dict[str, Any], user: Any) -> models.Model:
        if self.client_lookup == "client":
            fields = {"client": client, **fields}
        if self.model is ClientNote:
            fields["author"] = user
        return record_create(model=self.model, **fields)

    def start(self, record: Any) -> datetime.date:
        return getattr(record, self.date_field)

    def end(self, record: Any) -> datetime.date | None:
        return getattr(record, self.end_field) if self.end_field else None


RECORD_KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in [
        RecordKind(
            "income-right",
            IncomeRight,
            IncomeRightForm,
            gettext_lazy("Recht op inkomen"),
            _income_right,
        ),
        RecordKind(
            "trajectory",
            Trajectory,
            TrajectoryForm,
            gettext_lazy("GPMI of traject"),
            _trajectory,
            initial_params=("kind",),
        ),
        RecordKind(
            "evaluation",
            TrajectoryEvaluation,
            TrajectoryEvaluationForm,
            gettext_lazy("Evaluatie GPMI"),
            _evaluation,
            date_field="date",
            end_field=None,
            client_lookup="trajectory__client",
            select_related=("trajectory",),
            initial_params=("trajectory",),
        ),
        RecordKind(
            "article60",
            Article60Placement,
            Article60PlacementForm,
            gettext_lazy("Artikel 60"),
            _article60,
        ),
        RecordKind(
            "referral",
            Referral,
            ReferralForm,
            gettext_lazy("Toeleiding"),
            _referral,
            select_related=("programme", "session"),
            initial_params=("programme", "session"),
        ),
        RecordKind(
            "vdab",
            VdabRegistration,
            VdabRegistrationForm,
            gettext_lazy("VDAB-inschrijving"),
            _vdab,
            date_field="registered_on",
            end_field="ended_on",
            initial_params=("warm_handover",),
        ),
        RecordKind("employment", Employment, EmploymentForm, gettext_lazy("Werk"), _employment),
        RecordKind(
            "mmpp",
            MmppScreening,
            MmppScreeningForm,
            gettext_lazy("MMPP-advies"),
            _mmpp,
            date_field="advised_on",
            end_field="ended_on",
        ),
        RecordKind(
            "exemption",
            Exemption,
            ExemptionForm,
            gettext_lazy("Vrijstelling"),
            _exemption,
            initial_params=("kind",),
        ),
        RecordKind(
            "note",
            ClientNote,
            ClientNoteForm,
            gettext_lazy("Notitie"),
            _note,
            date_field="date",
            end_field=None,
            select_related=("author",),
        ),
    ]
}
# The identity of the client: edited like a record, never added here.
CLIENT_KIND = RecordKind(
    "client",
    Client,
    ClientForm,
    gettext_lazy("Identiteit en gezin"),
    lambda r: (str(r), []),
    date_field="birth_date",
    end_field=None,
    client_lookup="pk",
)


@dataclass
class TimelineEntry:
    kind: RecordKind
    record: Any
    start: datetime.date
    end: datetime.date | None
    title: str
    details: list[str] = field(default_factory=list)
    running: bool = False
    edit_url: str = ""


def record_url(client: Client, kind: RecordKind, record: Any = None) -> str:
    if kind is CLIENT_KIND:
        return reverse("casework:client_edit", kwargs={"pk": client.pk})
    if record is None:
        return reverse("casework:record_add", kwargs={"pk": client.pk, "kind": kind.slug})
    return reverse(
        "casework:record_edit",
        kwargs={"pk": client.pk, "kind": kind.slug, "record_pk": record.pk},
    )


def visible_kinds(user: Any, client: Client, health: bool) -> list[RecordKind]:
    """The kinds of record this user sees in this file (health data only with the right)."""
    return [
        kind
        for kind in RECORD_KINDS.values()
        if (health or not kind.health) and user.has_perm(kind.permission("view"))
    ]


def timeline(
    client: Client, kinds: list[RecordKind], day: datetime.date, can_change: Callable[..., bool]
) -> list[TimelineEntry]:
    """Every record of the client (one query per kind), the newest first."""
    entries = []
    for kind in kinds:
        for record in kind.records(client):
            title, details = kind.describe(record)
            start, end = kind.start(record), kind.end(record)
            entries.append(
                TimelineEntry(
                    kind=kind,
                    record=record,
                    start=start,
                    end=end,
                    title=title,
                    details=details,
                    running=kind.end_field is not None and start <= day and (not end or end >= day),
                    edit_url=record_url(client, kind, record) if can_change(kind) else "",
                )
            )
    entries.sort(key=lambda e: (e.start, e.record.created_at), reverse=True)
    return entries


def file_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    """Everything the client file shows (also after an inline save)."""
    user = request.user
    day = today()
    health = can_see_health_data(user, client)
    kinds = visible_kinds(user, client, health)

    def can_change(kind: RecordKind) -> bool:
        return user.has_perm(kind.permission("change"))

    entries = timeline(client, kinds, day, can_change)
    this_client = Client.objects.filter(pk=client.pk)
    items = workqueue.work_queue(
        clients=this_client, today=day, health_clients=this_client if health else None
    )
    assignments = client.assignments.select_related("social_worker__team").active_on(day)
    return {
        "client": client,
        "today": day,
        "age": client.age_on(day),
        "can_see_health_data": health,
        "current_assignments": assignments.order_by("-start_date"),
        "running": [entry for entry in entries if entry.running],
        "entries": entries,
        "work_items": items,
        "add_links": [
            (kind, record_url(client, kind))
            for kind in kinds
            if user.has_perm(kind.permission("add"))
        ],
        "can_edit_client": user.has_perm("casework.change_client"),
        "client_edit_url": record_url(client, CLIENT_KIND),
        "break_glass": break_glass_grant(user, client),
    }


class ClientFileView(RoleRequiredMixin, View):
    """GET /clients/<pk>/: the client file."""

    permission_required = "casework.view_client"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_client_or_404(request, pk)
        template = "casework/client_detail.html"
        if request.htmx:  # type: ignore[attr-defined]
            template += "#file_body"
        response = TemplateResponse(request, template, file_context(request, client))
        return response


class RecordFormView(RoleRequiredMixin, View):
    """Add (GET/POST .../<kind>/new/) or edit (.../<kind>/<record_pk>/) a record of a client.

    With htmx the form is swapped into the file; after a save the file body is
    swapped back in, with the new record in the timeline and the work queue
    recomputed. Without JavaScript the same URLs work as ordinary pages.
    """

    template_name = "casework/record_form.html"

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
        client = get_client_or_404(request, self.kwargs["pk"])
        if self.kind.health and not can_see_health_data(request.user, client):
            raise PermissionDenied
        if self.kind is CLIENT_KIND:
            # A copy: the form fills it with the input, the page header keeps the saved name.
            return client, Client.objects.get(pk=client.pk)
        record_pk = self.kwargs.get("record_pk")
        if record_pk is None:
            return client, None
        record = self.kind.records(client).filter(pk=record_pk).first()
        if record is None:
            raise Http404
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

    def render_form(self, client: Client, record: Any, form: RecordForm) -> HttpResponse:
        assert self.kind is not None
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
                "cancel_url": reverse("casework:client_detail", kwargs={"pk": client.pk}),
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
            try:
                if record is None:
                    self.kind.create(client=client, fields=form.record_fields(), user=request.user)
                else:
                    record_update(
                        instance=record,
                        expected_version=form.expected_version,
                        **form.record_fields(),
                    )
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

    def saved(self, client: Client, record: Any) -> HttpResponse:
        assert self.kind is not None
        if record is None:
            text = _("%(kind)s toegevoegd.") % {"kind": self.kind.label}
        else:
            text = _("%(kind)s gewijzigd.") % {"kind": self.kind.label}
        messages.success(self.request, text)
        if self.request.htmx:  # type: ignore[attr-defined]
            if self.kind is CLIENT_KIND:
                client.refresh_from_db()
            response = TemplateResponse(
                self.request,
                "casework/client_detail.html#file_body",
                file_context(self.request, client),
            )
            return reswap(retarget(response, "#file-body"), "outerHTML")
        return redirect("casework:client_detail", pk=client.pk)
