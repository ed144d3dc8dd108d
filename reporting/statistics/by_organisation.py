"""A region's organisations side by side, each with the organisation-level definitions."""

from __future__ import annotations

from typing import Any

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
    """The headline figures of one organisation's report (`params` of one organisation)."""
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
    """Per organisation of the region (by code): its headline figures."""
    ordered = sorted(params.organisations, key=lambda organisation: organisation.code)
    return {
        organisation.code: headlines(params.for_organisation(organisation))
        for organisation in ordered
    }


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
