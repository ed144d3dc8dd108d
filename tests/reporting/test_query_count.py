"""The number of queries of a whole report does not grow with the number of records."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Assignment, IncomeRight, Trajectory
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Referral,
    VdabRegistration,
)
from reporting.statistics import build_report
from reporting.statistics.by_organisation import BY_ORGANISATION, headlines
from tests.factories import (
    OrganisationFactory,
    PopulationFactory,
    ProgrammeFactory,
    ProgrammeFundingFactory,
    ProgrammeSessionFactory,
    RegionFactory,
    SocialWorkerFactory,
)
from tests.reporting.builders import Records
from tests.reporting.conftest import params
from tests.reporting.regions import region_params

pytestmark = pytest.mark.django_db

D = datetime.date


def populate(organisation, clients: int) -> None:
    """`clients` clients, each with a record of every kind over several years."""
    worker = SocialWorkerFactory(organisation=organisation, fte=Decimal("0.800"))
    programme = ProgrammeFactory(organisation=organisation, code="jobroad")
    session = ProgrammeSessionFactory(programme=programme, date=D(2024, 5, 1))
    records = Records(organisation)
    for i in range(clients):
        client = records.client(gender="mfx"[i % 3], birth_date=D(1960 + i % 45, 1 + i % 12, 1))
        start = D(2020, 1, 1) + datetime.timedelta(days=37 * i % 1500)
        records.add(
            IncomeRight,
            client=client,
            kind=("leefloon", "equivalent")[i % 2],
            category="single",
            start_date=start,
            end_date=None,
        )
        records.add(Assignment, client=client, social_worker=worker, start_date=start)
        records.add(Trajectory, client=client, kind="gpmi", start_date=start)
        records.add(
            VdabRegistration,
            client=client,
            registered_on=start,
            category="ocmw",
            warm_handover=i % 4 == 0,
        )
        records.add(Employment, client=client, start_date=start + datetime.timedelta(days=200))
        records.add(
            Article60Placement,
            client=client,
            employer_kind="public",
            start_date=start - datetime.timedelta(days=400),
            end_date=start - datetime.timedelta(days=10),
            outcome="work",
        )
        records.add(MmppScreening, client=client, advised_on=start, category=1 + i % 5)
        records.add(
            Referral,
            client=client,
            programme=programme,
            start_date=D(2024, 5, 1),
            session=session,
            outcome="permanent_job",
        )
    records.save()


def count_queries(organisation) -> tuple[int, dict]:
    parameters = params(organisation, "2022-01", "2024-12", "2024-06", "2025-06-30")
    with CaptureQueriesContext(connection) as queries:
        report = build_report(parameters)
    return len(queries), report


def test_queries_do_not_grow_with_the_number_of_records(organisation):
    PopulationFactory(organisation=organisation, year=2024)
    ProgrammeFundingFactory(
        programme=ProgrammeFactory(organisation=organisation, code="jobroad"), year=2024
    )
    populate(organisation, 3)
    few, small = count_queries(organisation)
    populate(organisation, 60)
    many, large = count_queries(organisation)
    assert small["statistics"]["income_support"] != large["statistics"]["income_support"]
    assert large["statistics"]["vdab_inflow"] != small["statistics"]["vdab_inflow"]
    assert few == many
    # One to four queries per statistic, plus the transaction around them. Each MMPP
    # statistic (stock, stock by month, flow) takes two whatever the number of days: the
    # advices, and the registrations and work in one UNION ALL. 25 on SQLite, 27 on
    # PostgreSQL (its JIT setting and savepoint).
    assert many <= 27


def by_organisation_of(region) -> tuple[int, dict]:
    parameters = region_params(region, "2022-01", "2024-12", "2024-06", "2025-06-30")
    with CaptureQueriesContext(connection) as queries:
        figures = BY_ORGANISATION(parameters)
    return len(queries), figures


def test_by_organisation_queries_do_not_grow_with_the_number_of_organisations(db):
    region = RegionFactory(code="regio", name="Regio")
    for code in ("a", "b"):
        organisation = OrganisationFactory(code=code, region=region)
        PopulationFactory(organisation=organisation, year=2024)
        populate(organisation, 3)
    few, two = by_organisation_of(region)
    for code in ("c", "d", "e", "f", "g"):
        organisation = OrganisationFactory(code=code, region=region)
        populate(organisation, 3 + len(code))
    many, seven = by_organisation_of(region)
    assert list(two) == ["a", "b"]
    assert list(seven) == ["a", "b", "c", "d", "e", "f", "g"]
    assert seven["a"] == two["a"]
    for organisation in region.organisations.all():
        own = headlines(params(organisation, "2022-01", "2024-12", "2024-06", "2025-06-30"))
        assert seven[organisation.code] == own
    assert seven["g"]["leefloon"] + seven["g"]["equivalent"] > 0
    assert few == many
    # Grouped by organisation: income support, population, article 60, social workers,
    # assignments, VDAB inflow, the MMPP advices and the records running (two).
    assert many <= 8
