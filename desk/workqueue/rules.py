"""The rules of the work queue, one database query each (defined in `desk.workqueue`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
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
from desk.workqueue.items import (
    JOBROAD,
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


def gpmi_to_sign(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    within = datetime.timedelta(days=setting("GPMI_SIGN_WITHIN_DAYS"))
    since = datetime.date.fromisoformat(str(setting("GPMI_MANDATORY_SINCE")))
    under_age = setting("GPMI_MANDATORY_UNDER_AGE")
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
        .annotate(exempt=Exists(exempt))
    )
    items = []
    for row in client_values(rights, today, "start_date", "client__birth_date", "exempt"):
        start = row["start_date"]
        # The age exception needs the birth date: checked on the few rows left.
        if start < since and age_on(row["client__birth_date"], start) >= under_age:
            continue
        due = start + within
        items.append(
            make_item(
                row,
                today,
                rule="gpmi_to_sign",
                title=_("GPMI laten ondertekenen vóór %(date)s") % {"date": format_day(due)},
                detail=_("Leefloon sinds %(date)s") % {"date": format_day(start)},
                due_date=due,
                url=client_url(row["client_id"], "trajectory", kind=TrajectoryKind.GPMI),
                exempt=row["exempt"],
            )
        )
    return items


def gpmi_evaluation_interval() -> datetime.timedelta:
    """The longest time between two GPMI evaluations: 365 // evaluations per year days."""
    return datetime.timedelta(days=365 // max(1, setting("GPMI_EVALUATIONS_PER_YEAR")))


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
    for row in client_values(gpmis, today, "reference", "last_evaluation"):
        due = row["reference"] + interval
        if row["last_evaluation"]:
            detail = _("Laatste evaluatie op %(date)s") % {
                "date": format_day(row["last_evaluation"])
            }
        else:
            detail = _("Nog geen evaluatie sinds de start op %(date)s") % {
                "date": format_day(row["reference"])
            }
        items.append(
            make_item(
                row,
                today,
                rule="gpmi_evaluation",
                title=_("GPMI evalueren (uiterlijk %(date)s)") % {"date": format_day(due)},
                detail=detail,
                due_date=due,
                url=client_url(row["client_id"], "evaluation", trajectory=row["pk"]),
            )
        )
    return items


def article60_ending(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
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
    items = []
    for row in client_values(placements, today, "ends", "employer_name"):
        items.append(
            make_item(
                row,
                today,
                rule="article60_ending",
                title=_("Warme overdracht naar VDAB plannen: artikel 60 eindigt op %(date)s")
                % {"date": format_day(row["ends"])},
                detail=row["employer_name"],
                due_date=row["ends"],
                url=client_url(row["client_id"], "vdab", warm_handover=1),
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
        .annotate(exempt=Exists(exempt))
    )
    items = []
    for row in client_values(rights, today, "start_date", "exempt"):
        items.append(
            make_item(
                row,
                today,
                rule="vdab_missing",
                title=_("Inschrijven bij VDAB (of vrijstelling registreren)"),
                detail=_("Inkomen sinds %(date)s, geen lopende VDAB-inschrijving")
                % {"date": format_day(row["start_date"])},
                due_date=row["start_date"],
                url=client_url(row["client_id"], "vdab"),
                exempt=row["exempt"],
            )
        )
    return items


def mmpp_exit_conversation(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    years = setting("MMPP_EXIT_CONVERSATION_YEARS")
    advices = MmppScreening.objects.current_on(today).filter(
        client__in=clients, category=5, advised_on__lte=years_before(today, years)
    )
    items = []
    for row in client_values(advices, today, "advised_on"):
        items.append(
            make_item(
                row,
                today,
                rule="mmpp_exit_conversation",
                title=_("Uitleidgesprek: MMPP categorie 5 sinds %(date)s")
                % {"date": format_day(row["advised_on"])},
                detail=_("Registreer na het gesprek het einde van het advies of een nieuw advies."),
                due_date=years_after(row["advised_on"], years),
                url=client_url(row["client_id"], "mmpp", row["pk"]),
                health_data=True,
            )
        )
    return items


def referral_outcome(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    days = datetime.timedelta(days=setting("REFERRAL_OUTCOME_DUE_DAYS"))
    referrals = Referral.objects.filter(
        client__in=clients, outcome="", start_date__lte=today - days
    )
    items = []
    for row in client_values(referrals, today, "start_date", "programme__name"):
        items.append(
            make_item(
                row,
                today,
                rule="referral_outcome",
                title=_("Resultaat van de toeleiding naar %(programme)s invullen")
                % {"programme": row["programme__name"]},
                detail=_("Toegeleid op %(date)s") % {"date": format_day(row["start_date"])},
                due_date=row["start_date"] + days,
                url=client_url(row["client_id"], "referral", row["pk"]),
            )
        )
    return items


def appointments(clients: QuerySet[Client], today: datetime.date) -> list[WorkItem]:
    planned = Appointment.objects.filter(client__in=clients).due_by(today)
    items = []
    for row in client_values(planned, today, "starts_at", "kind"):
        start = timezone.localtime(row["starts_at"])
        kind = AppointmentKind(row["kind"]).label
        if start.date() == today:
            title = _("Afspraak vandaag om %(time)s: %(kind)s") % {
                "time": f"{start:%H:%M}",
                "kind": kind,
            }
        else:
            title = _("Afspraak van %(date)s registreren: %(kind)s") % {
                "date": format_day(start.date()),
                "kind": kind,
            }
        items.append(
            make_item(
                row,
                today,
                rule="appointment",
                title=title,
                detail=_("Gehouden, geannuleerd of niet opgedaagd?"),
                due_date=start.date(),
                url=client_url(row["client_id"], "appointment", row["pk"]),
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
                % {"date": format_day(row["date"]), "free": free},
                detail=_("%(n)s deelnemers ingeschreven") % {"n": row["participants"]},
                due_date=row["date"],
                today=today,
                url=reverse("programmes:session_detail", kwargs={"pk": row["pk"]}),
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
    "appointment": appointments,
}
HEALTH_RULES: dict[str, ClientRule] = {"mmpp_exit_conversation": mmpp_exit_conversation}
