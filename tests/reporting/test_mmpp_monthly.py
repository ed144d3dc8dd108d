"""mmpp_stock_by_month and mmpp_flow (council-report.md): the stock at every month end,
and who flowed in and out of it."""

import datetime

import pytest

from tests.factories import (
    Article60PlacementFactory,
    ClientFactory,
    EmploymentFactory,
    MmppScreeningFactory,
    OrganisationFactory,
    VdabRegistrationFactory,
)
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date
ARGS = {"period_from": "2024-01", "period_to": "2024-06", "as_of": "2024-04-30"}


def jobseeker(organisation, registered=None, ended=None):
    client = ClientFactory(organisation=organisation)
    VdabRegistrationFactory(
        client=client, registered_on=registered or D(2023, 1, 1), ended_on=ended
    )
    return client


def advice(client, day, category=4, ended=None):
    return MmppScreeningFactory(client=client, advised_on=day, category=category, ended_on=ended)


def by_month(organisation, **kwargs):
    return statistic("mmpp_stock_by_month", organisation, **{**ARGS, **kwargs})


def flow(organisation, **kwargs):
    return statistic("mmpp_flow", organisation, **{**ARGS, **kwargs})


def totals(result):
    return {month: entry["total"] for month, entry in result.items()}


def test_only_months_whose_last_day_has_passed_by_the_as_of_day(organisation):
    assert list(by_month(organisation)) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert list(by_month(organisation, as_of="2024-04-29")) == ["2024-01", "2024-02", "2024-03"]
    assert list(flow(organisation)) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert by_month(organisation, as_of="2023-12-31") == {}
    assert flow(organisation, as_of="2023-12-31") == {}


def test_the_monthly_stock_is_the_year_end_stock_counted_at_each_month_end(organisation):
    client = jobseeker(organisation)
    advice(client, D(2024, 2, 29), category=2)  # on the last day of February: counts then
    advice(client, D(2024, 3, 15), category=5, ended=D(2024, 4, 30))  # lapses on 30/04
    result = by_month(organisation)
    assert totals(result) == {"2024-01": 0, "2024-02": 1, "2024-03": 1, "2024-04": 0}
    assert result["2024-02"]["by_category"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}
    assert result["2024-03"]["by_category"]["5"] == 1  # the latest advice gives the category
    # December's stock of the year-end statistic is the same figure.
    client2 = jobseeker(organisation)
    advice(client2, D(2024, 6, 1), category=1)
    year_end = statistic("mmpp_stock", organisation, period_to="2024-12", as_of="2025-01-31")
    monthly = by_month(organisation, period_to="2024-12", as_of="2025-01-31")
    assert monthly["2024-12"] == year_end["2024"]


def test_work_or_no_registration_keeps_a_client_out_of_the_monthly_stock(organisation):
    working = jobseeker(organisation)
    advice(working, D(2023, 6, 1))
    EmploymentFactory(client=working, start_date=D(2024, 2, 1), end_date=D(2024, 2, 29))
    placed = jobseeker(organisation)
    advice(placed, D(2023, 6, 1))
    Article60PlacementFactory(client=placed, start_date=D(2024, 3, 31), end_date=None)
    unregistered = jobseeker(organisation, ended=D(2024, 1, 31))
    advice(unregistered, D(2023, 6, 1))
    assert totals(by_month(organisation)) == {
        "2024-01": 3,  # the registration ending on 31/01 still runs that day
        "2024-02": 1,  # working on 29/02; unregistered (only the placed one counts)
        "2024-03": 1,  # the job ended: back in; the placement starts on 31/03: out
        "2024-04": 1,
    }


def test_inflow_outflow_and_outflow_to_work(organisation):
    entering = jobseeker(organisation)
    advice(entering, D(2024, 2, 10))  # in from February
    leaving_to_work = jobseeker(organisation)
    advice(leaving_to_work, D(2023, 6, 1))
    EmploymentFactory(client=leaving_to_work, start_date=D(2024, 3, 31), end_date=None)
    leaving_by_lapse = jobseeker(organisation)
    advice(leaving_by_lapse, D(2023, 6, 1), ended=D(2024, 3, 31))  # lapsed on 31/03
    result = flow(organisation)
    assert result["2024-01"] == {"inflow": 0, "outflow": 0, "to_work": 0}  # in on 31/12 too
    assert result["2024-02"] == {"inflow": 1, "outflow": 0, "to_work": 0}
    assert result["2024-03"] == {"inflow": 0, "outflow": 2, "to_work": 1}
    assert result["2024-04"] == {"inflow": 0, "outflow": 0, "to_work": 0}


def test_a_change_of_category_is_neither_inflow_nor_outflow(organisation):
    client = jobseeker(organisation)
    advice(client, D(2023, 6, 1), category=2)
    advice(client, D(2024, 2, 5), category=3)
    result = flow(organisation)
    assert all(entry == {"inflow": 0, "outflow": 0, "to_work": 0} for entry in result.values())


def test_the_first_month_compares_with_the_month_before_the_period(organisation):
    client = jobseeker(organisation)
    advice(client, D(2023, 12, 31))  # in the stock on 31/12/2023
    later = jobseeker(organisation)
    advice(later, D(2024, 1, 31))  # enters on the last day of January
    assert flow(organisation)["2024-01"] == {"inflow": 1, "outflow": 0, "to_work": 0}


def test_a_re_entry_counts_as_inflow_again(organisation):
    client = jobseeker(organisation)
    advice(client, D(2023, 6, 1), ended=D(2024, 2, 1))
    advice(client, D(2024, 3, 10))
    result = flow(organisation)
    assert [result[m]["inflow"] for m in result] == [0, 0, 1, 0]
    assert [result[m]["outflow"] for m in result] == [0, 1, 0, 0]


def test_another_organisation_s_records_do_not_count(organisation):
    other = OrganisationFactory(code="lier")
    client = jobseeker(other)
    advice(client, D(2024, 2, 10))
    assert totals(by_month(organisation)) == dict.fromkeys(
        ["2024-01", "2024-02", "2024-03", "2024-04"], 0
    )
    assert flow(organisation)["2024-02"]["inflow"] == 0
