"""Clients in income support (leefloon and equivalent leefloon)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from casework.models import Client, IncomeKind, IncomeRight, Population
from core.rounding import ratio
from reporting.statistics.common import known_overlap_q
from reporting.statistics.params import ReportParameters
from reporting.statistics.persons import person_key
from reporting.statistics.registry import statistic

KINDS = (IncomeKind.LEEFLOON.value, IncomeKind.EQUIVALENT.value)


def clients_in_reference_month(params: ReportParameters, kind: str) -> QuerySet[Client]:
    """The clients counted under `income_support.<kind>`: with an income right of that kind
    overlapping the reference month (as known on as_of). Also used by leefloon_duration."""
    month = params.reference_month
    rights = IncomeRight.objects.filter(
        organisation_id__in=params.organisation_ids, kind=kind
    ).filter(known_overlap_q(params, month.first, month.last))
    return Client.objects.filter(
        organisation_id__in=params.organisation_ids, pk__in=rights.values("client_id")
    )


def inhabitants_by_organisation(params: ReportParameters, year: int) -> dict[int, int]:
    """The population of the year of each organisation of the report that has one (id ->
    inhabitants)."""
    return dict(
        Population.objects.filter(
            organisation_id__in=params.organisation_ids, year=year
        ).values_list("organisation_id", "inhabitants")
    )


def _inhabitants(params: ReportParameters, year: int) -> int | None:
    """The population of the year: in a region, the sum over its organisations, unknown
    (None) when one of them has none for that year."""
    known = inhabitants_by_organisation(params, year)
    if len(known) < len(params.organisation_ids):
        return None
    return sum(known.values())


def _in_reference_month(params: ReportParameters, kind: str) -> Q:
    """Income rights counted under `income_support.<kind>`."""
    month = params.reference_month
    return Q(kind=kind) & known_overlap_q(params, month.first, month.last)


def reference_counts_by_organisation(params: ReportParameters) -> dict[int, dict[str, int]]:
    """Per organisation of the report (id) with such rights: `leefloon` and `equivalent`
    as in its own report (distinct client records). One query."""
    month = params.reference_month
    rows = (
        IncomeRight.objects.filter(organisation_id__in=params.organisation_ids)
        .filter(known_overlap_q(params, month.first, month.last))
        .order_by()
        .values("organisation_id")
        .annotate(
            **{
                kind: Count("client_id", distinct=True, filter=_in_reference_month(params, kind))
                for kind in KINDS
            }
        )
    )
    by_organisation: dict[int, dict[str, int]] = {}
    row: dict[str, Any]
    for row in rows:  # type: ignore[assignment]  # values() with dynamic aliases
        by_organisation[row["organisation_id"]] = {kind: row[kind] for kind in KINDS}
    return by_organisation


@statistic(
    "income_support",
    definition_nl="""
        Aantal verschillende cliënten met een recht op leefloon, en apart met een recht op
        equivalent leefloon, dat de referentiemaand overlapt (het recht begint ten laatste op de
        laatste dag van de maand en heeft geen einddatum of eindigt ten vroegste op de eerste
        dag ervan). Een cliënt die in de maand van soort wisselt, telt bij beide. Per 1.000
        inwoners: gedeeld door het aantal inwoners op 1 januari van het jaar van de
        referentiemaand, afgerond op 2 decimalen (leeg als dat aantal niet gekend is). Uniek
        per jaar: voor elk jaar van de periode, verschillende cliënten met een recht van die
        soort dat het kalenderjaar overlapt. Rechten die na de opmaakdatum beginnen, tellen
        niet mee.
    """,
    definition_en="""
        Number of distinct clients with a leefloon right, and separately with an equivalent
        leefloon right, overlapping the reference month (the right starts on or before the
        month's last day and has no end or ends on or after its first day). A client who
        changes kind within the month counts under both. Per 1,000 inhabitants: divided by the
        inhabitants on 1 January of the reference month's year, rounded to 2 decimals (empty
        when unknown). Unique per year: for every year of the period, distinct clients with a
        right of that kind overlapping the calendar year. Rights starting after the as-of day
        do not count.
    """,
    reads=(
        "casework.incomeright",
        "casework.population",
    ),
)
def income_support(params: ReportParameters) -> dict[str, Any]:
    month = params.reference_month
    person = person_key(params)
    aggregates: dict[str, Any] = {}
    for kind in KINDS:
        aggregates[kind] = Count(person, distinct=True, filter=_in_reference_month(params, kind))
        for span in params.calendar_years:
            aggregates[f"{kind}_{span.key}"] = Count(
                person,
                distinct=True,
                filter=Q(kind=kind) & known_overlap_q(params, span.first, span.last),
            )
    # Only rights that can count somewhere: overlapping the years or the reference month.
    years = params.calendar_years
    first = min(years[0].first, month.first)
    last = max(years[-1].last, month.last)
    counts = (
        IncomeRight.objects.filter(organisation_id__in=params.organisation_ids)
        .filter(known_overlap_q(params, first, last))
        .aggregate(**aggregates)
    )
    inhabitants = _inhabitants(params, month.year)
    return {
        "leefloon": counts["leefloon"],
        "equivalent": counts["equivalent"],
        "inhabitants": inhabitants,
        "leefloon_per_1000": ratio(counts["leefloon"], inhabitants, per=1000),
        "equivalent_per_1000": ratio(counts["equivalent"], inhabitants, per=1000),
        "unique_by_year": {
            span.key: {kind: counts[f"{kind}_{span.key}"] for kind in KINDS}
            for span in params.calendar_years
        },
    }
