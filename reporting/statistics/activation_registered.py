"""Clients in income support and in an activation trajectory who are registered at VDAB.

One pass for all months, however many: one query reads the report's activation
trajectories, income rights and VDAB registrations overlapping the period (a
`UNION ALL`, each filtered on the report's organisations, the latter two only of the
persons with such a trajectory), as compact rows (kind, person, first and last month);
a tally in Python gives each person a bit per month for each kind and counts the
persons whose three masks share a month. A second query reads the known households of
those persons' client records. The earlier form (a filtered `COUNT(DISTINCT ...)` per
month with, in a region, correlated subqueries on the person per month) took over 90
s for Flanders' ten years (docs/benchmarks.md, "Regions at Flemish scale").
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import IntegerField, Q, QuerySet, Value

from casework.models import Client, IncomeRight, Trajectory, TrajectoryKind
from partners.models import VdabRegistration
from reporting.statistics.common import known_overlap_q, month_number
from reporting.statistics.params import ReportParameters
from reporting.statistics.persons import person_key
from reporting.statistics.registry import statistic

HOUSEHOLDS = ("single", "cohabiting", "married", "unknown")
ACTIVATION_KINDS = (TrajectoryKind.GPMI.value, TrajectoryKind.ACTIVATION.value)
TRAJECTORY, INCOME, REGISTRATION = 0, 1, 2


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
    months = params.months
    result = {str(month): dict.fromkeys((*HOUSEHOLDS, "total"), 0) for month in months}
    trajectories, incomes, registrations = _month_masks(params)
    counted: dict[Any, int] = {}
    for person, mask in trajectories.items():
        mask &= incomes.get(person, 0) & registrations.get(person, 0)
        if mask:
            counted[person] = mask
    if not counted:
        return result
    households = _households(params)
    tally: Counter[tuple[str, int]] = Counter()
    for person, mask in counted.items():
        household = households.get(person, "unknown")
        tally[household if household in HOUSEHOLDS else "unknown", mask] += 1
    keys = [str(month) for month in months]
    for (household, mask), n in tally.items():
        index = 0
        while mask:
            if mask & 1:
                entry = result[keys[index]]
                entry[household] += n
                entry["total"] += n
            mask >>= 1
            index += 1
    return result


def _trajectories(params: ReportParameters) -> QuerySet[Trajectory]:
    """The report's activation trajectories overlapping the period (as known on as_of)."""
    return Trajectory.objects.filter(
        organisation_id__in=params.organisation_ids, kind__in=ACTIVATION_KINDS
    ).filter(known_overlap_q(params, params.first_day, params.last_day))


def _of_persons_with_trajectory(params: ReportParameters, client: str = "client") -> Q:
    """Records (reaching their Client by `client`; "" for clients) of a person with an
    activation trajectory in the period: of a client record with one, or, in a region, of
    a client record with the national number of one (`person_key`). Two uncorrelated
    subqueries on plain columns, which the database evaluates once each."""
    client_id = f"{client}_id" if client else "pk"
    trajectories = _trajectories(params)
    of_persons = Q(**{f"{client_id}__in": trajectories.values("client_id")})
    if params.is_region:
        prefix = f"{client}__" if client else ""
        numbers = trajectories.exclude(client__national_number="").values(
            "client__national_number"
        )
        of_persons |= Q(**{f"{prefix}national_number__in": numbers})
    return of_persons


def _rows(
    params: ReportParameters, kind: int, records: QuerySet[Any], start: str, end: str
) -> QuerySet[Any]:
    """(kind, person, first month, last month) of `records` overlapping the period (as
    known on as_of), months as YYYYMM, the last None when the record has not ended."""
    records = records.filter(organisation_id__in=params.organisation_ids).filter(
        known_overlap_q(params, params.first_day, params.last_day, start, end)
    )
    if params.is_region:
        # The person key joins the client: with the organisations' predicate on it too.
        records = records.filter(client__organisation_id__in=params.organisation_ids)
    return (
        records.annotate(
            person=person_key(params),
            record_kind=Value(kind, output_field=IntegerField()),
            first_month=month_number(start),
            last_month=month_number(end),
        )
        .order_by()
        .values_list("record_kind", "person", "first_month", "last_month")
    )


def _month_masks(params: ReportParameters) -> tuple[dict[Any, int], ...]:
    """Per kind (trajectory, income right, VDAB registration), per person: a bit per month
    of the period (bit 0: its first month) in which they have one of those records."""
    of_persons = _of_persons_with_trajectory(params)
    rows = _rows(
        params, TRAJECTORY, _trajectories(params), "start_date", "end_date"
    ).union(
        _rows(params, INCOME, IncomeRight.objects.filter(of_persons), "start_date", "end_date"),
        _rows(
            params,
            REGISTRATION,
            VdabRegistration.objects.filter(of_persons),
            "registered_on",
            "ended_on",
        ),
        all=True,
    ).order_by()  # not the first model's default ordering: its columns are not selected
    first = params.period_from.year * 12 + params.period_from.month - 1
    count = len(params.months)
    full = (1 << count) - 1
    masks: tuple[dict[Any, int], ...] = ({}, {}, {})
    for kind, person, first_month, last_month in rows.iterator(chunk_size=10_000):
        low = max(first_month // 100 * 12 + first_month % 100 - 1 - first, 0)
        if last_month is None:
            bits = full >> low << low
        else:
            high = min(last_month // 100 * 12 + last_month % 100 - first, count)
            if low >= high:
                continue
            bits = ((1 << (high - low)) - 1) << low
        by_person = masks[kind]
        by_person[person] = by_person.get(person, 0) | bits
    return masks


def _households(params: ReportParameters) -> dict[Any, str]:
    """Per person with an activation trajectory: the household of their client records, a
    known one before unknown, then that of the organisation first by code (and the
    client's external id); persons without a known household are left out."""
    clients = (
        Client.objects.filter(organisation_id__in=params.organisation_ids)
        .exclude(household="")
        .filter(_of_persons_with_trajectory(params, client=""))
        .annotate(person=person_key(params, ""))
        .order_by()
        .values_list("person", "household", "organisation__code", "external_id")
    )
    chosen: dict[Any, tuple[str, str, str]] = {}
    for person, household, code, external_id in clients.iterator(chunk_size=10_000):
        # Python compares text by code point, as `code_point_order` makes the databases do.
        mine = (code, external_id, household)
        if person not in chosen or mine < chosen[person]:
            chosen[person] = mine
    return {person: household for person, (_code, _id, household) in chosen.items()}
