"""Authentication backends."""

from typing import Any

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Every login form (the login page, the admin) passes the request and is
    guarded. A call without a request does not come from the web (a test's
    `client.login()`, a shell): it is not a login attempt axes can count, so
    this backend steps aside instead of refusing it.
    """

    def authenticate(self, request: Any, username: Any = None, password: Any = None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
