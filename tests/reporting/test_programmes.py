"""programmes: participants, sessions, outcomes, funding and cost per programme and year."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import (
    ClientFactory,
    ProgrammeFactory,
    ProgrammeFundingFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
)
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date


def referral(programme, start, outcome="", end=None, session=None):
    return ReferralFactory(
        client=ClientFactory(organisation=programme.organisation),
        programme=programme,
        start_date=start,
        end_date=end,
        outcome=outcome,
        session=session,
    )


def test_outcomes_and_percents_of_the_participants_of_the_year(organisation):
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job", name="DUO for a JOB")
    for outcome in ["permanent_job"] * 3 + ["temporary_job", "training", "internship", "none", ""]:
        referral(duo, D(2024, 3, 1), outcome, end=D(2024, 9, 1) if outcome else None)
    referral(duo, D(2023, 12, 31), "permanent_job", end=D(2024, 6, 1))  # started the year before
    ProgrammeFundingFactory(programme=duo, year=2024, amount_eur=Decimal("10000.00"))
    result = statistic("programmes", organisation)["duo_for_a_job"]["2024"]
    assert result == {
        "participants": 8,
        "sessions": 0,
        "max_session_participants": 0,
        "permanent_job": 3,
        "permanent_job_percent": 38,  # 37.5 -> 38
        "to_work": 4,
        "to_work_percent": 50,
        "broader_result": 6,
        "broader_result_percent": 75,
        "funding_eur": 10000,
        "cost_per_participant_eur": 1250.0,
        "cost_per_broader_result_eur": 1666.67,
    }


def test_sessions_held_in_the_year_and_their_largest_number_of_participants(organisation):
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad")
    sizes = {D(2024, 3, 14): 35, D(2024, 6, 13): 30, D(2024, 9, 12): 0, D(2023, 12, 14): 36}
    for day, size in sizes.items():
        session = ProgrammeSessionFactory(programme=jobroad, date=day, capacity=40)
        for _i in range(size):
            referral(jobroad, day, session=session)
    result = statistic("programmes", organisation)["jobroad"]
    assert (result["2024"]["sessions"], result["2024"]["max_session_participants"]) == (3, 35)
    assert result["2024"]["participants"] == 65
    assert (result["2025"]["sessions"], result["2025"]["max_session_participants"]) == (0, 0)


def test_missing_funding_or_no_result_gives_null_costs(organisation):
    wijk = ProgrammeFactory(organisation=organisation, code="wijkwerken", name="Wijk-werken")
    referral(wijk, D(2024, 3, 1), "none", end=D(2024, 4, 1))
    result = statistic("programmes", organisation)["wijkwerken"]["2024"]
    assert result["funding_eur"] is None
    assert result["cost_per_participant_eur"] is None
    ProgrammeFundingFactory(programme=wijk, year=2024, amount_eur=Decimal("500.50"))
    result = statistic("programmes", organisation)["wijkwerken"]["2024"]
    assert result["funding_eur"] == 500.5
    assert result["cost_per_participant_eur"] == 500.5
    assert result["cost_per_broader_result_eur"] is None  # no broader result


def test_every_programme_and_every_year_is_present(organisation):
    ProgrammeFactory(organisation=organisation, code="jobroad")
    ProgrammeFactory(organisation=organisation, code="social_economy", name="Sociale economie")
    ProgrammeFactory(organisation=organisation, code="taalcoaching", name="Taalcoaching")
    ProgrammeFactory(organisation=ProgrammeFactory().organisation, code="elsewhere")
    result = statistic("programmes", organisation, period_from="2023-05", period_to="2025-02")
    # The standard programmes always; other programmes of this organisation too.
    assert sorted(result) == [
        "duo_for_a_job",
        "jobroad",
        "social_economy",
        "taalcoaching",
        "vdab",
        "wijkwerken",
    ]
    assert list(result["jobroad"]) == ["2023", "2024", "2025"]
    assert result["jobroad"]["2023"]["participants"] == 0
    assert result["jobroad"]["2023"]["permanent_job_percent"] is None


def test_referrals_after_the_as_of_day_and_unfinished_outcomes_do_not_count(organisation):
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job")
    referral(duo, D(2025, 2, 1), "permanent_job", end=D(2025, 2, 20))
    referral(duo, D(2025, 2, 1), "permanent_job", end=D(2025, 8, 1))  # ends after as_of
    referral(duo, D(2025, 4, 1), "permanent_job", end=D(2025, 4, 2))  # starts after as_of
    result = statistic("programmes", organisation, as_of="2025-03-31")["duo_for_a_job"]["2025"]
    assert (result["participants"], result["permanent_job"]) == (2, 1)


def test_participants_of_the_whole_calendar_year(organisation):
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job")
    referral(duo, D(2025, 1, 10))  # before the period's first month
    referral(duo, D(2025, 5, 10))
    result = statistic("programmes", organisation, period_from="2025-03", period_to="2025-06")
    assert result["duo_for_a_job"]["2025"]["participants"] == 2
