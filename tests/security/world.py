"""One organisation with two teams, a user per role and a client per relation.

    team A: social assistant `sa` (follows client `own`), colleague `colleague`
            (follows client `team`), team lead `lead`
    team B: social assistant `other_sa` (follows client `other`)
    no team: manager, administrator (staff), DPO, a regional analyst of the province
    (region `antwerpen-provincie`); and a superuser

`own`, `team` and `other` are seen from the point of view of `sa`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from access.models import RegionAssignment
from access.roles import (
    ADMINISTRATOR,
    ANALYST,
    DPO,
    MANAGER,
    SOCIAL_ASSISTANT,
    TEAM_LEAD,
    group_name,
    roles_sync,
)
from access.services import staff_membership_set
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    OrganisationFactory,
    RegionFactory,
    SocialWorkerFactory,
    TeamFactory,
)


def user_with_role(username: str, role: str | None, **kwargs: Any):
    # No password: hashing costs seconds; tests log in with force_login (the login
    # tests set a password themselves, with a fast hasher).
    user = get_user_model().objects.create(username=username, **kwargs)
    if role is not None:
        user.groups.add(Group.objects.get(name=group_name(role)))
    return user


@dataclass
class World:
    organisation: Any
    team_a: Any
    team_b: Any
    users: dict[str, Any]
    social_workers: dict[str, Any]
    clients: dict[str, Any]

    def user(self, name: str):
        return self.users[name]


def build_world() -> World:
    roles_sync()
    province = RegionFactory(code="antwerpen-provincie", name="Provincie Antwerpen")
    organisation = OrganisationFactory(code="mechelen", name="OCMW Mechelen", region=province)
    team_a = TeamFactory(organisation=organisation, name="Team A")
    team_b = TeamFactory(organisation=organisation, name="Team B")
    users = {
        "sa": user_with_role("sa", SOCIAL_ASSISTANT),
        "colleague": user_with_role("colleague", SOCIAL_ASSISTANT),
        "lead": user_with_role("lead", TEAM_LEAD),
        "other_sa": user_with_role("other_sa", SOCIAL_ASSISTANT),
        "manager": user_with_role("manager", MANAGER),
        "administrator": user_with_role("administrator", ADMINISTRATOR, is_staff=True),
        "dpo": user_with_role("dpo", DPO),
        "analyst": user_with_role("analyst", ANALYST),
        "superuser": user_with_role("superuser", None, is_staff=True, is_superuser=True),
    }
    RegionAssignment.objects.create(user=users["analyst"], region=province)
    social_workers = {
        "sa": SocialWorkerFactory(organisation=organisation, team=team_a, user=users["sa"]),
        "colleague": SocialWorkerFactory(
            organisation=organisation, team=team_a, user=users["colleague"]
        ),
        "lead": SocialWorkerFactory(organisation=organisation, team=team_a, user=users["lead"]),
        "other_sa": SocialWorkerFactory(
            organisation=organisation, team=team_b, user=users["other_sa"]
        ),
    }
    # Managers, administrators and the DPO belong to the organisation as staff.
    for name in ("manager", "administrator", "dpo"):
        staff_membership_set(user=users[name], organisation=organisation)
    clients = {}
    for name, worker in (("own", "sa"), ("team", "colleague"), ("other", "other_sa")):
        client = ClientFactory(
            organisation=organisation,
            first_name=name.title(),
            last_name="Client",
            birth_date=datetime.date(1990, 6, 15),
        )
        AssignmentFactory(
            client=client,
            social_worker=social_workers[worker],
            start_date=datetime.date(2024, 1, 1),
        )
        clients[name] = client
    return World(organisation, team_a, team_b, users, social_workers, clients)
