"""MMPP jobseekers not at work on 31 December, by category of their latest advice.

The stock on a day is defined once here (`stock_states`) and read by `mmpp_stock`,
`mmpp_stock_by_month` and `mmpp_flow`. Its conditions hold for a person
(`reporting.statistics.persons`): in a region, over the records of all of that
person's client records.

One pass for all days, however many: four queries (advices, VDAB registrations,
employment, article-60 placements), each filtered on the report's organisations and
returning compact tuples (client record, dates, category) without a join to the
clients, and a tally in Python that clips each record to the indexes of the days it
covers. In a region one more query finds the client records that share a national
number, whose records are read together as one person's (`persons.person_ids`). The
earlier form (a correlated subquery per day and per condition) read every
organisation's work records once per month (docs/benchmarks.md, "Which statistics are
slow over a region, and why").
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import DateField, F, IntegerField, QuerySet, Value

from core.periods import PeriodQuerySet
from core.prepared import Parameter, prepared_rows
from partners.models import Article60Placement, Employment, MmppScreening, VdabRegistration
from partners.querysets import ScreeningQuerySet
from reporting.statistics.common import plain_rows
from reporting.statistics.params import ReportParameters
from reporting.statistics.persons import region_person_ids
from reporting.statistics.registry import statistic

CATEGORIES = ("1", "2", "3", "4", "5")


# Side by side (`stock_by_organisation`), a client record of one organisation is the
# person, as in that organisation's own report: the key packs the record's organisation
# and client into one integer (ids stay far below 2**40).
ORGANISATION_SHIFT = 2**40


def _person(per_organisation: bool) -> Any:
    """The column a row's person is read from: the client record (in a region mapped to
    its person in Python, `persons.person_ids`: no join to the clients)."""
    if per_organisation:
        return F("organisation_id") * Value(ORGANISATION_SHIFT) + F("client_id")
    return F("client_id")


def _of_report[Records: QuerySet[Any]](params: ReportParameters, records: Records) -> Records:
    """`records` of the report's organisations."""
    return records.filter(organisation_id__in=params.organisation_ids)


REGISTERED, AT_WORK = 0, 1


def _periods(
    params: ReportParameters,
    kind: int,
    records: PeriodQuerySet[Any],
    days: Sequence[datetime.date],
    per_organisation: bool,
) -> QuerySet[Any]:
    """Rows (kind, person, start, end) of `records` (a PeriodQuerySet) running on one of
    `days`; in an organisation only of the clients with an advice by the last of them
    (the others cannot be in the stock: a semi-join instead of their rows)."""
    records = _of_report(params, records.overlapping(days[0], days[-1]))
    if not params.is_region or per_organisation:
        # Over a region the same semi-join on the person key (an expression) made the
        # golden region test's report take 150 s instead of a few on PostgreSQL.
        advices = _advices(params, days, per_organisation)
        records = records.filter(client_id__in=advices.values("client_id"))
    return (
        records.annotate(
            person=_person(per_organisation),
            kind=Value(kind, output_field=IntegerField()),
        )
        .order_by()
        .values_list("kind", "person", records.start_field, records.end_field)
    )


# The first and the last of the days, in a query whose SQL is kept (`_rows`).
FIRST_DAY = Parameter(lambda days: days[0], DateField())
LAST_DAY = Parameter(lambda days: days[-1], DateField())


def _rows(
    params: ReportParameters,
    days: Sequence[datetime.date],
    per_organisation: bool,
    build: Callable[[ReportParameters, Sequence[Any], bool], QuerySet[Any]],
) -> Iterable[tuple[Any, ...]]:
    """The rows of `build(params, days, per_organisation)`, which reads only the first and
    the last of `days`. In an organisation's report the query is built and compiled once
    per shape and kept (`core.prepared`), the days filled in per run: building it cost
    more than running it for one year; in a region's, streamed (many rows)."""
    if params.is_region:
        return plain_rows(build(params, days, per_organisation))
    key = ("mmpp_stock", build.__name__, per_organisation, tuple(params.organisation_ids))
    return prepared_rows(
        key,
        lambda: build(params, (FIRST_DAY, LAST_DAY), per_organisation),
        context=days,
        using=router.db_for_read(MmppScreening),
        prepare=False,  # planned for its days, as `kept.kept_rows`
    )


def _running_rows(
    params: ReportParameters, days: Sequence[Any], per_organisation: bool
) -> QuerySet[Any]:
    """Rows (kind, person, start, end) of the VDAB registrations, employments and
    article-60 placements running on one of `days` (UNION ALL)."""
    return (
        _periods(params, REGISTERED, VdabRegistration.objects.all(), days, per_organisation)
        .union(
            _periods(params, AT_WORK, Employment.objects.all(), days, per_organisation),
            _periods(params, AT_WORK, Article60Placement.objects.all(), days, per_organisation),
            all=True,
        )
        .order_by()
    )  # not the registrations' default ordering: a sort of every row for nothing


def _running_days(
    params: ReportParameters,
    days: Sequence[datetime.date],
    per_organisation: bool,
    ids: dict[int, int],
) -> tuple[dict[Any, bytearray], dict[Any, bytearray]]:
    """Per person: 1 for each day of `days` (sorted) on which they have a VDAB
    registration (any category) running, and, apart, an employment or an article-60
    placement (`active_on`: started on or before the day, no end or ending on or after
    it), else 0. One query (UNION ALL)."""
    running: tuple[dict[Any, bytearray], dict[Any, bytearray]] = ({}, {})
    count = len(days)
    date = _date if connections[router.db_for_read(Employment)].vendor == "sqlite" else _same
    for kind, client, first, last in _rows(params, days, per_organisation, _running_rows):
        person = ids.get(client, client)
        low = bisect_left(days, date(first))
        high = count if last is None else bisect_right(days, date(last))
        if low < high:
            flags = running[kind].get(person)
            if flags is None:
                flags = running[kind][person] = bytearray(count)
            flags[low:high] = b"\x01" * (high - low)
    return running


def _date(value: Any) -> Any:
    """A date read by `plain_rows`: SQLite gives a computed column's date as ISO text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _same(value: Any) -> Any:
    """A date read by `plain_rows` where the driver gives dates (PostgreSQL)."""
    return value


def _advices(
    params: ReportParameters, days: Sequence[datetime.date], per_organisation: bool
) -> ScreeningQuerySet:
    """The MMPP advices of the report on or before the last of `days`, with their person."""
    advices = MmppScreening.objects.filter(advised_on__lte=days[-1])
    return _of_report(params, advices).annotate(person=_person(per_organisation))


def _advice_rows(
    params: ReportParameters, days: Sequence[Any], per_organisation: bool
) -> QuerySet[Any]:
    """Rows (person, advised on, ended on, category) of `_advices`, the latest first."""
    return (
        _advices(params, days, per_organisation)
        .latest_first()
        .values_list("person", "advised_on", "ended_on", "category")
    )


def _latest_categories(
    params: ReportParameters,
    days: Sequence[datetime.date],
    per_organisation: bool,
    ids: dict[int, int],
    registered: dict[Any, bytearray],
) -> dict[Any, bytearray]:
    """Per person with an advice on or before the last of `days` and a VDAB registration
    running on one of them (`registered`; the others cannot be in the stock): the
    category of their latest advice on or before each day
    (`ScreeningQuerySet.latest_first`), 0 on a day when it has lapsed (`not_lapsed_q`: a
    lapse date on or before the day) or when there is none yet."""
    count = len(days)
    # Per person: the categories by day, and `upper`, the first day already given to a
    # newer advice. The rows come newest first (latest_first), so each advice covers
    # its days up to the newer one's first day; once a newer advice covers every day,
    # the person's older advices are passed over.
    latest: dict[Any, bytearray] = {}
    uppers: dict[Any, int] = {}
    date = _date if connections[router.db_for_read(MmppScreening)].vendor == "sqlite" else _same
    rows = _rows(params, days, per_organisation, _advice_rows)
    for client, advised_on, ended_on, category in rows:
        person = ids.get(client, client)
        if person not in registered:
            continue
        upper = uppers.get(person, count)
        if not upper:
            continue
        low = bisect_left(days, date(advised_on))
        if low >= upper:
            continue
        categories = latest.get(person)
        if categories is None:
            categories = latest[person] = bytearray(count)
        if ended_on is None:
            lapsed = upper
        else:
            lapsed = min(max(bisect_left(days, date(ended_on)), low), upper)
        categories[low:lapsed] = bytes((category,)) * (lapsed - low)
        uppers[person] = low
    return latest


def stock_states(
    params: ReportParameters, days: Sequence[datetime.date]
) -> Iterator[tuple[bytes, bytearray]]:
    """Per person who can be in the MMPP stock on one of `days` (sorted, ascending): their
    category in the stock on each day (0: not in it) and whether they are at work that
    day (1: an employment or article-60 placement running).

    In the stock on a day: a VDAB registration (any category) running, no employment and
    no article-60 placement running, and a latest advice on or before the day that has
    not lapsed. The order of persons is not defined."""
    for _person_key, state, work in _states(params, days, per_organisation=False):
        yield state, work


def _states(
    params: ReportParameters, days: Sequence[datetime.date], per_organisation: bool
) -> Iterator[tuple[Any, bytes, bytearray]]:
    """`stock_states` with the person's key (see `_person`)."""
    if not days:
        return
    ids: dict[int, int] = {}
    if params.is_region and not per_organisation:
        ids = region_person_ids(params)
    registered, at_work = _running_days(params, days, per_organisation, ids)
    latest = _latest_categories(params, days, per_organisation, ids, registered)
    count = len(days)
    nowhere = bytearray(count)
    # Bytes of 0 and 1 read as one integer: registered and not at work is `r & ~w`, and
    # times 0xFF (no carries) a mask of whole bytes over the categories: per day,
    # `category if running and not working else 0`, in a few big-integer operations.
    ones = int.from_bytes(b"\x01" * count)
    for person, categories in latest.items():
        registration = registered.get(person)
        if registration is None:
            continue
        work = at_work.get(person, nowhere)
        free = int.from_bytes(registration) & (ones ^ int.from_bytes(work))
        state = (int.from_bytes(categories) & free * 0xFF).to_bytes(count)
        yield person, state, work


def stock_by_organisation(params: ReportParameters, day: datetime.date) -> dict[int, int]:
    """Per organisation of the report (id): its MMPP stock on `day` with the definition of
    its own report (its client records, its records), all organisations in the same two
    queries. Organisations with none are left out."""
    totals: dict[int, int] = {}
    for person, state, _work in _states(params, [day], per_organisation=True):
        if state[0]:
            organisation = person // ORGANISATION_SHIFT
            totals[organisation] = totals.get(organisation, 0) + 1
    return totals


def stock_by_key(params: ReportParameters, days: dict[str, datetime.date]) -> dict[str, Any]:
    """The stock on each day of `days` (key -> day), with its split by category."""
    result: dict[str, Any] = {
        key: {"total": 0, "by_category": dict.fromkeys(CATEGORIES, 0)} for key in days
    }
    ordered = sorted(set(days.values()))
    position = {day: index for index, day in enumerate(ordered)}
    counts = [[0] * 6 for _day in ordered]
    # Persons with the same days in the stock, each day in the same category, are
    # counted together: far fewer patterns than persons over many days.
    patterns = Counter(state for state, _work in stock_states(params, ordered))
    for state, n in patterns.items():
        for index, category in enumerate(state):
            if category:
                counts[index][category] += n
    for key, day in days.items():
        entry = result[key]
        tally = counts[position[day]]
        for name in CATEGORIES:
            entry["by_category"][name] = tally[int(name)]
        entry["total"] = sum(tally[1:])
    return result


@statistic(
    "mmpp_stock",
    definition_nl="""
        Per jaar van de periode, op 31 december (enkel jaren waarvan 31 december op of vóór
        de opmaakdatum ligt): cliënten die die dag (a) een lopende VDAB-inschrijving hebben
        (elke categorie), (b) geen lopende tewerkstelling en geen lopende tewerkstelling
        artikel 60 hebben, en (c) van wie het laatste MMPP-screeningsadvies op of vóór die dag
        niet vervallen is (geen vervaldatum, of een vervaldatum na die dag; een advies dat op
        31 december vervalt, is vervallen). Een vervallen laatste advies telt niet, ook niet
        als een ouder advies nog loopt. Ook per categorie (1-5) van dat laatste advies (bij
        twee adviezen op dezelfde dag: dat met het hoogste id in de recordbundel, zodat een
        geëxporteerde en opnieuw geïmporteerde bundel hetzelfde cijfer geeft).
    """,
    definition_en="""
        Per year of the period, on 31 December (only years whose 31 December is on or before
        the as-of day): clients who that day (a) have a VDAB registration running (any
        category), (b) have no employment and no article 60 placement running, and (c) whose
        latest MMPP screening advice on or before that day has not lapsed (no lapse date, or
        one after that day; an advice lapsing on 31 December has lapsed). A lapsed latest
        advice does not count, even when an older advice is still current. Also per category
        (1-5) of that latest advice (two advices on one day: the one with the highest id in
        the record bundle, so that an exported and re-imported bundle gives the same figure).
    """,
    reads=(
        "partners.mmppscreening",
        "partners.vdabregistration",
        "partners.employment",
        "partners.article60placement",
    ),
)
def mmpp_stock(params: ReportParameters) -> dict[str, Any]:
    days = {
        span.key: datetime.date(span.year, 12, 31)
        for span in params.years
        if datetime.date(span.year, 12, 31) <= params.as_of
    }
    return stock_by_key(params, days)
