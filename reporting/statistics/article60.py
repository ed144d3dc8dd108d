"""Article 60 §7: clients employed per month, yearly averages and flow-through."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Value

from core.rounding import percent, ratio
from partners.models import Article60Placement, PlacementOutcome
from reporting.statistics.common import (
    DateNumber,
    known_overlap_q,
    new_months,
    persons_by_month,
)
from reporting.statistics.kept import KeptParameters, kept_rows
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic

TO_WORK_OR_TRAINING = (PlacementOutcome.WORK.value, PlacementOutcome.WORK_LINKED_TRAINING.value)


@statistic(
    "article60",
    definition_nl="""
        Tewerkgesteld per maand: verschillende cliënten met een tewerkstelling artikel 60 §7
        die de maand overlapt. Gemiddeld per maand: het gemiddelde van de maandcijfers van de
        maanden van dat jaar binnen de periode, afgerond op 2 decimalen. Tewerkgesteld in de
        referentiemaand: idem voor die maand. Doorstroom per jaar: tewerkstellingen waarvan de
        werkelijke einddatum in het kalenderjaar valt, hoeveel daarvan uitstroomden
        naar werk of een werkgerelateerde opleiding, en het percent. Tewerkstellingen die na
        de opmaakdatum beginnen of eindigen, tellen daarvoor niet mee.
    """,
    definition_en="""
        Employed per month: distinct clients with an article 60 §7 placement overlapping the
        month. Average per month: the mean of the monthly figures of that year's months inside
        the period, rounded to 2 decimals. Employed in the reference month: the same for that
        month. Flow-through per year: placements whose actual end date falls in the calendar
        year, how many of them went on to work or work-linked training, and the
        percent. Placements starting or ending after the as-of day do not count for it.
    """,
    reads=("partners.article60placement",),
)
def article60(params: ReportParameters) -> dict[str, Any]:
    reference = params.reference_month
    flow = {
        year: (ended, to_work)
        for year, ended, to_work in kept_rows(params, "article60.flow", Article60Placement, _ended)
    }
    rows = kept_rows(params, "article60.employed", Article60Placement, _employed)
    employed = persons_by_month(rows, [*params.months, reference])
    years = params.calendar_years

    employed_by_month = {str(month): employed[month] for month in params.months}
    average_per_month_by_year: dict[str, float | None] = {}
    for span in params.years:
        figures = [employed_by_month[str(m)] for m in params.months if m.year == span.year]
        average_per_month_by_year[span.key] = ratio(Fraction(sum(figures)), len(figures))
    return {
        "employed_by_month": employed_by_month,
        "average_per_month_by_year": average_per_month_by_year,
        "employed_in_reference_month": employed[reference],
        "flow_through_by_year": {
            span.key: _flow_through(*flow.get(span.year, (0, 0))) for span in years
        },
    }


def _employed(params: KeptParameters) -> QuerySet[Any]:
    """The months each placement adds (`new_months`) of the placements that can count
    somewhere: overlapping the years or the reference month (a placement ending in a
    year overlaps that year)."""
    first = params.value(lambda p: min(p.calendar_years[0].first, p.reference_month.first))
    last = params.value(lambda p: max(p.calendar_years[-1].last, p.reference_month.last))
    placements = Article60Placement.objects.filter(
        organisation_id__in=params.organisation_ids
    ).filter(known_overlap_q(params, first, last))
    return new_months(params, placements)


def _ended(params: KeptParameters) -> QuerySet[Any]:
    """Flow-through: per year, the placements ending in the years (and known by as_of),
    and how many of them went on to work or work-linked training."""
    return (
        Article60Placement.objects.filter(
            organisation_id__in=params.organisation_ids,
            start_date__lte=params.as_of,
            end_date__range=(
                params.value(lambda p: p.calendar_years[0].first),
                params.known(params.value(lambda p: p.calendar_years[-1].last)),
            ),
        )
        .annotate(year=DateNumber("end_date") / Value(10000))
        .order_by()
        .values("year")
        .annotate(ended=Count("pk"), to_work=Count("pk", filter=Q(outcome__in=TO_WORK_OR_TRAINING)))
        .values_list("year", "ended", "to_work")
    )


def employed_by_organisation(params: ReportParameters) -> dict[int, int]:
    """Per organisation of the report (id) with any: `employed_in_reference_month` as in
    its own report (distinct client records with a placement overlapping the reference
    month, as known on as_of). One query."""
    month = params.reference_month
    rows = (
        Article60Placement.objects.filter(organisation_id__in=params.organisation_ids)
        .filter(known_overlap_q(params, month.first, month.last))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("client_id", distinct=True))
    )
    return {row["organisation_id"]: row["n"] for row in rows}


def _flow_through(ended: int, to_work: int) -> dict[str, Any]:
    return {"ended": ended, "to_work_or_training": to_work, "percent": percent(to_work, ended)}
