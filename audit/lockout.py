"""Lockout after failed logins (django-axes), with two limits.

A wrong password must not become a weapon: five failures typed by an attacker
from anywhere would otherwise lock the real user out, and five failures on any
names would lock a whole shared address (an office behind one NAT address). So
a *username at one address* is locked after `TRAJECT_LOGIN_FAILURE_LIMIT` (5)
failures, and an *address alone* (password spraying over many names) after
`TRAJECT_LOGIN_ADDRESS_FAILURE_LIMIT` (100) failures.

django-axes compares one number with one limit; `AXES_LOCKOUT_PARAMETERS` lists
the pair first and the address second, and this handler scales the address's
count to the pair's limit: `count * pair_limit // address_limit` reaches the
pair limit exactly when `count` reaches the address limit.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

ADDRESS_ONLY = "ip_address"


class LockoutHandler(AxesDatabaseHandler):
    """The database handler of django-axes with a separate, higher limit per address."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        pair_limit = get_failure_limit(request, credentials)
        address_limit = max(settings.TRAJECT_LOGIN_ADDRESS_FAILURE_LIMIT, 1)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ADDRESS_ONLY:
                count = count * pair_limit // address_limit
            worst = max(worst, count)
        return worst

    def reset_user_attempts(self, request: Any, credentials: dict | None = None) -> int:
        """A successful login clears the failures of that username at that address only,
        not those of the other names tried from the same address (spraying)."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
