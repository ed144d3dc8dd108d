"""An end dated after the as-of day is not yet known: the record runs on.

council-report.md, `--as-of`: "Facts dated after it do not count". A record's end is a
fact of the day it is dated: a report drawn up on the as-of day treats a record ending
later as still running, so that the same report does not change when the end is
recorded afterwards. One organisation here; `test_outsider_regions.py` checks the same
over a region. An end on the as-of day itself is known.
"""

import datetime

import pytest

from tests.factories import (
    Article60PlacementFactory,
    AssignmentFactory,
    ClientFactory,
    IncomeRightFactory,
    SocialWorkerFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date
END = D(2025, 2, 25)
BEFORE_THE_END = "2025-02-20"  # as-of days
ON_THE_END = "2025-02-25"


def months(result, *keys):
    return [result[key] for key in keys]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(BEFORE_THE_END, [1, 1, 1, 1]), (ON_THE_END, [1, 1, 0, 0])],
)
def test_article60_placement_ending_after_the_as_of_day_runs_on(organisation, as_of, expected):
    Article60PlacementFactory(
        client=ClientFactory(organisation=organisation),
        start_date=D(2024, 11, 1),
        end_date=END,
        planned_end_date=None,
    )
    result = statistic(
        "article60", organisation, "2025-01", "2025-04", reference_month="2025-01", as_of=as_of
    )
    assert months(result["employed_by_month"], "2025-01", "2025-02", "2025-03", "2025-04") == (
        expected
    )


@pytest.mark.parametrize(("as_of", "leefloon"), [(BEFORE_THE_END, 1), (ON_THE_END, 0)])
def test_income_right_ending_after_the_as_of_day_counts_in_a_later_reference_month(
    organisation, as_of, leefloon
):
    IncomeRightFactory(
        client=ClientFactory(organisation=organisation), start_date=D(2024, 6, 1), end_date=END
    )
    result = statistic(
        "income_support", organisation, "2025-01", "2025-03", reference_month="2025-03", as_of=as_of
    )
    assert result["leefloon"] == leefloon


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(BEFORE_THE_END, [1, 1, 1]), (ON_THE_END, [1, 1, 0])],
)
def test_activation_ending_after_the_as_of_day_runs_on(organisation, as_of, expected):
    client = ClientFactory(organisation=organisation, household="single")
    IncomeRightFactory(client=client, start_date=D(2024, 6, 1), end_date=None)
    VdabRegistrationFactory(client=client, registered_on=D(2024, 6, 1), ended_on=None)
    TrajectoryFactory(client=client, kind="gpmi", start_date=D(2024, 6, 1), end_date=END)
    result = statistic(
        "activation_registered",
        organisation,
        "2025-01",
        "2025-03",
        reference_month="2025-01",
        as_of=as_of,
    )
    totals = [result[month]["total"] for month in ("2025-01", "2025-02", "2025-03")]
    assert totals == expected
    assert [result[month]["single"] for month in ("2025-01", "2025-02", "2025-03")] == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (BEFORE_THE_END, {"social_workers": 2, "fte": 1.5, "clients": 2}),
        (ON_THE_END, {"social_workers": 1, "fte": 1.0, "clients": 1}),
    ],
)
def test_caseload_on_a_day_after_the_as_of_day(organisation, as_of, expected):
    staying = SocialWorkerFactory(organisation=organisation, fte="1.000")
    leaving = SocialWorkerFactory(organisation=organisation, fte="0.500", end_date=END)
    AssignmentFactory(
        client=ClientFactory(organisation=organisation),
        social_worker=staying,
        start_date=D(2024, 1, 1),
    )
    AssignmentFactory(
        client=ClientFactory(organisation=organisation),
        social_worker=leaving,
        start_date=D(2024, 1, 1),
        end_date=END,
    )
    result = statistic(
        "caseload", organisation, "2025-01", "2025-02", reference_month="2025-02", as_of=as_of
    )
    assert {key: result[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(BEFORE_THE_END, [1, 1, 1]), (ON_THE_END, [1, 1, 0])],
)
def test_activation_over_a_region_with_an_end_after_the_as_of_day(as_of, expected):
    # One person (one national number) in two OCMWs of a regio: the income right and the
    # registration in one, the trajectory (ending on END) in the other.
    from reporting.statistics import REGISTRY, Month, ReportParameters
    from tests.reporting.regions import flanders, national_number

    _top, province, (first, second, _third) = flanders("asof")
    number = national_number(D(1980, 5, 17))
    here = ClientFactory(organisation=first, national_number=number, household="single")
    there = ClientFactory(organisation=second, national_number=number, household="single")
    IncomeRightFactory(client=here, start_date=D(2024, 6, 1), end_date=None)
    VdabRegistrationFactory(client=here, registered_on=D(2024, 6, 1), ended_on=None)
    TrajectoryFactory(client=there, kind="gpmi", start_date=D(2024, 6, 1), end_date=END)
    params = ReportParameters.for_region(
        province,
        period_from=Month.parse("2025-01"),
        period_to=Month.parse("2025-03"),
        reference_month=Month.parse("2025-01"),
        as_of=D.fromisoformat(as_of),
    )
    result = REGISTRY["activation_registered"](params)
    assert [result[month]["total"] for month in ("2025-01", "2025-02", "2025-03")] == expected
