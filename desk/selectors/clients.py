"""What runs for a client on a day: the caseload list's columns and the home summary."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from casework.models import Client, IncomeRight, Trajectory, TrajectoryKind
from core.prepared import IDS, IdIn, prepared_rows
from partners.models import Article60Placement, VdabRegistration


def clients_with_status(clients: QuerySet[Client], day: datetime.date) -> QuerySet[Client]:
    """`clients` annotated with what runs on `day` (one query, whatever their number):
    `income_kind`, `income_category` (the latest income right running),
    `gpmi_since` (the latest GPMI running), `article60_since` and
    `article60_until` (the latest article-60 placement running; its actual end,
    else its planned end) and `vdab_since` (the latest VDAB registration running)."""
    income = IncomeRight.objects.filter(client=OuterRef("pk")).active_on(day)
    income = income.order_by("-start_date")
    gpmi = Trajectory.objects.filter(client=OuterRef("pk"), kind=TrajectoryKind.GPMI)
    gpmi = gpmi.active_on(day).order_by("-start_date")
    placement = Article60Placement.objects.filter(client=OuterRef("pk")).active_on(day)
    placement = placement.order_by("-start_date").annotate(
        ends=Coalesce("end_date", "planned_end_date")
    )
    vdab = VdabRegistration.objects.filter(client=OuterRef("pk")).active_on(day)
    vdab = vdab.order_by("-registered_on")
    return clients.annotate(
        income_kind=Subquery(income.values("kind")[:1]),
        income_category=Subquery(income.values("category")[:1]),
        gpmi_since=Subquery(gpmi.values("start_date")[:1]),
        article60_since=Subquery(placement.values("start_date")[:1]),
        article60_until=Subquery(placement.values("ends")[:1]),
        vdab_since=Subquery(vdab.values("registered_on")[:1]),
    )


def running_counts(clients: QuerySet[Client] | list[int], day: datetime.date) -> dict[str, int]:
    """How many of `clients` (a QuerySet, or the clients' ids) have each thing of
    `clients_with_status` running on `day`: `clients`, `income`, `gpmi`, `article60`,
    `vdab` (one query; for ids, SQL built once per day and kept, `core.prepared`)."""
    if isinstance(clients, list):
        if not clients:
            return dict.fromkeys(("clients", "income", "gpmi", "article60", "vdab"), 0)
        scope = Client.objects.filter(IdIn("pk", IDS))
        running = ("income_kind", "gpmi_since", "article60_since", "vdab_since")
        rows = prepared_rows(
            ("running_counts", day),
            lambda: clients_with_status(scope, day).order_by().values_list(*running),
            clients,
        )
        return {
            "clients": len(rows),
            **{
                name: sum(1 for row in rows if row[n] is not None)
                for n, name in enumerate(("income", "gpmi", "article60", "vdab"))
            },
        }
    counts = clients_with_status(clients, day).aggregate(
        clients=Count("pk"),
        income=Count("income_kind"),
        gpmi=Count("gpmi_since"),
        article60=Count("article60_since"),
        vdab=Count("vdab_since"),
    )
    return {name: int(value or 0) for name, value in counts.items()}
