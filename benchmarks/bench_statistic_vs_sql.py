"""One statistic against its hand-written SQL (benchmarks/yardsticks.py), in one process.

Usage: bench_statistic_vs_sql.py POSTGRES_URL [KEY ...] [--runs N] [--years N]

Reads the organisation "bench" that `bench_council_report.py` left in the database.
Alternates the statistic and its yardstick, each inside `report_snapshot()` as the
benchmark does, new report parameters per run, and prints the best of `--runs` for each
and their ratio: on a shared machine the ratio within one run is what compares.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("keys", nargs="*", default=["article60", "vdab_outflow_12m", "mmpp_stock"])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--years", type=int, default=1)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from yardsticks import YARDSTICKS

    from casework.models import Organisation
    from reporting.statistics import Month, ReportParameters, in_report_order
    from reporting.statistics.report import report_snapshot

    organisation = Organisation.objects.get(code="bench")
    statistics = {stat.key: stat for stat in in_report_order()}

    def params() -> ReportParameters:
        return ReportParameters(
            organisation=organisation,
            period_from=Month(2025 - args.years, 1),
            period_to=Month.parse("2024-12"),
            reference_month=Month.parse("2024-12"),
            as_of=datetime.date(2025, 6, 30),
        )

    def by_hand(key: str) -> None:
        with connection.cursor() as cursor:
            YARDSTICKS[key](cursor, params())

    for key in args.keys:
        runs = {"orm": [], "sql": []}
        for _run in range(args.runs):
            for name, function in (
                ("orm", lambda key=key: statistics[key](params())),
                ("sql", lambda key=key: by_hand(key)),
            ):
                with report_snapshot():
                    start = time.perf_counter()
                    function()
                    runs[name].append(time.perf_counter() - start)
        orm, sql = min(runs["orm"]), min(runs["sql"])
        print(
            f"{key:24s} {args.years:2d}y  statistic {orm * 1000:7.2f} ms  "
            f"SQL {sql * 1000:7.2f} ms  ratio {orm / sql:4.2f}"
        )


if __name__ == "__main__":
    main()
