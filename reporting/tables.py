"""django-tables2 tables for the grids of the council report."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables

from reporting.presentation import Grid, Section, build_sections


class ReportTable(tables.Table):
    """A statistic's grid: columns are added per grid (`extra_columns`), never sortable
    (the report's parameters are in the URL; sorting would only add noise)."""

    class Meta:
        orderable = False
        attrs = {"class": "table report-table"}
        # An empty figure (a percent of nothing, an unknown population) shows as a dash.
        default = "–"


def table_for(grid: Grid) -> ReportTable:
    table = ReportTable(
        grid.rows,
        extra_columns=[
            (key, tables.Column(verbose_name=header, default="–")) for key, header in grid.columns
        ],
    )
    table.caption = grid.caption
    return table


def sections_with_tables(
    report: dict[str, Any], keys: list[str] | None = None
) -> list[tuple[Section, list[ReportTable]]]:
    """The sections of the report page (all, or those of `keys` in that order), each with
    its tables: what `reporting/_sections.html` draws."""
    if keys is not None:
        report = report | {"statistics": {key: report["statistics"][key] for key in keys}}
    return [
        (section, [table_for(grid) for grid in section.grids]) for section in build_sections(report)
    ]
