"""The base of the demo's row builders: ids, external ids, and jobs (employment)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models

from casework.models import Organisation, SocialWorker
from demo.generator import shape
from demo.generator.timeline import ONE_DAY, Person, Spell, Timeline, days
from partners.models import Employment, Programme

D = datetime.date


@dataclass
class Worker:
    """A social assistant during the demo's history."""

    record: SocialWorker
    start: D | None
    end: D | None
    replacement: Worker | None = None

    def employed_on(self, day: D) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


class RowBuilder:
    """Collects rows (attribute name -> value) per model, with their primary keys."""

    def __init__(
        self,
        timeline: Timeline,
        organisation: Organisation,
        programmes: dict[str, Programme],
        workers: list[Worker],
        rng: random.Random,
        highest_ids: dict[type[models.Model], int],
    ) -> None:
        self.t = timeline
        self.today = timeline.today
        self.org = organisation
        self.programmes = programmes
        self.workers = workers
        self.rng = rng
        self.records: dict[type[models.Model], list[dict[str, Any]]] = defaultdict(list)
        self.last_ids = dict(highest_ids)
        self.counters: dict[str, int] = defaultdict(int)
        self.duo_people: set[int] = set()  # DUO for a JOB: once per person
        self.staffing: dict[int, tuple[list[Worker], list[float]]] = {}
        self.staffing_changes: list[D] = []

    # --- helpers ---------------------------------------------------------------------

    def ext(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{shape.DEMO_ID_PREFIX}{prefix}-{self.counters[prefix]:06d}"

    def next_id(self, model: type[models.Model]) -> int:
        """Primary keys are given here, so that records can refer to each other before
        they are inserted (after the highest one in the table)."""
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

    def end_overlaps(
        self, model: type[models.Model], start: str, end: str, scope: tuple[str, ...] = ()
    ) -> None:
        """Periods of one client (and `scope`) that may not overlap (domain.md,
        "Integrity"): a later record ends the earlier one the day before it starts (a
        new VDAB registration replaces the previous one); of two starting on one day
        the first is kept."""
        kept: list[dict[str, Any]] = []
        last: dict[tuple, dict[str, Any]] = {}
        for row in sorted(self.records[model], key=lambda r: (r[start], r["id"])):
            key = (row["client_id"], *(row[name] for name in scope))
            previous = last.get(key)
            if previous is not None and (previous[end] is None or previous[end] >= row[start]):
                if previous[start] == row[start]:
                    continue
                previous[end] = row[start] - ONE_DAY
            last[key] = row
            kept.append(row)
        kept.sort(key=lambda r: r["id"])
        self.records[model] = kept

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
