"""Who sees which client file: the rules of access/rules.py, role by role."""

import datetime

import pytest
from django.utils import timezone

from access.rules import (
    can_export_client_data,
    can_see_health_data,
    visible_clients,
    visible_records_filter,
)
from audit.services import break_glass_grant_create
from casework.models import Exemption
from partners.models import MmppScreening
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    ExemptionFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    OrganisationFactory,
    SocialWorkerFactory,
    TrajectoryEvaluationFactory,
)
from tests.security.world import user_with_role

pytestmark = pytest.mark.django_db


def visible(world, name):
    names = {client.pk: key for key, client in world.clients.items()}
    pks = visible_clients(world.user(name)).values_list("pk", flat=True)
    return {names[pk] for pk in pks}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("sa", {"own", "team"}),
        ("colleague", {"own", "team"}),
        ("lead", {"own", "team"}),
        ("other_sa", {"other"}),
        ("manager", set()),
        ("administrator", set()),
        ("dpo", set()),
        ("superuser", {"own", "team", "other"}),
    ],
)
def test_each_role_sees_exactly_its_clients(world, user, expected):
    assert visible(world, user) == expected


def test_a_social_assistant_without_team_sees_only_their_own_clients(world):
    world.social_workers["sa"].team = None
    world.social_workers["sa"].save()
    assert visible(world, "sa") == {"own"}


def test_an_ended_assignment_closes_the_file(world):
    assignment = world.clients["own"].assignments.get()
    assignment.end_date = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    assert visible(world, "sa") == {"team"}


def test_a_social_worker_who_left_sees_nothing(world):
    worker = world.social_workers["sa"]
    worker.end_date = timezone.localdate() - datetime.timedelta(days=1)
    worker.save()
    assert visible(world, "sa") == set()


def test_without_the_role_a_social_worker_profile_opens_nothing(world):
    world.user("sa").groups.clear()
    assert visible(world, "sa") == set()


def test_an_inactive_account_sees_nothing(world):
    user = world.user("superuser")
    user.is_active = False
    user.save()
    assert visible(world, "superuser") == set()


def test_a_colleague_of_another_organisation_never_sees_the_client(world):
    elsewhere = OrganisationFactory(code="elders")
    user = user_with_role("x", "social_assistant")
    worker = SocialWorkerFactory(organisation=elsewhere, user=user)
    client = ClientFactory(organisation=elsewhere)
    AssignmentFactory(client=client, social_worker=worker)
    assert visible(world, "sa") == {"own", "team"}
    assert list(visible_clients(worker.user)) == [client]


def test_an_active_break_glass_grant_opens_one_file_until_it_expires(world):
    grant = break_glass_grant_create(
        user=world.user("sa"),
        client=world.clients["other"],
        reason="Collega met verlof, dringende vraag over de huur",
    )
    assert visible(world, "sa") == {"own", "team", "other"}
    assert visible(world, "colleague") == {"own", "team"}
    grant.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    grant.granted_at = grant.expires_at - datetime.timedelta(hours=8)
    grant.save()
    assert visible(world, "sa") == {"own", "team"}


def test_break_glass_is_refused_without_the_permission(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        break_glass_grant_create(
            user=world.user("manager"),
            client=world.clients["other"],
            reason="Ik wil eens kijken naar dit dossier",
        )


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("sa", {"own"}),
        ("colleague", {"team"}),
        ("lead", {"own", "team"}),
        ("other_sa", {"other"}),
        ("manager", set()),
        ("administrator", set()),
        ("dpo", {"own", "team", "other"}),
        ("superuser", {"own", "team", "other"}),
    ],
)
def test_health_data_only_for_the_assigned_assistant_the_team_lead_and_the_dpo(
    world, user, expected
):
    seen = {name for name, c in world.clients.items() if can_see_health_data(world.user(user), c)}
    assert seen == expected


def test_a_break_glass_grant_does_not_open_health_data(world):
    break_glass_grant_create(
        user=world.user("sa"),
        client=world.clients["other"],
        reason="Collega met verlof, dringende vraag over de huur",
    )
    assert not can_see_health_data(world.user("sa"), world.clients["other"])


def test_visible_records_filter_applies_the_client_and_the_health_rule(world):
    for client in world.clients.values():
        IncomeRightFactory(client=client)
        ExemptionFactory(client=client)
        MmppScreeningFactory(client=client)
        TrajectoryEvaluationFactory(trajectory__client=client, organisation=client.organisation)
    sa = world.user("sa")
    from casework.models import IncomeRight, TrajectoryEvaluation

    def owners(model, path="client"):
        rows = model.objects.filter(visible_records_filter(model, sa))
        return {getattr(row, path).first_name for row in rows}

    assert owners(IncomeRight) == {"Own", "Team"}
    assert owners(MmppScreening) == {"Own"}
    assert owners(Exemption) == {"Own"}
    seen = visible_records_filter(TrajectoryEvaluation, sa)
    evaluations = TrajectoryEvaluation.objects.filter(seen)
    assert {e.trajectory.client.first_name for e in evaluations} == {"Own", "Team"}


def test_only_the_dpo_exports_any_client(world):
    other = world.clients["other"]
    assert can_export_client_data(world.user("dpo"), other)
    for name in ("sa", "lead", "manager", "administrator"):
        assert not can_export_client_data(world.user(name), other)
