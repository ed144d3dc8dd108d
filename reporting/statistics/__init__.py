"""The statistics of the council report, one module per statistic family.

Each module registers its statistic with `@statistic(key, definition_nl=...,
definition_en=...)`: a pure, read-only function of the report parameters,
computed by database aggregation (the number of queries does not depend on the
number of records), returning plain JSON-able data. `REPORT_ORDER` is the order
of the report (and of council-report.md).
"""

from reporting.statistics import (  # noqa: F401  (importing registers)
    activation_registered,
    article60,
    caseload,
    income_support,
    leefloon_duration,
    mmpp_flow,
    mmpp_screenings,
    mmpp_stock,
    programmes,
    vdab_handover,
    vdab_inflow,
    vdab_outflow_12m,
)
from reporting.statistics.params import Month, ReportParameters, parse_day, scope_by_code
from reporting.statistics.registry import REGISTRY, Statistic, in_report_order, statistic
from reporting.statistics.report import build_report

__all__ = [
    "REGISTRY",
    "Month",
    "ReportParameters",
    "Statistic",
    "build_report",
    "in_report_order",
    "parse_day",
    "scope_by_code",
    "statistic",
]
