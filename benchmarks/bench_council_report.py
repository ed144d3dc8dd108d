"""Benchmark of the council report on a synthetic organisation.

    .venv/bin/python benchmarks/bench_council_report.py                # SQLite and PostgreSQL
    .venv/bin/python benchmarks/bench_council_report.py --postgres postgres://postgres@127.0.0.1:5432/traject_bench_report
    .venv/bin/python benchmarks/bench_council_report.py --clients 2000 --skip-sqlite   # quick

For each database it creates a fresh database (migrate) in its own process,
fills one organisation with `--clients` clients and ten years of history
(2015-2024: income rights in spells, assignments, trajectories, VDAB
registrations, employment, article-60 placements, MMPP advices, referrals and
sessions) with bulk_create, and then times `build_report` plus its JSON for
three parameter sets: one year, three years (like the 2015 answer) and the
whole ten years. Each is run `--repeat` times; the table shows the fastest and
the median run, the number of queries (which does not depend on the number of
records, see tests/reporting/test_query_count.py) and the machine's load
average (the figures are wall times: other processes on the machine count).

On PostgreSQL it then times each statistic alone for one and ten years, beside the
hand-written SQL of `benchmarks/yardsticks.py` where there is one (asserting the same
figures; the ratio is what issue 15 asks within 1.5x), and, with `--beside N` (19 by
default), copies the organisation N times and times each statistic again: one
organisation's report alone against beside others of its size.

Target (issue 4): the whole report under 2 s on PostgreSQL for 20,000 clients
with 10 years of history on a 2-core machine. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/traject_bench_report"
FIRST_YEAR, LAST_YEAR = 2015, 2024
AS_OF = datetime.date(2025, 6, 30)
PARAMETER_SETS = [
    ("1 jaar", "2024-01", "2024-12", "2024-12"),
    ("3 jaar", "2022-01", "2024-12", "2024-12"),
    ("10 jaar", "2015-01", "2024-12", "2024-12"),
]
DAY = datetime.timedelta(days=1)


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + rng.randrange((last - first).days + 1) * DAY


def populate(clients: int, seed: int = 4) -> dict[str, int]:
    """Fill one organisation `bench` with `clients` clients and ten years of history."""
    from decimal import Decimal

    from casework.models import (
        Assignment,
        Client,
        IncomeRight,
        Organisation,
        Population,
        SocialWorker,
        Trajectory,
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

    rng = random.Random(seed)
    organisation = Organisation.objects.create(code="bench", name="OCMW Bench")
    org_id = organisation.pk
    Population.objects.bulk_create(
        Population(organisation=organisation, year=year, inhabitants=85_000 + 500 * (year - 2010))
        for year in range(FIRST_YEAR, LAST_YEAR + 2)
    )
    workers = SocialWorker.objects.bulk_create(
        SocialWorker(
            organisation=organisation,
            external_id=f"sw{i}",
            first_name="MA",
            last_name=str(i),
            fte=Decimal(rng.choice(["1.000", "1.000", "0.800", "0.500"])),
            start_date=day_between(rng, datetime.date(2010, 1, 1), datetime.date(2023, 1, 1)),
            end_date=None if i % 6 else day_between(rng, datetime.date(2023, 2, 1), AS_OF),
        )
        for i in range(70)
    )
    programmes = {
        code: Programme.objects.create(organisation=organisation, code=code, name=name)
        for code, name in Programme.DEFAULTS.items()
    }
    ProgrammeFunding.objects.bulk_create(
        ProgrammeFunding(programme=programmes[code], year=year, amount_eur=Decimal(amount))
        for code, amount in (("duo_for_a_job", 70000), ("jobroad", 37500))
        for year in range(2021, LAST_YEAR + 2)
    )
    sessions = ProgrammeSession.objects.bulk_create(
        ProgrammeSession(
            organisation=organisation,
            external_id=f"s{year}{quarter}",
            programme=programmes["jobroad"],
            date=datetime.date(year, 3 * quarter + 2, 14),
            capacity=35,
        )
        for year in range(2021, LAST_YEAR + 1)
        for quarter in range(4)
    )

    people = []
    for i in range(clients):
        people.append(
            Client(
                organisation_id=org_id,
                external_id=f"c{i}",
                first_name="Bench",
                last_name=f"Client {i}",
                birth_date=day_between(rng, datetime.date(1955, 1, 1), datetime.date(2006, 12, 31)),
                gender=rng.choices("mfx", weights=(49, 50, 1))[0],
                household=rng.choice(["single", "single", "cohabiting", "married", ""]),
            )
        )
    Client.objects.bulk_create(people, batch_size=2000)

    rows: dict[type, list] = {
        model: []
        for model in (
            IncomeRight,
            Assignment,
            Trajectory,
            VdabRegistration,
            Employment,
            Article60Placement,
            MmppScreening,
            Referral,
        )
    }
    serial = iter(range(10**9))

    def add(model, **fields):
        rows[model].append(model(organisation_id=org_id, external_id=f"r{next(serial)}", **fields))

    history_start = datetime.date(FIRST_YEAR, 1, 1)
    for client in people:
        cid = client.pk
        # Spells of income support, each of one to three rights with short gaps.
        day = day_between(rng, history_start - 700 * DAY, datetime.date(2024, 6, 1))
        for _spell in range(rng.choice([1, 1, 2, 3])):
            if day > AS_OF:
                break
            spell_start = day
            for _right in range(rng.choice([1, 2, 3])):
                end = day + rng.randrange(60, 900) * DAY
                open_ended = end > AS_OF
                add(
                    IncomeRight,
                    client_id=cid,
                    kind=rng.choices(["leefloon", "equivalent"], weights=(8, 2))[0],
                    category=rng.choice(["single", "cohabiting", "family"]),
                    start_date=day,
                    end_date=None if open_ended else end,
                )
                if open_ended:
                    day = AS_OF + 1000 * DAY
                    break
                day = end + rng.randrange(1, 45) * DAY
            add(
                Assignment,
                client_id=cid,
                social_worker_id=rng.choice(workers).pk,
                start_date=spell_start,
                end_date=None if day > AS_OF else day,
            )
            trajectory_start = spell_start + rng.randrange(0, 90) * DAY
            add(
                Trajectory,
                client_id=cid,
                kind=rng.choice(["gpmi", "gpmi", "activation", "training", "social"]),
                start_date=trajectory_start,
                end_date=None if day > AS_OF else max(day, trajectory_start),
            )
            day = day + rng.randrange(60, 700) * DAY
        registrations = []
        for _n in range(rng.choice([0, 1, 1, 2, 3])):
            registered = day_between(rng, history_start, datetime.date(2025, 5, 31))
            registrations.append(
                {
                    "registered_on": registered,
                    "category": rng.choices(["ocmw", "benefits", "other"], weights=(6, 3, 1))[0],
                    "ended_on": rng.choice([None, registered + rng.randrange(30, 900) * DAY]),
                    "warm_handover": rng.random() < 0.1,
                }
            )
        # A client's registrations do not overlap (the exclusion constraint): one per
        # day (the first drawn), each ending at the latest the day before the next.
        by_day = {}
        for registration in registrations:
            by_day.setdefault(registration["registered_on"], registration)
        registrations = [by_day[day] for day in sorted(by_day)]
        for this, following in zip(registrations, registrations[1:], strict=False):
            last = following["registered_on"] - DAY
            if this["ended_on"] is None or this["ended_on"] > last:
                this["ended_on"] = last
        for registration in registrations:
            add(VdabRegistration, client_id=cid, **registration)
        if rng.random() < 0.4:
            start = day_between(rng, history_start, datetime.date(2025, 5, 31))
            add(
                Employment,
                client_id=cid,
                start_date=start,
                end_date=rng.choice([None, start + rng.randrange(30, 700) * DAY]),
                contract=rng.choice(["permanent", "temporary", "interim", ""]),
            )
        if rng.random() < 0.25:
            start = day_between(rng, history_start, datetime.date(2025, 3, 1))
            end = start + rng.randrange(180, 730) * DAY
            add(
                Article60Placement,
                client_id=cid,
                employer_kind=rng.choice(["own_service", "public", "non_profit", "private"]),
                start_date=start,
                planned_end_date=end,
                end_date=end if end <= AS_OF else None,
                outcome=rng.choice(["work", "work_linked_training", "training", "benefits", ""])
                if end <= AS_OF
                else "",
            )
        if rng.random() < 0.2:
            advised = day_between(rng, history_start - 1000 * DAY, datetime.date(2025, 5, 1))
            for _n in range(rng.choice([1, 1, 2, 3])):
                add(
                    MmppScreening,
                    client_id=cid,
                    advised_on=advised,
                    category=rng.randint(1, 5),
                    ended_on=rng.choice([None, None, advised + rng.randrange(30, 900) * DAY]),
                )
                advised += rng.randrange(60, 700) * DAY
                if advised > AS_OF:
                    break
        if rng.random() < 0.1:
            session = rng.choice(sessions) if rng.random() < 0.6 else None
            start = session.date if session else day_between(rng, datetime.date(2021, 1, 1), AS_OF)
            add(
                Referral,
                client_id=cid,
                programme_id=(session.programme_id if session else programmes["duo_for_a_job"].pk),
                session_id=session.pk if session else None,
                start_date=start,
                end_date=start + 180 * DAY if start + 180 * DAY <= AS_OF else None,
                outcome=rng.choice(["permanent_job", "temporary_job", "training", "none", ""]),
            )
    counts = {"clients": len(people)}
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=2000)
        counts[model._meta.model_name] = len(objects)
    return counts


def clone_organisation(code: str, copies: int) -> None:
    """`copies` more organisations shaped exactly like `code` (every record copied with
    INSERT ... SELECT, ids shifted): one organisation's report alone against beside
    others of the same size. PostgreSQL."""
    from django.db import connection

    from casework.models import (
        Assignment,
        Client,
        IncomeRight,
        Organisation,
        Population,
        SocialWorker,
        Trajectory,
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

    models = [
        Client,
        SocialWorker,
        Programme,
        ProgrammeFunding,
        ProgrammeSession,
        Population,
        IncomeRight,
        Assignment,
        Trajectory,
        VdabRegistration,
        Employment,
        Article60Placement,
        MmppScreening,
        Referral,
    ]
    source = Organisation.objects.get(code=code)
    shift = 10_000_000
    with connection.cursor() as cursor:
        for copy in range(1, copies + 1):
            target = Organisation.objects.create(code=f"{code}{copy}", name=f"OCMW {code} {copy}")
            for model in models:
                columns, values = [], []
                for field in model._meta.concrete_fields:
                    column = field.column
                    columns.append(f'"{column}"')
                    if field.primary_key:
                        values.append(f'"{column}" + {copy * shift}')
                    elif column == "organisation_id":
                        values.append(str(target.pk))
                    elif field.is_relation and field.related_model in models:
                        values.append(f'"{column}" + {copy * shift}')
                    else:
                        values.append(f'"{column}"')
                table = model._meta.db_table
                where = (
                    f"programme_id IN (SELECT id FROM partners_programme"
                    f" WHERE organisation_id = {source.pk})"
                    if model is ProgrammeFunding
                    else f"organisation_id = {source.pk}"
                )
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM {table} WHERE {where}"
                )
        cursor.execute("ANALYZE")


def worker(database_url: str, clients: int, repeat: int, beside: int = 0) -> None:
    """Runs in its own process with DATABASE_URL set: migrate, populate, time, print JSON."""
    import django

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from casework.models import Organisation
    from reporting.exports import report_json
    from reporting.statistics import Month, ReportParameters, build_report

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = populate(clients)
    populate_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    organisation = Organisation.objects.get(code="bench")
    results = []
    for label, first, last, reference in PARAMETER_SETS:
        params = ReportParameters(
            organisation=organisation,
            period_from=Month.parse(first),
            period_to=Month.parse(last),
            reference_month=Month.parse(reference),
            as_of=AS_OF,
        )
        timings = []
        for _run in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                report_json(build_report(params))
                timings.append(time.perf_counter() - start)
        results.append(
            {
                "load": os.getloadavg()[0],
                "label": label,
                "period": f"{first}..{last}",
                "best": min(timings),
                "median": statistics.median(timings),
                "queries": len(queries),
            }
        )
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "rows": counts,
                "populate_seconds": populate_seconds,
                "results": results,
                # Each statistic alone: on PostgreSQL, where the targets of issue 15 hold.
                "statistics": time_statistics(organisation, repeat)
                if connection.vendor == "postgresql"
                else [],
                "beside": beside_others(organisation, repeat, beside),
            }
        )
    )


def beside_others(organisation: Any, repeat: int, others: int) -> list[dict[str, Any]]:
    """Each statistic of `organisation` again after `others` organisations of the same size
    were added beside it (PostgreSQL only): the time should not depend on them."""
    from django.db import connection

    if not others or connection.vendor != "postgresql":
        return []
    clone_organisation(organisation.code, others)
    return time_statistics(organisation, repeat, yardsticks=False)


def time_statistics(
    organisation: Any, repeat: int, *, yardsticks: bool = True
) -> list[dict[str, Any]]:
    """Each statistic alone (best of `repeat`, in the report's snapshot transaction) for one
    and ten years; on PostgreSQL also its hand-written SQL (benchmarks/yardsticks.py),
    asserting that both give the same figures."""
    from django.db import connection
    from yardsticks import YARDSTICKS, comparable

    from reporting.statistics import Month, ReportParameters, in_report_order
    from reporting.statistics.report import report_snapshot

    def best(function: Any) -> tuple[float, Any]:
        timings, value = [], None
        for _run in range(repeat):
            with report_snapshot():
                start = time.perf_counter()
                value = function()
                timings.append(time.perf_counter() - start)
        return min(timings), value

    rows = []
    for label, first, last, reference in (PARAMETER_SETS[0], PARAMETER_SETS[-1]):
        params = ReportParameters(
            organisation=organisation,
            period_from=Month.parse(first),
            period_to=Month.parse(last),
            reference_month=Month.parse(reference),
            as_of=AS_OF,
        )
        for stat in in_report_order():
            seconds, figures = best(lambda stat=stat, params=params: stat(params))
            row = {"label": label, "key": stat.key, "seconds": seconds, "sql": None}
            yardstick = YARDSTICKS.get(stat.key)
            if yardsticks and yardstick is not None and connection.vendor == "postgresql":

                def by_hand(yardstick: Any = yardstick, params: Any = params) -> Any:
                    with connection.cursor() as cursor:
                        return yardstick(cursor, params)

                sql_seconds, sql_figures = best(by_hand)
                expected = comparable(stat.key, figures)
                if json.loads(json.dumps(sql_figures)) != json.loads(json.dumps(expected)):
                    raise AssertionError(f"{stat.key} ({label}): the SQL gives other figures")
                row["sql"] = sql_seconds
            rows.append(row)
    return rows


def run_database(url: str, clients: int, repeat: int, beside: int = 0) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            url,
            "--clients",
            str(clients),
            "--repeat",
            str(repeat),
            "--beside",
            str(beside),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if completed.returncode:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"benchmark on {url} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def fresh_postgres(url: str) -> None:
    """Drop and create the benchmark database (never another one: the name is checked)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        raise SystemExit(f"refusing to recreate {name!r}: its name must contain 'bench'")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--beside",
        type=int,
        default=19,
        help="PostgreSQL: then as many organisations of the same size beside it (0: none)",
    )
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.clients, args.repeat, args.beside)
        return

    runs = []
    if not args.skip_postgres:
        try:
            fresh_postgres(args.postgres)
        except Exception as exc:  # no server: say so and go on with SQLite
            print(f"PostgreSQL not reachable ({exc.__class__.__name__}): skipped.")
        else:
            runs.append(run_database(args.postgres, args.clients, args.repeat, args.beside))
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            runs.append(
                run_database(f"sqlite:///{folder}/bench.sqlite3", args.clients, args.repeat)
            )
    for run in runs:
        print(f"\n{run['vendor']}: each statistic alone (best of {args.repeat}), against the")
        print("  hand-written SQL of benchmarks/yardsticks.py (same figures, asserted)")
        print(f"  {'statistic':<24} {'period':<8} {'ORM':>8} {'SQL':>8} {'ratio':>6}")
        for row in run["statistics"]:
            sql = f"{row['sql'] * 1000:>6.0f}ms" if row["sql"] else f"{'-':>8}"
            ratio = f"{row['seconds'] / row['sql']:>5.2f}x" if row["sql"] else f"{'-':>6}"
            orm = f"{row['seconds'] * 1000:>6.0f}ms"
            print(f"  {row['key']:<24} {row['label']:<8} {orm} {sql} {ratio}")
        if run.get("beside"):
            print(
                f"\n{run['vendor']}: the same organisation beside {args.beside} others of its size"
            )
            print(f"  {'statistic':<24} {'period':<8} {'alone':>8} {'beside':>8} {'ratio':>6}")
            alone = {(row["key"], row["label"]): row["seconds"] for row in run["statistics"]}
            for row in run["beside"]:
                first = alone[(row["key"], row["label"])]
                print(
                    f"  {row['key']:<24} {row['label']:<8} {first * 1000:>6.0f}ms"
                    f" {row['seconds'] * 1000:>6.0f}ms {row['seconds'] / first:>5.2f}x"
                )
    for run in runs:
        rows = sum(run["rows"].values())
        print(
            f"\n{run['vendor']}: {run['rows']['clients']:,} clients, {rows:,} rows "
            f"(bulk insert {run['populate_seconds']:.1f} s)"
        )
        print(f"  {'period':<26} {'best':>8} {'median':>8} {'queries':>8} {'load':>6}")
        for result in run["results"]:
            print(
                f"  {result['label'] + ' ' + result['period']:<26} {result['best']:>7.2f}s "
                f"{result['median']:>7.2f}s {result['queries']:>8} {result['load']:>6.1f}"
            )
    print(
        "\nload: the 1-minute load average of the machine after the runs (2 cores: above 2,"
        " other processes were taking CPU time)."
    )


if __name__ == "__main__":
    main()
