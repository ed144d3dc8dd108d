"""Who may manage which user account: the one place that decides it (the admin asks).

Nobody edits privileges equal to or above their own. A user's level is the highest
rank of their roles (`ROLE_RANK`), at least `STAFF_LEVEL` for staff; a superuser is
above everybody. A non-superuser manages only accounts of their own organisation
(`user_organisation`) below their level, assigns only role groups below their level,
and never changes `is_superuser`, `is_staff` or permissions: that is for superusers.
Nobody sets another person's password in the admin: a reset link is sent instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from access.roles import ADMINISTRATOR, ANALYST, DPO, MANAGER, ROLES, SOCIAL_ASSISTANT, TEAM_LEAD
from access.rules import roles_of, user_organisation


def _is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# How much a role may see and do, as a level (higher: more).
ROLE_RANK = {
    SOCIAL_ASSISTANT: 1,
    TEAM_LEAD: 2,
    MANAGER: 2,
    ADMINISTRATOR: 3,
    # The DPO reads the audit log and exports health data: only a superuser makes one.
    DPO: 4,
    # A regional analyst sees the figures of many organisations: only a superuser
    # (above every organisation) gives the role.
    ANALYST: 4,
}
STAFF_LEVEL = ROLE_RANK[ADMINISTRATOR]
SUPERUSER_LEVEL = 100
# A group that is not a role (made by a superuser): only superusers assign it.
UNKNOWN_GROUP_RANK = SUPERUSER_LEVEL


def privilege_level(user: Any) -> int:
    """The level of a user's privileges (see the module's docstring)."""
    if user.is_superuser:
        return SUPERUSER_LEVEL
    names = set(user.groups.values_list("name", flat=True))
    ranks = [ROLE_RANK[code] for code, (name, _perms) in ROLES.items() if name in names]
    if names - {name for name, _perms in ROLES.values()}:
        ranks.append(UNKNOWN_GROUP_RANK)
    if user.user_permissions.exists():
        ranks.append(UNKNOWN_GROUP_RANK)  # permissions of its own: a superuser's business
    if user.is_staff:
        ranks.append(STAFF_LEVEL)
    return max(ranks, default=0)


def _actor_level(actor: Any) -> int:
    if not _is_active_user(actor):
        return -1
    if actor.is_superuser:
        return SUPERUSER_LEVEL
    ranks = [ROLE_RANK[code] for code in roles_of(actor)]
    if actor.is_staff:
        ranks.append(STAFF_LEVEL)
    return max(ranks, default=0)


def manageable_users(actor: Any) -> QuerySet:
    """The accounts `actor` may see and edit in the admin."""
    users = get_user_model().objects.all()
    if not _is_active_user(actor):
        return users.none()
    if actor.is_superuser:
        return users
    organisation = user_organisation(actor)
    if organisation is None:
        return users.none()
    return users.filter(
        Q(social_worker__organisation=organisation) | Q(staff_membership__organisation=organisation)
    ).exclude(is_superuser=True)


def may_manage(actor: Any, target: Any) -> bool:
    """Whether `actor` may change the account `target` (its roles, its active flag, its
    name): of their organisation and strictly below their own level."""
    if not _is_active_user(actor):
        return False
    if actor.is_superuser:
        return True
    if target.pk == actor.pk:
        return False  # nobody raises (or edits) their own privileges
    if not manageable_users(actor).filter(pk=target.pk).exists():
        return False
    return privilege_level(target) < _actor_level(actor)


def assignable_groups(actor: Any) -> QuerySet[Group]:
    """The groups `actor` may give or take away: the roles below their own level."""
    if not _is_active_user(actor):
        return Group.objects.none()
    if actor.is_superuser:
        return Group.objects.all()
    level = _actor_level(actor)
    names = [name for code, (name, _perms) in ROLES.items() if ROLE_RANK[code] < level]
    return Group.objects.filter(name__in=names)
