"""The demo's people and their timelines: spells in income support and article 60.

Pure Python and deterministic (one random.Random): nothing here touches the
database. `records.py` turns the timelines into model instances.

How the January 2025 figures come out exactly: the clients in income support in
January 2025 are drawn first, bucket by bucket, as the Mechelen answer counts
them; every other spell comes from a steady inflow with the same duration curve
and is kept only when it does not overlap January 2025. The monthly stock before
and after that month is therefore about the same as in it.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from demo.generator import shape
from demo.generator.names import EMPLOYERS, NationalNumbers, person_name

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=int(n))


def add_months(day: D, months: int) -> D:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = (D(year + month // 12, month % 12 + 1, 1) - ONE_DAY).day
    return D(year, month, min(day.day, last))


def month_starts(first: D, last: D) -> list[D]:
    months = []
    day = D(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = add_months(day, 1)
    return months


def month_end(first: D) -> D:
    return add_months(first, 1) - ONE_DAY


def overlaps(start: D, end: D | None, first: D, last: D) -> bool:
    return start <= last and (end is None or end >= first)


class Survival:
    """The piecewise-linear survival curve of spell durations, in days."""

    def __init__(self, knots: tuple[tuple[float, float], ...]) -> None:
        self.knots = [(years * 365.25, share) for years, share in knots]

    def __call__(self, t: float) -> float:
        for (a, sa), (b, sb) in zip(self.knots, self.knots[1:], strict=False):
            if a <= t <= b:
                return sa + (sb - sa) * (t - a) / (b - a)
        return 0.0

    def inverse(self, u: float) -> float:
        """The duration t with S(t) = u (0 < u <= 1)."""
        for (a, sa), (b, sb) in zip(self.knots, self.knots[1:], strict=False):
            if sb <= u <= sa:
                return a if sa == sb else a + (sa - u) / (sa - sb) * (b - a)
        return self.knots[-1][0]

    def mean(self) -> float:
        return sum(
            (b - a) * (sa + sb) / 2
            for (a, sa), (b, sb) in zip(self.knots, self.knots[1:], strict=False)
        )

    def duration(self, rng: random.Random, at_least: float = 0.0) -> int:
        """A duration in days, conditioned on lasting at least `at_least` days."""
        u = rng.uniform(0.0, self(at_least)) or 1e-9
        return max(int(self.inverse(u)), int(at_least), shape.MIN_SPELL_DAYS)


@dataclass(eq=False)
class Right:
    kind: str
    category: str
    start: D
    end: D | None


@dataclass(eq=False)
class Spell:
    """An uninterrupted period in income support (one or more rights)."""

    person: Person = field(repr=False)
    kind: str
    start: D
    natural_end: D  # when it ends, possibly after today
    end: D | None = None  # None: still running today
    stock: bool = False  # in income support in January 2025
    final: bool = True  # the person's last spell before another one starts
    exit: str = ""  # "article60", "work" or "" (moved, other income, unknown)
    rights: list[Right] = field(default_factory=list)


@dataclass(eq=False)
class Placement:
    person: Person = field(repr=False)
    start: D
    planned_end: D
    natural_end: D
    end: D | None  # None: still running today
    employer_kind: str
    employer_name: str
    early: bool
    outcome: str = ""


@dataclass(eq=False)
class Person:
    index: int
    gender: str
    birth: D
    migration: bool
    household: str
    family: bool
    first_name: str = ""
    last_name: str = ""
    national_number: str = ""
    spells: list[Spell] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    # Work and placements of this person, to keep jobs from overlapping placements.
    busy: list[tuple[D, D | None]] = field(default_factory=list)
    other_aid: bool = False
    client_id: int = 0  # the Client row made from this person
    care: list[tuple[D, D | None]] = field(default_factory=list)

    def age_on(self, day: D) -> int:
        birthday_passed = (day.month, day.day) >= (self.birth.month, self.birth.day)
        return day.year - self.birth.year - (not birthday_passed)

    def is_free(self, start: D, end: D | None) -> bool:
        end = end or D.max
        return all(not (s <= end and (e is None or e >= start)) for s, e in self.busy)

    def spell_on(self, day: D) -> Spell | None:
        for spell in self.spells:
            if spell.start <= day and (spell.end is None or spell.end >= day):
                return spell
        return None

    @property
    def category(self) -> str:
        if self.family:
            return "family"
        return "single" if self.household == "single" else "cohabiting"


class Timeline:
    """Everybody's spells and placements from 2015 up to `today`."""

    def __init__(self, today: D, rng: random.Random) -> None:
        self.today = today
        self.rng = rng
        self.survival = Survival(shape.SPELL_SURVIVAL)
        self.numbers = NationalNumbers()
        self.people: list[Person] = []
        self.spells: list[Spell] = []
        self.placements: list[Placement] = []

    # --- People ----------------------------------------------------------------------

    def new_person(self, start: D, kind: str) -> Person:
        rng = self.rng
        roll = rng.random()
        if roll < 0.30:
            age = rng.uniform(18, 25)
        elif roll < 0.55:
            age = rng.uniform(25, 35)
        elif roll < 0.83:
            age = rng.uniform(35, 50)
        else:
            age = rng.uniform(50, 64.5)
        birth = start - days(age * 365.25)
        gender = "x" if rng.random() < 0.005 else ("f" if rng.random() < 0.53 else "m")
        migration = kind == "equivalent" or rng.random() < 0.42
        household = rng.choices(["single", "cohabiting", "married"], [0.55, 0.30, 0.15])[0]
        person = Person(
            index=len(self.people) + 1,
            gender=gender,
            birth=birth,
            migration=migration,
            household=household,
            family=rng.random() < 0.27,
        )
        person.first_name, person.last_name = person_name(rng, gender, migration)
        if rng.random() >= 0.005:  # a few without a known national number
            bis = kind == "equivalent" and rng.random() < 0.3
            person.national_number = self.numbers.make(birth, gender, bis=bis)
        self.people.append(person)
        return person

    # --- Spells in income support ------------------------------------------------------

    def build_spells(self) -> None:
        """The January 2025 stock exactly, then a steady in- and outflow around it."""
        rng = self.rng
        drafts: list[tuple[D, D, str, bool]] = []
        reference = shape.REFERENCE_LAST
        for count, first, last in shape.DURATION_BUCKETS.values():
            drafts += [self._stock_draft(first, last, "leefloon") for _ in range(count)]
        drafts += [
            self._stock_draft(shape.HISTORY_START, reference, "equivalent")
            for _ in range(shape.EQUIVALENT_IN_REFERENCE_MONTH)
        ]
        mean_days = self.survival.mean()
        for kind, stock in (
            ("leefloon", shape.LEEFLOON_IN_REFERENCE_MONTH),
            ("equivalent", shape.EQUIVALENT_IN_REFERENCE_MONTH),
        ):
            per_day = stock / mean_days
            for first in month_starts(shape.HISTORY_START, self.today):
                last = min(month_end(first), self.today)
                expected = per_day * ((last - first).days + 1)
                n = max(0, round(rng.gauss(expected, math.sqrt(expected))))
                for _ in range(n):
                    start = first + days(rng.uniform(0, (last - first).days + 1))
                    end = start + days(self.survival.duration(rng))
                    if overlaps(start, end, shape.REFERENCE_FIRST, shape.REFERENCE_LAST):
                        continue  # the January 2025 stock is drawn above, exactly
                    drafts.append((start, end, kind, False))
        drafts.sort(key=lambda d: (d[0], d[1], d[2]))
        free_by_month: dict[D, list[Person]] = defaultdict(list)
        for start, natural_end, kind, stock in drafts:
            person = self._returning_person(start, free_by_month) or self.new_person(start, kind)
            if person.spells:
                person.spells[-1].final = False
            spell = Spell(person, kind, start, natural_end, stock=stock)
            spell.end = natural_end if natural_end <= self.today else None
            self._split_into_rights(spell)
            person.spells.append(spell)
            self.spells.append(spell)
            if spell.end is not None:
                free_by_month[D(spell.end.year, spell.end.month, 1)].append(person)

    def _stock_draft(self, first: D, last: D, kind: str) -> tuple[D, D, str, bool]:
        """A spell running in January 2025 that started between `first` and `last`."""
        rng = self.rng
        reference = shape.REFERENCE_LAST
        span = (last - first).days
        while True:  # start dates weighted by how many spells last that long
            start = first + days(rng.uniform(0, span + 1))
            if rng.random() * self.survival((reference - last).days) <= self.survival(
                (reference - start).days
            ):
                break
        must_last = max(0, (shape.REFERENCE_FIRST - start).days)
        end = start + days(self.survival.duration(rng, at_least=must_last))
        return start, max(end, shape.REFERENCE_FIRST), kind, True

    def _returning_person(self, start: D, free_by_month: dict[D, list[Person]]) -> Person | None:
        """Now and then a former client comes back (at least 90 days after their last spell)."""
        rng = self.rng
        if start < D(2016, 1, 1) or rng.random() >= 0.12:
            return None
        back = start - days(rng.uniform(90, 1000))
        bucket = free_by_month.get(D(back.year, back.month, 1))
        if not bucket:
            return None
        person = bucket.pop(rng.randrange(len(bucket)))
        last = person.spells[-1]
        if last.end is None or (start - last.end).days < 90 or person.age_on(start) > 64:
            return None
        return person

    def _split_into_rights(self, spell: Spell) -> None:
        """One or more rights: a new decision when the category changes, now and then
        after a short interruption, and for some foreigners equivalent before leefloon."""
        rng = self.rng
        person = spell.person
        category = person.category
        length = (spell.natural_end - spell.start).days
        switch_kind = spell.kind == "leefloon" and person.migration and rng.random() < 0.08
        splits = 0
        if length > 365 and rng.random() < 0.3:
            splits = 1 + (length > 3 * 365 and rng.random() < 0.4)
        if switch_kind and length > 180:
            splits = max(splits, 1)
        cuts = []
        if length > 120:
            cuts = sorted(spell.start + days(rng.uniform(60, length - 30)) for _ in range(splits))
        # Nothing changes around the reference month, so that its counts stay exact.
        cuts = [c for c in cuts if c <= self.today and not (D(2024, 11, 1) <= c <= D(2025, 2, 28))]
        if spell.stock and (not cuts or cuts[0] > shape.REFERENCE_LAST):
            switch_kind = False  # the right of January 2025 has the stock's kind
        rights = []
        start = spell.start
        kind = "equivalent" if switch_kind and cuts else spell.kind
        for cut in cuts:
            if cut <= start + days(30):
                continue
            rights.append(Right(kind, category, start, cut - ONE_DAY))
            gap = days(rng.uniform(3, shape.SPELL_GAP_DAYS)) if rng.random() < 0.15 else days(0)
            start = cut + gap if cut + gap <= self.today else cut
            kind = spell.kind
            category = rng.choice([c for c in ("single", "cohabiting", "family") if c != category])
        rights.append(Right(kind, category, start, spell.end))
        spell.rights = rights

    # --- Article 60 ------------------------------------------------------------------

    def article60_target(self, month: D) -> float:
        points = shape.ARTICLE60_TARGET
        for (a, va), (b, vb) in zip(points, points[1:], strict=False):
            if a <= month <= b:
                return va + (vb - va) * (month - a).days / (b - a).days
        return points[-1][1]

    def build_placements(self) -> None:
        """Each month, enough clients leave income support for an article-60 job to keep
        the number employed on the target curve."""
        rng = self.rng
        ending: dict[D, list[Spell]] = defaultdict(list)
        for spell in self.spells:
            if spell.end is None or not spell.final:
                continue
            start = spell.end + ONE_DAY
            person = spell.person
            if (
                start <= self.today
                and (spell.end - spell.start).days >= 60
                and 18 <= person.age_on(start) <= 62
            ):
                ending[D(start.year, start.month, 1)].append(spell)
        for first in month_starts(shape.HISTORY_START, self.today):
            continuing = sum(1 for p in self.placements if p.start < first <= p.natural_end)
            # The target with some month-to-month noise (a real series is never flat).
            need = round(self.article60_target(first) + rng.gauss(0, 2.5)) - continuing
            pool = ending.get(first, [])
            rng.shuffle(pool)
            for spell in pool[: max(0, need)]:
                self._place(spell)
        self._placement_outcomes()

    def _place(self, spell: Spell) -> None:
        rng = self.rng
        person = spell.person
        assert spell.end is not None  # only spells that ended lead to a placement
        start = spell.end + ONE_DAY
        age = person.age_on(start)
        months = 12 if age < 36 else 18 if age < 50 else 24  # days of work for benefits
        planned_end = add_months(start, months) - ONE_DAY
        early = rng.random() < shape.EARLY_END_SHARE
        natural_end = planned_end
        if early:
            natural_end = start + days(rng.uniform(30, (planned_end - start).days - 30))
        kind = rng.choices(
            ["own_service", "public", "non_profit", "private"], [0.35, 0.15, 0.25, 0.25]
        )[0]
        placement = Placement(
            person=person,
            start=start,
            planned_end=planned_end,
            natural_end=natural_end,
            end=natural_end if natural_end <= self.today else None,
            employer_kind=kind,
            employer_name=rng.choice(EMPLOYERS[kind]),
            early=early,
        )
        spell.exit = "article60"
        person.placements.append(placement)
        person.busy.append((start, placement.end))
        self.placements.append(placement)

    def _placement_outcomes(self) -> None:
        """Per year of ending, 65% to work or work-linked training (the Mechelen figure)."""
        rng = self.rng
        by_year: dict[int, list[Placement]] = defaultdict(list)
        for placement in self.placements:
            if placement.end is not None:
                by_year[placement.end.year].append(placement)
        for year in sorted(by_year):
            ended = by_year[year]
            rng.shuffle(ended)
            ended.sort(key=lambda p: p.early)  # completed placements lead to work first
            to_work = math.floor(len(ended) * shape.FLOW_THROUGH + 0.5)
            for i, placement in enumerate(ended):
                if i < to_work:
                    placement.outcome = "work" if rng.random() < 0.7 else "work_linked_training"
                else:
                    placement.outcome = rng.choices(
                        ["benefits", "training", "leefloon", "other"],
                        [0.05, 0.15, 0.45, 0.35] if placement.early else [0.7, 0.1, 0.1, 0.1],
                    )[0]
                    if placement.outcome == "leefloon" and not self._back_to_income_support(
                        placement
                    ):
                        placement.outcome = "other"

    def _back_to_income_support(self, placement: Placement) -> bool:
        """After the placement the client returns to leefloon: a new spell."""
        rng = self.rng
        assert placement.end is not None
        start = placement.end + days(rng.uniform(1, 30))
        if start > self.today:
            return False
        natural_end = start + days(self.survival.duration(rng))
        if overlaps(start, natural_end, shape.REFERENCE_FIRST, shape.REFERENCE_LAST):
            if start >= D(2024, 11, 1):
                return False
            natural_end = shape.REFERENCE_FIRST - ONE_DAY
        person = placement.person
        previous = person.spells[-1]
        spell = Spell(person, previous.kind, start, natural_end, final=False)
        spell.end = natural_end if natural_end <= self.today else None
        self._split_into_rights(spell)
        person.spells.append(spell)
        self.spells.append(spell)
        return True

    # --- Follow-up by the social assistants ------------------------------------------

    def build_care(self) -> None:
        """The periods a client is followed: income support and article 60, plus some
        months of follow-up after; open when it reaches today."""
        follow_up = days(shape.FOLLOW_UP_DAYS)
        for person in self.people:
            periods = [(s.start, s.end) for s in person.spells]
            periods += [(p.start, p.end) for p in person.placements]
            person.care = merge_periods(periods, follow_up, self.today)

    def add_other_aid(self, count_in_reference_month: int) -> None:
        """Clients followed without income support (other social aid), as a steady flow
        with about `count_in_reference_month` of them followed on 31 January 2025."""
        rng = self.rng
        mean_days = 365.0
        per_day = count_in_reference_month / mean_days
        for first in month_starts(shape.HISTORY_START, self.today):
            last = min(month_end(first), self.today)
            expected = per_day * ((last - first).days + 1)
            for _ in range(max(0, round(rng.gauss(expected, math.sqrt(expected))))):
                start = first + days(rng.uniform(0, (last - first).days + 1))
                end = start + days(rng.expovariate(1 / mean_days) + 30)
                person = self.new_person(start, "leefloon")
                person.other_aid = True
                person.care = [(start, end if end < self.today else None)]


def merge_periods(
    periods: list[tuple[D, D | None]], follow_up: datetime.timedelta, today: D
) -> list[tuple[D, D | None]]:
    """Periods extended by the follow-up and merged; an end on or after today is open."""
    extended = sorted(
        (start, None if end is None or end + follow_up >= today else end + follow_up)
        for start, end in periods
    )
    merged: list[list] = []
    for start, end in extended:
        if merged and (merged[-1][1] is None or start <= merged[-1][1] + days(60)):
            if merged[-1][1] is not None and (end is None or end > merged[-1][1]):
                merged[-1][1] = end
            continue
        merged.append([start, end])
    return [(s, e) for s, e in merged]
