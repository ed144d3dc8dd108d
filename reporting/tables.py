"""The report's grids as plain tables: rows of cells computed once in Python and drawn by a
plain template loop (`reporting/_table.html`).

django-tables2 introspects every cell it renders (`inspect.signature` per cell): for a
10-year report of ~6,400 cells that cost more than the report itself. The report's grids
need none of what it offers (no sorting, no paging), so they are drawn directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format

from reporting.presentation import Grid, Section, build_sections

# An empty figure (a percent of nothing, an unknown population) shows as a dash.
EMPTY = "–"


@dataclass(frozen=True)
class ReportTable:
    """One grid, ready to draw: a caption, the column headers and the rows' cells."""

    caption: str
    headers: list[str]
    rows: list[list[Any]]


def cell_text(value: Any) -> Any:
    """A figure as the page's language writes it, thousands grouped (89.640 in Dutch,
    89,640 in English), as the answer's DOCX does; texts (a month, a year) as they are."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return value


def table_for(grid: Grid) -> ReportTable:
    keys = [key for key, _header in grid.columns]
    return ReportTable(
        caption=grid.caption,
        headers=[header for _key, header in grid.columns],
        rows=[[cell_text(row.get(key)) for key in keys] for row in grid.rows],
    )


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
