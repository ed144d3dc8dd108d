"""Monthly inflow of OCMW jobseekers at VDAB, by gender and age band."""

from __future__ import annotations

from typing import Any

from reporting.statistics.common import inflow_by_month, ocmw_registrations
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic


@statistic(
    "vdab_inflow",
    definition_nl="""
        Per maand van de periode: VDAB-inschrijvingen in de categorie "werkzoekende ten laste
        van het OCMW" (ocmw) waarvan de inschrijvingsdatum in de maand valt (inschrijvingen,
        geen unieke cliënten), per geslacht (m, v, x) en leeftijd op de inschrijvingsdatum:
        jonger dan 25, 25 tot en met 49, 50 en ouder (wie die dag 25 of 50 wordt, valt al in
        de hogere klasse). Elk geslacht en elke maand heeft een totaal. Inschrijvingen na de
        opmaakdatum tellen niet mee.
    """,
    definition_en="""
        Per month of the period: VDAB registrations of the category "jobseeker supported by the
        OCMW" (ocmw) registered in the month (registrations, not distinct clients), by gender
        (m, f, x) and age on the registration day: under 25, 25 up to 49, 50 and over (someone
        turning 25 or 50 that day is already in the higher band). Each gender and each month
        has a total. Registrations after the as-of day do not count.
    """,
    reads=(
        "partners.vdabregistration",
        "casework.client",
    ),
)
def vdab_inflow(params: ReportParameters) -> dict[str, Any]:
    return inflow_by_month(params, ocmw_registrations(params))
