"""Outflow to work within 12 months of the OCMW jobseekers' VDAB registration."""

from __future__ import annotations

from typing import Any

from reporting.statistics.common import ocmw_registrations, outflow_by_month
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic


@statistic(
    "vdab_outflow_12m",
    definition_nl="""
        Per inschrijvingsmaand M van de periode: de instroom van M (zoals bij de VDAB-instroom)
        en hoeveel van die inschrijvingen gevolgd werden door werk: een tewerkstelling of een
        tewerkstelling artikel 60 van dezelfde cliënt die begint op of na de
        inschrijvingsdatum en ten laatste op de laatste dag van de 12de maand na M (instroom
        januari 2012: tot en met 31/01/2013), met het percent. Een maand staat er pas als dat
        venster op de opmaakdatum afgesloten is (de laatste dag ervan ligt op of vóór de
        opmaakdatum).
    """,
    definition_en="""
        Per registration month M of the period: the inflow of M (as in the VDAB inflow) and how
        many of those registrations were followed by work: an employment or an article 60
        placement of the same client starting on or after the registration day and on or before
        the last day of the 12th month after M (inflow January 2012: up to 31/01/2013), with
        the percent. A month is only given once that window has closed by the as-of day (its
        last day is on or before the as-of day).
    """,
    reads=(
        "partners.vdabregistration",
        "partners.employment",
        "partners.article60placement",
        "casework.client",
    ),
)
def vdab_outflow_12m(params: ReportParameters) -> dict[str, Any]:
    return outflow_by_month(params, ocmw_registrations, "inflow")
