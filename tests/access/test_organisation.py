"""`user_organisation` is the one definition of the organisation a user acts in."""

import pytest
from django.contrib.auth import get_user_model

from access.rules import acts_in, organisations_of, user_organisation
from access.services import staff_membership_set
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_social_worker_acts_in_the_organisation_of_their_profile(world):
    assert user_organisation(world.user("sa")) == world.organisation
    assert list(organisations_of(world.user("sa"))) == [world.organisation]


def test_staff_act_in_the_organisation_of_their_membership(world):
    for name in ("manager", "administrator", "dpo"):
        user = get_user_model().objects.get(username=name)
        assert user_organisation(user) == world.organisation
        assert acts_in(user, world.organisation.pk)
        assert not acts_in(user, OrganisationFactory(code=f"x{name}").pk)


def test_without_an_organisation_a_user_acts_nowhere_and_a_superuser_everywhere(world):
    other = OrganisationFactory(code="gent")
    nobody = get_user_model().objects.create(username="nobody")
    assert user_organisation(nobody) is None
    assert not organisations_of(nobody).exists()
    superuser = world.user("superuser")
    assert set(organisations_of(superuser)) == {world.organisation, other}
    assert acts_in(superuser, other.pk)
    staff_membership_set(user=nobody, organisation=other)
    assert user_organisation(nobody) == other
