"""What an import (or a dry run) found and did."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from records.bundle import Problem, Problems
from records.spec import ALL_FILES, FILE_ORDER


@dataclass
class FileCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Health-data files (MMPP, exemptions) report stored records the rows name as
    # `existing`, never as changed or unchanged (that would tell what is stored).
    health_data: bool = False
    existing: int = 0


@dataclass
class ImportResult:
    """What an import (or a dry run) found and did."""

    # The first MAX_PROBLEMS problems; `problems.more` counts the others.
    problems: Problems = field(default_factory=Problems)
    counts: dict[str, FileCounts] = field(default_factory=dict)
    organisation_code: str = ""
    written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.counts.values())

    def problems_by_file(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            grouped[problem.file].append(problem)
        return dict(grouped)


_COLUMN_ORDER = {
    (spec.name, column.name): position
    for spec in ALL_FILES
    for position, column in enumerate(spec.columns)
}


def problem_order(problem: Problem) -> tuple:
    """Problems by file (in the order of the spec), line, and column (in the order of the spec)."""
    return (
        FILE_ORDER.get(problem.file, -1),
        problem.file,
        problem.line,
        _COLUMN_ORDER.get((problem.file, problem.column), -1),
    )
