"""Writes of the access rules: which organisation a member of staff acts in."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from access.models import StaffMembership
from casework.models import Organisation


@transaction.atomic
def staff_membership_set(*, user: Any, organisation: Organisation | None) -> StaffMembership | None:
    """Make `organisation` the one organisation `user` acts in (None: none at all)."""
    if organisation is None:
        StaffMembership.objects.filter(user=user).delete()
        return None
    membership = StaffMembership.objects.filter(user=user).first() or StaffMembership(user=user)
    membership.organisation = organisation
    membership.full_clean()
    membership.save()
    if hasattr(user, "_traject_access_facts"):
        del user._traject_access_facts  # the rules look the organisation up again
    return membership
