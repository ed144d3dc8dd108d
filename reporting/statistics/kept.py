"""A statistic's query built and compiled once per shape, its dates filled in per report.

Building a statistic's query with the ORM and compiling it costs more CPU than the
database takes to run it for one year (docs/benchmarks.md, issue 15). The SQL text of
such a query depends on few things (the vendor, an organisation's or a region's report,
its organisations); its dates are only values. `kept_rows` builds the query from a
`KeptParameters`, a stand-in for the report's parameters whose dates are placeholders
(`core.prepared.Parameter`), keeps its SQL per shape and fills the placeholders from the
report's own parameters each time it runs. The stand-in offers only what is the same for
every report of one shape, so a query built from it cannot hold another report's day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Protocol

from django.db import router
from django.db.models import DateField, Field, Model, QuerySet

from core.prepared import Parameter, prepared_rows
from reporting.statistics.params import ReportParameters

DateValue = datetime.date | Parameter


class QueryParameters(Protocol):
    """What the query builders shared by statistics (`common`) read of a report: its
    `ReportParameters`, or their `KeptParameters` in a kept query."""

    @property
    def is_region(self) -> bool: ...

    @property
    def organisation_ids(self) -> list[int]: ...

    @property
    def as_of(self) -> Any: ...

    def known(self, last: Any) -> Any: ...

    def running_from(self, day: Any) -> Any: ...


class KeptParameters:
    """The report's parameters as a kept query sees them: the shape as values (a region's
    report or not, the organisations), every date as a `Parameter` computed from the
    parameters of the report that runs the query, by `ReportParameters`' own methods."""

    def __init__(self, params: ReportParameters) -> None:
        self.is_region = params.is_region
        self.organisation_ids = params.organisation_ids
        self.as_of = self.value(lambda p: p.as_of)

    @staticmethod
    def value(
        resolve: Callable[[ReportParameters], Any], output_field: Field[Any, Any] | None = None
    ) -> Parameter:
        """A placeholder for `resolve(params)` of the report that runs the query (a date
        unless `output_field` says otherwise)."""
        return Parameter(resolve, output_field or DateField())

    def known(self, last: DateValue) -> Parameter:
        """`ReportParameters.known` of `last` (a date or a placeholder)."""
        return self.value(lambda p: p.known(_resolved(last, p)))

    def running_from(self, day: DateValue) -> Parameter:
        """`ReportParameters.running_from` of `day` (a date or a placeholder)."""
        return self.value(lambda p: p.running_from(_resolved(day, p)))


def _resolved(day: DateValue, params: ReportParameters) -> datetime.date:
    return day.resolve(params) if isinstance(day, Parameter) else day


def kept_rows(
    params: ReportParameters,
    name: str,
    model: type[Model],
    build: Callable[[KeptParameters], QuerySet[Any]],
) -> list[tuple[Any, ...]]:
    """The rows of `build(KeptParameters(params))`, a query of `model` (plain values, as
    `common.plain_rows`), for `params`: built and compiled once per `name` (a statistic's
    query; `build` must be the same for one name) and shape, then run with the dates of
    `params`, on the database the ORM reads `model` from (the replica in a report)."""
    shape = (params.is_region, tuple(params.organisation_ids))
    return prepared_rows(
        ("statistic", name, shape),
        lambda: build(KeptParameters(params)),
        context=params,
        using=router.db_for_read(model),
        # Planned for each report's dates: a prepared statement's generic plan, made for
        # one year, made ten years' 12-month outflow 2.7x and the handovers' 7x slower.
        prepare=False,
    )
