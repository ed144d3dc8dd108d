"""Caseload: social workers, their FTE and the clients they follow, on one day."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from casework.models import Assignment, SocialWorker
from core.rounding import ratio
from reporting.statistics.params import ReportParameters
from reporting.statistics.persons import person_key
from reporting.statistics.registry import statistic


@statistic(
    "caseload",
    definition_nl="""
        Op de laatste dag van de referentiemaand: het aantal maatschappelijk assistenten dat
        die dag in dienst is (hoofden; wie die dag vertrekt, is die dag nog in dienst; zonder
        begindatum: in dienst sinds vóór Traject), de som van hun VTE, het aantal
        verschillende cliënten met een toewijzing die die dag loopt, en cliënten per VTE
        (afgerond op 2 decimalen; leeg bij 0 VTE). Wie na de opmaakdatum in dienst komt of
        toegewezen wordt, telt niet mee.
    """,
    definition_en="""
        On the last day of the reference month: the number of social workers employed that day
        (headcount; someone leaving that day is still employed that day; no start date:
        employed since before Traject), the sum of their FTE, the number of distinct clients
        with an assignment running that day, and clients per FTE (rounded to 2 decimals; empty
        when the FTE is 0). Starts and assignments after the as-of day do not count.
    """,
    reads=(
        "casework.socialworker",
        "casework.assignment",
    ),
)
def caseload(params: ReportParameters) -> dict[str, Any]:
    day = params.reference_month.last
    workers = (
        SocialWorker.objects.filter(organisation_id__in=params.organisation_ids)
        .employed_on(day)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=params.as_of))
        .aggregate(headcount=Count("pk"), fte=Sum("fte"))
    )
    # Distinct clients assigned on the day (`caseload_on`); in a region, distinct persons.
    clients = int(
        Assignment.objects.filter(
            organisation_id__in=params.organisation_ids, start_date__lte=params.as_of
        )
        .assigned_on(day)
        .aggregate(n=Count(person_key(params), distinct=True))["n"]
        or 0
    )
    fte = Decimal(workers["fte"] or 0).quantize(Decimal("0.001"))
    return {
        "social_workers": workers["headcount"],
        "fte": float(fte),
        "clients": clients,
        "clients_per_fte": ratio(clients, fte),
    }
