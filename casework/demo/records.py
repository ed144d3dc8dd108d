"""From the demo timelines to rows of every model (seed.py inserts them in bulk).

Every record is valid by the models' rules: ends after starts, nothing before the
client's birth, no overlapping income rights or placements, session capacity
respected. tests/casework/test_seed_demo.py runs full_clean() on samples to prove it.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import models
from django.db.models import Max

from casework.demo import shape
from casework.demo.timeline import ONE_DAY, Person, Placement, Spell, Timeline, days
from casework.models import (
    Assignment,
    Client,
    Exemption,
    IncomeRight,
    Organisation,
    SocialWorker,
    Trajectory,
    TrajectoryEvaluation,
)
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Programme,
    ProgrammeFunding,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)

D = datetime.date

GPMI_GOALS = (
    "Werk vinden in de logistiek",
    "Nederlands leren tot niveau 2 en daarna een opleiding",
    "Diploma secundair onderwijs behalen",
    "Stabiele huisvesting en daarna werk zoeken",
    "Opleiding zorgkundige volgen",
    "Schulden in kaart brengen en budgetbegeleiding",
    "Rijbewijs halen om werk in de bouw te vinden",
    "Hogere studies afmaken",
    "Stap naar tewerkstelling artikel 60",
    "Behandeling volgen en werken aan gezondheid",
)
EVALUATION_NOTES = (
    "Afspraken opgevolgd.",
    "Cliënt volgt de taalles trouw.",
    "Sollicitaties besproken.",
    "Gezondheid blijft een drempel.",
    "Doel bijgesteld.",
    "",
    "",
    "",
)


@dataclass
class Worker:
    """A social assistant during the demo's history."""

    record: SocialWorker
    start: D | None
    end: D | None
    replacement: Worker | None = None

    def employed_on(self, day: D) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


class RecordBuilder:
    """Builds the model instances of every person of a timeline."""

    def __init__(
        self,
        timeline: Timeline,
        organisation: Organisation,
        programmes: dict[str, Programme],
        workers: list[Worker],
        rng: random.Random,
    ) -> None:
        self.t = timeline
        self.today = timeline.today
        self.org = organisation
        self.programmes = programmes
        self.workers = workers
        self.rng = rng
        self.records: dict[type[models.Model], list[dict[str, Any]]] = defaultdict(list)
        self.last_ids: dict[type[models.Model], int] = {}
        self.counters: dict[str, int] = defaultdict(int)
        self.duo_people: set[int] = set()  # DUO for a JOB: once per person
        self.staffing: dict[tuple[bool, ...], tuple[list[Worker], list[float]]] = {}

    # --- helpers ---------------------------------------------------------------------

    def ext(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"demo-{prefix}-{self.counters[prefix]:06d}"

    def next_id(self, model: type[models.Model]) -> int:
        """Primary keys are given here, so that records can refer to each other before
        they are inserted (after the highest one in the table)."""
        if model not in self.last_ids:
            highest = model._default_manager.aggregate(highest=Max("pk"))["highest"]
            self.last_ids[model] = highest or 0
        self.last_ids[model] += 1
        return self.last_ids[model]

    def add(self, model: type[models.Model], prefix: str, **fields: Any) -> dict[str, Any]:
        """A row of `model` (attribute names to values) of this organisation."""
        row = {
            "id": self.next_id(model),
            "organisation_id": self.org.pk,
            "external_id": self.ext(prefix),
            **fields,
        }
        self.records[model].append(row)
        return row

    def past(self, day: D | None) -> D | None:
        """An end date as the records know it today (None: still running)."""
        return day if day is not None and day <= self.today else None

    def job(self, person: Person, start: D, contract: str, cap: D | None = None) -> bool:
        """Employment from `start` (its length depends on the contract) if the person is free."""
        rng = self.rng
        if start > self.today:
            return False
        length = {
            "temporary": rng.uniform(90, 365),
            "interim": rng.uniform(20, 180),
            "permanent": rng.uniform(365, 2500) if rng.random() < 0.35 else 99_999,
            "social_economy": rng.uniform(300, 1200),
            "other": rng.uniform(60, 700),
        }[contract]
        end = start + days(min(length, 20_000))
        if cap is not None:
            if cap < start:
                return False
            end = min(end, cap)
        if not person.is_free(start, end):
            return False
        self.add(
            Employment,
            "emp",
            client_id=person.client_id,
            start_date=start,
            end_date=self.past(end),
            contract=contract,
        )
        person.busy.append((start, self.past(end)))
        return True

    def next_spell_start(self, person: Person, spell: Spell) -> D | None:
        later = [s.start for s in person.spells if s.start > spell.start]
        return min(later) - ONE_DAY if later else None

    # --- clients ---------------------------------------------------------------------

    def build(self) -> dict[type[models.Model], list[dict[str, Any]]]:
        for person in self.t.people:
            person.client_id = self.add(
                Client,
                "c",
                first_name=person.first_name,
                last_name=person.last_name,
                birth_date=person.birth,
                gender=person.gender,
                national_number=person.national_number,
                household=person.household,
                migration_background=person.migration,
            )["id"]
        for person in self.t.people:
            for spell in person.spells:
                self.income_support(person, spell)
            for placement in person.placements:
                self.placement(person, placement)
            self.assignments(person)
        self.programmes_and_referrals()
        return self.records

    def income_support(self, person: Person, spell: Spell) -> None:
        rng = self.rng
        client = person.client_id
        for right in spell.rights:
            self.add(
                IncomeRight,
                "ir",
                client_id=client,
                kind=right.kind,
                category=right.category,
                start_date=right.start,
                end_date=right.end,
            )
        last_day = spell.end or self.today
        length = (last_day - spell.start).days
        # Exemptions (health data): VDAB registration, work availability.
        vdab_exempt = rng.random() < 0.12
        if vdab_exempt:
            self.exemption(client, "vdab_registration", spell, rng.uniform(0, 30))
        if length > 2 * 365 and rng.random() < 0.12:
            self.exemption(client, "work_availability", spell, rng.uniform(30, 400))
        # GPMI: obliged for leefloon since 1 November 2016 (before: under 25).
        leefloon = [r for r in spell.rights if r.kind == "leefloon"]
        if leefloon:
            self.gpmi(person, spell, leefloon[0].start)
        elif rng.random() < 0.3:
            start = spell.start + days(rng.uniform(20, 120))
            if start <= last_day:
                self.trajectory(client, "activation", start, spell.end, "Activering en taal")
        if person.age_on(spell.start) < 25 and length > 200 and rng.random() < 0.15:
            start = spell.start + days(rng.uniform(0, 60))
            end = self.past(start + days(rng.uniform(250, 1100)))
            if end is None or spell.end is None or end <= spell.end:
                self.trajectory(client, "training", start, end, "Studies met leefloon")
        if length > 3 * 365 and rng.random() < 0.2:
            start = spell.start + days(rng.uniform(200, 700))
            if start <= last_day:
                self.trajectory(client, "social", start, spell.end, "Zorg en welzijn eerst")
        # VDAB: registration as a jobseeker supported by the OCMW.
        if not vdab_exempt and rng.random() < 0.94:
            registered = spell.start + days(rng.uniform(0, 45))
            if registered <= last_day:
                self.add(
                    VdabRegistration,
                    "vdab",
                    client_id=client,
                    registered_on=registered,
                    category="ocmw" if rng.random() < 0.95 else "other",
                    ended_on=spell.end,
                )
        # MMPP screening for some who stay long.
        if length > 365 and rng.random() < 0.22:
            self.mmpp(person, spell)
        # Leaving income support for work; or a part-time job on top of a long spell.
        if spell.end is not None and spell.exit == "" and rng.random() < 0.3:
            contract = rng.choices(
                ["permanent", "temporary", "interim", "social_economy", "other"],
                [0.3, 0.35, 0.25, 0.05, 0.05],
            )[0]
            if self.job(
                person, spell.end + ONE_DAY, contract, self.next_spell_start(person, spell)
            ):
                spell.exit = "work"
        if length > 2 * 365 and rng.random() < 0.1:
            start = spell.start + days(rng.uniform(90, length - 60))
            cap = spell.end or None
            self.job(person, start, rng.choice(["temporary", "interim", "other"]), cap)

    def exemption(self, client: int, kind: str, spell: Spell, after: float) -> None:
        start = spell.start + days(after)
        if start > (spell.end or self.today):
            return
        self.add(
            Exemption,
            "ex",
            client_id=client,
            kind=kind,
            reason="health" if self.rng.random() < 0.8 else "equity",
            start_date=start,
            end_date=spell.end,
        )

    def trajectory(
        self, client: int, kind: str, start: D, end: D | None, goal: str = ""
    ) -> dict[str, Any]:
        return self.add(
            Trajectory,
            "tr",
            client_id=client,
            kind=kind,
            start_date=start,
            end_date=end,
            goal=goal,
        )

    def gpmi(self, person: Person, spell: Spell, decision: D) -> None:
        rng = self.rng
        client = person.client_id
        if decision < D(2016, 11, 1) and person.age_on(decision) >= 25:
            return
        if rng.random() < 0.05:
            self.exemption(
                client, "gpmi", spell, (decision - spell.start).days + rng.uniform(5, 40)
            )
            return
        start = decision + days(rng.uniform(10, 85))
        if start > self.today or (spell.end is not None and start > spell.end):
            return  # not signed yet (the work queue shows it) or the spell was short
        if spell.end is None and rng.random() < 0.03:
            return  # overdue: the work queue shows it
        trajectory = self.trajectory(client, "gpmi", start, spell.end, rng.choice(GPMI_GOALS))
        last = spell.end or self.today
        if spell.end is None and rng.random() < 0.12:
            last = self.today - days(rng.uniform(125, 250))  # an evaluation is overdue
        day = start + days(rng.uniform(80, 120))
        while day <= last:
            self.add(
                TrajectoryEvaluation,
                "ev",
                trajectory_id=trajectory["id"],
                date=day,
                face_to_face=rng.random() < 0.75,
                notes=rng.choice(EVALUATION_NOTES),
            )
            day += days(rng.uniform(95, 120))

    def mmpp(self, person: Person, spell: Spell) -> None:
        rng = self.rng
        last_day = spell.end or self.today
        advised = spell.start + days(rng.uniform(150, 500))
        category = rng.choices([1, 2, 3, 4, 5], [0.25, 0.17, 0.21, 0.23, 0.14])[0]
        for _ in range(3):
            if advised > last_day:
                return
            lapses = category != 5 and rng.random() < 0.5 or rng.random() < 0.15
            ended = advised + days(rng.uniform(180, 720)) if lapses else None
            ended = ended if ended is not None and ended <= self.today else None
            self.add(
                MmppScreening,
                "mmpp",
                client_id=person.client_id,
                advised_on=advised,
                category=category,
                ended_on=ended,
            )
            if ended is None or rng.random() < 0.6:
                return
            advised = ended + days(rng.uniform(1, 60))
            category = min(5, max(1, category + rng.choice([-1, 1])))

    # --- article 60 --------------------------------------------------------------------

    def placement(self, person: Person, placement: Placement) -> None:
        rng = self.rng
        client = person.client_id
        self.add(
            Article60Placement,
            "a60",
            client_id=client,
            employer_kind=placement.employer_kind,
            employer_name=placement.employer_name,
            start_date=placement.start,
            planned_end_date=placement.planned_end,
            end_date=placement.end,
            outcome=placement.outcome,
        )
        if rng.random() < 0.5:
            self.trajectory(
                client, "activation", placement.start, placement.end, "Werkervaring artikel 60"
            )
        job_start = None
        if placement.outcome == "work" and placement.end is not None:
            job_start = placement.end + days(rng.uniform(1, 30))
            contract = rng.choices(["temporary", "permanent", "interim"], [0.5, 0.3, 0.2])[0]
            if not self.job(person, job_start, contract):
                job_start = None
        elif placement.outcome in ("work_linked_training", "training") and placement.end:
            start = placement.end + ONE_DAY
            if start <= self.today:
                goal = "Duaal leren" if placement.outcome == "work_linked_training" else ""
                end = self.past(start + days(rng.uniform(150, 400)))
                self.trajectory(client, "training", start, end, goal)
        # Warm handover to VDAB near the end (the work queue shows those still missing).
        if placement.early or rng.random() < 0.12:
            return
        registered = (placement.end or placement.planned_end) - days(rng.uniform(0, 40))
        if registered > self.today or registered < placement.start:
            return
        if job_start is not None:
            ended = job_start - ONE_DAY
        else:
            ended = self.past(registered + days(rng.uniform(60, 500)))
        self.add(
            VdabRegistration,
            "vdab",
            client_id=client,
            registered_on=registered,
            category="benefits",
            ended_on=ended if ended is None or ended >= registered else registered,
            warm_handover=True,
        )

    # --- the social assistants ---------------------------------------------------------

    def pick_worker(self, day: D, previous: Worker | None) -> Worker:
        """The previous social assistant if still there (mostly), else one at random,
        weighted by FTE, among those employed that day."""
        if previous is not None and previous.employed_on(day) and self.rng.random() < 0.8:
            return previous
        key = tuple(w.employed_on(day) for w in self.workers)
        if key not in self.staffing:
            employed = [w for w, here in zip(self.workers, key, strict=True) if here]
            weights = list(accumulate(float(w.record.fte) for w in employed))
            self.staffing[key] = (employed, weights)
        employed, weights = self.staffing[key]
        return self.rng.choices(employed, cum_weights=weights)[0]

    def assignments(self, person: Person) -> None:
        client = person.client_id
        previous: Worker | None = None
        for start, end in person.care:
            worker = self.pick_worker(start, previous)
            day = start
            while worker.end is not None and (end is None or worker.end < end):
                self.add(
                    Assignment,
                    "as",
                    client_id=client,
                    social_worker_id=worker.record.pk,
                    start_date=day,
                    end_date=worker.end,
                )
                day = worker.end + ONE_DAY
                assert worker.replacement is not None
                worker = worker.replacement
            self.add(
                Assignment,
                "as",
                client_id=client,
                social_worker_id=worker.record.pk,
                start_date=day,
                end_date=end,
            )
            previous = worker

    # --- partner programmes ------------------------------------------------------------

    def candidates(self, day: D, test, tries: int = 400) -> Person | None:
        """A random person in income support on `day` who passes `test`."""
        spells = self.t.spells
        for _ in range(tries):
            spell = spells[self.rng.randrange(len(spells))]
            if spell.start <= day and (spell.end is None or spell.end >= day):
                person = spell.person
                if test(person, spell):
                    return person
        return None

    def programmes_and_referrals(self) -> None:
        for year in range(shape.DUO_SINCE, self.today.year + 1):
            self.funding("duo_for_a_job", year, shape.DUO_FUNDING)
            self.duo_year(year)
        for year in range(shape.JOBROAD_SINCE, self.today.year + 1):
            self.funding("jobroad", year, shape.JOBROAD_FUNDING)
        self.jobroad()
        for first in (shape.WIJKWERKEN_SINCE, shape.SOCIAL_ECONOMY_SINCE):
            code = "wijkwerken" if first == shape.WIJKWERKEN_SINCE else "social_economy"
            per_year = (
                shape.WIJKWERKEN_PER_YEAR if code == "wijkwerken" else shape.SOCIAL_ECONOMY_PER_YEAR
            )
            for year in range(first, self.today.year + 1):
                self.other_programme_year(code, year, per_year)

    def funding(self, code: str, year: int, amount: Decimal) -> None:
        self.records[ProgrammeFunding].append(
            {
                "id": self.next_id(ProgrammeFunding),
                "programme_id": self.programmes[code].pk,
                "year": year,
                "amount_eur": amount,
            }
        )

    def referral(
        self, person: Person, code: str, start: D, end: D | None, outcome: str, session=None
    ) -> None:
        self.add(
            Referral,
            "ref",
            client_id=person.client_id,
            programme_id=self.programmes[code].pk,
            start_date=start,
            end_date=end,
            session_id=session["id"] if session else None,
            outcome=outcome,
        )
        if end is not None and outcome in ("permanent_job", "temporary_job"):
            contract = {"permanent_job": "permanent", "temporary_job": "temporary"}[outcome]
            if code == "social_economy":
                contract = "social_economy"
            self.job(person, end + days(self.rng.uniform(0, 30)), contract)

    def spread(self, year: int, count: int) -> list[D]:
        """`count` dates spread over the year, only those up to today."""
        first = D(year, 1, 8)
        step = 350 / count
        dates = [first + days(i * step + self.rng.uniform(0, step)) for i in range(count)]
        return [d for d in dates if d <= self.today]

    @staticmethod
    def quota(n: int, shares: list[tuple[str, float]]) -> list[str]:
        """Outcomes for `n` ended referrals in exact proportions (round half up)."""
        outcomes: list[str] = []
        for outcome, share in shares:
            outcomes += [outcome] * math.floor(n * share + 0.5)
        return (outcomes + ["none"] * n)[:n]

    def duo_year(self, year: int) -> None:
        """DUO for a JOB: 50 young jobseekers with a migration background a year, a mentor
        for 6 months; 30% find a permanent job, 70% a broader result."""
        rng = self.rng
        chosen = []
        used = self.duo_people
        for start in self.spread(year, shape.DUO_PER_YEAR):
            end = start + days(shape.DUO_DAYS)
            person = self.candidates(
                start,
                lambda p, s, start=start, end=end: (
                    p.migration
                    and 18 <= p.age_on(start) < 30
                    and (start - s.start).days >= 30
                    and p.index not in used
                    and p.is_free(start, end)
                ),
            )
            if person is not None:
                used.add(person.index)
                chosen.append((person, start, end))
        ended = [c for c in chosen if c[2] <= self.today]
        outcomes = self.quota(
            len(ended),
            [
                ("permanent_job", 0.30),
                ("temporary_job", 0.10),
                ("training", 0.20),
                ("internship", 0.10),
                ("dropped_out", 0.10),
            ],
        )
        rng.shuffle(outcomes)
        for person, start, end in chosen:
            if end <= self.today:
                self.referral(person, "duo_for_a_job", start, end, outcomes.pop())
            else:
                self.referral(person, "duo_for_a_job", start, None, "")

    def jobroad_dates(self) -> list[D]:
        """Four screenings a year (a Thursday in March, June, September, December) from
        2021; next year's too when this year's are all past."""

        def year_dates(year: int) -> list[D]:
            dates = []
            for month in shape.JOBROAD_SESSION_MONTHS:
                day = D(year, month, 8)
                while day.weekday() != 3:
                    day += ONE_DAY
                dates.append(day)
            return dates

        years = range(shape.JOBROAD_SINCE, self.today.year + 1)
        dates = [day for year in years for day in year_dates(year)]
        if all(day <= self.today for day in dates):
            dates += year_dates(self.today.year + 1)
        return dates

    def jobroad(self) -> None:
        """JobRoad: four screenings a year of at most 35 leefloon clients; 30% find work.
        The next screening after today still has free places."""
        rng = self.rng
        upcoming = True
        for day in self.jobroad_dates():
            session = self.add(
                ProgrammeSession,
                "ses",
                programme_id=self.programmes["jobroad"].pk,
                date=day,
                capacity=shape.JOBROAD_CAPACITY,
            )
            if day <= self.today:
                size = rng.randint(22, shape.JOBROAD_CAPACITY)
            elif upcoming:
                size, upcoming = rng.randint(8, 24), False
            else:
                continue
            chosen = []
            used: set[int] = set()
            for _ in range(size):
                start = min(day - days(rng.uniform(7, 35)), self.today)
                person = self.candidates(
                    start,
                    lambda p, s, start=start, day=day, used=used: (
                        s.kind == "leefloon"
                        and 18 <= p.age_on(start) <= 60
                        and (start - s.start).days >= 60
                        and p.index not in used
                        and p.is_free(start, day + days(14))
                    ),
                )
                if person is not None:
                    used.add(person.index)
                    chosen.append((person, start))
            outcomes = self.quota(
                len(chosen),
                [
                    ("permanent_job", 0.10),
                    ("temporary_job", 0.20),
                    ("training", 0.05),
                    ("internship", 0.03),
                    ("dropped_out", 0.07),
                ],
            )
            rng.shuffle(outcomes)
            for (person, start), outcome in zip(chosen, outcomes, strict=True):
                end = day + days(7)  # the company visit, the week after the screening
                if end <= self.today:
                    self.referral(person, "jobroad", start, end, outcome, session)
                else:
                    self.referral(person, "jobroad", start, None, "", session)

    def other_programme_year(self, code: str, year: int, per_year: int) -> None:
        """Wijk-werken and social economy (indication via VDAB)."""
        rng = self.rng
        if code == "wijkwerken":
            shares = [("temporary_job", 0.12), ("training", 0.15), ("dropped_out", 0.18)]
            length = (90, 365)
        else:
            shares = [
                ("temporary_job", 0.35),
                ("permanent_job", 0.10),
                ("training", 0.10),
                ("internship", 0.05),
                ("dropped_out", 0.10),
            ]
            length = (60, 240)
        for start in self.spread(year, per_year):
            end = start + days(rng.uniform(*length))
            person = self.candidates(
                start,
                lambda p, s, start=start, end=end: (
                    25 <= p.age_on(start) <= 64
                    and (start - s.start).days >= 120
                    and p.is_free(start, end)
                ),
            )
            if person is None:
                continue
            if end > self.today:
                self.referral(person, code, start, None, "")
            elif rng.random() < 0.08:
                self.referral(person, code, start, end, "")  # outcome never filled in
            else:
                names = [name for name, _share in shares] + ["none"]
                weights = [share for _name, share in shares]
                outcome = rng.choices(names, [*weights, 1 - sum(weights)])[0]
                self.referral(person, code, start, end, outcome)
