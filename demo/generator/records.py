"""From the demo timelines to rows of every model (seed.py inserts them in bulk).

Every record is valid by the models' rules: ends after starts, nothing before the
client's birth, no overlapping income rights or placements, session capacity
respected. tests/demo/test_seed_demo.py runs full_clean() on samples to prove it.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from itertools import accumulate
from typing import Any

from django.db import models

from casework.models import (
    Assignment,
    Client,
    Exemption,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
)
from demo.generator.programmes import ProgrammeRows
from demo.generator.rows import Worker
from demo.generator.timeline import ONE_DAY, Person, Placement, Spell, days
from partners.models import (
    Article60Placement,
    MmppScreening,
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


class RecordBuilder(ProgrammeRows):
    """Builds the rows of every person of a timeline."""

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
        self.end_overlaps(VdabRegistration, "registered_on", "ended_on")
        self.end_overlaps(Referral, "start_date", "end_date", scope=("programme_id",))
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
        ended: D | None
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
        if not self.staffing_changes:
            changes = {w.start for w in self.workers if w.start} | {
                w.end + ONE_DAY for w in self.workers if w.end
            }
            self.staffing_changes = sorted(changes)
        period = bisect_right(self.staffing_changes, day)  # the staff is the same in between
        if period not in self.staffing:
            employed = [w for w in self.workers if w.employed_on(day)]
            weights = list(accumulate(float(w.record.fte) for w in employed))
            self.staffing[period] = (employed, weights)
        employed, weights = self.staffing[period]
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
