"""What every page shares: who may open it, and what day it is.

Writes need no wrapping here: `audit.middleware.WriteSourceMiddleware`
attributes every write of every request to its user, page and (proxy-aware)
address."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils import timezone


def today() -> datetime.date:
    """Today in the organisation's time zone (one place, so tests can move it)."""
    return timezone.localdate()


class RoleRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous users go to the login page; users without the permission get 403."""

    permission_required: Any = ()

    def has_permission(self) -> bool:
        perms = self.get_permission_required()
        return bool(perms) and self.request.user.has_perms(perms)  # type: ignore[attr-defined]
