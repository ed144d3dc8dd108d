"""Generators that rebuild records from published figures.

A generator gets the published numbers (read from the seed documents) and
creates records that realise them: N registrations of the right gender and age
on the right days, placements that make the monthly counts, and so on. The
records are built unsaved and written with bulk_create (tens of thousands of
rows); the few records with their own identity (organisations, programmes,
sessions, social workers) come from the factories. The generators also mix in
the edge cases of each definition (birthdays on the registration day, a job on
the last day of the window, a right ending on the first day of the month, ...)
and records that must NOT count.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import models

from casework.models import (
    Assignment,
    Client,
    IncomeRight,
    Organisation,
    Population,
    SocialWorker,
    age_on,
)
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Referral,
    VdabRegistration,
)
from reporting.statistics.params import Month, minus_years
from tests.factories import (
    ProgrammeFactory,
    ProgrammeFundingFactory,
    ProgrammeSessionFactory,
)

DAY = datetime.timedelta(days=1)
_SERIAL = itertools.count(1)  # external ids unique across every Records of a test run


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


class Records:
    """Unsaved records of one organisation, written in one go with bulk_create."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.clients: list[Client] = []
        self.records: dict[type[models.Model], list[models.Model]] = defaultdict(list)

    @staticmethod
    def _next(prefix: str) -> str:
        return f"{prefix}{next(_SERIAL)}"

    def client(
        self,
        *,
        gender: str = "f",
        birth_date: datetime.date = datetime.date(1985, 6, 15),
        household: str = "single",
    ) -> Client:
        client = Client(
            organisation_id=self.organisation.pk,
            external_id=self._next("c"),
            first_name="Test",
            last_name="Cliënt",
            birth_date=birth_date,
            gender=gender,
            household=household,
        )
        self.clients.append(client)
        return client

    def add(self, model: type[models.Model], **fields: Any) -> Any:
        record = model(organisation_id=self.organisation.pk, external_id=self._next("r"), **fields)
        self.records[model].append(record)
        return record

    def save(self) -> None:
        # The clients get their primary keys from the bulk insert; bulk_create then takes
        # each record's client_id from its (now saved) client.
        Client.objects.bulk_create(self.clients, batch_size=2000)
        for model, records in self.records.items():
            model._default_manager.bulk_create(records, batch_size=2000)


def spread(month: Month, index: int) -> datetime.date:
    """The index-th day of a spread over the month: the first day, the last day, and between."""
    days = (month.last - month.first).days + 1
    return month.first + (index * 7 % days) * DAY


# ---------------------------------------------------------------------------------------
# Ministerial answer 2015: VDAB inflow by gender and age band, 12-month outflow.
# ---------------------------------------------------------------------------------------

# (age, birthday relative to the registration day) per band, cycled: each band holds
# its edges (turning 25 or 50 on the day itself, or the day after).
AGE_VARIANTS = {
    "under_25": [(24, "tomorrow"), (19, "earlier"), (22, "later"), (24, "earlier")],
    "25_to_49": [(25, "today"), (49, "tomorrow"), (35, "earlier"), (41, "later")],
    "50_plus": [(50, "today"), (63, "earlier"), (57, "later")],
}


def birth_date_for(day: datetime.date, age: int, when: str) -> datetime.date:
    """A birth date giving `age` on `day`, with the birthday today, tomorrow or elsewhere."""
    if when == "today":
        birth = minus_years(day, age)
    elif when == "tomorrow":
        birth = minus_years(day + DAY, age + 1)
        if age_on(birth, day) != age:  # tomorrow is 29 February: the day after, then
            birth = minus_years(day + 2 * DAY, age + 1)
    elif when == "earlier":
        birth = minus_years(day, age) - 40 * DAY
    else:
        birth = minus_years(day, age + 1) + 40 * DAY
    assert age_on(birth, day) == age, (birth, day, age)
    return birth


def build_vdab_inflow(records: Records, inflow_rows: list[Any]) -> dict[str, list[Any]]:
    """Registrations of category ocmw realising tables 1-3; returns them per month."""
    by_month: dict[str, list[Any]] = {}
    for row in inflow_rows:
        month = Month.parse(row.month)
        registrations = []
        for gender, counts in (("m", row.m), ("f", row.f)):
            for band, count in zip(("under_25", "25_to_49", "50_plus"), counts, strict=True):
                variants = AGE_VARIANTS[band]
                for i in range(count):
                    day = spread(month, i)
                    age, when = variants[i % len(variants)]
                    client = records.client(
                        gender=gender, birth_date=birth_date_for(day, age, when)
                    )
                    registrations.append(
                        records.add(
                            VdabRegistration, client=client, registered_on=day, category="ocmw"
                        )
                    )
        by_month[row.month] = registrations
        # Not counted: other categories in the same month.
        for i in range(3):
            client = records.client(gender="m", birth_date=d("1980-01-01"))
            records.add(
                VdabRegistration,
                client=client,
                registered_on=spread(month, i),
                category=("benefits", "other")[i % 2],
            )
    # Not counted: just outside the period (2011-12-31 and 2015-01-01).
    for day in (d("2011-12-31"), d("2015-01-01")):
        client = records.client(gender="f", birth_date=d("1990-01-01"))
        records.add(VdabRegistration, client=client, registered_on=day, category="ocmw")
    return by_month


def build_vdab_outflow(
    records: Records, registrations: dict[str, list[Any]], outflow_rows: list[Any]
) -> None:
    """For each published month: `to_work` of its registrations followed by work within the
    window (on the registration day, on the window's last day, ...), the others not (a job
    the day after the window, a placement that started before the registration, or none)."""
    for row in outflow_rows:
        month = Month.parse(row.month)
        window_end = month.plus(12).last
        for j, registration in enumerate(registrations[row.month]):
            client, day = registration.client, registration.registered_on
            if j < row.to_work:
                variant = j % 4
                if variant == 0:
                    records.add(Employment, client=client, start_date=day, contract="temporary")
                elif variant == 1:
                    records.add(
                        Article60Placement,
                        client=client,
                        employer_kind="own_service",
                        start_date=window_end,
                    )
                elif variant == 2:
                    records.add(
                        Employment,
                        client=client,
                        start_date=day + 100 * DAY,
                        end_date=day + 200 * DAY,
                        contract="interim",
                    )
                else:
                    records.add(Employment, client=client, start_date=window_end)
            else:
                variant = j % 3
                if variant == 1:
                    records.add(Employment, client=client, start_date=window_end + DAY)
                elif variant == 2:
                    records.add(
                        Article60Placement,
                        client=client,
                        employer_kind="public",
                        start_date=day - 200 * DAY,
                        end_date=day - DAY,
                    )


# ---------------------------------------------------------------------------------------
# Ministerial answer 2015: MMPP screening advices and the year-end MMPP stock.
# ---------------------------------------------------------------------------------------


def build_mmpp_screenings(
    records: Records, before: int, by_month: dict[str, int], period_first: datetime.date
) -> None:
    """`before` advices before the period (up to its eve) and the monthly counts."""
    clients = [records.client(birth_date=d("1975-03-01")) for _ in range(1500)]
    serial = 0

    def advice(day: datetime.date) -> None:
        nonlocal serial
        serial += 1
        records.add(
            MmppScreening,
            client=clients[serial % len(clients)],
            advised_on=day,
            category=serial % 5 + 1,
            ended_on=day + 400 * DAY if serial % 3 == 0 else None,
        )

    start = period_first - 3 * 365 * DAY
    span = (period_first - DAY - start).days
    for i in range(before):
        advice(period_first - DAY - (i * 37 % (span + 1)) * DAY)
    for key, count in by_month.items():
        month = Month.parse(key)
        for i in range(count):
            advice(spread(month, i))
    # Not counted: after the period (before and after the as-of day).
    for i in range(25):
        advice(d("2015-01-10") + (i % 3) * DAY)
    for _i in range(5):
        advice(d("2015-03-01"))


class StockTally:
    """What the stock generator put in the stock, per year and category."""

    def __init__(self) -> None:
        self.by_year: dict[str, Counter[str]] = defaultdict(Counter)

    def count(self, year: int, category: int) -> None:
        self.by_year[str(year)][str(category)] += 1


def build_mmpp_stock(records: Records, stock: dict[str, int]) -> StockTally:
    """Clients realising the year-end stocks (three consecutive years): some stay, some
    leave after the first year (by each way out of the definition), some enter in the
    second and third years; and clients who never count though they nearly do."""
    years = sorted(int(y) for y in stock)
    assert len(years) == 3 and years[1] == years[0] + 1 and years[2] == years[1] + 1
    y1, y2, y3 = years
    d1, d2, d3 = (datetime.date(y, 12, 31) for y in years)
    leavers = 500
    stayers = stock[str(y1)] - leavers
    entrants_2 = stock[str(y2)] - stayers
    entrants_3 = stock[str(y3)] - stock[str(y2)]
    assert min(stayers, entrants_2, entrants_3) >= 0
    tally = StockTally()

    def member(
        registered: datetime.date,
        advised: datetime.date,
        category: int,
        *,
        registration_end: datetime.date | None = None,
        advice_end: datetime.date | None = None,
    ) -> Client:
        client = records.client(birth_date=d("1970-05-05"))
        records.add(
            VdabRegistration,
            client=client,
            registered_on=registered,
            ended_on=registration_end,
            category=("ocmw", "benefits", "other")[category % 3],
        )
        records.add(
            MmppScreening, client=client, advised_on=advised, category=category, ended_on=advice_end
        )
        return client

    # Stay in the stock on all three days.
    for i in range(stayers):
        category = i % 5 + 1
        registered = d(f"{y1 - 1}-03-01") + (i % 600) * DAY
        advised = d(f"{y1}-01-01") + (i % 366) * DAY
        if i == 0:
            registered = advised = d1  # registered and advised on the day itself
        end = (None, d3, d(f"{y3 + 1}-06-30"))[i % 3]  # ending on the last day still counts
        client = member(registered, min(advised, d1), category, registration_end=end)
        later = category
        if i % 10 == 0:  # re-advised in the second year: counted in the new category
            later = category % 5 + 1
            records.add(MmppScreening, client=client, advised_on=d(f"{y2}-06-01"), category=later)
        if i % 7 == 0:  # work that ended the day before the first year-end
            records.add(Employment, client=client, start_date=d(f"{y1}-03-01"), end_date=d1 - DAY)
        tally.count(y1, category)
        tally.count(y2, later)
        tally.count(y3, later)

    # In the stock on the first day only; each leaves by another part of the definition.
    for i in range(leavers):
        category = i % 5 + 1
        registered, advised = d(f"{y1 - 1}-09-01"), d(f"{y1}-02-01")
        way = i % 6
        if way == 0:  # registration ends on the first year-end: still running that day
            member(registered, advised, category, registration_end=d1)
        elif way == 1:  # advice lapses the day after the first year-end
            member(registered, advised, category, advice_end=d1 + DAY)
        elif way == 2:  # starts work the day after
            client = member(registered, advised, category)
            records.add(Employment, client=client, start_date=d1 + DAY)
        elif way == 3:  # starts article 60 the day after
            client = member(registered, advised, category)
            records.add(
                Article60Placement, client=client, employer_kind="non_profit", start_date=d1 + DAY
            )
        elif way == 4:  # a newer advice that lapsed, over the older current one
            client = member(registered, advised, category)
            records.add(
                MmppScreening,
                client=client,
                advised_on=d(f"{y2}-03-01"),
                category=5,
                ended_on=d(f"{y2}-09-01"),
            )
        else:  # the advice lapses on the second year-end itself: lapsed that day
            member(registered, advised, category, advice_end=d2)
        tally.count(y1, category)

    # Enter in the second year, stay for the third.
    for i in range(entrants_2):
        category = i % 5 + 1
        way = i % 5
        if way == 0:  # first advice in the second year (the last one on the year-end)
            advised = d2 if i == 0 else d(f"{y2}-01-01") + (i % 365) * DAY
            member(d(f"{y1}-05-01"), advised, category)
        elif way == 1:  # registered on the second year-end itself
            member(d2, d(f"{y1 - 1}-06-01"), category)
        elif way == 2:  # at work on the first year-end, no longer on the second
            client = member(d(f"{y1 - 1}-05-01"), d(f"{y1 - 1}-07-01"), category)
            records.add(Employment, client=client, start_date=d(f"{y1}-06-01"), end_date=d2 - DAY)
        elif way == 3:  # in article 60 on the first year-end
            client = member(d(f"{y1 - 1}-05-01"), d(f"{y1 - 1}-07-01"), category)
            records.add(
                Article60Placement,
                client=client,
                employer_kind="private",
                start_date=d(f"{y1}-07-01"),
                end_date=d(f"{y2}-06-30"),
            )
        else:  # lapsed advice on the first year-end, a new current one in the second year
            client = member(
                d(f"{y1 - 1}-05-01"), d(f"{y1 - 1}-07-01"), 3, advice_end=d(f"{y1}-06-01")
            )
            records.add(
                MmppScreening, client=client, advised_on=d(f"{y2}-02-01"), category=category
            )
        tally.count(y2, category)
        tally.count(y3, category)

    # Enter in the third year.
    for i in range(entrants_3):
        category = i % 5 + 1
        way = i % 3
        if way == 0:
            member(d3, d(f"{y3}-01-01"), category)
        elif way == 1:
            member(d(f"{y1}-01-01"), d3, category)  # advised on the year-end itself
        else:
            client = member(d(f"{y1}-01-01"), d(f"{y1}-02-01"), category)
            records.add(Employment, client=client, start_date=d(f"{y1}-02-01"), end_date=d3 - DAY)
        tally.count(y3, category)

    # Never in the stock.
    for i in range(60):
        way = i % 6
        if way == 0:  # registration ended the day before the first year-end
            member(d(f"{y1 - 1}-01-01"), d(f"{y1 - 1}-02-01"), 2, registration_end=d1 - DAY)
        elif way == 1:  # the only advice lapsed on the first year-end
            member(d(f"{y1 - 1}-01-01"), d(f"{y1 - 1}-02-01"), 2, advice_end=d1)
        elif way == 2:  # at work from the first year-end on
            client = member(d(f"{y1 - 1}-01-01"), d(f"{y1 - 1}-02-01"), 2)
            records.add(Employment, client=client, start_date=d1)
        elif way == 3:  # article 60 over all three year-ends (ending on the last)
            client = member(d(f"{y1 - 1}-01-01"), d(f"{y1 - 1}-02-01"), 2)
            records.add(
                Article60Placement,
                client=client,
                employer_kind="own_service",
                start_date=d(f"{y1}-01-01"),
                end_date=d3,
            )
        elif way == 4:  # an advice but no VDAB registration
            client = records.client()
            records.add(MmppScreening, client=client, advised_on=d(f"{y1}-01-01"), category=1)
        else:  # registered, but advised only after the last year-end
            member(d(f"{y1}-01-01"), d3 + 5 * DAY, 1)
    return tally


# ---------------------------------------------------------------------------------------
# Mechelen 2025.
# ---------------------------------------------------------------------------------------


def split_by_percent(total: int, percents: dict[str, int]) -> dict[str, int]:
    """Counts that add up to `total` in the published proportions (largest remainder)."""
    exact = {key: Fraction(total * p, sum(percents.values())) for key, p in percents.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def build_income_support(
    records: Records, reference: Month, buckets: dict[str, int], equivalent: int
) -> None:
    """Leefloon clients of the reference month with spells in each duration bucket (made of
    rights of both kinds, with gaps of 30 days that continue and of 31+ that break), the
    equivalent clients, and rights that do not count."""
    last = reference.last
    one, two, four = (minus_years(last, n) for n in (1, 2, 4))

    def rights(*spans: tuple[str, datetime.date, datetime.date | None]) -> None:
        client = records.client(household="single")
        for kind, start, end in spans:
            records.add(
                IncomeRight,
                client=client,
                kind=kind,
                category="single",
                start_date=start,
                end_date=end,
            )

    L, E = "leefloon", "equivalent"
    shapes: dict[str, list[Any]] = {
        "up_to_1y": [
            lambda: rights((L, one, None)),  # exactly one year: still "up to 1 year"
            lambda: rights((L, last, None)),  # started on the last day of the month
            # a right 31 days after the previous one ended breaks the spell
            lambda: rights((E, d("2018-03-01"), d("2024-03-31")), (L, d("2024-05-01"), None)),
            lambda: rights((L, d("2024-06-15"), reference.first)),  # ends on the month's 1st
            lambda: rights((L, d("2024-09-01"), None)),
        ],
        "1y_to_2y": [
            lambda: rights((L, one - DAY, None)),
            lambda: rights((L, two, None)),
            # equivalent, then leefloon 30 days after: one spell
            lambda: rights((E, d("2023-05-01"), d("2023-08-31")), (L, d("2023-09-30"), None)),
            lambda: rights((L, d("2023-07-01"), None)),
        ],
        "2y_to_4y": [
            lambda: rights((L, two - DAY, None)),
            lambda: rights((L, four, None)),
            lambda: rights((L, d("2021-06-01"), d("2022-03-31")), (L, d("2022-04-30"), None)),
            lambda: rights((L, d("2015-01-01"), d("2020-12-31")), (L, d("2021-02-01"), None)),
        ],
        "over_4y": [
            lambda: rights((L, four - DAY, None)),
            lambda: rights((L, d("2016-03-01"), None)),
            lambda: rights((E, d("2019-05-01"), d("2023-03-31")), (L, d("2023-04-30"), None)),
            lambda: rights(
                (L, d("2017-01-01"), d("2018-12-31")),
                (E, d("2019-01-30"), d("2020-06-30")),
                (L, d("2020-07-30"), None),
            ),
        ],
    }
    for bucket, count in buckets.items():
        shape = shapes[bucket]
        for i in range(count - (1 if bucket == "up_to_1y" else 0)):
            shape[i % len(shape)]()
    # Changes kind within the reference month: counted as leefloon AND as equivalent.
    rights((E, d("2024-03-01"), reference.first + 9 * DAY), (L, reference.first + 10 * DAY, None))

    equivalent_shapes = [
        lambda: rights((E, d("2024-02-01"), None)),
        lambda: rights((E, d("2022-02-01"), reference.first)),
        lambda: rights((E, last, None)),
        lambda: rights((E, d("2020-10-01"), None)),
    ]
    for i in range(equivalent - 1):
        equivalent_shapes[i % len(equivalent_shapes)]()

    # Not counted in the reference month.
    for _i in range(20):
        rights((L, d("2023-01-01"), reference.first - DAY))  # ended the day before
        rights((L, last + DAY, None))  # starts the day after
        rights((E, d("2022-01-01"), reference.first - DAY))
        rights((L, d("2025-07-01"), None))  # starts after the as-of day


def monthly_series(average: int, months: int, start: int) -> list[int]:
    """A rising monthly series whose mean is exactly `average`."""
    series = [start + i for i in range(months - 1)]
    series.append(average * months - sum(series))
    assert sum(series) == average * months and series[-1] >= series[-2]
    return series


def build_article60(
    records: Records,
    year: int,
    monthly: list[int],
    reference_count: int,
    ended: int,
    to_work_or_training: int,
) -> None:
    """Placements so that `monthly[i]` clients are employed in month i of `year`,
    `reference_count` in January of the next year, `ended` placements end in `year`
    (`to_work_or_training` of them to work or work-linked training)."""
    months = [Month(year, m) for m in range(1, 13)] + [Month(year + 1, 1)]
    counts = [*monthly, reference_count]
    ends_per_month = [ended // 12 + (1 if m < ended % 12 else 0) for m in range(12)] + [0]
    good = ["work", "work_linked_training"]
    other = ["training", "benefits", "leefloon", "other", ""]
    serial = {"ended": 0}

    def placement(start: datetime.date) -> Any:
        client = records.client(birth_date=d("1988-01-01"))
        return records.add(
            Article60Placement,
            client=client,
            employer_kind=("own_service", "public", "non_profit", "private")[
                len(records.clients) % 4
            ],
            start_date=start,
            planned_end_date=start + 365 * DAY,
        )

    # Running when the year starts (started in the previous year).
    active = [placement(d(f"{year - 1}-01-01") + (i * 3 % 360) * DAY) for i in range(counts[0])]
    for index, (month, count) in enumerate(zip(months, counts, strict=True)):
        # Everything still active overlaps this month; start the missing ones in it.
        starts = count - len(active)
        assert starts >= 0, (month, count, len(active))
        for i in range(starts):
            active.append(placement((month.first, month.first + 9 * DAY, month.last)[i % 3]))
        # End the oldest ones in this month (they still count in it).
        ending, active = active[: ends_per_month[index]], active[ends_per_month[index] :]
        for i, record in enumerate(ending):
            record.end_date = max(
                record.start_date, (month.first, month.first + 14 * DAY, month.last)[i % 3]
            )
            n = serial["ended"]
            record.outcome = good[n % 2] if n < to_work_or_training else other[n % len(other)]
            serial["ended"] += 1
    # Ended before the year (outcome that does not count for the year).
    for i in range(5):
        record = placement(d(f"{year - 2}-02-01"))
        record.end_date, record.outcome = d(f"{year - 1}-12-31"), good[i % 2]


def build_caseload(
    records: Records, day: datetime.date, social_workers: int, fte: list[Decimal], clients: int
) -> None:
    """`social_workers` employed on `day` (FTE `fte`), one of them leaving that day, and
    `clients` distinct clients with an assignment running that day."""
    assert len(fte) == social_workers
    workers = []
    for i, share in enumerate(fte):
        worker = SocialWorker(
            organisation=records.organisation,
            external_id=f"sw{i}",
            first_name="MA",
            last_name=str(i),
            fte=share,
            start_date=None if i == 1 else d("2015-01-01") + i * 30 * DAY,
            end_date=day if i == 0 else None,  # leaves on the day itself: still counted
        )
        workers.append(worker)
    gone = SocialWorker(
        organisation=records.organisation,
        external_id="sw-gone",
        first_name="MA",
        last_name="weg",
        fte=Decimal("1.000"),
        start_date=d("2015-01-01"),
        end_date=day - DAY,
    )
    future = SocialWorker(
        organisation=records.organisation,
        external_id="sw-new",
        first_name="MA",
        last_name="nieuw",
        fte=Decimal("0.800"),
        start_date=day + DAY,
    )
    SocialWorker.objects.bulk_create([*workers, gone, future])
    pool = list(records.clients)
    while len(pool) < clients + 10:
        pool.append(records.client())
    for i, client in enumerate(pool[:clients]):
        records.add(
            Assignment,
            client=client,
            social_worker=workers[i % len(workers)],
            start_date=d("2023-01-01") + (i % 700) * DAY,
            end_date=day if i % 9 == 0 else None,
        )
        if i % 50 == 0:  # followed by two social workers at once: one client
            records.add(
                Assignment,
                client=client,
                social_worker=workers[(i + 1) % len(workers)],
                start_date=d("2024-06-01"),
            )
    for client in pool[clients : clients + 5]:
        records.add(
            Assignment,
            client=client,
            social_worker=gone,
            start_date=d("2022-01-01"),
            end_date=day - DAY,
        )
    for client in pool[clients + 5 : clients + 10]:
        records.add(Assignment, client=client, social_worker=future, start_date=day + DAY)


def build_programmes(records: Records, year: int, mechelen: Any) -> dict[str, Any]:
    """DUO for a JOB and JobRoad in `year` as published (and other years around it)."""
    organisation = records.organisation
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job", name="DUO for a JOB")
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad", name="JobRoad")
    ProgrammeFactory(organisation=organisation, code="wijkwerken", name="Wijk-werken")
    ProgrammeFundingFactory(programme=duo, year=year, amount_eur=Decimal(mechelen.duo_funding))
    ProgrammeFundingFactory(
        programme=jobroad, year=year, amount_eur=Decimal(mechelen.jobroad_funding)
    )

    def referral(programme: Any, start: datetime.date, outcome: str, session: Any = None) -> None:
        client = records.client(birth_date=d("2001-04-04"))
        records.add(
            Referral,
            client=client,
            programme=programme,
            start_date=start,
            end_date=start + 180 * DAY if outcome else None,
            outcome=outcome,
            session=session,
        )

    participants = mechelen.duo_participants
    permanent = participants * mechelen.duo_permanent_percent // 100
    broader = participants * mechelen.duo_broader_percent // 100
    temporary = (broader - permanent) // 3
    training = (broader - permanent - temporary) // 2
    internship = broader - permanent - temporary - training
    outcomes = (
        ["permanent_job"] * permanent
        + ["temporary_job"] * temporary
        + ["training"] * training
        + ["internship"] * internship
    )
    outcomes += (["none", "dropped_out", ""] * participants)[: participants - len(outcomes)]
    for i, outcome in enumerate(outcomes):
        referral(duo, d(f"{year}-01-01") + (i * 7 % 365) * DAY, outcome)
    referral(duo, d(f"{year - 1}-12-31"), "permanent_job")  # the year before

    capacity = mechelen.jobroad_capacity
    sizes = [capacity, capacity, capacity - 2, capacity - 5][: mechelen.jobroad_sessions]
    total = sum(sizes)
    to_work = int(Fraction(total * mechelen.jobroad_to_work_percent, 100) + Fraction(1, 2))
    n = 0
    for s, size in enumerate(sizes):
        session = ProgrammeSessionFactory(
            programme=jobroad, date=d(f"{year}-{3 * s + 3:02d}-14"), capacity=capacity
        )
        for _i in range(size):
            outcome = ("permanent_job", "temporary_job")[n % 2] if n < to_work else "none"
            referral(jobroad, session.date, outcome, session)
            n += 1
    earlier = ProgrammeSessionFactory(
        programme=jobroad, date=d(f"{year - 1}-11-14"), capacity=capacity
    )
    for _i in range(capacity):
        referral(jobroad, earlier.date, "none", earlier)
    return {
        "duo": {"participants": participants, "permanent": permanent, "broader": broader},
        "jobroad": {"participants": total, "to_work": to_work, "sizes": sizes},
    }


def population(organisation: Organisation, year: int, inhabitants: int) -> None:
    Population.objects.create(organisation=organisation, year=year, inhabitants=inhabitants)
