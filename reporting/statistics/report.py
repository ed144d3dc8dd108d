"""The council report: every registered statistic for one set of parameters."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from core.replica import replica_reads
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


@contextmanager
def report_snapshot(as_of: datetime.date | None = None) -> Iterator[None]:
    """A transaction in which every read sees one snapshot (see `_prepare`); read-only on
    PostgreSQL when it is the outermost one. With `as_of`, on the replica when one is
    configured and fresh enough for that day (core/replica.py); the access rules were
    applied by the caller, on the primary."""
    reads = replica_reads(as_of=as_of) if as_of is not None else nullcontext(DEFAULT_DB_ALIAS)
    with reads as alias:
        connection = connections[alias]
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=alias):
            _prepare(connection, outermost)
            yield


def build_report(params: ReportParameters) -> dict[str, Any]:
    """The report as plain, JSON-able data (the shape of council-report.md)."""
    with report_snapshot(params.as_of):
        return compute_report(params)


def compute_report(params: ReportParameters) -> dict[str, Any]:
    """`build_report` inside a transaction the caller opened with `report_snapshot`."""
    ordered = in_report_order()
    if params.is_region:
        ordered.append(BY_ORGANISATION)
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
