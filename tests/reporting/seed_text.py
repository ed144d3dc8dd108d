"""The published figures, read from the text of the two answers in tests/reporting/seeds/.

The golden tests take their numbers from here, so that a figure in a test is
the figure in the document (copies of ../shared/seeds/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).parent / "seeds"


def _text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _count(text: str) -> int:
    """A Dutch count: 1.494 -> 1494."""
    return int(text.replace(".", ""))


def _search(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text)
    if match is None:
        raise AssertionError(f"pattern not found in the seed: {pattern}")
    return match


@dataclass(frozen=True)
class InflowRow:
    month: str  # YYYY-MM
    m: tuple[int, int, int]  # under 25, 25 to 49, 50+
    m_total: int
    f: tuple[int, int, int]
    f_total: int


@dataclass(frozen=True)
class OutflowRow:
    month: str
    inflow: int
    to_work: int
    percent: int


@dataclass(frozen=True)
class Ministerial:
    inflow: list[InflowRow]
    outflow: list[OutflowRow]
    screenings_before: int
    screenings_by_month: dict[str, int]
    screenings_by_year: dict[str, int]
    screenings_total: int
    stock: dict[str, int]  # year -> MMPP stock on 31 December


def _month(yyyymm: str) -> str:
    return f"{yyyymm[:4]}-{yyyymm[4:]}"


@cache
def ministerial() -> Ministerial:
    """Answer 284 of 26 January 2015 (Flemish minister of Work): tables 1-3, the outflow
    table, the MMPP screening table and the year-end MMPP stock."""
    text = _text("004")
    inflow_part, rest = text.split("c) Hieronder", 1)
    outflow_part, rest = rest.split("d) Conform", 1)
    screening_part = rest.split("jaar_Screeningsadvies", 1)[1].split("Eindtotaal", 1)[0]

    inflow = []
    for line in inflow_part.splitlines():
        match = re.fullmatch(r"(20\d{4})((?: \d+){8})", line.strip())
        if match:
            n = [int(x) for x in match.group(2).split()]
            inflow.append(
                InflowRow(
                    _month(match.group(1)), (n[0], n[1], n[2]), n[3], (n[4], n[5], n[6]), n[7]
                )
            )

    outflow = [
        OutflowRow(_month(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)))
        for m in re.finditer(r"^(20\d{4}) (\d+) (\d+) (\d+)%\s*$", outflow_part, re.MULTILINE)
    ]

    by_month = {
        _month(m.group(1)): int(m.group(2))
        for m in re.finditer(r"^(?:20\d{2} )?(20\d{4}) (\d+)\s*$", screening_part, re.MULTILINE)
    }
    by_year = {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"^Totaal (20\d{2}) (\d+)\s*$", screening_part, re.MULTILINE)
    }
    before = int(_search(r"TOTAAL <20\d{2} (\d+)", screening_part).group(1))
    total = int(_search(r"Eindtotaal (\d+)", text).group(1))

    flat = _flat(text)
    stock = {}
    first = _search(
        r"In (\d{4}) kende de VDAB ([\d.]+) niet werkende werkzoekenden met een MMPP", flat
    )
    stock[first.group(1)] = _count(first.group(2))
    second = _search(r"Einde (\d{4}) is het totaal aantal gestegen met [\d.]+ tot ([\d.]+)", flat)
    stock[second.group(1)] = _count(second.group(2))
    third = _search(r"Op 31/12/(\d{4}) zijn ([\d.]+) niet-werkende werkzoekenden", flat)
    stock[third.group(1)] = _count(third.group(2))

    return Ministerial(inflow, outflow, before, by_month, by_year, total, stock)


@dataclass(frozen=True)
class Mechelen:
    reference_month: str
    leefloon: int
    equivalent: int
    leefloon_per_1000: Decimal
    equivalent_per_1000: Decimal
    duration_percent: dict[str, int]
    article60_year: str
    article60_average: int
    article60_now: int
    flow_through_percent: int
    social_workers: int
    caseload_range: tuple[int, int]
    duo_participants: int
    duo_permanent_percent: int
    duo_broader_percent: int
    duo_funding: int
    jobroad_sessions: int
    jobroad_capacity: int
    jobroad_to_work_percent: int
    jobroad_funding: int


_MONTHS_NL = {"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6}
_NUMBERS_NL = {"vier": 4, "drie": 3, "twee": 2, "vijf": 5}


@cache
def mechelen() -> Mechelen:
    """The Mechelen college's answer (2025)."""
    text = _flat(_text("000"))
    counts = _search(
        r"In (\w+) (\d{4}) waren er ([\d.]+) leefloongerechtigden en ([\d.]+) "
        r"equivalent-\s?leefloongerechtigden",
        text,
    )
    per_1000 = _search(
        r"met ([\d.]+) leefloongerechtigden en ([\d.]+) equivalent-\s?leefloongerechtigden "
        r"per 1\.000 inwoners",
        text,
    )
    duration = _search(
        r"(\d+)% van onze leefloongerechtigden was bij ons max 1 jaar .*? (\d+)% tussen 1 en 2 "
        r"jaar\. (\d+)% tussen de 2 en 4 jaar\. (\d+)% was langer dan 4 jaar",
        text,
    )
    average = _search(
        r"In (\d{4}) hadden we gemiddeld (\d+) leefloongerechtigden op maandbasis", text
    )
    now = _search(r"momenteel aan (\d+) tewerkgestelden in artikel 60", text)
    flow = _search(r"doorstroomgraad naar werk .*? bedroeg (\d+)%", text)
    workers = _search(r"(\d+) van onze maatschappelijk assistenten", text)
    caseload = _search(r"caseload is een (\d+) tot (\d+) cliënten per voltijdse", text)
    duo = _search(
        r"DUO for a JOB begeleidt zo (\d+) werkzoekende jongeren per jaar\. (\d+)% van deze "
        r"jongeren vindt vast werk\. (\d+)% resulteert in een ruimer resultaat",
        text,
    )
    duo_funding = _search(r"DUO for JOB ontvangt hiervoor een toelage van ([\d.]+) euro", text)
    jobroad = _search(r"JobRoad organiseert sinds \d{4} (\w+) screenings per jaar", text)
    capacity = _search(r"maximaal (\d+) werkzoekende leefloongerechtigden", text)
    jobroad_work = _search(
        r"Gemiddeld gaat (\d+)% van de deelnemende kandidaten aan het werk", text
    )
    jobroad_funding = _search(
        r"JobRoad ontvangt hiervoor een toelage van Stad Mechelen van ([\d.]+) euro", text
    )
    sessions = jobroad.group(1)
    return Mechelen(
        reference_month=f"{counts.group(2)}-{_MONTHS_NL[counts.group(1)]:02d}",
        leefloon=_count(counts.group(3)),
        equivalent=_count(counts.group(4)),
        leefloon_per_1000=Decimal(per_1000.group(1)),
        equivalent_per_1000=Decimal(per_1000.group(2)),
        duration_percent={
            "up_to_1y": int(duration.group(1)),
            "1y_to_2y": int(duration.group(2)),
            "2y_to_4y": int(duration.group(3)),
            "over_4y": int(duration.group(4)),
        },
        article60_year=average.group(1),
        article60_average=int(average.group(2)),
        article60_now=int(now.group(1)),
        flow_through_percent=int(flow.group(1)),
        social_workers=int(workers.group(1)),
        caseload_range=(int(caseload.group(1)), int(caseload.group(2))),
        duo_participants=int(duo.group(1)),
        duo_permanent_percent=int(duo.group(2)),
        duo_broader_percent=int(duo.group(3)),
        duo_funding=_count(duo_funding.group(1)),
        jobroad_sessions=_NUMBERS_NL.get(sessions) or int(sessions),
        jobroad_capacity=int(capacity.group(1)),
        jobroad_to_work_percent=int(jobroad_work.group(1)),
        jobroad_funding=_count(jobroad_funding.group(1)),
    )
