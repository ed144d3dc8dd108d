"""The page's tables and charts of the MMPP stock per month, the MMPP flows and the
comparison of a region's organisations (`by_organisation`); used by .presentation."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reporting.charts import Series, bar_chart
from reporting.grids import Grid, month_label

CATEGORIES = "12345"


def mmpp_stock_by_month(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    columns = [("month", _("Maand")), ("total", _("Totaal"))] + [
        (f"cat_{c}", _("Categorie %(category)s") % {"category": c}) for c in CATEGORIES
    ]
    rows = [
        {"month": month_label(key), "total": entry["total"]}
        | {f"cat_{c}": entry["by_category"][c] for c in CATEGORIES}
        for key, entry in data.items()
    ]
    return [Grid(_("Op de laatste dag van elke maand"), columns, rows)]


def mmpp_stock_by_month_chart(data: dict[str, Any]) -> SafeString:
    return bar_chart(
        chart_id="chart-mmpp-stock-by-month",
        title=_("MMPP-werkzoekenden op het einde van elke maand, per categorie"),
        labels=[month_label(key) for key in data],
        values=[[entry["by_category"][c] for c in CATEGORIES] for entry in data.values()],
        series=[
            Series(_("categorie %(category)s") % {"category": c}, f"series-{i}")
            for i, c in enumerate(CATEGORIES)
        ],
    )


def mmpp_flow(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    columns = [
        ("month", _("Maand")),
        ("inflow", _("Instroom")),
        ("outflow", _("Uitstroom")),
        ("to_work", _("Uitstroom naar werk")),
    ]
    rows = [{"month": month_label(key), **entry} for key, entry in data.items()]
    return [Grid(_("Per maand"), columns, rows)]


def mmpp_flow_chart(data: dict[str, Any]) -> SafeString:
    return bar_chart(
        chart_id="chart-mmpp-flow",
        title=_("Instroom en uitstroom van MMPP-werkzoekenden per maand"),
        labels=[month_label(key) for key in data],
        values=[[entry["inflow"], entry["outflow"]] for entry in data.values()],
        series=[Series(_("instroom"), "series-0"), Series(_("uitstroom"), "series-1")],
    )


def by_organisation_columns() -> list[tuple[str, str]]:
    return [
        ("leefloon", _("Leefloon")),
        ("equivalent", _("Equivalent leefloon")),
        ("leefloon_per_1000", _("Leefloon per 1.000 inwoners")),
        ("equivalent_per_1000", _("Equivalent per 1.000 inwoners")),
        ("article60_employed", _("Tewerkgesteld artikel 60")),
        ("clients_per_fte", _("Cliënten per VTE")),
        ("vdab_inflow", _("Instroom VDAB")),
        ("mmpp_stock", _("MMPP-stock")),
    ]


def by_organisation(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    columns = [("organisation", _("Organisatie")), *by_organisation_columns()]
    rows = [{"organisation": code, **figures} for code, figures in data.items()]
    return [Grid(_("Per organisatie, met de definities van een organisatie"), columns, rows)]


def by_organisation_charts(data: dict[str, Any]) -> list[SafeString]:
    """One chart per headline figure, a bar per organisation."""
    return [
        bar_chart(
            chart_id=f"chart-by-organisation-{key.replace('_', '-')}",
            title=label,
            labels=list(data),
            values=[[figures[key]] for figures in data.values()],
            series=[Series(label, "series-0")],
        )
        for key, label in by_organisation_columns()
    ]
