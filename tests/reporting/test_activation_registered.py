"""activation_registered: income right, activation trajectory and VDAB registration in a month."""

import datetime

import pytest

from tests.factories import (
    ClientFactory,
    IncomeRightFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date


def client_with(organisation, household="single", *, income=None, trajectory=None, vdab=None):
    client = ClientFactory(organisation=organisation, household=household)
    if income:
        IncomeRightFactory(client=client, start_date=income[0], end_date=income[1])
    if trajectory:
        kind, start, end = trajectory
        TrajectoryFactory(client=client, kind=kind, start_date=start, end_date=end)
    if vdab:
        VdabRegistrationFactory(
            client=client, registered_on=vdab[0], ended_on=vdab[1], category="benefits"
        )
    return client


def month(organisation, key="2024-03", **kwargs):
    kwargs.setdefault("period_from", "2024-01")
    kwargs.setdefault("period_to", "2024-06")
    return statistic("activation_registered", organisation, **kwargs)[key]


FULL = {
    "income": (D(2024, 1, 1), None),
    "trajectory": ("gpmi", D(2024, 1, 1), None),
    "vdab": (D(2024, 1, 1), None),
}


def test_all_three_overlapping_the_month_not_necessarily_at_the_same_time(organisation):
    client_with(
        organisation,
        income=(D(2023, 1, 1), D(2024, 3, 1)),
        trajectory=("activation", D(2024, 3, 10), D(2024, 3, 12)),
        vdab=(D(2024, 3, 31), None),
    )
    assert month(organisation) == {
        "single": 1,
        "cohabiting": 0,
        "married": 0,
        "unknown": 0,
        "total": 1,
    }
    assert month(organisation, "2024-02")["total"] == 0
    assert month(organisation, "2024-04")["total"] == 0


@pytest.mark.parametrize("missing", ["income", "trajectory", "vdab"])
def test_each_of_the_three_is_required(organisation, missing):
    client_with(organisation, **{key: value for key, value in FULL.items() if key != missing})
    assert month(organisation)["total"] == 0


def test_only_gpmi_and_activation_trajectories(organisation):
    client_with(organisation, **{**FULL, "trajectory": ("training", D(2024, 1, 1), None)})
    client_with(organisation, **{**FULL, "trajectory": ("social", D(2024, 1, 1), None)})
    assert month(organisation)["total"] == 0


def test_split_by_household_with_unknown_when_empty(organisation):
    for household in ("single", "cohabiting", "married", "married", ""):
        client_with(organisation, household, **FULL)
    assert month(organisation) == {
        "single": 1,
        "cohabiting": 1,
        "married": 2,
        "unknown": 1,
        "total": 5,
    }


def test_a_client_with_two_trajectories_counts_once(organisation):
    client = client_with(organisation, **FULL)
    TrajectoryFactory(client=client, kind="activation", start_date=D(2024, 2, 1))
    assert month(organisation)["total"] == 1


def test_records_starting_after_the_as_of_day_do_not_count(organisation):
    client_with(organisation, **{**FULL, "vdab": (D(2024, 3, 20), None)})
    assert month(organisation, as_of="2024-03-19")["total"] == 0
    assert month(organisation, as_of="2024-03-20")["total"] == 1


def test_every_month_is_present(organisation):
    result = statistic(
        "activation_registered", organisation, period_from="2024-01", period_to="2024-03"
    )
    assert list(result) == ["2024-01", "2024-02", "2024-03"]
    assert all(entry["total"] == 0 for entry in result.values())


def test_months_with_a_gap_count_before_and_after_it_and_not_in_it(organisation):
    # Two spells of income support (January-February, April-May, none in March): the
    # client's months are two runs, counted apart; a second client runs all along.
    client = client_with(
        organisation,
        income=(D(2024, 1, 1), D(2024, 2, 29)),
        trajectory=("gpmi", D(2024, 1, 1), None),
        vdab=(D(2024, 1, 1), None),
    )
    IncomeRightFactory(client=client, start_date=D(2024, 4, 1), end_date=D(2024, 5, 31))
    client_with(organisation, "married", **FULL)
    figures = statistic(
        "activation_registered", organisation, period_from="2024-01", period_to="2024-06"
    )
    assert {key: (entry["single"], entry["total"]) for key, entry in figures.items()} == {
        "2024-01": (1, 2),
        "2024-02": (1, 2),
        "2024-03": (0, 1),
        "2024-04": (1, 2),
        "2024-05": (1, 2),
        "2024-06": (0, 1),
    }
