"""The council report: every registered statistic for one set of parameters."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import in_report_order


def _snapshot() -> None:
    """On PostgreSQL, read every statistic from one snapshot (an import running meanwhile
    cannot make two figures of one report disagree). Only possible when the report opens
    the transaction itself; inside an outer transaction the outer one decides."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def build_report(params: ReportParameters) -> dict[str, Any]:
    """The report as plain, JSON-able data (the shape of council-report.md)."""
    ordered = in_report_order()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            _snapshot()
        statistics = {stat.key: stat(params) for stat in ordered}
    return {
        "organisation": params.organisation.code,
        "period": {"from": str(params.period_from), "to": str(params.period_to)},
        "reference_month": str(params.reference_month),
        "as_of": params.as_of.isoformat(),
        "statistics": statistics,
        "definitions": {stat.key: stat.definition_nl for stat in ordered},
        "definitions_en": {stat.key: stat.definition_en for stat in ordered},
    }
