"""The report as people read it: per statistic a title, its definition and plain tables.

The page (django-tables2 tables and SVG charts) and the XLSX download both use
these grids, so both show exactly the same rows. Everything here works on the
report dict that `build_report` returns: no query is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partners.models import Programme
from reporting import monthly_sections
from reporting.charts import Series, bar_chart
from reporting.grids import Grid, month_label
from reporting.statistics import REGISTRY, Month

__all__ = ["Grid", "Section", "build_sections", "month_label"]


@dataclass
class Section:
    key: str
    title: str
    definition: str
    grids: list[Grid] = field(default_factory=list)
    chart: SafeString | None = None
    extra_charts: list[SafeString] = field(default_factory=list)


def sheet_names() -> dict[str, str]:
    """The sections' short names (a spreadsheet's sheet holds at most 31 characters)."""
    return {
        "income_support": _("Leefloon"),
        "leefloon_duration": _("Duur leefloon"),
        "article60": _("Artikel 60"),
        "caseload": _("Caseload"),
        "programmes": _("Partnerprogramma's"),
        "vdab_inflow": _("Instroom VDAB"),
        "vdab_outflow_12m": _("Uitstroom naar werk"),
        "mmpp_screenings": _("MMPP-adviezen"),
        "mmpp_stock": _("MMPP op 31 december"),
        "vdab_handover": _("Warme overdracht VDAB"),
        "activation_registered": _("Activering en VDAB"),
        "mmpp_stock_by_month": _("MMPP per maand"),
        "mmpp_flow": _("MMPP in- en uitstroom"),
        "by_organisation": _("Per organisatie"),
    }


def section_titles() -> dict[str, str]:
    return {
        "income_support": _("Leefloon en equivalent leefloon"),
        "leefloon_duration": _("Duur in het leefloon"),
        "article60": _("Tewerkstelling artikel 60 §7"),
        "caseload": _("Caseload"),
        "programmes": _("Partnerprogramma's"),
        "vdab_inflow": _("Instroom bij VDAB van werkzoekenden ten laste van het OCMW"),
        "vdab_outflow_12m": _("Uitstroom naar werk binnen 12 maanden na de instroom"),
        "mmpp_screenings": _("MMPP-screeningsadviezen"),
        "mmpp_stock": _("MMPP-werkzoekenden op 31 december"),
        "vdab_handover": _("Warme overdracht naar VDAB"),
        "activation_registered": _(
            "Cliënten in een activeringstraject die bij VDAB ingeschreven zijn"
        ),
        "mmpp_stock_by_month": _("MMPP-werkzoekenden per maand"),
        "mmpp_flow": _("Instroom en uitstroom van MMPP-werkzoekenden"),
        "by_organisation": _("Vergelijking van de organisaties"),
    }


def _bands() -> list[tuple[str, str]]:
    return [("under_25", _("-25 jaar")), ("25_to_49", _("25 tot -50 jaar")), ("50_plus", _("50+"))]


def _genders() -> list[tuple[str, str]]:
    return [("m", _("mannen")), ("f", _("vrouwen")), ("x", _("x"))]


def _inflow_grid(caption: str, by_month: dict[str, Any]) -> Grid:
    columns = [("month", _("Maand"))]
    for gender, gender_label in _genders():
        for band, band_label in _bands():
            columns.append((f"{gender}_{band}", f"{gender_label} {band_label}"))
        columns.append((f"{gender}_total", _("totaal %(gender)s") % {"gender": gender_label}))
    columns.append(("total", _("Totaal")))
    rows = []
    for key, month in by_month.items():
        row: dict[str, Any] = {"month": month_label(key), "total": month["total"]}
        for gender, _label in _genders():
            for band, _band_label in _bands():
                row[f"{gender}_{band}"] = month[gender][band]
            row[f"{gender}_total"] = month[gender]["total"]
        rows.append(row)
    return Grid(caption, columns, rows)


def _inflow_chart(chart_id: str, title: str, by_month: dict[str, Any]) -> SafeString:
    return bar_chart(
        chart_id=chart_id,
        title=title,
        labels=[month_label(key) for key in by_month],
        values=[[month[g]["total"] for g, _label in _genders()] for month in by_month.values()],
        series=[Series(label, f"series-{index}") for index, (_g, label) in enumerate(_genders())],
    )


def _outflow_grid(caption: str, outflow: dict[str, Any], count_key: str, header: str) -> Grid:
    return Grid(
        caption,
        [
            ("month", _("Maand van instroom")),
            ("count", header),
            ("to_work", _("Naar werk binnen 12 maanden")),
            ("percent", _("%")),
        ],
        [
            {
                "month": month_label(key),
                "count": entry[count_key],
                "to_work": entry["to_work"],
                "percent": entry["percent"],
            }
            for key, entry in outflow.items()
        ],
    )


def _income_support(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    reference = month_label(report["reference_month"])
    return [
        Grid(
            _("Referentiemaand %(month)s") % {"month": reference},
            [
                ("leefloon", _("Leefloon")),
                ("equivalent", _("Equivalent leefloon")),
                ("inhabitants", _("Inwoners")),
                ("leefloon_per_1000", _("Leefloon per 1.000 inwoners")),
                ("equivalent_per_1000", _("Equivalent per 1.000 inwoners")),
            ],
            [
                {key: data[key] for key in ("leefloon", "equivalent", "inhabitants")}
                | {key: data[key] for key in ("leefloon_per_1000", "equivalent_per_1000")}
            ],
        ),
        Grid(
            _("Uniek aantal per jaar"),
            [("year", _("Jaar")), ("leefloon", _("Leefloon")), ("equivalent", _("Equivalent"))],
            [{"year": year, **counts} for year, counts in data["unique_by_year"].items()],
        ),
    ]


def _leefloon_duration(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    labels = {
        "up_to_1y": _("tot 1 jaar"),
        "1y_to_2y": _("1 tot 2 jaar"),
        "2y_to_4y": _("2 tot 4 jaar"),
        "over_4y": _("meer dan 4 jaar"),
    }
    rows: list[dict[str, Any]] = [
        {"bucket": label, "count": data["counts"][key], "percent": data["percent"][key]}
        for key, label in labels.items()
    ]
    rows.append({"bucket": _("Totaal"), "count": sum(data["counts"].values()), "percent": None})
    return [
        Grid(
            _("Op %(day)s") % {"day": _last_day_label(report["reference_month"])},
            [("bucket", _("Duur")), ("count", _("Cliënten")), ("percent", _("%"))],
            rows,
        )
    ]


def _last_day_label(month_key: str) -> str:
    year, month = month_key.split("-")
    return Month(int(year), int(month)).last.strftime("%d/%m/%Y")


def _article60(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    return [
        Grid(
            _("Tewerkgesteld per maand"),
            [("month", _("Maand")), ("employed", _("Tewerkgesteld"))],
            [
                {"month": month_label(key), "employed": value}
                for key, value in data["employed_by_month"].items()
            ],
        ),
        Grid(
            _("Per jaar"),
            [
                ("year", _("Jaar")),
                ("average", _("Gemiddeld per maand")),
                ("ended", _("Beëindigd")),
                ("to_work_or_training", _("Naar werk of werkgerelateerde opleiding")),
                ("percent", _("Doorstroom %")),
            ],
            [
                {
                    "year": year,
                    "average": data["average_per_month_by_year"][year],
                    **data["flow_through_by_year"][year],
                }
                for year in data["average_per_month_by_year"]
            ],
        ),
        Grid(
            _("Referentiemaand %(month)s") % {"month": month_label(report["reference_month"])},
            [("employed", _("Tewerkgesteld"))],
            [{"employed": data["employed_in_reference_month"]}],
        ),
    ]


def _caseload(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    return [
        Grid(
            _("Op %(day)s") % {"day": _last_day_label(report["reference_month"])},
            [
                ("social_workers", _("Maatschappelijk assistenten")),
                ("fte", _("VTE")),
                ("clients", _("Cliënten")),
                ("clients_per_fte", _("Cliënten per VTE")),
            ],
            [dict(data)],
        )
    ]


def _programmes(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    columns = [
        ("programme", _("Programma")),
        ("year", _("Jaar")),
        ("participants", _("Deelnemers")),
        ("sessions", _("Sessies")),
        ("max_session_participants", _("Max. deelnemers per sessie")),
        ("permanent_job", _("Vaste job")),
        ("permanent_job_percent", _("Vaste job %")),
        ("to_work", _("Naar werk")),
        ("to_work_percent", _("Naar werk %")),
        ("broader_result", _("Ruimer resultaat")),
        ("broader_result_percent", _("Ruimer resultaat %")),
        ("funding_eur", _("Financiering (EUR)")),
        ("cost_per_participant_eur", _("Kost per deelnemer (EUR)")),
        ("cost_per_broader_result_eur", _("Kost per ruimer resultaat (EUR)")),
    ]
    rows = [
        {"programme": Programme.DEFAULTS.get(code, code), "year": year, **entry}
        for code, years in data.items()
        for year, entry in years.items()
    ]
    return [Grid(_("Per programma en per jaar"), columns, rows)]


def _mmpp_screenings(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    summary: list[dict[str, Any]] = [{"what": _("Vóór de periode"), "count": data["before_period"]}]
    summary += [
        {"what": _("Totaal %(year)s") % {"year": year}, "count": count}
        for year, count in data["by_year"].items()
    ]
    summary.append({"what": _("Eindtotaal"), "count": data["total"]})
    return [
        Grid(
            _("Per maand"),
            [("month", _("Maand")), ("count", _("Adviezen"))],
            [{"month": month_label(key), "count": n} for key, n in data["by_month"].items()],
        ),
        Grid(_("Samenvatting"), [("what", ""), ("count", _("Adviezen"))], summary),
    ]


def _mmpp_stock(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    columns = [("day", _("Op")), ("total", _("Totaal"))] + [
        (f"cat_{c}", _("Categorie %(category)s") % {"category": c}) for c in "12345"
    ]
    rows = [
        {"day": f"31/12/{year}", "total": entry["total"]}
        | {f"cat_{c}": entry["by_category"][c] for c in "12345"}
        for year, entry in data.items()
    ]
    return [Grid(_("Per jaar op 31 december"), columns, rows)]


def _activation_registered(data: dict[str, Any], report: dict[str, Any]) -> list[Grid]:
    columns = [
        ("month", _("Maand")),
        ("single", _("Alleenstaand")),
        ("cohabiting", _("Samenwonend")),
        ("married", _("Gehuwd")),
        ("unknown", _("Onbekend")),
        ("total", _("Totaal")),
    ]
    rows = [{"month": month_label(key), **entry} for key, entry in data.items()]
    return [Grid(_("Per maand, per gezinssituatie"), columns, rows)]


def build_sections(report: dict[str, Any]) -> list[Section]:
    """Title, definition (in the active language), grids and chart of every statistic."""
    language = get_language()
    titles = section_titles()
    stats = report["statistics"]
    builders = {
        "income_support": _income_support,
        "leefloon_duration": _leefloon_duration,
        "article60": _article60,
        "caseload": _caseload,
        "programmes": _programmes,
        "mmpp_screenings": _mmpp_screenings,
        "mmpp_stock": _mmpp_stock,
        "activation_registered": _activation_registered,
        "mmpp_stock_by_month": monthly_sections.mmpp_stock_by_month,
        "mmpp_flow": monthly_sections.mmpp_flow,
        "by_organisation": monthly_sections.by_organisation,
    }
    sections = []
    for key, data in stats.items():
        registered = REGISTRY.get(key)
        section = Section(
            key=key,
            title=titles.get(key, key),
            definition=registered.definition(language)
            if registered
            else report.get(
                "definitions_en" if (language or "").startswith("en") else "definitions", {}
            ).get(key, ""),
        )
        if key in builders:
            section.grids = builders[key](data, report)
        elif key == "vdab_inflow":
            section.grids = [_inflow_grid(_("Per maand"), data)]
            section.chart = _inflow_chart("chart-vdab-inflow", _("Instroom per maand"), data)
        elif key == "vdab_outflow_12m":
            section.grids = [
                _outflow_grid(_("Per maand van instroom"), data, "inflow", _("Instroom"))
            ]
        elif key == "vdab_handover":
            section.grids = [
                _inflow_grid(_("Overdrachten per maand"), data["by_month"]),
                _outflow_grid(
                    _("Naar werk binnen 12 maanden"),
                    data["outflow_12m"],
                    "handovers",
                    _("Overdrachten"),
                ),
            ]
        if key == "article60":
            by_month = data["employed_by_month"]
            section.chart = bar_chart(
                chart_id="chart-article60",
                title=_("Tewerkgesteld in artikel 60 per maand"),
                labels=[month_label(k) for k in by_month],
                values=[[v] for v in by_month.values()],
                series=[Series(_("tewerkgesteld"), "series-0")],
            )
        elif key == "mmpp_stock":
            section.chart = bar_chart(
                chart_id="chart-mmpp-stock",
                title=_("MMPP-werkzoekenden op 31 december, per categorie"),
                labels=list(data),
                values=[[entry["by_category"][c] for c in "12345"] for entry in data.values()],
                series=[
                    Series(_("categorie %(category)s") % {"category": c}, f"series-{i}")
                    for i, c in enumerate("12345")
                ],
            )
        elif key == "mmpp_stock_by_month":
            section.chart = monthly_sections.mmpp_stock_by_month_chart(data)
        elif key == "mmpp_flow":
            section.chart = monthly_sections.mmpp_flow_chart(data)
        elif key == "by_organisation":
            section.extra_charts = monthly_sections.by_organisation_charts(data)
        sections.append(section)
    return sections
