"""Whose council report a user may see: the one place that decides it.

The permission `reporting.view_council_report` (roles manager, team lead and
regional analyst) opens the report: a manager's or team lead's own organisation only
(`access.rules.user_organisation`: their social-worker profile or staff membership);
a regional analyst the regions given to them (and the regions and organisations below
them), never a client file. A superuser picks the organisation with
`?organisation=CODE`; without a choice, the first by name. A region's report
(`?region=CODE`) only for the users `access.rules.regions_of` names.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from access.rules import organisations_of, regions_of, user_organisation
from casework.models import Organisation, Region

PERMISSION = "reporting.view_council_report"


def selectable_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose report `user` may ask for (`access.rules.organisations_of`)."""
    return organisations_of(user).order_by("name", "code")


def selectable_regions(user: Any) -> QuerySet[Region]:
    """The regions whose report `user` may ask for (`access.rules.regions_of`)."""
    return regions_of(user).order_by("name", "code")


def report_organisation(user: Any, code: str | None) -> Organisation | None:
    """The organisation of the report `user` asks for with `code` (None: their default).

    PermissionDenied when a user asks for an organisation they may not see; None when
    no organisation exists or the code is unknown (the form says so).
    """
    own = user_organisation(user)
    if own is not None:
        if code and code != own.code:
            raise PermissionDenied(
                _("Je kunt enkel het rapport van je eigen organisatie opvragen.")
            )
        return own
    organisations = selectable_organisations(user)
    if code:
        found = organisations.filter(code=code).first()
        if found is None and Organisation.objects.filter(code=code).exists():
            raise PermissionDenied(_("Je kunt het rapport van deze organisatie niet opvragen."))
        return found
    return organisations.first()


def report_region(user: Any, code: str) -> Region | None:
    """The region of the report `user` asks for with `code`; PermissionDenied when they
    may not see it, None when no region has that code."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        return None
    if not selectable_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(_("Je kunt het rapport van deze regio niet opvragen."))
    return region
