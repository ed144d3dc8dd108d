"""article60: employed per month, yearly average, reference month, flow-through."""

import datetime

import pytest

from tests.factories import Article60PlacementFactory, ClientFactory
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date


def placement(organisation, start, end=None, outcome="", client=None):
    client = client or ClientFactory(organisation=organisation)
    return Article60PlacementFactory(
        client=client, start_date=start, end_date=end, planned_end_date=None, outcome=outcome
    )


def test_employed_per_month_counts_placements_overlapping_the_month(organisation):
    placement(organisation, D(2023, 6, 1), D(2024, 2, 1))  # ends on the 1st of February
    placement(organisation, D(2024, 2, 29))  # starts on the last day of February
    placement(organisation, D(2024, 3, 1), D(2024, 3, 1))
    result = statistic("article60", organisation, period_from="2024-01", period_to="2024-04")
    assert result["employed_by_month"] == {"2024-01": 1, "2024-02": 2, "2024-03": 2, "2024-04": 1}


def test_a_client_with_two_placements_in_a_month_counts_once(organisation):
    client = ClientFactory(organisation=organisation)
    placement(organisation, D(2024, 1, 1), D(2024, 1, 10), client=client)
    placement(organisation, D(2024, 1, 20), D(2024, 1, 31), client=client)
    result = statistic("article60", organisation, period_from="2024-01", period_to="2024-01")
    assert result["employed_by_month"] == {"2024-01": 1}


def test_average_is_the_mean_of_the_months_of_the_year_inside_the_period(organisation):
    placement(organisation, D(2024, 1, 1), D(2024, 1, 31))  # 1 in January, 0 after
    result = statistic(
        "article60",
        organisation,
        period_from="2024-01",
        period_to="2024-08",
        reference_month="2024-08",
    )
    # 1 / 8 months = 0.125 -> 0.13 (half up, not to even)
    assert result["average_per_month_by_year"] == {"2024": 0.13}


def test_average_over_a_partial_year(organisation):
    placement(organisation, D(2024, 11, 1))
    result = statistic("article60", organisation, period_from="2024-07", period_to="2025-03")
    # 2024: Jul-Dec = 0,0,0,0,1,1 -> 2/6 = 0.33; 2025: Jan-Mar = 1,1,1 -> 1.0
    assert result["average_per_month_by_year"] == {"2024": 0.33, "2025": 1.0}


def test_employed_in_the_reference_month(organisation):
    placement(organisation, D(2024, 1, 1), D(2025, 1, 1))
    placement(organisation, D(2025, 1, 31))
    placement(organisation, D(2024, 1, 1), D(2024, 12, 31))
    assert statistic("article60", organisation)["employed_in_reference_month"] == 2


def test_flow_through_counts_placements_ending_in_the_year(organisation):
    placement(organisation, D(2023, 1, 1), D(2024, 1, 1), outcome="work")
    placement(organisation, D(2023, 1, 1), D(2024, 12, 31), outcome="work_linked_training")
    placement(organisation, D(2023, 1, 1), D(2024, 6, 30), outcome="training")
    placement(organisation, D(2023, 1, 1), D(2024, 6, 30), outcome="")
    placement(organisation, D(2023, 1, 1), D(2023, 12, 31), outcome="work")  # the year before
    placement(organisation, D(2023, 1, 1), D(2025, 3, 31), outcome="benefits")
    result = statistic("article60", organisation)
    assert result["flow_through_by_year"] == {
        "2024": {"ended": 4, "to_work_or_training": 2, "percent": 50},
        "2025": {"ended": 1, "to_work_or_training": 0, "percent": 0},
    }


def test_flow_through_ignores_ends_after_the_as_of_day(organisation):
    placement(organisation, D(2024, 1, 1), D(2025, 3, 31), outcome="work")
    placement(organisation, D(2024, 1, 1), D(2025, 2, 28), outcome="work")
    result = statistic("article60", organisation, as_of="2025-03-30")
    assert result["flow_through_by_year"]["2025"] == {
        "ended": 1,
        "to_work_or_training": 1,
        "percent": 100,
    }


def test_no_placement_ended_gives_a_null_percent(organisation):
    result = statistic("article60", organisation)
    assert result["flow_through_by_year"]["2024"] == {
        "ended": 0,
        "to_work_or_training": 0,
        "percent": None,
    }
    assert result["average_per_month_by_year"] == {"2024": 0.0, "2025": 0.0}
    assert list(result["employed_by_month"]) == [f"2024-{m:02d}" for m in range(1, 13)] + [
        f"2025-{m:02d}" for m in range(1, 7)
    ]
    assert set(result["employed_by_month"].values()) == {0}


def test_placements_starting_after_the_as_of_day_do_not_count(organisation):
    placement(organisation, D(2025, 1, 20))
    result = statistic("article60", organisation, as_of="2025-01-19")
    assert result["employed_in_reference_month"] == 0
    assert result["employed_by_month"]["2025-02"] == 0


def test_flow_through_counts_the_whole_calendar_year(organisation):
    placement(organisation, D(2024, 1, 1), D(2025, 1, 15), outcome="work")  # before the period
    placement(organisation, D(2024, 1, 1), D(2025, 11, 30), outcome="training")  # after it
    result = statistic("article60", organisation, period_from="2025-03", period_to="2025-06")
    assert result["flow_through_by_year"] == {
        "2025": {"ended": 1, "to_work_or_training": 1, "percent": 100},
    }
    result = statistic(
        "article60", organisation, period_from="2025-03", period_to="2025-06", as_of="2025-12-31"
    )
    assert result["flow_through_by_year"]["2025"]["ended"] == 2
