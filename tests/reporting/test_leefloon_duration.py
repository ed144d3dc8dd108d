"""leefloon_duration: the uninterrupted spell of income support on the last day of the month."""

import datetime

import pytest

from tests.factories import ClientFactory, IncomeRightFactory
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date
NOTHING = {"up_to_1y": 0, "1y_to_2y": 0, "2y_to_4y": 0, "over_4y": 0}


def client_with(organisation, *rights):
    client = ClientFactory(organisation=organisation)
    for kind, start, end in rights:
        IncomeRightFactory(client=client, kind=kind, start_date=start, end_date=end)
    return client


def counts(organisation, **kwargs):
    return statistic("leefloon_duration", organisation, **kwargs)["counts"]


def only(bucket):
    return {**NOTHING, bucket: 1}


def test_a_right_30_days_after_the_previous_one_ended_continues_the_spell(organisation):
    # 31/03/2024 + 30 days = 30/04/2024: the spell still started in 2018.
    client_with(
        organisation,
        ("leefloon", D(2018, 1, 1), D(2024, 3, 31)),
        ("leefloon", D(2024, 4, 30), None),
    )
    assert counts(organisation) == only("over_4y")


def test_a_right_31_days_after_the_previous_one_ended_starts_a_new_spell(organisation):
    client_with(
        organisation,
        ("leefloon", D(2018, 1, 1), D(2024, 3, 31)),
        ("leefloon", D(2024, 5, 1), None),
    )
    assert counts(organisation) == only("up_to_1y")


def test_the_spell_is_made_of_rights_of_either_kind(organisation):
    client_with(
        organisation,
        ("equivalent", D(2019, 2, 1), D(2022, 12, 31)),
        ("leefloon", D(2023, 1, 1), None),
    )
    assert counts(organisation) == only("over_4y")


def test_a_chain_of_short_gaps_is_one_spell(organisation):
    client_with(
        organisation,
        ("leefloon", D(2020, 1, 1), D(2020, 12, 31)),
        ("equivalent", D(2021, 1, 30), D(2022, 6, 30)),  # 30 days
        ("leefloon", D(2022, 7, 30), None),  # 30 days
    )
    assert counts(organisation) == only("over_4y")  # since 01/01/2020, over 4 years on 31/01/2025


@pytest.mark.parametrize(
    ("start", "bucket"),
    [
        (D(2025, 1, 31), "up_to_1y"),
        (D(2024, 1, 31), "up_to_1y"),  # exactly one year before 31/01/2025
        (D(2024, 1, 30), "1y_to_2y"),
        (D(2023, 1, 31), "1y_to_2y"),  # exactly two years
        (D(2023, 1, 30), "2y_to_4y"),
        (D(2021, 1, 31), "2y_to_4y"),  # exactly four years
        (D(2021, 1, 30), "over_4y"),
    ],
)
def test_bucket_boundaries(organisation, start, bucket):
    client_with(organisation, ("leefloon", start, None))
    assert counts(organisation) == only(bucket)


def test_one_year_before_29_february_is_28_february(organisation):
    client_with(organisation, ("leefloon", D(2023, 2, 28), None))
    client_with(organisation, ("leefloon", D(2023, 2, 27), None))
    result = counts(
        organisation, reference_month="2024-02", period_from="2024-01", period_to="2024-12"
    )
    assert result == {**NOTHING, "up_to_1y": 1, "1y_to_2y": 1}


def test_only_the_clients_counted_as_leefloon_in_the_reference_month(organisation):
    client_with(organisation, ("equivalent", D(2020, 1, 1), None))
    client_with(organisation, ("leefloon", D(2020, 1, 1), D(2024, 12, 31)))
    client_with(organisation, ("leefloon", D(2020, 1, 1), D(2025, 1, 1)))  # ends on the 1st
    result = statistic("leefloon_duration", organisation)
    assert result["counts"] == only("over_4y")
    assert sum(result["counts"].values()) == statistic("income_support", organisation)["leefloon"]


def test_rights_after_the_reference_month_do_not_change_the_spell(organisation):
    client_with(
        organisation,
        ("leefloon", D(2024, 1, 1), D(2025, 1, 15)),
        ("leefloon", D(2025, 2, 1), None),
    )
    assert counts(organisation) == only("1y_to_2y")


def test_rights_starting_after_the_as_of_day_are_ignored(organisation):
    client_with(organisation, ("leefloon", D(2025, 1, 25), None))
    assert counts(organisation, as_of="2025-01-20") == NOTHING


def test_percent_of_the_total_rounded_half_up(organisation):
    for start in (D(2025, 1, 1), D(2023, 6, 1), D(2023, 7, 1), D(2023, 8, 1)):
        client_with(organisation, ("leefloon", start, None))
    for _i in range(4):
        client_with(organisation, ("leefloon", D(2015, 1, 1), None))
    result = statistic("leefloon_duration", organisation)
    assert result["counts"] == {"up_to_1y": 1, "1y_to_2y": 3, "2y_to_4y": 0, "over_4y": 4}
    # 1/8 = 12.5% -> 13, 3/8 = 37.5% -> 38, 4/8 = 50%
    assert result["percent"] == {"up_to_1y": 13, "1y_to_2y": 38, "2y_to_4y": 0, "over_4y": 50}


def test_nobody_in_the_month_gives_null_percents(organisation):
    assert statistic("leefloon_duration", organisation) == {
        "counts": NOTHING,
        "percent": dict.fromkeys(NOTHING),
    }
