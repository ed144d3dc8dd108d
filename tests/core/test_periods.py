"""core.periods: one "today" for a whole bulk validation."""

import datetime

from django.utils import timezone

from core.periods import same_day, today


def test_today_is_the_local_date_outside_a_pinned_block(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 3, 1))
    assert today() == datetime.date(2026, 3, 1)


def test_a_pinned_block_keeps_the_day_it_started_and_ends_with_it(monkeypatch):
    days = iter([datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)])
    monkeypatch.setattr(timezone, "localdate", lambda: next(days))
    with same_day() as day:
        assert day == datetime.date(2026, 3, 1)
        assert today() == datetime.date(2026, 3, 1)  # midnight passed: still the same day
    assert today() == datetime.date(2026, 3, 2)
