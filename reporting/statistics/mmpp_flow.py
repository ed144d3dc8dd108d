"""The MMPP stock month by month, and the flows in and out of it (questions 2b and 2c of
the 2015 answer, which could give neither)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from reporting.statistics.mmpp_stock import stock_by_key, stock_states
from reporting.statistics.params import Month, ReportParameters
from reporting.statistics.registry import statistic


def passed_months(params: ReportParameters) -> list[Month]:
    """The months of the period whose last day is on or before as_of."""
    return [month for month in params.months if month.last <= params.as_of]


@statistic(
    "mmpp_stock_by_month",
    definition_nl="""
        Per maand van de periode waarvan de laatste dag op of vóór de opmaakdatum ligt: de
        MMPP-stock precies zoals bij de MMPP-stock op 31 december, geteld op de laatste dag
        van die maand, met de opsplitsing per categorie van het laatste advies.
    """,
    definition_en="""
        Per month of the period whose last day is on or before the as-of day: the MMPP stock
        exactly as in the MMPP stock on 31 December, counted on the last day of that month,
        with its split by category of the latest advice.
    """,
    reads=(
        "partners.mmppscreening",
        "partners.vdabregistration",
        "partners.employment",
        "partners.article60placement",
    ),
)
def mmpp_stock_by_month(params: ReportParameters) -> dict[str, Any]:
    return stock_by_key(params, {str(month): month.last for month in passed_months(params)})


@statistic(
    "mmpp_flow",
    definition_nl="""
        Per maand M van de periode waarvan de laatste dag op of vóór de opmaakdatum ligt:
        instroom = cliënten die op de laatste dag van M in de MMPP-stock zitten (zoals bij de
        MMPP-stock) en op de laatste dag van de maand vóór M niet; uitstroom = cliënten die op
        de laatste dag van de maand vóór M in de stock zitten en op de laatste dag van M niet;
        naar werk = wie van de uitstroom op de laatste dag van M een lopende tewerkstelling of
        tewerkstelling artikel 60 heeft. Wie van categorie wisselt, stroomt niet in of uit.
    """,
    definition_en="""
        Per month M of the period whose last day is on or before the as-of day: inflow =
        clients in the MMPP stock (as in the MMPP stock) on the last day of M and not on the
        last day of the month before M; outflow = clients in the stock on the last day of the
        month before M and not on the last day of M; to work = those of the outflow who on
        the last day of M have an employment or an article 60 placement running. Changing
        category is neither inflow nor outflow.
    """,
    reads=(
        "partners.mmppscreening",
        "partners.vdabregistration",
        "partners.employment",
        "partners.article60placement",
    ),
)
def mmpp_flow(params: ReportParameters) -> dict[str, Any]:
    months = passed_months(params)
    result: dict[str, Any] = {
        str(month): {"inflow": 0, "outflow": 0, "to_work": 0} for month in months
    }
    if not months:
        return result
    # The month before the first, then every month: one pass over all their last days.
    days = [months[0].plus(-1).last, *(month.last for month in months)]
    entries = [result[str(month)] for month in months]
    # Only persons in the stock on some day move in or out; the same (state, work) of
    # several persons counted together.
    patterns = Counter(
        (state, bytes(work)) for state, work in stock_states(params, days) if any(state)
    )
    for (state, work), n in patterns.items():
        for index, entry in enumerate(entries):
            before, end = state[index], state[index + 1]
            if before:
                if not end:
                    entry["outflow"] += n
                    if work[index + 1]:
                        entry["to_work"] += n
            elif end:
                entry["inflow"] += n
    return result
