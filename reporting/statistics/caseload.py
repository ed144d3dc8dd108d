"""Caseload: social workers, their FTE and the clients they follow, on one day."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

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
        toegewezen wordt, telt niet mee; een einde na de opmaakdatum is nog niet gekend, dus
        wie op de opmaakdatum in dienst of toegewezen is, telt nog mee.
    """,
    definition_en="""
        On the last day of the reference month: the number of social workers employed that day
        (headcount; someone leaving that day is still employed that day; no start date:
        employed since before Traject), the sum of their FTE, the number of distinct clients
        with an assignment running that day, and clients per FTE (rounded to 2 decimals; empty
        when the FTE is 0). Starts and assignments after the as-of day do not count; an end
        dated after the as-of day is not yet known, so who is employed or assigned on the
        as-of day still counts.
    """,
    reads=(
        "casework.socialworker",
        "casework.assignment",
    ),
)
def caseload(params: ReportParameters) -> dict[str, Any]:
    workers = _workers(params).aggregate(headcount=Count("pk"), fte=Sum("fte"))
    # Distinct clients assigned on the day (`caseload_on`); in a region, distinct persons.
    clients = int(
        _assignments(params).aggregate(n=Count(person_key(params), distinct=True))["n"] or 0
    )
    fte = _fte(workers["fte"])
    return {
        "social_workers": workers["headcount"],
        "fte": float(fte),
        "clients": clients,
        "clients_per_fte": ratio(clients, fte),
    }


def _workers(params: ReportParameters) -> QuerySet[SocialWorker]:
    """The social workers employed on the last day of the reference month, as known on
    as_of (an end dated after as_of is not yet known: `running_from`)."""
    return (
        SocialWorker.objects.filter(organisation_id__in=params.organisation_ids)
        .employed_on(params.running_from(params.reference_month.last))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=params.as_of))
    )


def _assignments(params: ReportParameters) -> QuerySet[Assignment]:
    """The assignments running on the last day of the reference month, as known on as_of."""
    return Assignment.objects.filter(
        organisation_id__in=params.organisation_ids, start_date__lte=params.as_of
    ).assigned_on(params.running_from(params.reference_month.last))


def _fte(total: Any) -> Decimal:
    return Decimal(total or 0).quantize(Decimal("0.001"))


def clients_per_fte_by_organisation(params: ReportParameters) -> dict[int, float | None]:
    """Per organisation of the report (id): `clients_per_fte` as in its own report
    (distinct client records). Two queries."""
    fte = {
        row["organisation_id"]: row["fte"]
        for row in _workers(params).order_by().values("organisation_id").annotate(fte=Sum("fte"))
    }
    clients = {
        row["organisation_id"]: row["n"]
        for row in _assignments(params)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("client_id", distinct=True))
    }
    return {
        organisation: ratio(int(clients.get(organisation, 0)), _fte(fte.get(organisation)))
        for organisation in params.organisation_ids
    }
