"""Plain tables of the report (what the page's tables and the XLSX sheets show)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reporting.statistics import Month


@dataclass
class Grid:
    """A plain table: column keys with their headers, and rows of values."""

    caption: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]


def month_label(key: str) -> str:
    year, month = key.split("-")
    return Month(int(year), int(month)).label
