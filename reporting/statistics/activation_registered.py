"""Clients in income support and in an activation trajectory who are registered at VDAB.

One pass for all months, however many: one query (`UNION ALL`) reads the report's
activation trajectories, income rights and VDAB registrations overlapping the period
as compact rows (kind, client record, first month and the month after the last as
indexes into the period, clipped by the database), each filtered on the report's
organisations and joined to nothing but, for a trajectory, its client's household; a
tally in Python gives each person a bit per month for each kind and counts the persons
whose three masks share a month. In a region, one more query finds the client records
that share a national number (the only ones whose person is more than their own
record, `persons.person_ids`) with their households. The earlier form (a filtered
`COUNT(DISTINCT ...)` per month, in a region with correlated subqueries on the person
per month) took over 90 s for Flanders' ten years (docs/benchmarks.md, "Regions at
Flemish scale").

An organisation's report, where a person is a client record, joins each client's three
kinds of records instead (`_organisation_masks`): one query, within 1.5x of the
hand-written SQL of benchmarks/yardsticks.py, where reading the kinds apart was 2x.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import (
    CharField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Greatest, Least

from casework.models import IncomeRight, Trajectory, TrajectoryKind
from partners.models import VdabRegistration
from reporting.statistics.common import MonthIndex, known_end, known_overlap_q, plain_rows
from reporting.statistics.params import ReportParameters
from reporting.statistics.persons import clients_sharing_a_national_number, person_ids
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
    months = [str(month) for month in params.months]
    result = {month: dict.fromkeys((*HOUSEHOLDS, "total"), 0) for month in months}
    counted, households = _region_masks(params) if params.is_region else _organisation_masks(params)
    tally: Counter[tuple[str, int]] = Counter()
    for person, mask in counted:
        if mask:
            household = households.get(person) or "unknown"
            tally[household if household in HOUSEHOLDS else "unknown", mask] += 1
    # Per household, +n where a run of months of a mask begins and -n after it ends, then
    # a running sum: a few steps per mask (its runs) instead of one per month (over ten
    # years, most masks are different and bit by bit was a fifth of the statistic's time).
    changes: dict[str, list[int]] = {}
    for (household, mask), n in tally.items():
        change = changes.get(household) or changes.setdefault(household, [0] * len(months))
        for low, high in _runs(mask):
            change[low] += n
            if high < len(months):
                change[high] -= n
    for household, change in changes.items():
        running = 0
        for month, delta in zip(months, change, strict=True):
            running += delta
            if running:
                entry = result[month]
                entry[household] += running
                entry["total"] += running
    return result


def _runs(mask: int) -> Iterator[tuple[int, int]]:
    """The runs of set bits of `mask` as [low, high) bit positions, lowest first
    (0b1101 -> (0, 1), (2, 4))."""
    while mask:
        low = (mask & -mask).bit_length() - 1
        run = mask >> low
        # ~run & (run + 1) is the lowest unset bit of run: its position is the run's length.
        high = low + (~run & (run + 1)).bit_length() - 1
        yield low, high
        mask = run >> (high - low) << high


def _region_masks(
    params: ReportParameters,
) -> tuple[Iterable[tuple[int, int]], dict[int, str]]:
    """In a region: per person, the bits of the months in which they have, on any of their
    client records, an activation trajectory, an income right and a VDAB registration;
    and their household. Two queries: the client records sharing a national number,
    and the three kinds of records (`_month_masks`)."""
    shared = list(
        clients_sharing_a_national_number(params).values_list(
            "pk", "national_number", "household", "organisation__code", "external_id"
        )
    )
    ids = person_ids((pk, number) for pk, number, *_rest in shared)
    (trajectories, incomes, registrations), households = _month_masks(params, ids)
    households.update(_households_of_namesakes(shared, ids))
    counted = (
        (person, mask & incomes.get(person, 0) & registrations.get(person, 0))
        for person, mask in trajectories.items()
    )
    return counted, households


def _month_index(field: str | Any, first: int) -> Any:
    """The month of a date field counted from the period's first month (0)."""
    return MonthIndex(field) - Value(first)


def _rows(
    params: ReportParameters, kind: int, records: QuerySet[Any], start: str, end: str
) -> QuerySet[Any]:
    """(kind, client record, first month, month after the last, household) of `records`
    overlapping the period (as known on as_of), the months clipped to the period; the
    household (of the client record) only for trajectories."""
    first = params.period_from.index
    count = len(params.months)
    household = F("client__household") if kind == TRAJECTORY else Value("")
    return (
        records.filter(organisation_id__in=params.organisation_ids)
        .filter(known_overlap_q(params, params.first_day, params.last_day, start, end))
        .annotate(
            record_kind=Value(kind, output_field=IntegerField()),
            low=Greatest(_month_index(start, first), Value(0)),
            high=Least(
                Coalesce(_month_index(known_end(params, end), first) + Value(1), Value(count)),
                Value(count),
            ),
            client_household=ExpressionWrapper(household, output_field=CharField()),
        )
        .order_by()
        .values_list("record_kind", "client_id", "low", "high", "client_household")
    )


def _month_masks(
    params: ReportParameters, ids: dict[int, int]
) -> tuple[tuple[dict[int, int], ...], dict[int, str]]:
    """Per kind (activation trajectory, income right, VDAB registration), per person (see
    `person_ids`) with such a record overlapping the period (as known on as_of): a bit
    per month of the period (bit 0: its first month) in which they have one; and the
    household of the client record of each trajectory, by person. One query (`UNION
    ALL`), rows of four integers and a text."""
    trajectories = Trajectory.objects.filter(kind__in=ACTIVATION_KINDS)
    rows = (
        _rows(params, TRAJECTORY, trajectories, "start_date", "end_date")
        .union(
            _rows(params, INCOME, IncomeRight.objects.all(), "start_date", "end_date"),
            _rows(
                params,
                REGISTRATION,
                VdabRegistration.objects.all(),
                "registered_on",
                "ended_on",
            ),
            all=True,
        )
        .order_by()  # not the first model's default ordering: its columns are not selected
    )
    # below[k]: the bits of the months before k; [low, high) is below[high] ^ below[low].
    below = [(1 << k) - 1 for k in range(len(params.months) + 1)]
    masks: tuple[dict[int, int], ...] = ({}, {}, {})
    households: dict[int, str] = {}
    for kind, client_id, low, high, household in plain_rows(rows):
        if low < high:
            person = ids.get(client_id, client_id)
            by_person = masks[kind]
            by_person[person] = by_person.get(person, 0) | below[high] ^ below[low]
            if kind == TRAJECTORY:
                households[person] = household
    return masks, households


def _organisation_masks(
    params: ReportParameters,
) -> tuple[Iterable[tuple[int, int]], dict[int, str]]:
    """In an organisation, a person is a client record: per client, the bits of the months
    in which one of its activation trajectories, one of its income rights and one of its
    VDAB registrations all overlap (each overlapping the period); and its household.

    One query: each (trajectory, income right, registration) of a client gives the months
    all three cover, [low, high) clipped to the period, and the database keeps of each
    such piece only the months the client's earlier pieces did not cover. Joined on the
    client's id, this is faster than reading the three kinds apart (docs/benchmarks.md)."""
    first = params.period_from.index
    count = len(params.months)
    first_day, last_day = params.first_day, params.last_day

    def end(field: str) -> Any:
        return Coalesce(_month_index(known_end(params, field), first) + Value(1), Value(count))

    rows = (
        Trajectory.objects.filter(
            organisation_id__in=params.organisation_ids, kind__in=ACTIVATION_KINDS
        )
        .filter(known_overlap_q(params, first_day, last_day))
        .annotate(
            income=FilteredRelation(
                "client__income_rights",
                condition=Q(client__income_rights__organisation_id__in=params.organisation_ids)
                & known_overlap_q(params, first_day, last_day, prefix="client__income_rights__"),
            ),
            registration=FilteredRelation(
                "client__vdab_registrations",
                condition=Q(client__vdab_registrations__organisation_id__in=params.organisation_ids)
                & known_overlap_q(
                    params,
                    first_day,
                    last_day,
                    "registered_on",
                    "ended_on",
                    prefix="client__vdab_registrations__",
                ),
            ),
        )
        .filter(income__isnull=False, registration__isnull=False)
        .alias(
            low=Greatest(
                _month_index("start_date", first),
                _month_index("income__start_date", first),
                _month_index("registration__registered_on", first),
                Value(0),
            ),
            high=Least(
                end("end_date"),
                end("income__end_date"),
                end("registration__ended_on"),
                Value(count),
            ),
        )
        .filter(low__lt=F("high"))
        # Merged per client in the database: taken in order, each piece adds only the
        # months after the latest end of the client's earlier pieces (most add none; those
        # are skipped below: a filter on the window would make Django compile the query
        # twice, wrapped in another).
        .alias(
            covered_before=Window(
                Max("high"),
                partition_by=[F("client_id")],
                order_by=[F("low").asc(), F("high").asc()],
                frame=RowRange(start=None, end=-1),
            )
        )
        .annotate(
            added_from=Greatest(F("low"), Coalesce(F("covered_before"), Value(0))),
            added_to=F("high"),
        )
        .order_by()
        .values_list("client_id", "added_from", "added_to", "client__household")
    )
    below = [(1 << k) - 1 for k in range(count + 1)]
    masks: dict[int, int] = {}
    households: dict[int, str] = {}
    for client_id, low, high, household in plain_rows(rows, stream=False):
        if low < high:
            masks[client_id] = masks.get(client_id, 0) | below[high] ^ below[low]
            households[client_id] = household
    return masks.items(), households


def _households_of_namesakes(shared: list[tuple[Any, ...]], ids: dict[int, int]) -> dict[int, str]:
    """The household of each person with more than one client record (`shared`: id,
    national number, household, organisation code, external id of each of them): a
    known one before unknown, then that of the organisation first by code (and the
    client's external id). Persons without a known household are left out."""
    chosen: dict[int, tuple[str, str, str]] = {}
    for pk, _number, household, code, external_id in shared:
        if household:
            person = ids[pk]
            # Python compares text by code point, as `code_point_order` makes the databases do.
            mine = (code, external_id, household)
            if person not in chosen or mine < chosen[person]:
                chosen[person] = mine
    return {person: household for person, (_code, _id, household) in chosen.items()}
