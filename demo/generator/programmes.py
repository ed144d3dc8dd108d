"""Partner programmes of the demo: JobRoad, DUO for a JOB, Wijk-werken, social economy."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from demo.generator import shape
from demo.generator.rows import RowBuilder
from demo.generator.timeline import ONE_DAY, Person, days
from partners.models import ProgrammeFunding, ProgrammeSession, Referral

D = datetime.date


class ProgrammeRows(RowBuilder):
    """Referrals to the partner programmes, sessions and funding, as in the Mechelen answer."""

    # --- partner programmes ------------------------------------------------------------

    def candidates(self, day: D, test) -> Person | None:
        """A random person in income support on `day` who passes `test`: a walk through
        all spells from a random one on (the first hit is found quickly)."""
        spells = self.t.spells
        count = len(spells)
        first = self.rng.randrange(count)
        step = 7919 if math.gcd(7919, count) == 1 else 1  # coprime: visits every spell
        for i in range(count):
            spell = spells[(first + i * step) % count]
            running = spell.start <= day and (spell.end is None or spell.end >= day)
            if running and test(spell.person, spell):
                return spell.person
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
