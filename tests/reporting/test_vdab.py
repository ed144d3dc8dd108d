"""vdab_inflow, vdab_outflow_12m and vdab_handover."""

import datetime

import pytest

from tests.factories import (
    Article60PlacementFactory,
    ClientFactory,
    EmploymentFactory,
    VdabRegistrationFactory,
)
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)


def registration(organisation, day, *, birth=None, gender="f", category="ocmw", **kw):
    birth = birth or D(1990, 6, 15)
    client = ClientFactory(organisation=organisation, birth_date=birth, gender=gender)
    return VdabRegistrationFactory(client=client, registered_on=day, category=category, **kw)


def inflow(organisation, month="2024-03", **kwargs):
    kwargs.setdefault("period_from", "2024-01")
    kwargs.setdefault("period_to", "2024-12")
    return statistic("vdab_inflow", organisation, **kwargs)[month]


def bands(under_25=0, mid=0, over=0):
    return {"under_25": under_25, "25_to_49": mid, "50_plus": over, "total": under_25 + mid + over}


def test_a_25th_birthday_on_the_registration_day_is_25_to_49(organisation):
    registration(organisation, D(2024, 3, 10), birth=D(1999, 3, 10))  # 25 that day
    registration(organisation, D(2024, 3, 10), birth=D(1999, 3, 11))  # 25 tomorrow
    assert inflow(organisation)["f"] == bands(under_25=1, mid=1)


def test_a_50th_birthday_on_the_registration_day_is_50_plus(organisation):
    registration(organisation, D(2024, 3, 10), birth=D(1974, 3, 10), gender="m")
    registration(organisation, D(2024, 3, 10), birth=D(1974, 3, 11), gender="m")
    assert inflow(organisation)["m"] == bands(mid=1, over=1)


def test_born_on_29_february_turns_a_year_older_on_1_march(organisation):
    registration(organisation, D(2025, 2, 28), birth=D(2000, 2, 29))  # still 24
    registration(organisation, D(2025, 3, 1), birth=D(2000, 2, 29))  # 25
    result = statistic("vdab_inflow", organisation, period_from="2025-02", period_to="2025-03")
    assert result["2025-02"]["f"] == bands(under_25=1)
    assert result["2025-03"]["f"] == bands(mid=1)


def test_gender_x_counts_under_its_own_key_and_every_total_adds_up(organisation):
    registration(organisation, D(2024, 3, 1), gender="x", birth=D(2004, 1, 1))
    registration(organisation, D(2024, 3, 31), gender="m", birth=D(1960, 1, 1))
    registration(organisation, D(2024, 3, 15), gender="f")
    assert inflow(organisation) == {
        "m": bands(over=1),
        "f": bands(mid=1),
        "x": bands(under_25=1),
        "total": 3,
    }


def test_only_category_ocmw_and_only_registrations_known_on_the_as_of_day(organisation):
    registration(organisation, D(2024, 3, 1), category="benefits")
    registration(organisation, D(2024, 3, 1), category="other")
    registration(organisation, D(2024, 3, 20))
    registration(organisation, D(2024, 3, 21))
    assert inflow(organisation, as_of="2024-03-20")["total"] == 1


def test_every_month_of_the_period_is_present_with_zeros(organisation):
    registration(organisation, D(2023, 12, 31))
    registration(organisation, D(2025, 1, 1))
    result = statistic("vdab_inflow", organisation, period_from="2024-01", period_to="2024-12")
    assert list(result) == [f"2024-{m:02d}" for m in range(1, 13)]
    empty = {"m": bands(), "f": bands(), "x": bands(), "total": 0}
    assert all(month == empty for month in result.values())


# --- 12-month outflow -------------------------------------------------------------------


def outflow(organisation, **kwargs):
    kwargs.setdefault("period_from", "2024-01")
    kwargs.setdefault("period_to", "2024-12")
    kwargs.setdefault("as_of", "2025-12-31")
    return statistic("vdab_outflow_12m", organisation, **kwargs)


def test_a_job_starting_on_the_last_day_of_the_window_counts_and_the_day_after_not(organisation):
    counted = registration(organisation, D(2024, 1, 15))
    EmploymentFactory(client=counted.client, start_date=D(2025, 1, 31))
    late = registration(organisation, D(2024, 1, 20))
    EmploymentFactory(client=late.client, start_date=D(2025, 2, 1))
    assert outflow(organisation)["2024-01"] == {"inflow": 2, "to_work": 1, "percent": 50}


def test_a_december_window_ends_on_31_december_of_the_next_year(organisation):
    # The last closed month's window is the furthest the work is read (its last day).
    counted = registration(organisation, D(2024, 12, 31))
    EmploymentFactory(client=counted.client, start_date=D(2025, 12, 31))
    late = registration(organisation, D(2024, 12, 1))
    Article60PlacementFactory(client=late.client, start_date=D(2026, 1, 1), planned_end_date=None)
    assert outflow(organisation, as_of="2026-06-30")["2024-12"] == {
        "inflow": 2,
        "to_work": 1,
        "percent": 50,
    }


def test_work_starting_before_the_first_month_does_not_count(organisation):
    reg = registration(organisation, D(2024, 1, 1))
    EmploymentFactory(client=reg.client, start_date=D(2023, 12, 31), end_date=None)
    assert outflow(organisation)["2024-01"] == {"inflow": 1, "to_work": 0, "percent": 0}


def test_work_starts_on_or_after_the_registration_day(organisation):
    same_day = registration(organisation, D(2024, 2, 10))
    EmploymentFactory(client=same_day.client, start_date=D(2024, 2, 10))
    before = registration(organisation, D(2024, 2, 10))
    EmploymentFactory(client=before.client, start_date=D(2024, 2, 9), end_date=None)  # running
    assert outflow(organisation)["2024-02"]["to_work"] == 1


def test_an_article60_placement_is_work_too_and_two_jobs_count_once(organisation):
    reg = registration(organisation, D(2024, 3, 5))
    Article60PlacementFactory(client=reg.client, start_date=D(2024, 9, 1), planned_end_date=None)
    EmploymentFactory(client=reg.client, start_date=D(2024, 10, 1))
    assert outflow(organisation)["2024-03"] == {"inflow": 1, "to_work": 1, "percent": 100}


def test_a_month_is_given_only_once_its_window_has_closed(organisation):
    registration(organisation, D(2024, 1, 15))
    closed = outflow(organisation, as_of="2025-01-31")
    assert list(closed) == ["2024-01"]
    assert outflow(organisation, as_of="2025-01-30") == {}


def test_a_closed_month_without_inflow_has_a_null_percent(organisation):
    assert outflow(organisation, as_of="2025-02-28") == {
        "2024-01": {"inflow": 0, "to_work": 0, "percent": None},
        "2024-02": {"inflow": 0, "to_work": 0, "percent": None},
    }


def test_outflow_counts_only_ocmw_registrations(organisation):
    reg = registration(organisation, D(2024, 1, 15), category="benefits")
    EmploymentFactory(client=reg.client, start_date=D(2024, 2, 1))
    assert outflow(organisation)["2024-01"]["inflow"] == 0


# --- warm handover ----------------------------------------------------------------------


def test_handovers_of_any_category_by_gender_and_age_and_their_outflow(organisation):
    a = registration(organisation, D(2024, 3, 4), category="benefits", warm_handover=True)
    registration(organisation, D(2024, 3, 5), category="ocmw", warm_handover=True, gender="m")
    registration(organisation, D(2024, 3, 6), category="ocmw", warm_handover=False)
    EmploymentFactory(client=a.client, start_date=D(2025, 3, 31))  # last day of the window
    result = statistic(
        "vdab_handover",
        organisation,
        period_from="2024-03",
        period_to="2024-04",
        as_of="2025-03-31",
    )
    assert result["by_month"]["2024-03"] == {
        "m": bands(mid=1),
        "f": bands(mid=1),
        "x": bands(),
        "total": 2,
    }
    assert result["by_month"]["2024-04"]["total"] == 0
    assert result["outflow_12m"] == {"2024-03": {"handovers": 2, "to_work": 1, "percent": 50}}
