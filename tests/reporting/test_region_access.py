"""Who sees a region's report: its analysts (and a superuser); a manager only their own
organisation; an analyst never a client file (access.rules, reporting.access)."""

import json

import pytest
from django.urls import reverse

from access.rules import organisations_of, regions_of, visible_clients
from tests.factories import (
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
    RegionFactory,
    SocialWorkerFactory,
)
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

QUERY = {"from": "2024-01", "to": "2024-12", "reference_month": "2024-12", "as_of": "2025-01-31"}


@pytest.fixture
def world(db):
    world = build_world()
    province = world.organisation.region
    regio = RegionFactory(code="regio-lier", name="Regio Lier", parent=province)
    lier = OrganisationFactory(code="lier", name="OCMW Lier", region=regio)
    elsewhere = RegionFactory(code="limburg", name="Limburg")
    OrganisationFactory(code="genk", name="OCMW Genk", region=elsewhere)
    for organisation in (world.organisation, lier):
        IncomeRightFactory(client=ClientFactory(organisation=organisation))
    return world


def get(client, **params):
    return client.get(reverse("reporting:council_report_api"), {**QUERY, **params})


def test_an_analyst_sees_the_report_of_their_region_and_the_regions_below(client, world):
    client.force_login(world.user("analyst"))
    response = get(client, region="antwerpen-provincie")
    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["region"] == "antwerpen-provincie"
    assert report["organisations"] == ["lier", "mechelen"]
    assert report["statistics"]["income_support"]["leefloon"] == 2
    assert get(client, region="regio-lier").status_code == 200
    assert get(client, organisation="lier").status_code == 200


def test_an_analyst_does_not_see_another_region_or_its_organisations(client, world):
    client.force_login(world.user("analyst"))
    assert get(client, region="limburg").status_code == 403
    assert get(client, organisation="genk").status_code == 403
    analyst = world.user("analyst")
    assert sorted(r.code for r in regions_of(analyst)) == ["antwerpen-provincie", "regio-lier"]
    assert sorted(o.code for o in organisations_of(analyst)) == ["lier", "mechelen"]


def test_an_analyst_never_sees_a_client_file(client, world):
    analyst = world.user("analyst")
    assert not visible_clients(analyst).exists()
    client.force_login(analyst)
    response = client.get(reverse("desk:client_detail", args=[world.clients["own"].pk]))
    assert response.status_code in (403, 404)


def test_a_manager_sees_only_their_own_organisation_never_a_region(client, world):
    manager = world.user("manager")
    SocialWorkerFactory(organisation=world.organisation, user=manager)
    client.force_login(manager)
    assert get(client, region="antwerpen-provincie").status_code == 403
    assert get(client, organisation="lier").status_code == 403
    assert get(client).status_code == 200
    assert not regions_of(manager).exists()


def test_a_superuser_sees_every_region_and_an_unknown_region_is_a_clear_error(client, world):
    client.force_login(world.user("superuser"))
    assert get(client, region="limburg").status_code == 200
    response = get(client, region="nergens")
    assert response.status_code == 400
    assert "geen beschikbare keuze" in response.content.decode()


def test_the_page_shows_the_comparison_table_and_its_charts(client, world):
    client.force_login(world.user("analyst"))
    response = client.get(
        reverse("reporting:council_report"), {**QUERY, "region": "antwerpen-provincie"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vergelijking van de organisaties" in html
    assert 'aria-labelledby="chart-by-organisation-leefloon-title"' in html
