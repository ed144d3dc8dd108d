"""Reads in domain words (casework/querysets.py)."""

import datetime

import pytest

from casework.models import Assignment, Client
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    OrganisationFactory,
    SocialWorkerFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 1)
ONE = datetime.timedelta(days=1)


@pytest.fixture
def teams():
    """Two teams: Ann and Bo in team A, Cas in team B, each with a client; Ann's ends on DAY."""
    organisation = OrganisationFactory()
    team_a, team_b = TeamFactory.create_batch(2, organisation=organisation)
    ann = SocialWorkerFactory(organisation=organisation, team=team_a)
    bo = SocialWorkerFactory(organisation=organisation, team=team_a)
    cas = SocialWorkerFactory(organisation=organisation, team=team_b)
    clients = {}
    for worker, name, end in ((ann, "ann", DAY), (bo, "bo", None), (cas, "cas", None)):
        clients[name] = ClientFactory(organisation=organisation)
        AssignmentFactory(
            client=clients[name], social_worker=worker, start_date=DAY - 10 * ONE, end_date=end
        )
    return {"a": team_a, "b": team_b, "ann": ann, "bo": bo, "cas": cas, "clients": clients}


def names(clients, queryset):
    return {name for name, client in clients.items() if queryset.filter(pk=client.pk).exists()}


def test_assigned_on_a_day_includes_the_end_day_and_not_the_day_after(teams):
    clients = teams["clients"]
    on_day = Client.objects.assigned_on(DAY, social_worker=teams["ann"])
    after = Client.objects.assigned_on(DAY + ONE, social_worker=teams["ann"])
    assert names(clients, on_day) == {"ann"}
    assert names(clients, after) == set()


def test_assigned_to_a_team_or_a_worker_is_their_union_and_to_anybody_without_either(teams):
    clients = teams["clients"]
    assert names(clients, Client.objects.assigned_on(DAY, team=teams["a"])) == {"ann", "bo"}
    both = Client.objects.assigned_on(DAY, social_worker=teams["cas"], team=teams["a"])
    assert names(clients, both) == {"ann", "bo", "cas"}
    assert names(clients, Client.objects.assigned_on(DAY)) == {"ann", "bo", "cas"}
    assert names(clients, Client.objects.assigned_on(DAY + ONE)) == {"bo", "cas"}


def test_a_transfer_moves_what_runs_on_the_day_or_starts_later(teams):
    later = AssignmentFactory(
        client=teams["clients"]["cas"], social_worker=teams["ann"], start_date=DAY + 5 * ONE
    )
    moving = Assignment.objects.filter(social_worker=teams["ann"])
    assert set(moving.not_ended_before(DAY)) == set(moving)
    assert list(moving.not_ended_before(DAY + ONE)) == [later]
