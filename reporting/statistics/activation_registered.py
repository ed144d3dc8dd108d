"""Clients in income support and in an activation trajectory who are registered at VDAB."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from casework.models import Client, IncomeRight, Trajectory, TrajectoryKind
from core.periods import code_point_order
from partners.models import VdabRegistration
from reporting.statistics.common import known_overlap_q, month_alias
from reporting.statistics.params import Month, ReportParameters
from reporting.statistics.persons import person_exists, person_key, person_subquery
from reporting.statistics.registry import statistic

HOUSEHOLDS = ("single", "cohabiting", "married", "unknown")
ACTIVATION_KINDS = (TrajectoryKind.GPMI.value, TrajectoryKind.ACTIVATION.value)


@statistic(
    "activation_registered",
    definition_nl="""
        Per maand van de periode: verschillende cliënten die elk de maand overlappend (niet
        noodzakelijk tegelijk) een recht op leefloon of equivalent leefloon, een traject van
        de soort GPMI of activering, en een VDAB-inschrijving (elke categorie) hebben; per
        gezinssituatie (alleenstaand, samenwonend, gehuwd, en onbekend als ze niet ingevuld
        is). Gegevens die na de opmaakdatum beginnen, tellen niet mee.
    """,
    definition_en="""
        Per month of the period: distinct clients who have, each overlapping the month (not
        necessarily at the same time), an income right (leefloon or equivalent), a trajectory
        of kind GPMI or activation, and a VDAB registration (any category); by household
        (single, cohabiting, married, and unknown when empty). Records starting after the as-of
        day do not count. In a region a person counts once, with the household of their
        client records: a known one before unknown, then that of the organisation first by
        code.
    """,
    reads=(
        "casework.incomeright",
        "casework.trajectory",
        "partners.vdabregistration",
        "casework.client",
    ),
)
def activation_registered(params: ReportParameters) -> dict[str, Any]:
    rows = _region_rows(params) if params.is_region else _organisation_rows(params)
    result = {str(month): dict.fromkeys((*HOUSEHOLDS, "total"), 0) for month in params.months}
    row: dict[str, Any]
    for row in rows:  # type: ignore[assignment]  # values() with dynamic aliases
        household = row["household"] if row["household"] in HOUSEHOLDS else "unknown"
        for month in params.months:
            n = row[month_alias(month)]
            result[str(month)][household] += n
            result[str(month)]["total"] += n
    return result


def _household() -> Any:
    return Coalesce(NullIf("household", Value("")), Value("unknown"))


def _region_rows(params: ReportParameters) -> QuerySet[Any]:
    """A region: the three conditions hold for the person over all of their client
    records in the region (correlated EXISTS per month); each person once, under the
    household of `_person_household`. Only client records with an activation trajectory
    of their own in the period are the rows: a person who counts has one."""

    def running(month: Month) -> Q:
        first, last = month.first, month.last
        trajectories = Trajectory.objects.filter(kind__in=ACTIVATION_KINDS)
        registrations = VdabRegistration.objects.filter(
            known_overlap_q(params, first, last, "registered_on", "ended_on")
        )
        return (
            person_exists(params, trajectories.filter(known_overlap_q(params, first, last)))
            & person_exists(
                params, IncomeRight.objects.filter(known_overlap_q(params, first, last))
            )
            & person_exists(params, registrations)
        )

    own_trajectory = Trajectory.objects.filter(
        client=OuterRef("pk"), kind__in=ACTIVATION_KINDS
    ).filter(known_overlap_q(params, params.first_day, params.last_day))

    def first_known(clients: Any) -> Any:
        return (
            clients.annotate(
                label=_household(),
                unknown=Case(When(household="", then=Value(1)), default=Value(0)),
            )
            .order_by(
                "unknown", code_point_order("organisation__code"), code_point_order("external_id")
            )
            .values("label")[:1]
        )

    household = person_subquery(params, Client.objects.all(), first_known, CharField(), client="")
    person = person_key(params, "")
    return (
        Client.objects.filter(organisation_id__in=params.organisation_ids)
        .filter(Exists(own_trajectory))
        .annotate(household_of_person=household)
        .order_by()
        .values("household_of_person")
        .annotate(
            **{
                month_alias(month): Count(person, distinct=True, filter=running(month))
                for month in params.months
            }
        )
        .annotate(household=Coalesce("household_of_person", Value("unknown")))
    )


def _organisation_rows(params: ReportParameters) -> QuerySet[Any]:
    # One row per (trajectory, income right, VDAB registration) of a client, each
    # overlapping the period; per month, a filtered count of distinct clients whose three
    # overlap that month. Plain comparisons on joined rows: no subquery per month.
    first, last = params.first_day, params.last_day
    return (
        Trajectory.objects.filter(
            organisation_id__in=params.organisation_ids, kind__in=ACTIVATION_KINDS
        )
        .filter(known_overlap_q(params, first, last))
        .annotate(
            income=FilteredRelation(
                "client__income_rights",
                condition=Q(client__income_rights__organisation_id__in=params.organisation_ids)
                & known_overlap_q(params, first, last, prefix="client__income_rights__"),
            ),
            registration=FilteredRelation(
                "client__vdab_registrations",
                condition=Q(client__vdab_registrations__organisation_id__in=params.organisation_ids)
                & known_overlap_q(
                    params,
                    first,
                    last,
                    "registered_on",
                    "ended_on",
                    prefix="client__vdab_registrations__",
                ),
            ),
        )
        .filter(income__isnull=False, registration__isnull=False)
        .annotate(household=Coalesce(NullIf("client__household", Value("")), Value("unknown")))
        .order_by()
        .values("household")
        .annotate(
            **{
                month_alias(month): Count(
                    "client",
                    distinct=True,
                    filter=known_overlap_q(params, month.first, month.last)
                    & known_overlap_q(params, month.first, month.last, prefix="income__")
                    & known_overlap_q(
                        params,
                        month.first,
                        month.last,
                        "registered_on",
                        "ended_on",
                        prefix="registration__",
                    ),
                )
                for month in params.months
            }
        )
    )
