"""The council report: every registered statistic for one set of parameters."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from core.replica import read_connection, replica_reads
from reporting.statistics.by_organisation import BY_ORGANISATION
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import in_report_order


def _prepare(connection: BaseDatabaseWrapper, outermost: bool) -> None:
    """On PostgreSQL: read every statistic from one snapshot when the report opens the
    transaction itself (an import running meanwhile cannot make two figures of one report
    disagree; inside an outer transaction, the outer one decides), and switch JIT
    compilation off for it: the report's queries are wide (a filtered count per month)
    and cheap to run, and compiling them took longer than running them (73 s against
    under 1 s for a ten-year period, see docs/benchmarks.md)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if outermost:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SET LOCAL jit = off")


def _subject(params: ReportParameters) -> dict[str, Any]:
    """Whose report: `organisation`, or `region` and its `organisations` (sorted codes)."""
    if params.region is not None:
        codes = sorted(organisation.code for organisation in params.organisations)
        return {"region": params.region.code, "organisations": codes}
    return {"organisation": params.code}


def build_report(params: ReportParameters) -> dict[str, Any]:
    """The report as plain, JSON-able data (the shape of council-report.md)."""
    ordered = in_report_order()
    if params.is_region:
        ordered.append(BY_ORGANISATION)
    # On the replica when one is configured and fresh enough for the as-of day
    # (core/replica.py); the access rules were applied by the caller, on the primary.
    with replica_reads(as_of=params.as_of) as alias:
        connection = read_connection()
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=alias):
            _prepare(connection, outermost)
            statistics = {stat.key: stat(params) for stat in ordered}
    return {
        **_subject(params),
        "period": {"from": str(params.period_from), "to": str(params.period_to)},
        "reference_month": str(params.reference_month),
        "as_of": params.as_of.isoformat(),
        "statistics": statistics,
        "definitions": {stat.key: stat.definition_nl for stat in ordered},
        "definitions_en": {stat.key: stat.definition_en for stat in ordered},
    }
