"""MMPP screening advices counted by the day of the advice."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from partners.models import MmppScreening
from reporting.statistics.common import month_alias
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic


@statistic(
    "mmpp_screenings",
    definition_nl="""
        MMPP-screeningsadviezen (adviezen, geen unieke cliënten), geteld op de datum van het
        advies: vóór de periode, per maand en per jaar van de periode (de maanden van dat jaar
        binnen de periode), en alles samen (vóór de periode plus de periode; adviezen na de
        periode tellen niet mee). Adviezen na de opmaakdatum tellen niet mee.
    """,
    definition_en="""
        MMPP screening advices (advices, not distinct clients), counted by the day of the
        advice: before the period, per month and per year of the period (that year's months
        inside the period), and all together (before the period plus the period; advices after
        the period are left out). Advices after the as-of day do not count.
    """,
)
def mmpp_screenings(params: ReportParameters) -> dict[str, Any]:
    aggregates: dict[str, Any] = {
        month_alias(month): Count(
            "pk", filter=Q(advised_on__gte=month.first, advised_on__lte=month.last)
        )
        for month in params.months
    }
    aggregates["before_period"] = Count("pk", filter=Q(advised_on__lt=params.first_day))
    counts = MmppScreening.objects.filter(
        organisation=params.organisation, advised_on__lte=params.known(params.last_day)
    ).aggregate(**aggregates)
    by_month = {str(month): counts[month_alias(month)] for month in params.months}
    by_year = {
        span.key: sum(by_month[str(m)] for m in params.months if m.year == span.year)
        for span in params.years
    }
    return {
        "before_period": counts["before_period"],
        "by_month": by_month,
        "by_year": by_year,
        "total": counts["before_period"] + sum(by_month.values()),
    }
