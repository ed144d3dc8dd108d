"""The same report object written as JSON, CSV or XLSX.

- JSON: the report dict as is (the shape of council-report.md); the command and
  the API endpoint write the very same text.
- CSV: a flat table `statistic,key,value`: the report's parameters (statistic
  `report`), every figure with its key path inside its statistic
  (`unique_by_year.2024.leefloon`), then the definitions (`definition`,
  `definition_en`). An empty cell is a null figure.
- XLSX: a sheet with the parameters, one sheet per statistic with the tables of
  the page, and a sheet with the definitions in Dutch and English.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.spreadsheets import PLAIN_CSV, CsvDialect, safe_cell, safe_row
from reporting.presentation import build_sections, sheet_names

FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(key path, value) of every leaf, keys joined with dots, in the report's order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, f"{path}.{key}" if path else str(key))
    else:
        yield path, value


def report_rows(report: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """The report as (statistic, key path, value) rows."""
    if "region" in report:
        yield "report", "region", report["region"]
        yield "report", "organisations", " ".join(report["organisations"])
    else:
        yield "report", "organisation", report["organisation"]
    yield "report", "period.from", report["period"]["from"]
    yield "report", "period.to", report["period"]["to"]
    yield "report", "reference_month", report["reference_month"]
    yield "report", "as_of", report["as_of"]
    for statistic, data in report["statistics"].items():
        for path, value in flatten(data):
            yield statistic, path, value
    for statistic, text in report["definitions"].items():
        yield statistic, "definition", text
    for statistic, text in report.get("definitions_en", {}).items():
        yield statistic, "definition_en", text


def report_csv(report: dict[str, Any], dialect: CsvDialect = PLAIN_CSV) -> str:
    """The flat table; the command writes it plain, the page's download for Excel."""
    out = io.StringIO()
    out.write(dialect.prefix)
    writer = csv.writer(out, delimiter=dialect.separator, lineterminator="\n")
    writer.writerow(["statistic", "key", "value"])
    for statistic, path, value in report_rows(report):
        writer.writerow(safe_row([statistic, path, "" if value is None else value]))
    return out.getvalue()


def report_xlsx(report: dict[str, Any]) -> bytes:
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Raadsrapport")
    sheet.append([_("Raadsrapport")])
    sheet["A1"].font = bold
    for statistic, path, value in report_rows(report):
        if statistic != "report":
            break
        sheet.append(safe_row([path, value]))

    names = sheet_names()
    for section in build_sections(report):
        sheet = workbook.create_sheet(str(names.get(section.key, section.key))[:31])
        sheet.append([safe_cell(section.title)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for grid in section.grids:
            sheet.append([])
            sheet.append([safe_cell(grid.caption)])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            sheet.append(safe_row(header for _key, header in grid.columns))
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in grid.rows:
                sheet.append(safe_row(row.get(key) for key, _header in grid.columns))
        sheet.append([])
        sheet.append(safe_row([_("Definitie"), section.definition]))

    sheet = workbook.create_sheet(_("Definities"))
    sheet.append([_("Statistiek"), _("Definitie (Nederlands)"), _("Definitie (Engels)")])
    for cell in sheet[1]:
        cell.font = bold
    english = report.get("definitions_en", {})
    for statistic, text in report["definitions"].items():
        sheet.append(safe_row([statistic, text, english.get(statistic, "")]))
    for column in ("B", "C"):
        sheet.column_dimensions[column].width = 90
        for cell in sheet[column]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def render(report: dict[str, Any], fmt: str, dialect: CsvDialect = PLAIN_CSV) -> str | bytes:
    if fmt == "json":
        return report_json(report)
    if fmt == "csv":
        return report_csv(report, dialect)
    if fmt == "xlsx":
        return report_xlsx(report)
    raise ValueError(f"unknown format {fmt!r}")
