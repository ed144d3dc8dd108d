"""Benchmark of `manage.py seed_demo` (the demo must load in a few seconds).

    .venv/bin/python benchmarks/bench_seed_demo.py                  # SQLite and PostgreSQL
    .venv/bin/python benchmarks/bench_seed_demo.py --skip-postgres
    .venv/bin/python benchmarks/bench_seed_demo.py --postgres postgres://postgres@127.0.0.1:5432/traject_bench_demo

For each database: a fresh database (migrate), then `seed_demo` on it twice in
one process (the first load, then a re-run that replaces the demo), each timed
in wall-clock and CPU seconds, and the number of records written. The whole
command (`manage.py seed_demo`, Django start-up included) is timed once more
in its own process, as `make demo` runs it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/traject_bench_demo"
TODAY = datetime.date(2025, 6, 30)


def run_in_process() -> None:
    """Child process: time seed_demo twice and print the figures as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from demo.generator import seed_demo

    runs = []
    for label in ("eerste keer", "opnieuw (vervangt)"):
        wall, cpu = time.perf_counter(), time.process_time()
        summary = seed_demo(today=TODAY)
        runs.append(
            {
                "run": label,
                "wall_s": round(time.perf_counter() - wall, 2),
                "cpu_s": round(time.process_time() - cpu, 2),
                "records": sum(summary.counts.values()),
            }
        )
    print(json.dumps(runs))


def bench(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [python, __file__, "--child"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    runs = json.loads(out.stdout.strip().splitlines()[-1])
    started = time.perf_counter()
    subprocess.run(
        [python, "manage.py", "seed_demo", "--today", TODAY.isoformat()],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    command = time.perf_counter() - started
    print(f"\n{database_url.split('://')[0]}:")
    print(f"  {'run':<22}{'wall (s)':>10}{'cpu (s)':>10}{'records':>10}")
    for run in runs:
        print(f"  {run['run']:<22}{run['wall_s']:>10}{run['cpu_s']:>10}{run['records']:>10}")
    print(f"  {'manage.py seed_demo':<22}{command:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if args.child:
        run_in_process()
        return
    print(f"seed_demo --today {TODAY} on {os.cpu_count()} cores")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            bench(f"sqlite:///{folder}/bench_demo.sqlite3")
    if not args.skip_postgres:
        import psycopg

        admin = args.postgres.rsplit("/", 1)[0] + "/postgres"
        name = args.postgres.rsplit("/", 1)[1]
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        bench(args.postgres)


if __name__ == "__main__":
    main()
