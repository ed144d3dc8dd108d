"""The desk's background tasks (Django's tasks framework; `manage.py db_worker` runs them,
`manage.py run_scheduler` enqueues the daily ones)."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task

from core.writes import writes_by
from desk.digest import digest_recipients, digest_send

logger = logging.getLogger(__name__)


@task()
def send_daily_digests(day: str) -> int:
    """Mail each social assistant and team lead the digest of `day` (ISO date), at most
    once per user per day; returns how many were sent."""
    on = datetime.date.fromisoformat(day)
    sent = 0
    with writes_by(source="task:send_daily_digests"):
        for user in digest_recipients(on):
            try:
                sent += digest_send(user=user, day=on)
            except Exception:  # one failing mailbox does not stop the others
                logger.exception("Daily digest for user %s on %s failed", user.pk, day)
    return sent
