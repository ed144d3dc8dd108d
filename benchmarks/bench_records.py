"""Benchmark of the record bundle: import and export of a synthetic bundle of 100,000+ rows.

    .venv/bin/python benchmarks/bench_records.py                      # SQLite
    .venv/bin/python benchmarks/bench_records.py --postgres postgres://postgres@127.0.0.1:5432/x
    .venv/bin/python benchmarks/bench_records.py --clients 2000      # a quick run
    .venv/bin/python benchmarks/bench_records.py --clients 11500 115000 --first-only \
        --postgres postgres://postgres@127.0.0.1:5432/x             # 100,000 and 1,000,000 rows

For each database it builds a fresh database (migrate), then runs each step
as its own `manage.py` process and measures its wall time and its peak
resident memory (ru_maxrss of that process, Django start-up included):

1. `import_records BUNDLE --dry-run` (validation only),
2. `import_records BUNDLE` into the empty database,
3. `import_records BUNDLE` again (idempotent: every row unchanged),
4. `import_records` of a bundle in which 10% of the clients and income rights changed,
5. `export_records`, and a byte comparison of the export with the bundle
   (the generator writes the bundle exactly as the exporter does).

With `--first-only`, only steps 1 and 2 (a bundle of 1,000,000 rows takes minutes
per step). With `--postgres`, the same CSV files are also loaded with COPY into
plain tables (every column text, no constraint) on that server, and each step
is given as a ratio to that COPY's time: what the import costs over merely
loading the bytes. For several sizes (`--clients 11500 115000`), the last
table compares the peak memory of each size with the first.

Targets (issue 13): at least 20,000 rows/s for a first import of the 100,000
rows, peak memory at 1,000,000 rows within 1.2x of 100,000. The figures are
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import filecmp
import functools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@functools.cache
def columns() -> dict[str, list[str]]:
    """The columns of each file, in the order of the spec (records/spec.py)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")  # only to read the spec; each step runs with DEBUG=0
    django.setup()
    from records.spec import FILES

    return {spec.name: [c.name for c in spec.columns] for spec in FILES}


FIRST_NAMES = ["An", "Jan", "Els", "Mohamed", "Fatima", "Pieter", "Sara", "Youssef", "Lotte", "Ali"]
STREETS = ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat"]
LAST_NAMES = ["Peeters", "Janssens", "Maes", "Claes", "El Amrani", "Wouters", "De Smet", "Yilmaz"]
DEFAULT_PROGRAMMES = {
    "duo_for_a_job": "DUO for a JOB",
    "jobroad": "JobRoad",
    "social_economy": "Sociale economie",
    "vdab": "VDAB",
    "wijkwerken": "Wijk-werken",
}


def national_number(birth: datetime.date, serial: int) -> str:
    base = f"{birth:%y%m%d}{serial:03d}"
    n = int(base) + (2_000_000_000 if birth.year >= 2000 else 0)
    return f"{base}{97 - n % 97:02d}"


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def generate(clients: int, seed: int = 2025, changed: bool = False) -> dict[str, list[list[str]]]:
    """The rows of a synthetic bundle of one organisation (about 8.8 rows per client).

    With `changed`, one client in ten has a new last name and one income right
    in ten a new category: the same keys, different values.
    """
    rng = random.Random(seed)
    files: dict[str, list[list[str]]] = {name: [] for name in columns()}
    files["organisation.csv"].append(["bench", "OCMW Bench", "12025", ""])
    files["population.csv"] = [[str(y), str(86000 + 700 * (y - 2015))] for y in range(2015, 2026)]
    workers = max(5, clients // 60)
    for w in range(workers):
        files["social_workers.csv"].append(
            [
                f"sw{w:05d}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                rng.choice(["1", "0.8", "0.5"]),
                f"Team {w % 6 + 1}",
                "2015-01-01",
                "",
            ]
        )
    files["programmes.csv"] = [[code, name] for code, name in DEFAULT_PROGRAMMES.items()]
    files["programmes.csv"].append(["talentwerkt", "Talent Werkt"])
    files["programmes.csv"].sort()
    for code in ("jobroad", "duo_for_a_job", "talentwerkt"):
        for year in range(2020, 2026):
            files["programme_funding.csv"].append([code, str(year), f"{rng.randint(20, 90)}000"])
    files["programme_funding.csv"].sort()
    sessions = []
    for year in range(2020, 2026):
        for quarter in range(4):
            key = f"jr{year}q{quarter + 1}"
            day = datetime.date(year, 3 * quarter + 2, 15)
            sessions.append([key, day, 0])
            files["programme_sessions.csv"].append([key, "jobroad", day.isoformat(), "35"])
    serials: dict[datetime.date, int] = {}
    for c in range(clients):
        cid = f"c{c:06d}"
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 44 * 365))
        serials[birth] = serials.get(birth, 0) + 1
        last = rng.choice(LAST_NAMES) + (" (gewijzigd)" if changed and c % 10 == 0 else "")
        files["clients.csv"].append(
            [
                cid,
                rng.choice(FIRST_NAMES),
                last,
                birth.isoformat(),
                rng.choice("mfx"),
                national_number(birth, serials[birth]) if c % 7 else "",
                rng.choice(["single", "cohabiting", "married", ""]),
                rng.choice(["true", "false", ""]),
                # Contact details (the columns since the client's contact details).
                rng.choice(STREETS),
                str(rng.randint(1, 180)),
                "9000",
                "Gent",
                f"09 {rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                if c % 2
                else "",
                f"{cid}@example.org" if c % 5 == 0 else "",
                rng.choice(["nl", "nl", "fr", "ar", "tr", ""]),
                "true" if c % 9 == 0 else "false",
            ]
        )
        start = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 5 * 365))
        files["assignments.csv"].append(
            [f"a{c:06d}", cid, f"sw{c % workers:05d}", start.isoformat(), ""]
        )
        first_end = start + datetime.timedelta(days=rng.randint(60, 400))
        category = rng.choice(["cohabiting", "single", "family"])
        files["income_rights.csv"].append(
            [
                f"i{c:06d}a",
                cid,
                "leefloon",
                "family" if changed and c % 10 == 0 and category != "family" else category,
                start.isoformat(),
                first_end.isoformat(),
            ]
        )
        if c % 2:
            files["income_rights.csv"].append(
                [
                    f"i{c:06d}b",
                    cid,
                    rng.choice(["leefloon", "equivalent"]),
                    rng.choice(["cohabiting", "single", "family"]),
                    (first_end + datetime.timedelta(days=1)).isoformat(),
                    "",
                ]
            )
        t_start = start + datetime.timedelta(days=rng.randint(10, 80))
        files["trajectories.csv"].append(
            [f"t{c:06d}", cid, "gpmi", t_start.isoformat(), "", "Werk in de zorg, zie notities"]
        )
        for e in range(2):
            files["trajectory_evaluations.csv"].append(
                [
                    f"e{c:06d}{e}",
                    f"t{c:06d}",
                    (t_start + datetime.timedelta(days=120 * (e + 1))).isoformat(),
                    "true" if e == 0 else "false",
                    "Gesprek,\nopvolging" if e else "",
                ]
            )
        files["vdab_registrations.csv"].append(
            [f"v{c:06d}", cid, _day(start + datetime.timedelta(days=30)), "ocmw", "", "false"]
        )
        if c % 3 == 0:
            files["mmpp_screenings.csv"].append(
                [f"m{c:06d}", cid, _day(start + datetime.timedelta(days=90)), str(c % 5 + 1), ""]
            )
        if c % 4 == 0:
            a_start = start + datetime.timedelta(days=200)
            files["article60_placements.csv"].append(
                [
                    f"p{c:06d}",
                    cid,
                    rng.choice(["own_service", "public", "non_profit", "private"]),
                    "Groendienst",
                    a_start.isoformat(),
                    (a_start + datetime.timedelta(days=730)).isoformat(),
                    (a_start + datetime.timedelta(days=700)).isoformat(),
                    "work",
                ]
            )
        if c % 5 == 0:
            files["exemptions.csv"].append(
                [f"x{c:06d}", cid, "vdab_registration", "health", start.isoformat(), ""]
            )
        if c % 6 == 0:
            files["employment.csv"].append(
                [f"w{c:06d}", cid, _day(start + datetime.timedelta(days=500)), "", "temporary"]
            )
        if c % 3 == 1:
            session = next((s for s in sessions if s[2] < 35 and s[1] > start), None)
            if session is not None:
                session[2] += 1
            files["referrals.csv"].append(
                [
                    f"r{c:06d}",
                    cid,
                    "jobroad" if session else "duo_for_a_job",
                    start.isoformat(),
                    "",
                    session[0] if session else "",
                    rng.choice(["", "none", "temporary_job"]),
                ]
            )
    for name in files:
        if name not in ("programmes.csv", "programme_funding.csv", "population.csv"):
            files[name].sort(key=lambda row: row[0])
    return files


def write_bundle(folder: Path, files: dict[str, list[list[str]]]) -> int:
    """Write the files as the exporter would; returns the number of data rows."""
    folder.mkdir(parents=True, exist_ok=True)
    header = columns()
    rows = 0
    for name, data in files.items():
        if not data:
            continue
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header[name])
            writer.writerows(data)
        rows += len(data)
    return rows


@dataclass
class Step:
    seconds: float  # wall clock of the whole process, Django start-up included
    cpu: float  # user + system CPU seconds of the process (not of the database server)
    peak_mb: float  # peak resident memory of the process
    inside: float | None  # the command's own timing ("... rijen in X s"), without start-up
    load: float  # 1-minute load average when the step started (the machine is shared)


def run(args: list[str], env: dict[str, str]) -> Step:
    """Run a manage.py command in its own process and measure it."""
    load = os.getloadavg()[0]
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output[-5000:]}")
    inside = re.search(r"rijen in ([0-9.]+) s", output)
    return Step(
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        float(inside.group(1)) if inside else None,
        load,
    )


def fresh_database(url: str | None, folder: Path) -> str:
    if url is None:
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    import psycopg

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def copy_seconds(url: str, bundle: Path) -> float:
    """Seconds to load the bundle's CSV files with COPY into plain tables (all text, no
    constraint) in one transaction: the floor any import of these bytes stands on."""
    import psycopg

    with psycopg.connect(fresh_database(url, bundle)) as connection:
        connection.execute("DROP SCHEMA IF EXISTS copy_bench CASCADE")
        connection.execute("CREATE SCHEMA copy_bench")
        connection.commit()
        started = time.monotonic()
        for path in sorted(bundle.glob("*.csv")):
            with open(path, encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle))
            table = f'copy_bench."{path.stem}"'
            names = ", ".join(f'"{name}" text' for name in header)
            connection.execute(f"CREATE TABLE {table} ({names})")
            with (
                open(path, "rb") as handle,
                connection.cursor().copy(
                    f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while data := handle.read(1 << 20):
                    copy.write(data)
        connection.commit()
        seconds = time.monotonic() - started
        connection.execute("DROP SCHEMA copy_bench CASCADE")
        connection.commit()
    return seconds


def bench(
    label: str,
    url: str | None,
    bundle: Path,
    changed: Path,
    rows: int,
    folder: Path,
    *,
    first_only: bool = False,
    copy: float | None = None,
) -> dict[str, Step]:
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(url, folder),
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-benchmark-only",
    }
    run(["migrate", "--noinput", "-v", "0"], env)
    start_up = run(["shell", "-c", "pass"], env)
    # export_records names the user it exports for (audit trail).
    run(
        [
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model as m; "
            "m().objects.get_or_create(username='bench')",
        ],
        env,
    )
    print(f"\n## {label}: {rows:,} rows")
    print(f"Django start-up alone: {start_up.seconds:.1f} s wall, {start_up.peak_mb:.0f} MB")
    if copy:
        print(
            f"COPY of the same CSV files into plain tables: {copy:.2f} s "
            f"({rows / copy:,.0f} rows/s)"
        )
    print()
    print(
        "| step | wall s | rows/s (wall) | in command s | rows/s (command) "
        "| CPU s | rows/s (CPU) | peak MB | load | x COPY (command) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    results = {}
    out = folder / f"export-{label.lower()}"
    steps = [
        ("import --dry-run (empty database)", ["import_records", str(bundle), "--dry-run"]),
        ("import (empty database)", ["import_records", str(bundle)]),
        ("import again (all unchanged)", ["import_records", str(bundle)]),
        ("import with 10% changed", ["import_records", str(changed)]),
        ("import original again (10% back)", ["import_records", str(bundle)]),
        ("export", ["export_records", "bench", str(out), "--user", "bench"]),
    ]
    for name, args in steps[:2] if first_only else steps:
        step = run(args, env)
        results[name] = step
        inside = f"{step.inside:.1f} | {rows / step.inside:,.0f}" if step.inside else "- | -"
        ratio = f"{step.inside / copy:.0f}" if copy and step.inside else "-"
        print(
            f"| {name} | {step.seconds:.1f} | {rows / step.seconds:,.0f} | {inside} "
            f"| {step.cpu:.1f} | {rows / step.cpu:,.0f} | {step.peak_mb:.0f} | {step.load:.1f} "
            f"| {ratio} |"
        )
    if first_only:
        return results
    names = sorted(p.name for p in bundle.glob("*.csv"))
    _match, mismatch, errors = filecmp.cmpfiles(bundle, out, names, shallow=False)
    extra = sorted({p.name for p in out.glob("*.csv")} - set(names))
    print(
        f"\nexport == bundle byte for byte: {not mismatch and not errors and not extra}"
        + (f" (differ: {mismatch + errors + extra})" if mismatch or errors or extra else "")
    )
    return results


def generate_apart(folder: Path, clients: int, *, changed: bool = False) -> int:
    """Generate and write a bundle in a process of its own: on Linux a child's peak
    memory (ru_maxrss) includes what the process it was forked from held, so the
    steps must not be forked from a process that held a million generated rows."""
    output = subprocess.run(
        [sys.executable, __file__, "--write-bundle", str(folder), str(clients)]
        + (["--changed"] if changed else []),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(output.split()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--write-bundle"]:
        folder, clients = Path(sys.argv[2]), int(sys.argv[3])
        print(write_bundle(folder, generate(clients, changed="--changed" in sys.argv)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--clients",
        type=int,
        nargs="+",
        default=[11_500],
        help="clients (about 8.8 rows each); several: one run per size",
    )
    parser.add_argument("--postgres", help="PostgreSQL URL; its database is dropped and created")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--first-only", action="store_true", help="only the dry run and first import"
    )
    parser.add_argument("--keep", help="keep the bundle and databases in this folder")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-records-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"load average at the start: {os.getloadavg()}")
    peaks: dict[str, list[tuple[int, float]]] = {}
    try:
        for clients in args.clients:
            folder = root / f"clients-{clients}"
            started = time.monotonic()
            rows = generate_apart(folder / "bundle", clients)
            if not args.first_only:
                generate_apart(folder / "changed", clients, changed=True)
            size = sum(f.stat().st_size for f in (folder / "bundle").iterdir()) / 2**20
            print(
                f"\n# {rows:,} rows: bundle generated in {time.monotonic() - started:.1f} s "
                f"({size:.1f} MB)"
            )
            copy = copy_seconds(args.postgres, folder / "bundle") if args.postgres else None
            options = {"first_only": args.first_only, "copy": copy}
            runs = []
            if not args.no_sqlite:
                runs.append(("SQLite", None))
            if args.postgres:
                runs.append(("PostgreSQL", args.postgres))
            for label, url in runs:
                results = bench(
                    label, url, folder / "bundle", folder / "changed", rows, folder, **options
                )
                first = results["import (empty database)"]
                peaks.setdefault(label, []).append((rows, first.peak_mb))
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
        if len(args.clients) > 1:
            print("\n## Peak memory of a first import by size\n")
            print("| database | rows | peak MB | x the first size |")
            print("|---|---:|---:|---:|")
            for label, sizes in peaks.items():
                for rows, peak in sizes:
                    print(f"| {label} | {rows:,} | {peak:.0f} | {peak / sizes[0][1]:.2f} |")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
