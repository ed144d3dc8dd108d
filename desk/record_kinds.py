"""The kinds of record a client file holds: for each, its model, form, timeline text,
permissions and what "running on a day" means for it. The client file, its
inline forms and the permission matrix all read `RECORD_KINDS`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.rules import is_health_data
from casework.models import (
    Appointment,
    Client,
    ClientNote,
    Exemption,
    HouseholdMember,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
)
from core.periods import day_text, period_text, runs_on
from core.writes import record_create
from desk.forms import (
    AppointmentForm,
    ClientForm,
    ClientNoteForm,
    ExemptionForm,
    HouseholdMemberForm,
    IncomeRightForm,
    RecordForm,
    TrajectoryEvaluationForm,
    TrajectoryForm,
)
from desk.partner_forms import (
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
from partners.querysets import ScreeningQuerySet, replaced_by

NOTE_TITLE_CHARS = 80


_d = day_text


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
        details.append(_("in persoon") if r.face_to_face else _("niet in persoon"))
    if r.notes:
        details.append(r.notes)
    return _("Evaluatie van %(trajectory)s") % {"trajectory": r.trajectory}, details


def _appointment(r: Appointment) -> tuple[str, list[str]]:
    start, end = timezone.localtime(r.starts_at), timezone.localtime(r.ends_at)
    title = _("%(kind)s op %(day)s van %(start)s tot %(end)s (%(status)s)") % {
        "kind": r.get_kind_display(),
        "day": _d(start.date()),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "status": r.get_status_display(),
    }
    details = [_("met %(worker)s") % {"worker": r.social_worker}]
    if r.place:
        details.append(_("Plaats: %(place)s") % {"place": r.place})
    if r.note:
        details.append(r.note)
    return title[:1].upper() + title[1:], details


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


def _household_member(r: HouseholdMember) -> tuple[str, list[str]]:
    details = [period_text(r.start_date, r.end_date)]
    if r.birth_date:
        details.append(_("geboren op %(date)s") % {"date": _d(r.birth_date)})
    details.append(_("woont bij de cliënt") if r.lives_with_client else _("woont elders"))
    if r.dependant:
        details.append(_("ten laste"))
    return _("Gezinslid: %(member)s") % {"member": r}, details


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


def _mmpp_replaced(advices: list[MmppScreening]) -> dict[Any, list[str]]:
    return {
        pk: [_("vervangen door het advies van %(date)s") % {"date": _d(newer.advised_on)}]
        for pk, newer in replaced_by(advices).items()
    }


def _mmpp_replaces(client: Client, day: datetime.date) -> str:
    current = MmppScreening.objects.filter(client=client).current_on(day).first()
    if current is None:
        return ""
    return _(
        "Dit advies vervangt het huidige advies van %(date)s (%(category)s): dat wordt "
        "getoond als vervangen."
    ) % {"date": _d(current.advised_on), "category": current.get_category_display()}


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
    # The records of this kind running on a day, when that is not "the period covers the
    # day" (an MMPP advice: only the client's current one, `ScreeningQuerySet.current_on`).
    current_on: Callable[[models.QuerySet, datetime.date], models.QuerySet] | None = None
    # Details of a record that depend on the client's other records of this kind (an
    # older MMPP advice: replaced by which one), by pk.
    series_details: Callable[[list[Any]], dict[Any, list[str]]] | None = None
    # What the form for a new record says first (a new MMPP advice: which one it replaces).
    add_notice: Callable[[Client, datetime.date], str] | None = None
    # Whether a running record is listed under "Loopt nu" (a household member is shown
    # with the household instead: it is no measure that runs).
    in_running: bool = True

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

    def running_test(self, client: Client, day: datetime.date) -> Callable[[Any], bool]:
        """Whether a record of this kind of `client` runs on `day`."""
        if self.current_on is not None:
            current = set(self.current_on(self.records(client), day).values_list("pk", flat=True))
            return lambda record: record.pk in current
        if self.end_field is None:
            return lambda record: False
        return lambda record: runs_on(self.start(record), self.end(record), day)


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
            initial_params=("trajectory", "date", "face_to_face"),
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
            current_on=lambda records, day: cast(ScreeningQuerySet, records).current_on(day),
            series_details=_mmpp_replaced,
            add_notice=_mmpp_replaces,
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
            "appointment",
            Appointment,
            AppointmentForm,
            gettext_lazy("Afspraak"),
            _appointment,
            date_field="day",
            end_field=None,
            select_related=("social_worker",),
            initial_params=("kind", "trajectory"),
        ),
        RecordKind(
            "household-member",
            HouseholdMember,
            HouseholdMemberForm,
            gettext_lazy("Gezinslid"),
            _household_member,
            in_running=False,
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
    gettext_lazy("Identiteit en contact"),
    lambda r: (str(r), []),
    date_field="birth_date",
    end_field=None,
    client_lookup="pk",
)


def record_url(client: Client, kind: RecordKind, record: Any = None) -> str:
    if kind is CLIENT_KIND:
        return reverse("desk:client_edit", kwargs={"pk": client.pk})
    if record is None:
        return reverse("desk:record_add", kwargs={"pk": client.pk, "kind": kind.slug})
    return reverse(
        "desk:record_edit",
        kwargs={"pk": client.pk, "kind": kind.slug, "record_pk": record.pk},
    )


def visible_kinds(user: Any, client: Client, health: bool) -> list[RecordKind]:
    """The kinds of record this user sees in this file (health data only with the right)."""
    return [
        kind
        for kind in RECORD_KINDS.values()
        if (health or not kind.health) and user.has_perm(kind.permission("view"))
    ]
