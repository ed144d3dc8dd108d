"""The work queue: what is due for the clients of a social assistant or a team.

Every item is computed from the records with one database query per rule (never a
Python loop over all clients), and links to the form that resolves it. A rule
takes the *scope* (a Client QuerySet: whose items to show) and *today*, and
returns `WorkItem`s. The rules, with "due" defined precisely:

``gpmi_to_sign``
    A client with a leefloon right running today that obliges a GPMI (the right
    starts on or after ``TRAJECT["GPMI_MANDATORY_SINCE"]``, or the client was
    younger than ``TRAJECT["GPMI_MANDATORY_UNDER_AGE"]`` at its start), with no
    GPMI running during that right (a GPMI without end, or ending on or after
    the right's start: signed, running or planned), and no GPMI exemption
    running today. Due ``TRAJECT["GPMI_SIGN_WITHIN_DAYS"]`` days after the
    right's start (the leefloon decision). Shown from the right's start on.
``gpmi_evaluation``
    A GPMI running today whose latest evaluation on or before today (without
    one: the GPMI's start) lies ``365 // TRAJECT["GPMI_EVALUATIONS_PER_YEAR"]``
    days (121 for 3 a year) or more before today, i.e. no evaluation in the last
    121 days of a GPMI that has run at least that long. Due on that reference
    day plus 121 days.
``article60_ending``
    An article-60 placement running today whose end (the actual end if set,
    otherwise the planned end) lies at most
    ``TRAJECT["ARTICLE60_HANDOVER_WARNING_DAYS"]`` (60) days ahead, or has
    already passed while the placement still runs, and no VDAB registration
    with warm handover registered on or after the placement's start. Due on
    that end.
``vdab_missing``
    A client with an income right (either kind) running today, without a VDAB
    registration running today and without a ``vdab_registration`` exemption
    running today. Due since the start of that income right.
``mmpp_exit_conversation``
    Health data: only for clients in ``health_clients``. The client's latest
    MMPP advice on or before today (``ScreeningQuerySet.latest_first``: of two
    on one day, the highest id) has category 5, was advised
    ``TRAJECT["MMPP_EXIT_CONVERSATION_YEARS"]`` (2) years ago or more, and has
    not lapsed (no ``ended_on``, or ``ended_on`` after today). Due two years
    after the advice (uitleidgesprek).
``referral_outcome``
    A referral without outcome whose start lies
    ``TRAJECT["REFERRAL_OUTCOME_DUE_DAYS"]`` (90) days or more before today.
    Due on start plus 90 days.
``jobroad_free_places``
    Not about one client: a session of programme ``jobroad`` of the
    organisation dated after today, with fewer referrals than its capacity (or
    no capacity set). Due on the session's date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.access import health_data_clients_filter
from casework.models import (
    Assignment,
    Client,
    Exemption,
    ExemptionKind,
    IncomeKind,
    IncomeRight,
    Trajectory,
    TrajectoryKind,
    age_on,
)
from partners.models import (
    Article60Placement,
    MmppScreening,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)

JOBROAD = "jobroad"


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what, for whom, by when, and where to do it."""

    rule: str
    title: str
    due_date: datetime.date
    today: datetime.date
    url: str
    client_id: int | None = None
    client_name: str = ""
    social_worker_name: str = ""
    detail: str = ""

    @property
    def overdue(self) -> bool:
        return self.due_date < self.today

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS[self.rule])

    @property
    def sort_key(self) -> tuple[datetime.date, str, str]:
        return (self.due_date, self.client_name, self.rule)


RULE_LABELS = {
    "gpmi_to_sign": gettext_lazy("GPMI ondertekenen"),
    "gpmi_evaluation": gettext_lazy("GPMI-evaluatie"),
    "article60_ending": gettext_lazy("Einde artikel 60: warme overdracht"),
    "vdab_missing": gettext_lazy("VDAB-inschrijving ontbreekt"),
    "mmpp_exit_conversation": gettext_lazy("Uitleidgesprek (MMPP categorie 5)"),
    "referral_outcome": gettext_lazy("Resultaat toeleiding ontbreekt"),
    "jobroad_free_places": gettext_lazy("JobRoad-screening met vrije plaatsen"),
}


def _setting(name: str) -> Any:
    return settings.TRAJECT[name]


def _fmt(day: datetime.date) -> str:
    return date_format(day, "d/m/Y")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    return _years_before(day, -years)


def _worker_name(today: datetime.date, client_ref: str) -> Subquery:
    """The name of (one of) the social worker(s) assigned to the client today."""
    running = (
        Assignment.objects.filter(client=OuterRef(client_ref))
        .active_on(today)
        .order_by("-start_date", "-pk")
        .annotate(name=Concat("social_worker__first_name", Value(" "), "social_worker__last_name"))
        .values("name")[:1]
    )
    return Subquery(running)


def _client_values(qs: QuerySet, today: datetime.date, *extra: str) -> QuerySet:
    """Rows of a client record with the client's name and social worker."""
    return qs.annotate(worker_name=_worker_name(today, "client_id")).values(
        "pk", "client_id", "client__first_name", "client__last_name", "worker_name", *extra
    )


def _client_url(client_id: int, slug: str, record_pk: int | None = None, **query: Any) -> str:
    """The form in the client file that resolves an item (query: initial values)."""
    if record_pk is None:
        url = reverse("casework:record_add", kwargs={"pk": client_id, "kind": slug})
    else:
        url = reverse(
            "casework:record_edit", kwargs={"pk": client_id, "kind": slug, "record_pk": record_pk}
        )
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _item(row: dict[str, Any], today: datetime.date, **fields: Any) -> WorkItem:
    return WorkItem(
        client_id=row["client_id"],
        client_name=f"{row['client__last_name']}, {row['client__first_name']}",
        social_worker_name=row.get("worker_name") or "",
        today=today,
        **fields,
    )


# --- The rules ------------------------------------------------------------------------


def gpmi_to_sign(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    within = datetime.timedelta(days=_setting("GPMI_SIGN_WITHIN_DAYS"))
    since = datetime.date.fromisoformat(str(_setting("GPMI_MANDATORY_SINCE")))
    under_age = _setting("GPMI_MANDATORY_UNDER_AGE")
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
        .exclude(Exists(exempt))
    )
    items = []
    for row in _client_values(rights, today, "start_date", "client__birth_date"):
        start = row["start_date"]
        # The age exception needs the birth date: checked on the few rows left.
        if start < since and age_on(row["client__birth_date"], start) >= under_age:
            continue
        due = start + within
        items.append(
            _item(
                row,
                today,
                rule="gpmi_to_sign",
                title=_("GPMI laten ondertekenen vóór %(date)s") % {"date": _fmt(due)},
                detail=_("Leefloon sinds %(date)s") % {"date": _fmt(start)},
                due_date=due,
                url=_client_url(row["client_id"], "trajectory", kind=TrajectoryKind.GPMI),
            )
        )
    return items


def gpmi_evaluation_interval() -> datetime.timedelta:
    """The longest time between two GPMI evaluations: 365 // evaluations per year days."""
    return datetime.timedelta(days=365 // max(1, _setting("GPMI_EVALUATIONS_PER_YEAR")))


def gpmi_evaluation(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    interval = gpmi_evaluation_interval()
    gpmis = (
        Trajectory.objects.filter(client__in=clients, kind=TrajectoryKind.GPMI)
        .active_on(today)
        .annotate(last_evaluation=Max("evaluations__date", filter=Q(evaluations__date__lte=today)))
        .annotate(reference=Coalesce("last_evaluation", "start_date"))
        .filter(reference__lte=today - interval)
    )
    items = []
    for row in _client_values(gpmis, today, "reference", "last_evaluation"):
        due = row["reference"] + interval
        if row["last_evaluation"]:
            detail = _("Laatste evaluatie op %(date)s") % {"date": _fmt(row["last_evaluation"])}
        else:
            detail = _("Nog geen evaluatie sinds de start op %(date)s") % {
                "date": _fmt(row["reference"])
            }
        items.append(
            _item(
                row,
                today,
                rule="gpmi_evaluation",
                title=_("GPMI evalueren (uiterlijk %(date)s)") % {"date": _fmt(due)},
                detail=detail,
                due_date=due,
                url=_client_url(row["client_id"], "evaluation", trajectory=row["pk"]),
            )
        )
    return items


def article60_ending(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    horizon = today + datetime.timedelta(days=_setting("ARTICLE60_HANDOVER_WARNING_DAYS"))
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
    items = []
    for row in _client_values(placements, today, "ends", "employer_name"):
        items.append(
            _item(
                row,
                today,
                rule="article60_ending",
                title=_("Warme overdracht naar VDAB plannen: artikel 60 eindigt op %(date)s")
                % {"date": _fmt(row["ends"])},
                detail=row["employer_name"],
                due_date=row["ends"],
                url=_client_url(row["client_id"], "vdab", warm_handover=1),
            )
        )
    return items


def vdab_missing(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    registered = VdabRegistration.objects.filter(client=OuterRef("client_id")).active_on(today)
    exempt = Exemption.objects.filter(
        client=OuterRef("client_id"), kind=ExemptionKind.VDAB_REGISTRATION
    ).active_on(today)
    rights = (
        IncomeRight.objects.filter(client__in=clients)
        .active_on(today)
        .exclude(Exists(registered))
        .exclude(Exists(exempt))
    )
    items = []
    for row in _client_values(rights, today, "start_date"):
        items.append(
            _item(
                row,
                today,
                rule="vdab_missing",
                title=_("Inschrijven bij VDAB (of vrijstelling registreren)"),
                detail=_("Inkomen sinds %(date)s, geen lopende VDAB-inschrijving")
                % {"date": _fmt(row["start_date"])},
                due_date=row["start_date"],
                url=_client_url(row["client_id"], "vdab"),
            )
        )
    return items


def mmpp_exit_conversation(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    years = _setting("MMPP_EXIT_CONVERSATION_YEARS")
    latest = (
        MmppScreening.objects.filter(client=OuterRef("client_id"), advised_on__lte=today)
        .latest_first()
        .values("pk")[:1]
    )
    advices = (
        MmppScreening.objects.filter(
            client__in=clients, category=5, advised_on__lte=_years_before(today, years)
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .filter(pk=Subquery(latest))
    )
    items = []
    for row in _client_values(advices, today, "advised_on"):
        items.append(
            _item(
                row,
                today,
                rule="mmpp_exit_conversation",
                title=_("Uitleidgesprek: MMPP categorie 5 sinds %(date)s")
                % {"date": _fmt(row["advised_on"])},
                detail=_("Registreer na het gesprek het einde van het advies of een nieuw advies."),
                due_date=_years_after(row["advised_on"], years),
                url=_client_url(row["client_id"], "mmpp", row["pk"]),
            )
        )
    return items


def referral_outcome(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    days = datetime.timedelta(days=_setting("REFERRAL_OUTCOME_DUE_DAYS"))
    referrals = Referral.objects.filter(
        client__in=clients, outcome="", start_date__lte=today - days
    )
    items = []
    for row in _client_values(referrals, today, "start_date", "programme__name"):
        items.append(
            _item(
                row,
                today,
                rule="referral_outcome",
                title=_("Resultaat van de toeleiding naar %(programme)s invullen")
                % {"programme": row["programme__name"]},
                detail=_("Toegeleid op %(date)s") % {"date": _fmt(row["start_date"])},
                due_date=row["start_date"] + days,
                url=_client_url(row["client_id"], "referral", row["pk"]),
            )
        )
    return items


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
                % {"date": _fmt(row["date"]), "free": free},
                detail=_("%(n)s deelnemers ingeschreven") % {"n": row["participants"]},
                due_date=row["date"],
                today=today,
                url=reverse("partners:session_detail", kwargs={"pk": row["pk"]}),
            )
        )
    return items


ClientRule = Callable[[QuerySet[Client], datetime.date], list[WorkItem]]
CLIENT_RULES: dict[str, ClientRule] = {
    "gpmi_to_sign": gpmi_to_sign,
    "gpmi_evaluation": gpmi_evaluation,
    "article60_ending": article60_ending,
    "vdab_missing": vdab_missing,
    "referral_outcome": referral_outcome,
}
HEALTH_RULES: dict[str, ClientRule] = {"mmpp_exit_conversation": mmpp_exit_conversation}


# --- Queues ---------------------------------------------------------------------------


def work_queue(
    *,
    clients: QuerySet[Client],
    today: datetime.date | None = None,
    health_clients: QuerySet[Client] | None = None,
    organisation_ids: Iterable[int] = (),
) -> list[WorkItem]:
    """Every item due for `clients`, earliest first.

    Health-data rules (MMPP) only cover `health_clients` (none when omitted): pass
    the clients whose health data the viewer may see. JobRoad sessions with free
    places are listed for `organisation_ids`.
    """
    today = today or timezone.localdate()
    items: list[WorkItem] = []
    for rule in CLIENT_RULES.values():
        items += rule(clients, today)
    if health_clients is not None:
        for rule in HEALTH_RULES.values():
            items += rule(health_clients, today)
    organisation_ids = list(organisation_ids)
    if organisation_ids:
        items += jobroad_free_places(organisation_ids, today)
    return sorted(items, key=lambda item: item.sort_key)


def social_worker_queue(
    social_worker: Any, *, viewer: Any = None, today: datetime.date | None = None
) -> list[WorkItem]:
    """The queue of one social assistant: the clients assigned to them today.

    Health-data items only for the clients whose health data `viewer` (the user
    looking at the queue) may see (`casework.access.health_data_clients_filter`);
    none without a viewer.
    """
    today = today or timezone.localdate()
    clients = Client.objects.assigned_to(social_worker, today)
    return work_queue(
        clients=clients,
        today=today,
        health_clients=_health_clients(clients, viewer, today),
        organisation_ids=[social_worker.organisation_id],
    )


def _health_clients(
    clients: QuerySet[Client], viewer: Any, today: datetime.date
) -> QuerySet[Client] | None:
    """Those of `clients` whose health data `viewer` may see today (None: no viewer)."""
    if viewer is None:
        return None
    return clients.filter(health_data_clients_filter(viewer, today))


def team_clients(team: Any, today: datetime.date) -> QuerySet[Client]:
    """Clients assigned today to a member of `team`."""
    return Client.objects.filter(
        pk__in=Assignment.objects.active_on(today)
        .filter(social_worker__team=team)
        .values("client_id")
    )


def team_queue(
    team: Any, *, viewer: Any = None, today: datetime.date | None = None
) -> list[WorkItem]:
    """The queue of a team; health-data items as in `social_worker_queue`."""
    today = today or timezone.localdate()
    clients = team_clients(team, today)
    return work_queue(
        clients=clients,
        today=today,
        health_clients=_health_clients(clients, viewer, today),
        organisation_ids=[team.organisation_id],
    )


def first_item_per_client(items: Iterable[WorkItem]) -> dict[int, WorkItem]:
    """The earliest item of each client (items must be sorted, as `work_queue` returns)."""
    first: dict[int, WorkItem] = {}
    for item in items:
        if item.client_id is not None and item.client_id not in first:
            first[item.client_id] = item
    return first


def count_by_rule(items: Iterable[WorkItem]) -> list[tuple[str, str, int]]:
    """(rule, label, count) for every rule, in the order of RULE_LABELS."""
    counts = dict.fromkeys(RULE_LABELS, 0)
    for item in items:
        counts[item.rule] += 1
    return [(rule, str(RULE_LABELS[rule]), n) for rule, n in counts.items()]
