"""Sessions that end after `SESSION_COOKIE_AGE` seconds without a request (the idle
timeout), without a write to the session table on every request.

Django moves a session's end forward by saving the session on every request
(`SESSION_SAVE_EVERY_REQUEST`): one UPDATE and one commit per page. Here the session
is written only when its stored end lags more than `EXPIRY_SLACK` behind the end a save
would give it (and, as always, when its content changed). A session therefore ends
between `SESSION_COOKIE_AGE - EXPIRY_SLACK` and `SESSION_COOKIE_AGE` seconds after the
last request: never later than the idle timeout.

settings: `SESSION_ENGINE = "core.sessions"`, and `core.sessions.SessionExpiryMiddleware`
just after Django's `SessionMiddleware`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.http import HttpRequest, HttpResponse

# How far a session's stored end may lag behind "now + the idle timeout" before it is
# written again.
EXPIRY_SLACK = datetime.timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    """The database session store that remembers the end stored with the session."""

    stored_expiry: datetime.datetime | None = None

    def _get_session_from_db(self) -> Any:
        stored = super()._get_session_from_db()  # type: ignore[misc]
        self.stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def save(self, must_create: bool = False) -> None:
        super().save(must_create=must_create)
        self.stored_expiry = self.get_expiry_date()

    def expiry_due(self) -> bool:
        """Whether the stored end must move forward (by more than EXPIRY_SLACK); always
        when it is not known (the session was not read from the table)."""
        if self.stored_expiry is None:
            return True
        return self.stored_expiry < self.get_expiry_date() - EXPIRY_SLACK


class SessionExpiryMiddleware:
    """Marks the session to be saved when its end is due to move forward
    (`SessionStore.expiry_due`); Django's `SessionMiddleware`, just outside this one in
    MIDDLEWARE, then saves it. That keeps the idle timeout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and not session.modified
            and not session.is_empty()
            and getattr(session, "expiry_due", lambda: True)()
        ):
            session.modified = True
        return response
