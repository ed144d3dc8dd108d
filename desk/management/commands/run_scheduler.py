"""python manage.py run_scheduler [--once] [--interval SECONDS]: enqueue the daily jobs
(the daily digest) when their hour comes; runs beside `db_worker`, which executes them."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from desk.scheduler import tick


class Command(BaseCommand):
    help = "Enqueue the daily jobs (the daily digest) once a day at their hour."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="One check, then stop.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args: Any, once: bool = False, interval: int = 60, **options: Any) -> None:
        while True:
            for name in tick():
                self.stdout.write(f"Enqueued {name}")
            if once:
                return
            try:
                time.sleep(max(1, interval))
            except KeyboardInterrupt:
                return
