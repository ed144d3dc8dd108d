"""Whose council report a user may see: the one place that decides it.

The permission `reporting.view_council_report` (roles manager and team lead)
opens the report, of the user's own organisation only (`access.rules.user_organisation`:
their social-worker profile or staff membership). A superuser picks the
organisation with `?organisation=CODE`; without a choice, the first by name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from access.rules import organisations_of, user_organisation
from casework.models import Organisation

PERMISSION = "reporting.view_council_report"


def selectable_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose report `user` may ask for (`access.rules.organisations_of`)."""
    return organisations_of(user).order_by("name", "code")


def report_organisation(user: Any, code: str | None) -> Organisation | None:
    """The organisation of the report `user` asks for with `code` (None: their default).

    PermissionDenied when a social worker asks for another organisation; None when
    no organisation exists or the code is unknown (the form says so).
    """
    own = user_organisation(user)
    if own is not None:
        if code and code != own.code:
            raise PermissionDenied(_("U kunt enkel het rapport van uw eigen organisatie opvragen."))
        return own
    organisations = selectable_organisations(user)
    if code:
        return organisations.filter(code=code).first()
    return organisations.first()
