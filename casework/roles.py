"""Roles are groups with permissions, assigned to users in the admin.

The groups are (re)created after every migrate (see CaseworkConfig.ready), so
that a fresh database always has them; an administrator may add permissions to
a group but the ones listed here are always there.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

SOCIAL_ASSISTANT = "social_assistant"
TEAM_LEAD = "team_lead"
MANAGER = "manager"
ADMINISTRATOR = "administrator"
DPO = "dpo"

# role code -> (group name shown in the admin, permissions "app_label.codename")
ROLES: dict[str, tuple[str, list[str]]] = {
    SOCIAL_ASSISTANT: (
        "Maatschappelijk assistent",
        [
            "casework.view_client",
            "casework.change_client",
            "casework.view_health_data",
            "casework.break_glass",
        ],
    ),
    TEAM_LEAD: (
        "Teamverantwoordelijke",
        [
            "casework.view_client",
            "casework.change_client",
            "casework.view_health_data",
            "casework.break_glass",
            "casework.view_team_caseload",
            "casework.transfer_caseload",
            "casework.view_caseload_figures",
        ],
    ),
    MANAGER: (
        "Manager",
        ["casework.view_team_caseload", "casework.view_caseload_figures"],
    ),
    ADMINISTRATOR: ("Beheerder", []),
    DPO: (
        "Functionaris voor gegevensbescherming",
        ["casework.view_health_data", "casework.export_client_data"],
    ),
}
ROLE_LABELS = {
    SOCIAL_ASSISTANT: _("maatschappelijk assistent"),
    TEAM_LEAD: _("teamverantwoordelijke"),
    MANAGER: _("manager"),
    ADMINISTRATOR: _("beheerder"),
    DPO: _("functionaris voor gegevensbescherming"),
}


def group_name(role: str) -> str:
    return ROLES[role][0]


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give them (at least) their permissions."""
    from django.contrib.auth.models import Group, Permission

    for name, permissions in ROLES.values():
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def user_roles(user) -> set[str]:
    """The role codes of a user (from their groups)."""
    names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return {role for role, (name, _perms) in ROLES.items() if name in names}
