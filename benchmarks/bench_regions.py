"""Benchmark of regional reports on a Flemish-scale installation (PostgreSQL).

    .venv/bin/python benchmarks/bench_regions.py                 # 300 OCMWs, ~0.5M clients
    .venv/bin/python benchmarks/bench_regions.py --keep          # reuse the generated database
    .venv/bin/python benchmarks/bench_regions.py --small         # 20 OCMWs, 3,000 a month

It builds an installation of `--organisations` OCMWs in 5 provinces of 4 regio's
each (Flanders > province > regio), of together `--monthly` leefloon recipients a
month (45,000: Flanders) over ten years (2015-2024), sizes skewed like the real
OCMWs (a few cities, many small municipalities). Per client: one or two spells of
one to three income rights, assignments (a transfer in half of the spells),
trajectories, VDAB registrations, employment for 40%, article 60 for 25%, MMPP
advices for 25%; 3% of the clients are the same person (national number) as a
client of the neighbouring OCMW (moved). Rows are written with COPY through
core/bulk.py (no model instance per row), with the foreign-key triggers off for
the load (`session_replication_role = replica`: the generator's ids are
consistent by construction; the check and exclusion constraints still apply).

Each OCMW's records come from its own seeded generator, so a second database
with that OCMW alone holds exactly the same records: one OCMW's report is timed
alone and beside the others (target: at most 1.3x). Then it times `build_report`
plus its JSON for one OCMW, its province and Flanders, for 1 year and 10 years
(targets: Flanders 1 year <= 10 s, 10 years <= 60 s on a 2-core machine), each
`--repeat` times (best and median), with the 1-minute load average.

`--keep` reuses the database when it was built with the same options (building
the full installation takes several minutes). Figures: docs/benchmarks.md.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/traject_bench_regions"
FIRST_YEAR, LAST_YEAR = 2015, 2024
AS_OF = datetime.date(2025, 6, 30)
PERIODS = [
    ("1 jaar", "2024-01", "2024-12", "2024-12"),
    ("10 jaar", "2015-01", "2024-12", "2024-12"),
]
PROVINCES = ["antwerpen", "limburg", "oost-vlaanderen", "vlaams-brabant", "west-vlaanderen"]
REGIOS_PER_PROVINCE = 4
# Distinct clients over the whole history per leefloon recipient of an average month.
CLIENTS_PER_MONTHLY_RECIPIENT = 11
MOVED_SHARE = 0.03
DAY = datetime.timedelta(days=1)
STAMP = datetime.datetime(2025, 7, 1, 8, 0, tzinfo=datetime.UTC)


# --- The installation's shape --------------------------------------------------------------


def organisation_sizes(count: int, monthly: int) -> list[int]:
    """Leefloon recipients of an average month per OCMW, largest first (a few cities,
    many small municipalities; at least 5 each)."""
    weights = [1 / (k + 2) ** 1.1 for k in range(count)]
    total = sum(weights)
    return [max(5, round(monthly * w / total)) for w in weights]


def regio_of(index: int) -> tuple[str, str]:
    """(province, regio) of the OCMW with this index: spread round-robin over the regio's."""
    regios = len(PROVINCES) * REGIOS_PER_PROVINCE
    number = index % regios
    province = PROVINCES[number // REGIOS_PER_PROVINCE]
    return province, f"{province}-regio-{number % REGIOS_PER_PROVINCE + 1}"


def national_number(birth: datetime.date, serial: int) -> str:
    base = f"{birth:%y%m%d}{serial:03d}"
    checked = int(("2" + base) if birth.year >= 2000 else base)
    return f"{base}{97 - checked % 97:02d}"


def moved_person(pool_index: int) -> tuple[datetime.date, str]:
    """A person who moved between two neighbouring OCMWs: the same birth date and
    national number in both (serials 990-999 are kept for them)."""
    birth = datetime.date(1960, 1, 1) + (pool_index * 7919 % 16000) * DAY
    return birth, national_number(birth, 990 + pool_index // 16000 % 10)


# --- Generating one OCMW's rows --------------------------------------------------------------


class Ids:
    """Explicit primary keys per table (one database's counters)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self.next.get(table, 0) + 1
        self.next[table] = value
        return value


NO_CONTACT = ("", "", "", "", "", "", "", False)
COLUMNS = {
    "client": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "first_name", "last_name", "birth_date", "gender", "national_number", "household",
        # Contact details: none known (NOT NULL text columns, no database default).
        "street", "house_number", "postcode", "municipality", "phone", "email", "language",
        "interpreter_needed",
    ],
    "socialworker": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "first_name", "last_name", "fte", "start_date", "end_date",
    ],
    "assignment": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "client_id", "social_worker_id", "start_date", "end_date",
    ],
    "incomeright": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "client_id", "kind", "category", "start_date", "end_date",
    ],
    "trajectory": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "client_id", "kind", "start_date", "end_date", "goal", "client_commitments",
        "ocmw_commitments",
    ],
    "vdabregistration": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "client_id", "registered_on", "category", "ended_on", "warm_handover",
    ],
    "employment": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "client_id", "start_date", "end_date", "contract",
    ],
    "article60placement": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "client_id", "employer_kind", "employer_name", "start_date", "planned_end_date",
        "end_date", "outcome",
    ],
    "mmppscreening": [
        "id", "organisation_id", "external_id", "version", "created_at", "updated_at",
        "client_id", "advised_on", "category", "ended_on",
    ],
}  # fmt: skip


def organisation_rows(
    index: int, size: int, org_id: int, ids: Ids, seed: int, moved_block: int
) -> dict[str, list[tuple]]:
    """Every row of the OCMW with this index (the same records whichever database)."""
    rng = random.Random(seed * 100_003 + index)
    rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
    serial = iter(range(10**9))

    def add(table: str, *values: object) -> int:
        pk = ids(table)
        rows[table].append((pk, org_id, f"r{next(serial)}", 1, STAMP, STAMP, *values))
        return pk

    workers = [
        add(
            "socialworker",
            "MA",
            f"{index}-{n}",
            rng.choice(["1.000", "1.000", "0.800", "0.500"]),
            datetime.date(2010, 1, 1),
            None,
        )
        for n in range(max(1, size // 70))
    ]
    clients = size * CLIENTS_PER_MONTHLY_RECIPIENT
    # Moved persons: this OCMW shares pool block `moved_block` with the previous OCMW of
    # its regio and block `moved_block + 1` with the next one.
    moved_per_block = max(1, round(clients * MOVED_SHARE / 2))
    moved = [
        moved_person(block * 10_000 + n)
        for block in (moved_block, moved_block + 1)
        for n in range(moved_per_block)
    ]
    serials: dict[datetime.date, int] = {}
    history_start = datetime.date(FIRST_YEAR, 1, 1)
    for i in range(clients):
        if i < len(moved):
            birth, number = moved[i]
        else:
            birth = datetime.date(1955, 1, 1) + rng.randrange(17_500) * DAY
            serials[birth] = serials.get(birth, rng.randrange(400)) + 1
            number = national_number(birth, serials[birth] % 989 + 1)
        cid = add(
            "client",
            "Bench",
            f"Cliënt {index}-{i}",
            birth,
            rng.choices("mfx", weights=(49, 50, 1))[0],
            number,
            rng.choice(["single", "single", "cohabiting", "married", ""]),
            *NO_CONTACT,
        )
        day = history_start - 540 * DAY + rng.randrange(4_200) * DAY
        for _spell in range(rng.choice([1, 1, 1, 2])):
            if day > AS_OF:
                break
            spell_start = day
            for _right in range(rng.choice([1, 2, 3])):
                end = day + rng.randrange(30, 300) * DAY
                open_ended = end > AS_OF
                add(
                    "incomeright",
                    cid,
                    rng.choices(["leefloon", "equivalent"], weights=(8, 2))[0],
                    rng.choice(["single", "cohabiting", "family"]),
                    day,
                    None if open_ended else end,
                )
                if open_ended:
                    day = AS_OF + 1000 * DAY
                    break
                day = end + rng.randrange(1, 30) * DAY
            spell_end = None if day > AS_OF else day
            transfer = spell_start + (day - spell_start) // 2
            if rng.random() < 0.5 and spell_start < transfer < AS_OF:
                add("assignment", cid, rng.choice(workers), spell_start, transfer - DAY)
                add("assignment", cid, rng.choice(workers), transfer, spell_end)
            else:
                add("assignment", cid, rng.choice(workers), spell_start, spell_end)
            trajectory_start = min(spell_start + rng.randrange(0, 90) * DAY, AS_OF)
            add(
                "trajectory",
                cid,
                rng.choice(["gpmi", "gpmi", "activation", "training", "social"]),
                trajectory_start,
                None if spell_end is None else max(spell_end, trajectory_start),
                "",
                "",
                "",
            )
            day = day + rng.randrange(60, 700) * DAY
        registered = spell_start + rng.randrange(0, 120) * DAY
        for _n in range(rng.choice([0, 1, 1, 2, 2])):
            if registered > AS_OF:
                break
            ended = registered + rng.randrange(30, 700) * DAY
            add(
                "vdabregistration",
                cid,
                registered,
                rng.choices(["ocmw", "benefits", "other"], weights=(6, 3, 1))[0],
                ended if ended <= AS_OF else None,
                rng.random() < 0.1,
            )
            registered = ended + rng.randrange(1, 400) * DAY
        if rng.random() < 0.4:
            start = spell_start + rng.randrange(60, 900) * DAY
            if start <= AS_OF:
                end = start + rng.randrange(30, 700) * DAY
                add(
                    "employment",
                    cid,
                    start,
                    end if end <= AS_OF else None,
                    rng.choice(["permanent", "temporary", "interim", "other"]),
                )
        if rng.random() < 0.25:
            start = spell_start + rng.randrange(30, 400) * DAY
            if start <= AS_OF:
                end = start + rng.randrange(180, 730) * DAY
                add(
                    "article60placement",
                    cid,
                    rng.choice(["own_service", "public", "non_profit", "private"]),
                    "",
                    start,
                    end,
                    end if end <= AS_OF else None,
                    rng.choice(["work", "work_linked_training", "training", "benefits", ""])
                    if end <= AS_OF
                    else "",
                )
        if rng.random() < 0.25:
            advised = spell_start + rng.randrange(0, 200) * DAY
            for _n in range(rng.choice([1, 1, 2])):
                if advised > AS_OF:
                    break
                add("mmppscreening", cid, advised, rng.randint(1, 5), None)
                advised += rng.randrange(60, 700) * DAY
    return rows


# --- Building a database ----------------------------------------------------------------------


def signature(args: argparse.Namespace, alone: int | None) -> str:
    return f"n={args.organisations} m={args.monthly} seed={args.seed} alone={alone} v1"


def build(args: argparse.Namespace, alone: int | None) -> dict:
    """Migrate and fill the database of DATABASE_URL (every OCMW, or only `alone`)."""
    from django.core.management import call_command
    from django.db import connection

    from casework.models import (
        Assignment,
        Client,
        IncomeRight,
        Organisation,
        Population,
        Region,
        SocialWorker,
        Trajectory,
    )
    from core import bulk
    from partners.models import Article60Placement, Employment, MmppScreening, VdabRegistration

    models = {
        "client": Client,
        "socialworker": SocialWorker,
        "assignment": Assignment,
        "incomeright": IncomeRight,
        "trajectory": Trajectory,
        "vdabregistration": VdabRegistration,
        "employment": Employment,
        "article60placement": Article60Placement,
        "mmppscreening": MmppScreening,
    }
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    flanders = Region.objects.create(
        code="vlaanderen", name=f"Vlaanderen ({signature(args, alone)})"
    )
    regions = {}
    for province in PROVINCES:
        regions[province] = Region.objects.create(
            code=province, name=f"Provincie {province}", parent=flanders
        )
        for n in range(REGIOS_PER_PROVINCE):
            code = f"{province}-regio-{n + 1}"
            regions[code] = Region.objects.create(
                code=code, name=f"Regio {code}", parent=regions[province]
            )
    sizes = organisation_sizes(args.organisations, args.monthly)
    # Moved persons: consecutive OCMWs of a regio share a block of the pool.
    position_in_regio: dict[str, int] = {}
    ids = Ids()
    counts: dict[str, int] = {table: 0 for table in COLUMNS}
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    for index, size in enumerate(sizes):
        _province, regio = regio_of(index)
        position = position_in_regio.get(regio, 0)
        position_in_regio[regio] = position + 1
        if alone is not None and index != alone:
            continue
        organisation = Organisation.objects.create(
            code=f"ocmw-{index:03d}",
            name=f"OCMW {index:03d}",
            nis_code=f"{10000 + index}",
            region=regions[regio],
        )
        Population.objects.bulk_create(
            Population(organisation=organisation, year=year, inhabitants=size * 60)
            for year in range(FIRST_YEAR, LAST_YEAR + 2)
        )
        moved_block = sorted(regions).index(regio) * 1000 + position
        rows = organisation_rows(index, size, organisation.pk, ids, args.seed, moved_block)
        for table, table_rows in rows.items():
            counts[table] += bulk.insert(models[table], COLUMNS[table], table_rows)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    bulk.reset_sequences(list(models.values()))
    # Only a complete build is kept (--keep compares this name).
    Region.objects.filter(pk=flanders.pk).update(name=f"Vlaanderen ({signature(args, alone)})")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"rows": counts, "build_seconds": time.perf_counter() - started}


def built_signature() -> str | None:
    from django.db import DatabaseError

    from casework.models import Region

    try:
        region = Region.objects.filter(code="vlaanderen").first()
    except DatabaseError:
        return None
    return region.name if region else None


# --- Timing -----------------------------------------------------------------------------------


def time_statistics(params, timeout: int) -> tuple[dict[str, float | None], int]:
    """Each statistic of the report of `params` (in report order, the regional comparison
    last), timed one by one inside one read-only repeatable-read transaction with JIT off,
    as `build_report` runs them. A statistic that takes longer than `timeout` seconds is
    cancelled (None). Returns the seconds per statistic and the number of queries."""
    from django.db import OperationalError, connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reporting.statistics import in_report_order
    from reporting.statistics.by_organisation import BY_ORGANISATION

    ordered = in_report_order() + ([BY_ORGANISATION] if params.is_region else [])
    seconds: dict[str, float | None] = {}
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"SET LOCAL statement_timeout = {int(timeout) * 1000}")
        for stat in ordered:
            start = time.perf_counter()
            try:
                with transaction.atomic():
                    stat(params)
                seconds[stat.key] = time.perf_counter() - start
            except OperationalError:  # statement_timeout
                seconds[stat.key] = None
    return seconds, len(queries)


def time_reports(subjects: list[tuple[str, str]], repeat: int, timeout: int) -> list[dict]:
    from casework.models import Organisation, Region
    from reporting.statistics import Month, ReportParameters

    results = []
    for label, code in subjects:
        for period, first, last, reference in PERIODS:
            months = {
                "period_from": Month.parse(first),
                "period_to": Month.parse(last),
                "reference_month": Month.parse(reference),
                "as_of": AS_OF,
            }
            organisation = Organisation.objects.filter(code=code).first()
            params = (
                ReportParameters(organisation=organisation, **months)
                if organisation
                else ReportParameters.for_region(Region.objects.get(code=code), **months)
            )
            runs = [time_statistics(params, timeout) for _run in range(repeat)]
            totals = [
                None if None in per.values() else sum(v for v in per.values() if v is not None)
                for per, _queries in runs
            ]
            done = [t for t in totals if t is not None]
            fastest = min(
                runs, key=lambda run: sum(v if v is not None else 1e9 for v in run[0].values())
            )[0]
            results.append(
                {
                    "subject": label,
                    "code": code,
                    "organisations": len(params.organisations),
                    "period": period,
                    "best": min(done) if done else None,
                    "median": statistics.median(done) if done else None,
                    "queries": runs[0][1],
                    "statistics": fastest,
                    "load": os.getloadavg()[0],
                }
            )
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    return results


def worker(args: argparse.Namespace) -> None:
    """In its own process with DATABASE_URL set: build (unless kept), time, print JSON."""
    import django

    os.environ["DATABASE_URL"] = args.worker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    from django.db import connection

    alone = args.alone
    built = None
    if not (args.keep and built_signature() == f"Vlaanderen ({signature(args, alone)})"):
        built = build(args, alone)
        print(json.dumps({"built": built}), file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM casework_client")
        clients = cursor.fetchone()[0]
    sizes = organisation_sizes(args.organisations, args.monthly)
    one = subject_organisation(sizes)
    province, _regio = regio_of(one)
    subjects = [("één OCMW", f"ocmw-{one:03d}")]
    if alone is None:
        subjects += [("provincie", province), ("Vlaanderen", "vlaanderen")]
    results = time_reports(subjects, args.repeat, args.timeout)
    print(json.dumps({"built": built, "size": size, "clients": clients, "results": results}))


def subject_organisation(sizes: list[int]) -> int:
    """The OCMW timed alone and beside the others: the one closest to Mechelen's 1,500
    recipients a month (or the largest, in a small installation)."""
    return min(range(len(sizes)), key=lambda k: abs(sizes[k] - 1500))


def ensure_database(url: str, recreate: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        raise SystemExit(f"refusing to touch {name!r}: its name must contain 'bench'")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if recreate or not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')


def run(args: argparse.Namespace, url: str, alone: int | None) -> dict:
    command = [
        sys.executable, __file__, "--worker", url,
        "--organisations", str(args.organisations), "--monthly", str(args.monthly),
        "--seed", str(args.seed), "--repeat", str(args.repeat), "--timeout", str(args.timeout),
    ]  # fmt: skip
    if args.keep:
        command.append("--keep")
    if alone is not None:
        command += ["--alone", str(alone)]
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    if completed.returncode:
        raise SystemExit(f"benchmark on {url} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def seconds(value: float | None) -> str:
    return "timeout" if value is None else f"{value:.2f}s"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--monthly", type=int, default=45_000, help="recipients a month")
    parser.add_argument("--small", action="store_true", help="20 OCMWs, 3,000 a month")
    parser.add_argument("--keep", action="store_true", help="reuse a database built alike")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--timeout", type=int, default=300, help="seconds at most per statistic (then cancelled)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--alone", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.small:
        args.organisations, args.monthly = 20, 3_000
        if args.postgres == DEFAULT_PG:
            args.postgres += "_small"
    if args.worker:
        worker(args)
        return

    sizes = organisation_sizes(args.organisations, args.monthly)
    one = subject_organisation(sizes)
    alone_url = args.postgres + "_alone"
    ensure_database(args.postgres, recreate=not args.keep)
    ensure_database(alone_url, recreate=not args.keep)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    alone = run(args, alone_url, one)
    beside = run(args, args.postgres, None)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")

    for name, result in (("all OCMWs", beside), ("OCMW alone", alone)):
        built = result["built"]
        how = (
            f"built in {built['build_seconds']:.0f} s, {sum(built['rows'].values()):,} rows"
            if built
            else "kept"
        )
        print(f"\n{name}: {result['clients']:,} clients, database {result['size']} ({how})")
        if built:
            print("  " + ", ".join(f"{t} {n:,}" for t, n in built["rows"].items()))
        print(
            f"  {'subject':<12} {'code':<18} {'OCMWs':>5} {'period':<8} {'best':>8} "
            f"{'median':>8} {'queries':>7} {'load':>5}  slowest statistics"
        )
        for r in result["results"]:
            slowest = sorted(r["statistics"].items(), key=lambda kv: -(kv[1] or 1e9))[:3]
            print(
                f"  {r['subject']:<12} {r['code']:<18} {r['organisations']:>5} {r['period']:<8} "
                f"{seconds(r['best']):>8} {seconds(r['median']):>8} {r['queries']:>7} "
                f"{r['load']:>5.1f}  "
                + ", ".join(f"{key} {seconds(value)}" for key, value in slowest)
            )
    for period, *_ in PERIODS:
        mine = [
            r for r in beside["results"] if r["subject"] == "één OCMW" and r["period"] == period
        ]
        solo = [r for r in alone["results"] if r["period"] == period]
        if mine and solo:
            if mine[0]["best"] is None or solo[0]["best"] is None:
                continue
            ratio = mine[0]["best"] / solo[0]["best"]
            print(
                f"\nocmw-{one:03d} {period}: beside the others {mine[0]['best']:.2f} s, alone "
                f"{solo[0]['best']:.2f} s: {ratio:.2f}x (target <= 1.3x)"
            )
    print("\ntargets: Flanders 1 jaar <= 10 s, 10 jaar <= 60 s (2 cores)")


if __name__ == "__main__":
    main()
