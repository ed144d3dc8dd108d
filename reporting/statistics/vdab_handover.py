"""Warm handovers from the OCMW to VDAB, per month, and what became of them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from partners.models import VdabRegistration
from reporting.statistics.common import inflow_by_month, outflow_by_month
from reporting.statistics.kept import QueryParameters
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic


@statistic(
    "vdab_handover",
    definition_nl="""
        Per maand van de periode: VDAB-inschrijvingen van elke categorie die op een warme
        overdracht volgden, met de inschrijvingsdatum in de maand, per geslacht en
        leeftijdsklasse zoals bij de VDAB-instroom; en per maand waarvan het venster van 12
        maanden op de opmaakdatum afgesloten is: hoeveel van die overdrachten gevolgd werden
        door werk, met hetzelfde venster en dezelfde betekenis van werk als bij de uitstroom
        naar werk na 12 maanden. Inschrijvingen na de opmaakdatum tellen niet mee.
    """,
    definition_en="""
        Per month of the period: VDAB registrations of any category that followed a warm
        handover, registered in the month, by gender and age band as in the VDAB inflow; and
        per month whose 12-month window has closed by the as-of day: how many of those
        handovers were followed by work, with the window and the meaning of work of the
        12-month outflow. Registrations after the as-of day do not count.
    """,
    reads=(
        "partners.vdabregistration",
        "partners.employment",
        "partners.article60placement",
        "casework.client",
    ),
)
def vdab_handover(params: ReportParameters) -> dict[str, Any]:
    return {
        "by_month": inflow_by_month(params, handovers(params)),
        "outflow_12m": outflow_by_month(params, handovers, "handovers"),
    }


def handovers(params: QueryParameters) -> QuerySet[VdabRegistration]:
    """The warm handovers of the report's organisations."""
    return VdabRegistration.objects.filter(
        organisation_id__in=params.organisation_ids, warm_handover=True
    )
