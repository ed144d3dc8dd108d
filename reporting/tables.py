"""django-tables2 tables for the grids of the council report."""

from __future__ import annotations

import django_tables2 as tables

from reporting.presentation import Grid


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
