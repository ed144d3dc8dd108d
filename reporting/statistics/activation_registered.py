"""Clients in income support and in an activation trajectory who are registered at VDAB.

One pass for all months, however many: three queries read the report's activation
trajectories, income rights and VDAB registrations overlapping the period as compact
rows (client record, first month, end month as indexes into the period), each filtered
on the report's organisations and without a join; a tally in Python gives each person
a bit per month for each kind and counts the persons whose three masks share a month.
In a region, one more query finds the client records that share a national number (the
only ones whose person is more than their own record, `persons.person_ids`), and one
reads the households. The earlier form (a filtered `COUNT(DISTINCT ...)` per month,
in a region with correlated subqueries on the person per month) took over 90 s for
Flanders' ten years (docs/benchmarks.md, "Regions at Flemish scale").
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, Greatest, Least

from casework.models import Client, IncomeRight, Trajectory, TrajectoryKind
from partners.models import VdabRegistration
from reporting.statistics.common import known_overlap_q, month_number
from reporting.statistics.params import ReportParameters
from reporting.statistics.persons import clients_sharing_a_national_number, person_ids
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
    months = [str(month) for month in params.months]
    result = {month: dict.fromkeys((*HOUSEHOLDS, "total"), 0) for month in months}
    shared = (
        list(
            clients_sharing_a_national_number(params).values_list(
                "pk", "national_number", "household", "organisation__code", "external_id"
            )
        )
        if params.is_region
        else []
    )
    ids = person_ids((pk, number) for pk, number, *_rest in shared)
    trajectories = _month_masks(params, _trajectories(params), ids, "start_date", "end_date")
    incomes = _month_masks(params, IncomeRight.objects.all(), ids, "start_date", "end_date")
    registrations = _month_masks(
        params, VdabRegistration.objects.all(), ids, "registered_on", "ended_on"
    )
    counted: dict[int, int] = {}
    for person, mask in trajectories.items():
        mask &= incomes.get(person, 0) & registrations.get(person, 0)
        if mask:
            counted[person] = mask
    if not counted:
        return result
    households = _households(params, ids, shared)
    tally: Counter[tuple[str, int]] = Counter()
    for person, mask in counted.items():
        household = households.get(person, "unknown")
        tally[household if household in HOUSEHOLDS else "unknown", mask] += 1
    for (household, mask), n in tally.items():
        index = 0
        while mask:
            if mask & 1:
                entry = result[months[index]]
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


def _month_index(field: str, first: int) -> Any:
    """The month of a date field counted from the period's first month (0)."""
    number = month_number(field)  # YYYYMM; YYYY * 100 + MM - YYYY * 88 = YYYY * 12 + MM
    return number - number / Value(100) * Value(88) - Value(1 + first)


def _month_masks(
    params: ReportParameters, records: QuerySet[Any], ids: dict[int, int], start: str, end: str
) -> dict[int, int]:
    """Per person (see `person_ids`) with one of `records` overlapping the period (as known
    on as_of): a bit per month of the period (bit 0: its first month) in which they have
    one. One query, rows of three integers (client record, first month, month after the
    last), clipped to the period by the database."""
    first = params.period_from.year * 12 + params.period_from.month - 1
    count = len(params.months)
    rows = (
        records.filter(organisation_id__in=params.organisation_ids)
        .filter(known_overlap_q(params, params.first_day, params.last_day, start, end))
        .annotate(
            low=Greatest(_month_index(start, first), Value(0)),
            high=Least(Coalesce(_month_index(end, first) + Value(1), Value(count)), Value(count)),
        )
        .order_by()
        .values_list("client_id", "low", "high")
    )
    # below[k]: the bits of the months before k; [low, high) is below[high] ^ below[low].
    below = [(1 << k) - 1 for k in range(count + 1)]
    masks: dict[int, int] = {}
    get = masks.get
    for client_id, low, high in rows.iterator(chunk_size=10_000):
        if low < high:
            person = ids.get(client_id, client_id)
            masks[person] = get(person, 0) | below[high] ^ below[low]
    return masks


def _households(
    params: ReportParameters, ids: dict[int, int], shared: list[tuple[Any, ...]]
) -> dict[int, str]:
    """Per person with an activation trajectory: the household of their client records, a
    known one before unknown, then that of the organisation first by code (and the
    client's external id); persons without a known household are left out. The client
    records with a trajectory are read here; those sharing a national number came with
    `shared` (id, number, household, organisation code, external id)."""
    own = (
        Client.objects.filter(
            organisation_id__in=params.organisation_ids,
            pk__in=_trajectories(params).values("client_id"),
        )
        .exclude(household="")
        .order_by()
        .values_list("pk", "household", "organisation__code", "external_id")
    )
    chosen: dict[int, tuple[str, str, str]] = {}
    candidates = [(pk, household, code, external) for pk, _n, household, code, external in shared]
    for pk, household, code, external_id in [*own, *candidates]:
        if not household:
            continue
        person = ids.get(pk, pk)
        # Python compares text by code point, as `code_point_order` makes the databases do.
        mine = (code, external_id, household)
        if person not in chosen or mine < chosen[person]:
            chosen[person] = mine
    return {person: household for person, (_code, _id, household) in chosen.items()}
