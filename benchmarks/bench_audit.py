"""Benchmark of the audit trail's write observer: 100,000 changed records in one batch
(what an import of a 100,000-row bundle sends), on a fresh database.

    .venv/bin/python benchmarks/bench_audit.py                        # SQLite (temporary file)
    .venv/bin/python benchmarks/bench_audit.py --postgres postgres://postgres@127.0.0.1:5432/x
    .venv/bin/python benchmarks/bench_audit.py --rows 20000           # a quick run

The database named by --postgres is dropped and created. Prints the seconds the
observer took and the entries per second; the entries are checked afterwards
(count, masked national numbers, source).
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare(database_url: str) -> None:
    if database_url.startswith("postgres"):
        base, name = database_url.rsplit("/", 1)
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url},
        check=True,
    )


def run(rows: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection, transaction

    from audit.models import AuditEntry
    from casework.models import Client, Organisation
    from core.writes import notify_writes, writes_by

    organisation = Organisation.objects.create(code="bench", name="Bench")
    Client.objects.bulk_create(
        Client(
            organisation=organisation,
            first_name="An",
            last_name=f"Peeters {i}",
            birth_date=datetime.date(1990, 6, 15),
            gender="f",
            external_id=f"c{i}",
        )
        for i in range(1000)
    )
    clients = list(Client.objects.all())
    changes = {
        "household": ("single", "cohabiting"),
        "national_number": ("", "90061500126"),
        "start_date": (datetime.date(2024, 1, 1), None),
    }
    items = [(clients[i % len(clients)], dict(changes)) for i in range(rows)]
    started = time.perf_counter()
    with writes_by(source="command:import_records"), transaction.atomic():
        notify_writes("update", items)
    seconds = time.perf_counter() - started
    written = AuditEntry.objects.filter(source="command:import_records")
    assert written.count() == rows
    sample = written.first()
    assert sample is not None and sample.changes["national_number"] == ["", "900615*****"]
    print(
        f"{connection.vendor}: {rows} audit entries in {seconds:.2f} s "
        f"({rows / seconds:,.0f} entries/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database is (re)created")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run(args.rows)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        prepare(url)
        subprocess.run(
            [sys.executable, __file__, "--child", "--rows", str(args.rows)],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": url},
            check=True,
        )


if __name__ == "__main__":
    main()
