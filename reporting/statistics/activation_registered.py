"""Clients in income support and in an activation trajectory who are registered at VDAB."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf

from casework.models import IncomeRight, Trajectory, TrajectoryKind
from partners.models import VdabRegistration
from reporting.statistics.common import known_overlap_q, month_alias
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic

HOUSEHOLDS = ("single", "cohabiting", "married", "unknown")
ACTIVATION_KINDS = (TrajectoryKind.GPMI.value, TrajectoryKind.ACTIVATION.value)


@statistic(
    "activation_registered",
    definition_nl="""
        Per maand van de periode: verschillende cliënten die elk de maand overlappend (niet
        noodzakelijk tegelijk) een recht op leefloon of equivalent leefloon, een traject van
        de soort GPMI of activering, en een VDAB-inschrijving (elke categorie) hebben; per
        gezinssituatie (alleenstaand, samenwonend, gehuwd, en onbekend als ze niet ingevuld
        is). Gegevens die na de opmaakdatum beginnen, tellen niet mee.
    """,
    definition_en="""
        Per month of the period: distinct clients who have, each overlapping the month (not
        necessarily at the same time), an income right (leefloon or equivalent), a trajectory
        of kind GPMI or activation, and a VDAB registration (any category); by household
        (single, cohabiting, married, and unknown when empty). Records starting after the as-of
        day do not count.
    """,
)
def activation_registered(params: ReportParameters) -> dict[str, Any]:
    aggregates: dict[str, Any] = {}
    for month in params.months:
        first, last = month.first, params.known(month.last)
        income = IncomeRight.objects.filter(client=OuterRef("client")).overlapping(first, last)
        registered = VdabRegistration.objects.filter(client=OuterRef("client")).overlapping(
            first, last
        )
        # The trajectory's own overlap first: the subqueries only run for the rows it keeps.
        aggregates[month_alias(month)] = Count(
            "client",
            distinct=True,
            filter=known_overlap_q(params, month.first, month.last)
            & Q(Exists(income))
            & Q(Exists(registered)),
        )
    rows = (
        Trajectory.objects.filter(organisation=params.organisation, kind__in=ACTIVATION_KINDS)
        .filter(known_overlap_q(params, params.first_day, params.last_day))
        .annotate(household=Coalesce(NullIf("client__household", Value("")), Value("unknown")))
        .order_by()
        .values("household")
        .annotate(**aggregates)
    )
    result = {str(month): dict.fromkeys((*HOUSEHOLDS, "total"), 0) for month in params.months}
    row: dict[str, Any]
    for row in rows:  # type: ignore[assignment]  # values() with dynamic aliases
        household = row["household"] if row["household"] in HOUSEHOLDS else "unknown"
        for month in params.months:
            n = row[month_alias(month)]
            result[str(month)][household] += n
            result[str(month)]["total"] += n
    return result
