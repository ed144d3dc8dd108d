"""Roles are groups with permissions, assigned to users in the admin.

The groups are (re)created after every migrate (see AccessConfig.ready), so
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
ANALYST = "analyst"


def _crud(*dotted_models: str, actions: tuple[str, ...] = ("view", "add", "change")) -> list[str]:
    """Model permissions, e.g. _crud("casework.client") -> view/add/change_client."""
    result = []
    for dotted in dotted_models:
        app_label, model = dotted.split(".")
        result += [f"{app_label}.{action}_{model}" for action in actions]
    return result


# The records a social assistant keeps in a client file.
CLIENT_RECORDS = (
    "casework.incomeright",
    "casework.trajectory",
    "casework.trajectoryevaluation",
    "casework.exemption",
    "casework.clientnote",
    "casework.householdmember",
    "partners.article60placement",
    "partners.referral",
    "partners.vdabregistration",
    "partners.employment",
    "partners.mmppscreening",
)
# Reference data kept by administrators in the admin (no client data).
REFERENCE_DATA = (
    "casework.region",
    "casework.organisation",
    "casework.population",
    "casework.leefloonamount",
    "casework.team",
    "casework.socialworker",
    "partners.programme",
    "partners.programmefunding",
    "partners.programmesession",
)

# role code -> (group name shown in the admin, permissions "app_label.codename").
# Object-level access (which clients) is decided in access/rules.py; these
# model permissions say what a role may do at all. Missing permissions (an app
# not installed yet) are skipped.
ROLES: dict[str, tuple[str, list[str]]] = {
    SOCIAL_ASSISTANT: (
        "Maatschappelijk assistent",
        [
            *_crud("casework.client"),
            *_crud(*CLIENT_RECORDS, actions=("view", "add", "change", "delete")),
            "casework.view_assignment",
            "casework.view_health_data",
            "casework.break_glass",
        ],
    ),
    TEAM_LEAD: (
        "Teamverantwoordelijke",
        [
            *_crud("casework.client"),
            *_crud(*CLIENT_RECORDS, actions=("view", "add", "change", "delete")),
            *_crud("casework.assignment"),
            "casework.view_socialworker",
            "casework.view_team",
            "casework.view_health_data",
            "casework.break_glass",
            "casework.view_team_caseload",
            "casework.transfer_caseload",
            "casework.view_caseload_figures",
            "reporting.view_council_report",
            # Written questions of the organisation and their answers: read only.
            "answers.view_question",
            "answers.view_publishedanswer",
        ],
    ),
    MANAGER: (
        "Manager",
        [
            "casework.view_team_caseload",
            "casework.view_caseload_figures",
            "casework.view_socialworker",
            "casework.view_team",
            "reporting.view_council_report",
            # Written questions: register them, draft and publish their answers.
            *_crud("answers.question", "answers.answer"),
            "answers.view_publishedanswer",
            "answers.add_publishedanswer",
        ],
    ),
    ADMINISTRATOR: (
        "Beheerder",
        [
            *_crud("auth.user"),
            "auth.view_group",
            *_crud(*REFERENCE_DATA),
            # Which regions a regional analyst sees the figures of.
            *_crud("access.regionassignment", actions=("view", "add", "change", "delete")),
            # Imports of record bundles (they write client data, but show only counts
            # and row errors; see README).
            "records.import_records",
            "records.view_uploadedbundle",
            # Unlock an account locked after failed logins; reset a lost second factor.
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
            "otp_static.view_staticdevice",
            "otp_static.delete_staticdevice",
        ],
    ),
    # The figures of the organisations of the regions given to the user (access.models.
    # RegionAssignment, access.rules.regions_of); counts only, never a client file.
    ANALYST: (
        "Regionaal analist",
        [
            "reporting.view_council_report",
            # Written questions about their regions (answers.querysets): register them,
            # draft and publish their answers. Counts only, like the report.
            *_crud("answers.question", "answers.answer"),
            "answers.view_publishedanswer",
            "answers.add_publishedanswer",
        ],
    ),
    DPO: (
        "Functionaris voor gegevensbescherming",
        [
            "casework.view_health_data",
            "casework.export_client_data",
            "audit.view_auditentry",
            "audit.export_auditentry",
            "access.view_breakglassgrant",
            "audit.view_pseudonymisation",
        ],
    ),
}
ROLE_LABELS = {
    SOCIAL_ASSISTANT: _("maatschappelijk assistent"),
    TEAM_LEAD: _("teamverantwoordelijke"),
    MANAGER: _("manager"),
    ADMINISTRATOR: _("beheerder"),
    DPO: _("functionaris voor gegevensbescherming"),
    ANALYST: _("regionaal analist"),
}


def group_name(role: str) -> str:
    return ROLES[role][0]


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give them (at least) their permissions."""
    from django.contrib.auth.models import Group, Permission

    wanted = {dotted for _name, permissions in ROLES.values() for dotted in permissions}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted
    }
    for name, permissions in ROLES.values():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*[found[dotted] for dotted in permissions if dotted in found])


def user_roles(user) -> set[str]:
    """The role codes of a user (from their groups)."""
    names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return {role for role, (name, _perms) in ROLES.items() if name in names}
