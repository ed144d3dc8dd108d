"""The report's grids as plain tables: rows of cells computed once in Python and drawn by a
plain template loop (`reporting/_table.html`).

django-tables2 introspects every cell it renders (`inspect.signature` per cell): for a
10-year report of ~6,400 cells that cost more than the report itself. The report's grids
need none of what it offers (no sorting, no paging), so they are drawn directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import formats

from reporting.presentation import Grid, Section, build_sections

# An empty figure (a percent of nothing, an unknown population, a total's percent)
# shows as a dash.
EMPTY = "–"


def cell_text(value: Any) -> str:
    """A figure in a report table, written as the active language writes numbers (nl-BE:
    89.640 and 16,73; en: 89,640 and 16.73); an empty figure a dash. The page and the
    answer's document (DOCX) draw their tables with it, so they agree."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class ReportTable:
    """One grid, ready to draw: a caption, the column headers and the rows' cells."""

    caption: str
    headers: list[str]
    rows: list[list[Any]]


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
