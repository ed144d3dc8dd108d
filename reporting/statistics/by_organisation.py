"""A region's organisations side by side, each with the organisation-level definitions."""

from __future__ import annotations

import datetime
from typing import Any

from core.rounding import ratio
from reporting.statistics.article60 import employed_by_organisation
from reporting.statistics.caseload import clients_per_fte_by_organisation
from reporting.statistics.common import inflow_totals_by_organisation, ocmw_registrations
from reporting.statistics.income_support import (
    inhabitants_by_organisation,
    reference_counts_by_organisation,
)
from reporting.statistics.mmpp_stock import stock_by_organisation
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import REGISTRY, Statistic

HEADLINES = (
    "leefloon",
    "equivalent",
    "leefloon_per_1000",
    "equivalent_per_1000",
    "article60_employed",
    "clients_per_fte",
    "vdab_inflow",
    "mmpp_stock",
)


def headlines(params: ReportParameters) -> dict[str, Any]:
    """The headline figures of one organisation taken from its own report's statistics
    (`params` of one organisation): what `by_organisation` gives for it, there read for
    every organisation at once."""
    income = REGISTRY["income_support"](params)
    stock = REGISTRY["mmpp_stock"](params)
    inflow = REGISTRY["vdab_inflow"](params)
    return {
        "leefloon": income["leefloon"],
        "equivalent": income["equivalent"],
        "leefloon_per_1000": income["leefloon_per_1000"],
        "equivalent_per_1000": income["equivalent_per_1000"],
        "article60_employed": REGISTRY["article60"](params)["employed_in_reference_month"],
        "clients_per_fte": REGISTRY["caseload"](params)["clients_per_fte"],
        "vdab_inflow": sum(month["total"] for month in inflow.values()),
        "mmpp_stock": stock[max(stock)]["total"] if stock else None,
    }


def by_organisation(params: ReportParameters) -> dict[str, Any]:
    """Per organisation of the region (by code): its headline figures, each as in that
    organisation's own report. Every figure is read for all organisations at once
    (grouped by organisation), so the number of queries does not depend on how many
    there are."""
    month = params.reference_month
    income = reference_counts_by_organisation(params)
    inhabitants = inhabitants_by_organisation(params, month.year)
    employed = employed_by_organisation(params)
    clients_per_fte = clients_per_fte_by_organisation(params)
    inflow = inflow_totals_by_organisation(params, ocmw_registrations(params))
    stock_days = [
        datetime.date(span.year, 12, 31)
        for span in params.years
        if datetime.date(span.year, 12, 31) <= params.as_of
    ]
    stock = stock_by_organisation(params, stock_days[-1]) if stock_days else {}
    result: dict[str, Any] = {}
    for organisation in sorted(params.organisations, key=lambda organisation: organisation.code):
        key = organisation.pk
        counts = income.get(key, {})
        leefloon, equivalent = counts.get("leefloon", 0), counts.get("equivalent", 0)
        population = inhabitants.get(key)
        result[organisation.code] = {
            "leefloon": leefloon,
            "equivalent": equivalent,
            "leefloon_per_1000": ratio(leefloon, population, per=1000),
            "equivalent_per_1000": ratio(equivalent, population, per=1000),
            "article60_employed": employed.get(key, 0),
            "clients_per_fte": clients_per_fte[key],
            "vdab_inflow": inflow.get(key, 0),
            "mmpp_stock": stock.get(key, 0) if stock_days else None,
        }
    return result


# Only in a region's report (not registered: an organisation's report has no such key).
BY_ORGANISATION = Statistic(
    key="by_organisation",
    function=by_organisation,
    definition_nl=(
        "Per organisatie van de regio de kerncijfers, elk met de definitie van het rapport "
        "van één organisatie (cliënten, geen personen over organisaties heen), zodat OCMW's "
        "met dezelfde definities vergeleken worden: leefloon en equivalent leefloon in de "
        "referentiemaand en per 1.000 inwoners, tewerkgesteld in artikel 60 in de "
        "referentiemaand, cliënten per VTE, de som van de VDAB-instroom over de periode, en "
        "de MMPP-stock van het laatste jaar (leeg als er geen is)."
    ),
    definition_en=(
        "Per organisation of the region its headline figures, each with the definition of "
        "the report of one organisation (clients, not persons across organisations), so "
        "that OCMWs are compared with the same definitions: leefloon and equivalent leefloon "
        "in the reference month and per 1,000 inhabitants, employed under article 60 in the "
        "reference month, clients per FTE, the sum of the VDAB inflow over the period, and "
        "the MMPP stock of the last year (empty when there is none)."
    ),
)
