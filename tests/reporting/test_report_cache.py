"""The report cache: a report for an as-of day before today is served from the cache
until a record of one of its organisations is written (reporting/cache.py).

Factories write without the write services, so a record made by a factory after the
report was cached shows whether the cached report was served; a write through the
services (record_create) is what invalidates."""

import datetime
import json

import pytest
from django.core.cache import caches
from django.urls import reverse

from casework.models import IncomeRight
from core.writes import notify_writes, record_create
from partners.models import ProgrammeFunding
from reporting.cache import cached_report
from reporting.statistics import Month, ReportParameters
from tests.factories import (
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 7, 15)
AS_OF = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def report_cache(settings):
    settings.TRAJECT_REPORT_CACHE_SECONDS = 3600
    caches["reports"].clear()
    yield
    caches["reports"].clear()


def params_for(organisation, as_of=AS_OF):
    return ReportParameters(
        organisation=organisation,
        period_from=Month(2025, 1),
        period_to=Month(2025, 6),
        reference_month=Month(2025, 1),
        as_of=as_of,
    )


def leefloon(report):
    return report["statistics"]["income_support"]["leefloon"]


def add_right_unseen(organisation):
    """A leefloon right the write observers do not hear about (a factory)."""
    IncomeRightFactory(
        client=ClientFactory(organisation=organisation), start_date=datetime.date(2024, 12, 1)
    )


def add_right_by_service(organisation):
    client = ClientFactory(organisation=organisation)
    record_create(
        model=IncomeRight,
        client=client,
        kind="leefloon",
        category="single",
        start_date=datetime.date(2024, 12, 1),
    )


def test_a_cached_report_is_served_until_a_record_is_written(organisation):
    add_right_unseen(organisation)
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 1
    add_right_unseen(organisation)
    # Served from the cache: the unseen right is not counted.
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 1


def test_a_write_in_the_organisation_invalidates_its_cached_report(organisation):
    add_right_unseen(organisation)
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 1
    add_right_unseen(organisation)
    add_right_by_service(organisation)
    # Computed again: the unseen right and the written one count too.
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 3


def test_a_write_in_another_organisation_leaves_the_cached_report(organisation):
    other = OrganisationFactory(code="lier")
    add_right_unseen(organisation)
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 1
    add_right_unseen(organisation)
    add_right_by_service(other)
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 1
    assert leefloon(cached_report(params_for(other), today=TODAY)) == 1


def test_a_bulk_write_of_the_importer_invalidates_too(organisation):
    """The importer and the bulk writer tell the observers with many items at once."""
    add_right_unseen(organisation)
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 1
    right = IncomeRightFactory(
        client=ClientFactory(organisation=organisation), start_date=datetime.date(2024, 12, 1)
    )
    notify_writes("create", [(right, {}), (right.client, {})])
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 2


def test_a_programme_funding_invalidates_the_report_of_the_programme_organisation(
    organisation,
):
    programme = ProgrammeFactory(organisation=organisation)
    first = cached_report(params_for(organisation), today=TODAY)
    add_right_unseen(organisation)
    record_create(model=ProgrammeFunding, programme=programme, year=2025, amount_eur=1000)
    assert leefloon(first) == 0
    assert leefloon(cached_report(params_for(organisation), today=TODAY)) == 1


def test_a_report_drawn_up_today_is_never_cached(organisation):
    add_right_unseen(organisation)
    assert leefloon(cached_report(params_for(organisation, as_of=TODAY), today=TODAY)) == 1
    add_right_unseen(organisation)
    assert leefloon(cached_report(params_for(organisation, as_of=TODAY), today=TODAY)) == 2


def test_a_write_in_one_organisation_of_a_region_invalidates_the_region_report():
    province = RegionFactory(code="antwerpen")
    regio = RegionFactory(code="regio-lier", parent=province)
    mechelen = OrganisationFactory(code="mechelen", region=province)
    lier = OrganisationFactory(code="lier", region=regio)
    elsewhere = OrganisationFactory(code="genk", region=RegionFactory(code="limburg"))

    def region_report():
        params = ReportParameters.for_region(
            province,
            period_from=Month(2025, 1),
            period_to=Month(2025, 6),
            reference_month=Month(2025, 1),
            as_of=AS_OF,
        )
        return cached_report(params, today=TODAY)

    add_right_unseen(mechelen)
    assert leefloon(region_report()) == 1
    add_right_unseen(mechelen)
    add_right_by_service(elsewhere)  # outside the region: the cached report stays
    assert leefloon(region_report()) == 1
    add_right_by_service(lier)  # an organisation of a sub-region
    assert leefloon(region_report()) == 3


def test_the_page_and_the_api_serve_the_cached_report(client, staff, organisation):
    client.force_login(staff.users["manager"])
    add_right_unseen(organisation)
    query = {
        "from": "2025-01",
        "to": "2025-06",
        "reference_month": "2025-01",
        "as_of": "2025-06-30",
    }
    first = json.loads(client.get(reverse("reporting:council_report_api"), query).content)
    add_right_unseen(organisation)
    again = json.loads(client.get(reverse("reporting:council_report_api"), query).content)
    assert leefloon(first) == leefloon(again) == 1
    page = client.get(reverse("reporting:council_report"), query)
    assert page.status_code == 200
    assert page.context["report"] == first
    add_right_by_service(organisation)
    third = json.loads(client.get(reverse("reporting:council_report_api"), query).content)
    assert leefloon(third) == 3
