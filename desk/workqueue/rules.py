"""The rules of the work queue, one database query each (defined in `desk.workqueue`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate, TruncTime
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    Appointment,
    AppointmentKind,
    Client,
    Exemption,
    ExemptionKind,
    IncomeKind,
    IncomeRight,
    Trajectory,
    TrajectoryKind,
    age_on,
)
from core.prepared import IDS, IdIn, prepared_rows
from desk.workqueue.items import (
    JOBROAD,
    ROW_FIELDS,
    WorkItem,
    client_url,
    client_values,
    format_day,
    make_item,
    setting,
    years_after,
    years_before,
)
from partners.models import (
    Article60Placement,
    MmppScreening,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)


@dataclass(frozen=True)
class ClientRule:
    """A rule over clients: `rows` (its records, one per item, in the columns of
    `items.ROW_FIELDS`) and `item` (the WorkItem of one row, None: no item after all).
    Calling it gives the rule's items alone; `rule_items` runs several rules in one query."""

    name: str
    rows: Callable[[QuerySet[Client], datetime.date], QuerySet]
    item: Callable[[dict[str, Any], datetime.date], WorkItem | None]

    def __call__(self, clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
        return rule_items([self], clients, today)


def rule_items(
    rules: Iterable[ClientRule], clients: QuerySet[Client] | list[int], today: datetime.date
) -> list[WorkItem]:
    """The items of `rules` for `clients` (a QuerySet, or the clients' ids): one query
    (UNION ALL of the rules' rows).

    For ids the query's SQL is built once per day and set of rules and kept
    (`core.prepared`): building it with the ORM took more CPU than running it."""
    by_name = {rule.name: rule for rule in rules}
    if not by_name:
        return []
    if isinstance(clients, QuerySet):
        rows: Iterable[dict[str, Any]] = _union(by_name.values(), clients, today)
    elif not clients:
        return []
    else:
        key = (
            "workqueue",
            tuple(by_name),
            today,
            timezone.get_current_timezone_name(),
            repr(settings.TRAJECT),
        )
        scope = Client.objects.filter(IdIn("pk", IDS))
        rows = map(
            _typed_row,
            prepared_rows(key, lambda: _union(by_name.values(), scope, today), clients),
        )
    items = []
    for row in rows:
        item = by_name[row["wq_rule"]].item(row, today)
        if item is not None:
            items.append(item)
    return items


def _union(
    rules: Iterable[ClientRule], clients: QuerySet[Client], today: datetime.date
) -> QuerySet:
    first, *others = [rule.rows(clients, today) for rule in rules]
    # No ORDER BY (the models' default ordering names no column of the union).
    return first.union(*others, all=True).order_by() if others else first


def _typed_row(values: tuple[Any, ...]) -> dict[str, Any]:
    """A row of kept SQL as the ORM gives it (SQLite gives dates as text, flags as 0/1)."""
    row = dict(zip(ROW_FIELDS, values, strict=True))
    for name in ("wq_day", "wq_other_day"):
        if isinstance(row[name], str):
            row[name] = datetime.date.fromisoformat(row[name][:10])
    row["wq_flag"] = bool(row["wq_flag"])
    return row


def _gpmi_to_sign_rows(clients: QuerySet[Client], today: datetime.date) -> QuerySet:
    gpmi_during_right = Trajectory.objects.filter(
        client=OuterRef("client_id"), kind=TrajectoryKind.GPMI
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("start_date")))
    exempt = Exemption.objects.filter(
        client=OuterRef("client_id"), kind=ExemptionKind.GPMI
    ).active_on(today)
    rights = (
        IncomeRight.objects.filter(client__in=clients, kind=IncomeKind.LEEFLOON)
        .active_on(today)
        .exclude(Exists(gpmi_during_right))
    )
    return client_values(
        rights,
        today,
        "gpmi_to_sign",
        day="start_date",
        other_day="client__birth_date",
        flag=Exists(exempt),
    )


def _gpmi_to_sign_item(row: dict[str, Any], today: datetime.date) -> WorkItem | None:
    within = datetime.timedelta(days=setting("GPMI_SIGN_WITHIN_DAYS"))
    since = datetime.date.fromisoformat(str(setting("GPMI_MANDATORY_SINCE")))
    start = row["wq_day"]
    # The age exception needs the birth date: checked on the few rows left.
    if start < since and age_on(row["wq_other_day"], start) >= setting("GPMI_MANDATORY_UNDER_AGE"):
        return None
    due = start + within
    return make_item(
        row,
        today,
        rule="gpmi_to_sign",
        title=_("GPMI laten ondertekenen vóór %(date)s") % {"date": format_day(due)},
        detail=_("Leefloon sinds %(date)s") % {"date": format_day(start)},
        due_date=due,
        url=client_url(row["wq_client"], "trajectory", kind=TrajectoryKind.GPMI),
        exempt=row["wq_flag"],
    )


def gpmi_evaluation_interval() -> datetime.timedelta:
    """The longest time between two GPMI evaluations: 365 // evaluations per year days."""
    return datetime.timedelta(days=365 // max(1, setting("GPMI_EVALUATIONS_PER_YEAR")))


def _gpmi_evaluation_rows(clients: QuerySet[Client], today: datetime.date) -> QuerySet:
    gpmis = (
        Trajectory.objects.filter(client__in=clients, kind=TrajectoryKind.GPMI)
        .active_on(today)
        .annotate(last_evaluation=Max("evaluations__date", filter=Q(evaluations__date__lte=today)))
        .annotate(reference=Coalesce("last_evaluation", "start_date"))
        .filter(reference__lte=today - gpmi_evaluation_interval())
    )
    return client_values(
        gpmis, today, "gpmi_evaluation", day="reference", other_day="last_evaluation"
    )


def _gpmi_evaluation_item(row: dict[str, Any], today: datetime.date) -> WorkItem:
    reference, last_evaluation = row["wq_day"], row["wq_other_day"]
    due = reference + gpmi_evaluation_interval()
    if last_evaluation:
        detail = _("Laatste evaluatie op %(date)s") % {"date": format_day(last_evaluation)}
    else:
        detail = _("Nog geen evaluatie sinds de start op %(date)s") % {
            "date": format_day(reference)
        }
    return make_item(
        row,
        today,
        rule="gpmi_evaluation",
        title=_("GPMI evalueren (uiterlijk %(date)s)") % {"date": format_day(due)},
        detail=detail,
        due_date=due,
        url=client_url(row["wq_client"], "evaluation", trajectory=row["wq_pk"]),
    )


def _article60_ending_rows(clients: QuerySet[Client], today: datetime.date) -> QuerySet:
    horizon = today + datetime.timedelta(days=setting("ARTICLE60_HANDOVER_WARNING_DAYS"))
    handed_over = VdabRegistration.objects.filter(
        client=OuterRef("client_id"),
        warm_handover=True,
        registered_on__gte=OuterRef("start_date"),
    )
    placements = (
        Article60Placement.objects.filter(client__in=clients)
        .active_on(today)
        .annotate(ends=Coalesce("end_date", "planned_end_date"))
        .filter(ends__lte=horizon)
        .exclude(Exists(handed_over))
    )
    return client_values(placements, today, "article60_ending", day="ends", text="employer_name")


def _article60_ending_item(row: dict[str, Any], today: datetime.date) -> WorkItem:
    return make_item(
        row,
        today,
        rule="article60_ending",
        title=_("Warme overdracht naar VDAB plannen: artikel 60 eindigt op %(date)s")
        % {"date": format_day(row["wq_day"])},
        detail=row["wq_text"],
        due_date=row["wq_day"],
        url=client_url(row["wq_client"], "vdab", warm_handover=1),
    )


def _vdab_missing_rows(clients: QuerySet[Client], today: datetime.date) -> QuerySet:
    registered = VdabRegistration.objects.filter(client=OuterRef("client_id")).active_on(today)
    exempt = Exemption.objects.filter(
        client=OuterRef("client_id"), kind=ExemptionKind.VDAB_REGISTRATION
    ).active_on(today)
    rights = (
        IncomeRight.objects.filter(client__in=clients).active_on(today).exclude(Exists(registered))
    )
    return client_values(rights, today, "vdab_missing", day="start_date", flag=Exists(exempt))


def _vdab_missing_item(row: dict[str, Any], today: datetime.date) -> WorkItem:
    return make_item(
        row,
        today,
        rule="vdab_missing",
        title=_("Inschrijven bij VDAB (of vrijstelling registreren)"),
        detail=_("Inkomen sinds %(date)s, geen lopende VDAB-inschrijving")
        % {"date": format_day(row["wq_day"])},
        due_date=row["wq_day"],
        url=client_url(row["wq_client"], "vdab"),
        exempt=row["wq_flag"],
    )


def _mmpp_exit_conversation_rows(clients: QuerySet[Client], today: datetime.date) -> QuerySet:
    years = setting("MMPP_EXIT_CONVERSATION_YEARS")
    advices = MmppScreening.objects.current_on(today).filter(
        client__in=clients, category=5, advised_on__lte=years_before(today, years)
    )
    return client_values(advices, today, "mmpp_exit_conversation", day="advised_on")


def _mmpp_exit_conversation_item(row: dict[str, Any], today: datetime.date) -> WorkItem:
    return make_item(
        row,
        today,
        rule="mmpp_exit_conversation",
        title=_("Uitleidgesprek: MMPP categorie 5 sinds %(date)s")
        % {"date": format_day(row["wq_day"])},
        detail=_("Registreer na het gesprek het einde van het advies of een nieuw advies."),
        due_date=years_after(row["wq_day"], setting("MMPP_EXIT_CONVERSATION_YEARS")),
        url=client_url(row["wq_client"], "mmpp", row["wq_pk"]),
        health_data=True,
    )


def _referral_outcome_rows(clients: QuerySet[Client], today: datetime.date) -> QuerySet:
    days = datetime.timedelta(days=setting("REFERRAL_OUTCOME_DUE_DAYS"))
    referrals = Referral.objects.filter(
        client__in=clients, outcome="", start_date__lte=today - days
    )
    return client_values(
        referrals, today, "referral_outcome", day="start_date", text="programme__name"
    )


def _referral_outcome_item(row: dict[str, Any], today: datetime.date) -> WorkItem:
    return make_item(
        row,
        today,
        rule="referral_outcome",
        title=_("Resultaat van de toeleiding naar %(programme)s invullen")
        % {"programme": row["wq_text"]},
        detail=_("Toegeleid op %(date)s") % {"date": format_day(row["wq_day"])},
        due_date=row["wq_day"] + datetime.timedelta(days=setting("REFERRAL_OUTCOME_DUE_DAYS")),
        url=client_url(row["wq_client"], "referral", row["wq_pk"]),
    )


gpmi_to_sign = ClientRule("gpmi_to_sign", _gpmi_to_sign_rows, _gpmi_to_sign_item)
gpmi_evaluation = ClientRule("gpmi_evaluation", _gpmi_evaluation_rows, _gpmi_evaluation_item)
article60_ending = ClientRule("article60_ending", _article60_ending_rows, _article60_ending_item)
vdab_missing = ClientRule("vdab_missing", _vdab_missing_rows, _vdab_missing_item)
mmpp_exit_conversation = ClientRule(
    "mmpp_exit_conversation", _mmpp_exit_conversation_rows, _mmpp_exit_conversation_item
)
referral_outcome = ClientRule("referral_outcome", _referral_outcome_rows, _referral_outcome_item)


def _appointment_rows(clients: QuerySet[Client], today: datetime.date) -> QuerySet:
    planned = Appointment.objects.filter(client__in=clients).due_by(today)
    # The day and the hour in the current time zone; the text is "kind@HH:MM:SS".
    return client_values(
        planned,
        today,
        "appointment",
        day=TruncDate("starts_at"),
        text=Concat(
            F("kind"),
            Value("@"),
            Cast(TruncTime("starts_at"), output_field=CharField()),
            output_field=CharField(),
        ),
    )


def _appointment_item(row: dict[str, Any], today: datetime.date) -> WorkItem:
    kind_code, _at, time = row["wq_text"].partition("@")
    kind = AppointmentKind(kind_code).label
    day = row["wq_day"]
    if day == today:
        title = _("Afspraak vandaag om %(time)s: %(kind)s") % {"time": time[:5], "kind": kind}
    else:
        title = _("Afspraak van %(date)s registreren: %(kind)s") % {
            "date": format_day(day),
            "kind": kind,
        }
    return make_item(
        row,
        today,
        rule="appointment",
        title=title,
        detail=_("Gehouden, geannuleerd of niet opgedaagd?"),
        due_date=day,
        url=client_url(row["wq_client"], "appointment", row["wq_pk"]),
    )


appointment = ClientRule("appointment", _appointment_rows, _appointment_item)


def jobroad_free_places(organisation_ids: Iterable[int], today: datetime.date) -> list[WorkItem]:
    sessions = (
        ProgrammeSession.objects.filter(
            programme__organisation_id__in=list(organisation_ids),
            programme__code=JOBROAD,
            date__gt=today,
        )
        .annotate(participants=Count("referrals"))
        .filter(Q(capacity__isnull=True) | Q(participants__lt=F("capacity")))
        .order_by("date")
        .values("pk", "date", "capacity", "participants")
    )
    items = []
    for row in sessions:
        if row["capacity"] is None:
            free = _("geen maximum")
        else:
            free = str(row["capacity"] - row["participants"])
        items.append(
            WorkItem(
                rule="jobroad_free_places",
                title=_("JobRoad-screening op %(date)s: %(free)s vrije plaatsen")
                % {"date": format_day(row["date"]), "free": free},
                detail=_("%(n)s deelnemers ingeschreven") % {"n": row["participants"]},
                due_date=row["date"],
                today=today,
                url=reverse("programmes:session_detail", kwargs={"pk": row["pk"]}),
            )
        )
    return items


# The first rule's columns type the UNION: gpmi_to_sign fills every one of them.
CLIENT_RULES: dict[str, ClientRule] = {
    rule.name: rule
    for rule in (
        gpmi_to_sign,
        gpmi_evaluation,
        article60_ending,
        vdab_missing,
        referral_outcome,
        appointment,
    )
}
HEALTH_RULES: dict[str, ClientRule] = {"mmpp_exit_conversation": mmpp_exit_conversation}
