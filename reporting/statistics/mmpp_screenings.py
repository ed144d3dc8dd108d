"""MMPP screening advices counted by the day of the advice."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Value, When

from partners.models import MmppScreening
from reporting.statistics.common import month_number
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
    reads=("partners.mmppscreening",),
)
def mmpp_screenings(params: ReportParameters) -> dict[str, Any]:
    # One query: advices before the period in one group (0), the others per YYYYMM.
    rows = (
        MmppScreening.objects.filter(
            organisation_id__in=params.organisation_ids,
            advised_on__lte=params.known(params.last_day),
        )
        .annotate(
            group=Case(
                When(advised_on__lt=params.first_day, then=Value(0)),
                default=month_number("advised_on"),
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
    )
    counts = {row["group"]: row["n"] for row in rows}
    by_month = {
        str(month): counts.get(month.year * 100 + month.month, 0) for month in params.months
    }
    by_year = {
        span.key: sum(by_month[str(m)] for m in params.months if m.year == span.year)
        for span in params.years
    }
    before = counts.get(0, 0)
    return {
        "before_period": before,
        "by_month": by_month,
        "by_year": by_year,
        "total": before + sum(by_month.values()),
    }
