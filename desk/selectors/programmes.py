"""Programme results per year: the council report's `programmes` statistic, so the
programme pages and the report give the same figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Min
from django.utils.translation import get_language

from casework.models import Organisation
from partners.models import ProgrammeFunding, ProgrammeSession, Referral
from reporting.statistics import REGISTRY, Month, ReportParameters
from reporting.statistics.programmes import programmes as programme_statistic


def result_years(organisation: Organisation, day: datetime.date) -> list[int]:
    """From the first year with a referral, session or funding up to this year."""
    firsts = [
        Referral.objects.filter(organisation=organisation).aggregate(y=Min("start_date"))["y"],
        ProgrammeSession.objects.filter(programme__organisation=organisation).aggregate(
            y=Min("date")
        )["y"],
    ]
    funded = ProgrammeFunding.objects.filter(programme__organisation=organisation).aggregate(
        y=Min("year")
    )["y"]
    years = [d.year for d in firsts if d] + ([funded] if funded else [])
    first = min(years, default=day.year)
    return list(range(max(first, day.year - 24), day.year + 1))


def yearly_results(organisation: Organisation, day: datetime.date) -> dict[str, Any]:
    """Per programme code, per year: the council report's `programmes` statistic."""
    years = result_years(organisation, day)
    params = ReportParameters(
        organisation=organisation,
        period_from=Month(years[0], 1),
        period_to=Month(years[-1], 12),
        reference_month=Month.of(day),
        as_of=day,
    )
    results = programme_statistic(params)
    # Newest year first on the page; years in which nothing happened are left out.
    return {
        code: [
            (year, figures)
            for year, figures in sorted(per_year.items(), key=lambda kv: kv[0], reverse=True)
            if figures["participants"] or figures["sessions"] or figures["funding_eur"] is not None
        ]
        for code, per_year in results.items()
    }


def results_definition() -> str:
    return REGISTRY["programmes"].definition(get_language())
