"""income_support: clients with a right overlapping the reference month, per 1,000, per year."""

import datetime

import pytest

from tests.factories import (
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
    PopulationFactory,
)
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date


def right(organisation, start, end=None, kind="leefloon", client=None):
    client = client or ClientFactory(organisation=organisation)
    return IncomeRightFactory(client=client, kind=kind, start_date=start, end_date=end)


def test_a_right_ending_on_the_first_day_of_the_reference_month_counts(organisation):
    right(organisation, D(2024, 1, 1), D(2025, 1, 1))
    assert statistic("income_support", organisation)["leefloon"] == 1


def test_a_right_ending_the_day_before_the_reference_month_does_not_count(organisation):
    right(organisation, D(2024, 1, 1), D(2024, 12, 31))
    assert statistic("income_support", organisation)["leefloon"] == 0


def test_a_right_starting_on_the_last_day_counts_and_the_day_after_not(organisation):
    right(organisation, D(2025, 1, 31))
    right(organisation, D(2025, 2, 1))
    assert statistic("income_support", organisation)["leefloon"] == 1


def test_kinds_are_counted_apart_and_a_client_changing_kind_counts_under_both(organisation):
    client = ClientFactory(organisation=organisation)
    right(organisation, D(2024, 6, 1), D(2025, 1, 9), kind="equivalent", client=client)
    right(organisation, D(2025, 1, 10), client=client)
    right(organisation, D(2024, 6, 1), kind="equivalent")
    result = statistic("income_support", organisation)
    assert (result["leefloon"], result["equivalent"]) == (1, 2)


def test_a_client_with_two_rights_in_the_month_counts_once(organisation):
    client = ClientFactory(organisation=organisation)
    right(organisation, D(2024, 6, 1), D(2025, 1, 9), client=client)
    right(organisation, D(2025, 1, 20), client=client)
    assert statistic("income_support", organisation)["leefloon"] == 1


def test_a_right_starting_after_the_as_of_day_does_not_count(organisation):
    right(organisation, D(2025, 1, 15))
    right(organisation, D(2025, 1, 16))
    result = statistic("income_support", organisation, as_of="2025-01-15")
    assert result["leefloon"] == 1
    assert result["unique_by_year"]["2025"]["leefloon"] == 1


def test_other_organisations_do_not_count(organisation):
    right(OrganisationFactory(code="gent"), D(2024, 1, 1))
    assert statistic("income_support", organisation)["leefloon"] == 0


def test_per_1000_inhabitants_of_the_reference_year_rounded_half_up(organisation):
    PopulationFactory(organisation=organisation, year=2025, inhabitants=8000)
    PopulationFactory(organisation=organisation, year=2024, inhabitants=1000)
    right(organisation, D(2024, 1, 1))  # 1 * 1000 / 8000 = 0.125 -> 0.13 (half up)
    result = statistic("income_support", organisation)
    assert result["inhabitants"] == 8000
    assert result["leefloon_per_1000"] == 0.13
    assert result["equivalent_per_1000"] == 0.0


def test_without_population_inhabitants_and_per_1000_are_null(organisation):
    PopulationFactory(organisation=organisation, year=2024, inhabitants=1000)
    right(organisation, D(2024, 1, 1))
    result = statistic("income_support", organisation)
    assert result["inhabitants"] is None
    assert result["leefloon_per_1000"] is None
    assert result["equivalent_per_1000"] is None


def test_unique_by_year_counts_distinct_clients_overlapping_the_year(organisation):
    client = ClientFactory(organisation=organisation)
    right(organisation, D(2023, 1, 1), D(2024, 3, 31), client=client)
    right(organisation, D(2024, 6, 1), D(2024, 12, 31), client=client)  # same client: once
    right(organisation, D(2024, 12, 31), D(2025, 1, 1))  # both years
    right(organisation, D(2025, 3, 1), kind="equivalent")
    result = statistic("income_support", organisation)
    assert result["unique_by_year"] == {
        "2024": {"leefloon": 2, "equivalent": 0},
        "2025": {"leefloon": 1, "equivalent": 1},
    }


def test_unique_by_year_counts_the_whole_calendar_year_of_each_year_of_the_period(organisation):
    right(organisation, D(2024, 1, 1), D(2024, 2, 29))  # before the period's first month
    right(organisation, D(2025, 11, 1))  # after its last month, before the as-of day
    right(organisation, D(2026, 1, 5))  # after the as-of day
    result = statistic(
        "income_support",
        organisation,
        period_from="2024-03",
        period_to="2025-02",
        as_of="2026-01-04",
    )
    assert result["unique_by_year"] == {
        "2024": {"leefloon": 1, "equivalent": 0},
        "2025": {"leefloon": 1, "equivalent": 0},
    }


def test_an_empty_organisation_gives_zeros(organisation):
    result = statistic("income_support", organisation)
    assert result == {
        "leefloon": 0,
        "equivalent": 0,
        "inhabitants": None,
        "leefloon_per_1000": None,
        "equivalent_per_1000": None,
        "unique_by_year": {
            "2024": {"leefloon": 0, "equivalent": 0},
            "2025": {"leefloon": 0, "equivalent": 0},
        },
    }
