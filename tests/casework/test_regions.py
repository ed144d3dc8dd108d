"""Regions: the tree, its services and its rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from casework import services
from casework.models import Region
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_region_set_creates_then_updates_and_the_tree_is_read_both_ways():
    flanders = services.region_set(code="vlaanderen", name="Vlaanderen")
    province = services.region_set(code="limburg", name="Limburg", parent=flanders)
    regio = services.region_set(code="regio-genk", name="Regio Genk", parent=province)
    assert services.region_set(code="limburg", name="Provincie Limburg", parent=flanders).pk == (
        province.pk
    )
    assert Region.objects.get(pk=province.pk).name == "Provincie Limburg"
    assert Region.objects.ancestor_ids(regio.pk) == [regio.pk, province.pk, flanders.pk]
    assert Region.objects.subtree_ids(province.pk) == {province.pk, regio.pk}
    assert Region.objects.subtree_ids(flanders.pk) == {flanders.pk, province.pk, regio.pk}


def test_a_region_cannot_lie_below_itself():
    flanders = services.region_set(code="vlaanderen", name="Vlaanderen")
    province = services.region_set(code="limburg", name="Limburg", parent=flanders)
    with pytest.raises(ValidationError) as refused:
        services.region_set(code="vlaanderen", name="Vlaanderen", parent=province)
    assert "deelregio" in str(refused.value)
    with pytest.raises(ValidationError):
        services.region_set(code="limburg", name="Limburg", parent=province)


def test_region_and_organisation_codes_are_unique_together():
    OrganisationFactory(code="genk")
    with pytest.raises(ValidationError) as refused:
        services.region_set(code="genk", name="Regio Genk")
    assert "code van een organisatie" in str(refused.value)
