"""What every page shares: who may open it, and who writes what (audit trail)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from casework.models import Organisation
from casework.services import WriteSource, writes_by

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def today() -> datetime.date:
    """Today in the organisation's time zone (one place, so tests can move it)."""
    return timezone.localdate()


@contextmanager
def request_writes(request: HttpRequest) -> Iterator[WriteSource]:
    """Attribute the writes inside the block to the user, this page and their address."""
    with writes_by(
        user=request.user,
        source=f"page:{request.path}",
        address=request.META.get("REMOTE_ADDR", ""),
    ) as source:
        yield source


class WritesByRequestMixin:
    """Class-based views: every POST writes on behalf of the request's user (audit)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in WRITE_METHODS:
            with request_writes(request):
                return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


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
