"""A small scheduler for daily jobs: Django's tasks framework runs tasks but does not
schedule them. `manage.py run_scheduler` calls `tick()` every minute; a job runs once
a day, from its hour on (Europe/Brussels), and `ScheduledRun` records that it was
enqueued, so a restart, a second scheduler or a late start never enqueues it twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from desk.models import ScheduledRun
from desk.tasks import send_daily_digests


@dataclass(frozen=True)
class DailyJob:
    name: str
    hour: Callable[[], int]
    enqueue: Callable[[datetime.date], object]


DAILY_JOBS = [
    DailyJob(
        "send_daily_digests",
        hour=lambda: settings.TRAJECT_DIGEST_HOUR,
        enqueue=lambda day: send_daily_digests.enqueue(day.isoformat()),
    ),
]


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every daily job whose hour has come today and that was not enqueued today;
    returns their names."""
    local = timezone.localtime(now or timezone.now())
    enqueued = []
    for job in DAILY_JOBS:
        if local.hour < job.hour():
            continue
        if ScheduledRun.objects.filter(job=job.name, day=local.date()).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, day=local.date())
                job.enqueue(local.date())
        except IntegrityError:
            continue  # another scheduler enqueued it just now
        enqueued.append(job.name)
    return enqueued
