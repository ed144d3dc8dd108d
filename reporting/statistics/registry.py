"""The registry of statistics: each is a pure function with its definition beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reporting.statistics.params import ReportParameters

StatisticFunction = Callable[[ReportParameters], dict[str, Any]]


@dataclass(frozen=True)
class Statistic:
    """A registered statistic: its JSON key, its function and its definition (nl and en)."""

    key: str
    function: StatisticFunction
    definition_nl: str
    definition_en: str
    # The record kinds ("app_label.model", as in the audit log) the statistic reads: when
    # a published figure moves, the changes to these records since then explain why.
    reads: tuple[str, ...] = ()

    def definition(self, language: str | None = None) -> str:
        """The definition in `language` (English for `en*`, Dutch otherwise)."""
        if language and language.lower().startswith("en"):
            return self.definition_en
        return self.definition_nl

    def __call__(self, params: ReportParameters) -> dict[str, Any]:
        return self.function(params)


# Key -> statistic, in the order of the report (see `in_report_order`).
REGISTRY: dict[str, Statistic] = {}

# The order of council-report.md; a statistic registered later goes at the end.
REPORT_ORDER = (
    "income_support",
    "leefloon_duration",
    "article60",
    "caseload",
    "programmes",
    "vdab_inflow",
    "vdab_outflow_12m",
    "mmpp_screenings",
    "mmpp_stock",
    "vdab_handover",
    "activation_registered",
    "mmpp_stock_by_month",
    "mmpp_flow",
)


def in_report_order() -> list[Statistic]:
    """The registered statistics in the order of the report."""
    rank = {key: index for index, key in enumerate(REPORT_ORDER)}
    return sorted(REGISTRY.values(), key=lambda stat: rank.get(stat.key, len(rank)))


def statistic(
    key: str, *, definition_nl: str, definition_en: str, reads: tuple[str, ...] = ()
) -> Callable[[StatisticFunction], StatisticFunction]:
    """Register `function` as the statistic `key` of the council report; `reads` are the
    record kinds it reads ("casework.incomeright", ...)."""

    def register(function: StatisticFunction) -> StatisticFunction:
        if key in REGISTRY:
            raise ValueError(f"statistic {key!r} registered twice")
        REGISTRY[key] = Statistic(
            key=key,
            function=function,
            definition_nl=" ".join(definition_nl.split()),
            definition_en=" ".join(definition_en.split()),
            reads=tuple(reads),
        )
        return function

    return register
