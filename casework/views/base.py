"""What every page shares: who may open it, and what day it is.

Writes need no wrapping here: `audit.middleware.WriteSourceMiddleware`
attributes every write of every request to its user, page and (proxy-aware)
address."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.utils import timezone

from casework.models import Organisation


def today() -> datetime.date:
    """Today in the organisation's time zone (one place, so tests can move it)."""
    return timezone.localdate()


class RoleRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous users go to the login page; users without the permission get 403."""

    permission_required: Any = ()

    def has_permission(self) -> bool:
        perms = self.get_permission_required()
        return bool(perms) and self.request.user.has_perms(perms)  # type: ignore[attr-defined]


def user_social_worker(user: Any) -> Any:
    """The user's social-worker profile, or None."""
    return getattr(user, "social_worker", None)


def user_organisations(user: Any) -> Any:
    """The organisations whose figures the user sees: their own one when they are a
    social worker, every organisation otherwise (a deployment serves one OCMW)."""
    social_worker = user_social_worker(user)
    if social_worker is not None:
        return Organisation.objects.filter(pk=social_worker.organisation_id)
    return Organisation.objects.all()
