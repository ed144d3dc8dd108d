"""The additions of "Reports over a region" (council-report.md), one by one: persons across
OCMWs, spells across OCMWs, work recorded elsewhere, sums, and who may see it."""

import datetime

import pytest

from reporting.statistics import REGISTRY, build_report
from tests.factories import (
    Article60PlacementFactory,
    AssignmentFactory,
    ClientFactory,
    EmploymentFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    OrganisationFactory,
    PopulationFactory,
    ProgrammeFactory,
    ProgrammeFundingFactory,
    ReferralFactory,
    RegionFactory,
    SocialWorkerFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)
from tests.reporting.conftest import params
from tests.reporting.regions import national_number, region_params

pytestmark = pytest.mark.django_db

D = datetime.date
ARGS = ("2024-01", "2025-06", "2025-01", "2025-06-30")
BIRTH = D(1990, 6, 15)


@pytest.fixture
def region(db):
    province = RegionFactory(code="provincie", name="Provincie")
    regio = RegionFactory(code="regio", name="Regio", parent=province)
    OrganisationFactory(code="a", region=regio)
    OrganisationFactory(code="b", region=province)
    return province


def ocmw(code):
    return OrganisationFactory(code=code)


def person(birth=BIRTH, codes=("a", "b"), **fields):
    """One person with a client record in each OCMW of `codes` (same national number)."""
    number = national_number(birth)
    return [
        ClientFactory(organisation=ocmw(code), birth_date=birth, national_number=number, **fields)
        for code in codes
    ]


def region_stat(key, region, args=ARGS):
    return REGISTRY[key](region_params(region, *args))


def own_stat(key, code, args=ARGS):
    return REGISTRY[key](params(ocmw(code), *args))


def test_a_region_covers_its_sub_regions_and_has_its_own_envelope(region):
    report = build_report(region_params(region, *ARGS))
    assert report["region"] == "provincie"
    assert report["organisations"] == ["a", "b"]
    assert list(report["statistics"]["by_organisation"]) == ["a", "b"]


def test_a_person_in_two_ocmws_is_counted_once_a_record_without_number_is_its_own(region):
    a, b = person()
    IncomeRightFactory(client=a, start_date=D(2024, 1, 1), end_date=D(2025, 1, 10))
    IncomeRightFactory(client=b, start_date=D(2025, 1, 20))
    for code in ("a", "b"):  # two records without a national number: two persons
        IncomeRightFactory(client=ClientFactory(organisation=ocmw(code), national_number=""))
    income = region_stat("income_support", region)
    assert income["leefloon"] == 3
    assert income["unique_by_year"]["2024"]["leefloon"] == 3
    assert (
        own_stat("income_support", "a")["leefloon"] + own_stat("income_support", "b")["leefloon"]
        == 4
    )


def test_inhabitants_are_summed_and_unknown_when_one_ocmw_has_none(region):
    PopulationFactory(organisation=ocmw("a"), year=2025, inhabitants=1000)
    assert region_stat("income_support", region)["inhabitants"] is None
    PopulationFactory(organisation=ocmw("b"), year=2025, inhabitants=3000)
    a, _b = person()
    IncomeRightFactory(client=a)
    income = region_stat("income_support", region)
    assert income["inhabitants"] == 4000
    assert income["leefloon_per_1000"] == 0.25


def test_the_spell_runs_on_across_ocmws_with_the_30_day_rule(region):
    a, b = person()
    IncomeRightFactory(client=a, start_date=D(2019, 5, 1), end_date=D(2023, 3, 31))
    IncomeRightFactory(client=b, start_date=D(2023, 4, 30))  # 30 days later: continued
    assert region_stat("leefloon_duration", region)["counts"]["over_4y"] == 1
    assert own_stat("leefloon_duration", "b")["counts"]["1y_to_2y"] == 1
    c, d = person(birth=D(1980, 1, 1))
    IncomeRightFactory(client=c, start_date=D(2019, 5, 1), end_date=D(2023, 3, 31))
    IncomeRightFactory(client=d, start_date=D(2023, 5, 1))  # 31 days later: broken
    counts = region_stat("leefloon_duration", region)["counts"]
    assert (counts["over_4y"], counts["1y_to_2y"]) == (1, 1)


def test_article60_counts_persons_and_flow_through_counts_placements(region):
    a, b = person()
    Article60PlacementFactory(client=a, start_date=D(2024, 1, 1), end_date=D(2024, 3, 31))
    Article60PlacementFactory(client=b, start_date=D(2024, 3, 1), end_date=D(2024, 6, 30))
    article60 = region_stat("article60", region)
    assert article60["employed_by_month"]["2024-03"] == 1
    assert article60["flow_through_by_year"]["2024"]["ended"] == 2


def test_caseload_sums_workers_and_fte_and_counts_persons(region):
    a, b = person()
    AssignmentFactory(
        client=a, social_worker=SocialWorkerFactory(organisation=ocmw("a"), fte="0.5")
    )
    AssignmentFactory(client=b, social_worker=SocialWorkerFactory(organisation=ocmw("b"), fte="1"))
    assert region_stat("caseload", region) == {
        "social_workers": 2,
        "fte": 1.5,
        "clients": 1,
        "clients_per_fte": 0.67,
    }


def test_work_recorded_by_another_ocmw_follows_a_registration(region):
    a, b = person()
    VdabRegistrationFactory(client=a, registered_on=D(2024, 1, 10), category="ocmw")
    EmploymentFactory(client=b, start_date=D(2024, 6, 1))
    outflow = region_stat("vdab_outflow_12m", region)["2024-01"]
    assert (outflow["inflow"], outflow["to_work"]) == (1, 1)
    assert own_stat("vdab_outflow_12m", "a")["2024-01"]["to_work"] == 0


def test_programmes_sum_funding_and_give_a_cost_only_when_every_ocmw_is_funded(region):
    clients = {code: ClientFactory(organisation=ocmw(code)) for code in ("a", "b")}
    programmes = {
        code: ProgrammeFactory(organisation=ocmw(code), code="jobroad") for code in ("a", "b")
    }
    for code in ("a", "b"):
        ReferralFactory(client=clients[code], programme=programmes[code], outcome="training")
    ProgrammeFundingFactory(programme=programmes["a"], year=2024, amount_eur=1000)
    entry = region_stat("programmes", region)["jobroad"]["2024"]
    assert (entry["participants"], entry["funding_eur"]) == (2, 1000)
    assert entry["cost_per_participant_eur"] is None  # b had participants, no funding
    ProgrammeFundingFactory(programme=programmes["b"], year=2024, amount_eur=3000)
    entry = region_stat("programmes", region)["jobroad"]["2024"]
    assert (entry["funding_eur"], entry["cost_per_participant_eur"]) == (4000, 2000.0)
    assert region_stat("programmes", region)["duo_for_a_job"]["2024"]["funding_eur"] is None


def test_activation_conditions_hold_over_the_person_s_records_together(region):
    a, b = person(household="married")
    b.household = ""
    b.save()
    TrajectoryFactory(client=a, kind="gpmi", start_date=D(2024, 1, 1))
    IncomeRightFactory(client=b, start_date=D(2024, 1, 1))
    VdabRegistrationFactory(client=a, registered_on=D(2023, 12, 1))
    month = region_stat("activation_registered", region)["2024-03"]
    assert (month["married"], month["unknown"], month["total"]) == (1, 0, 1)
    assert own_stat("activation_registered", "a")["2024-03"]["total"] == 0
    assert own_stat("activation_registered", "b")["2024-03"]["total"] == 0


def test_the_stock_reads_the_person_s_records_together(region):
    a, b = person()
    VdabRegistrationFactory(client=a, registered_on=D(2023, 1, 1))
    MmppScreeningFactory(client=b, advised_on=D(2024, 2, 1), category=3, ended_on=None)
    assert region_stat("mmpp_stock", region)["2024"]["total"] == 1
    assert own_stat("mmpp_stock", "a")["2024"]["total"] == 0
    c, d = person(birth=D(1970, 2, 2))
    VdabRegistrationFactory(client=c, registered_on=D(2023, 1, 1))
    MmppScreeningFactory(client=c, advised_on=D(2023, 2, 1), category=2, ended_on=None)
    EmploymentFactory(client=d, start_date=D(2024, 12, 1))  # at work, recorded by b
    stock = region_stat("mmpp_stock", region)["2024"]
    assert stock["total"] == 1
    flow = region_stat("mmpp_flow", region)["2024-12"]
    assert flow == {"inflow": 0, "outflow": 1, "to_work": 1}
