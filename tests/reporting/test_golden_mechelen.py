"""Golden test: the figures of the Mechelen answer (seed 000), rebuilt from records.

The published numbers are read from the document; generators create records
that realise them (with the edge cases of each definition mixed in), and the
council report must give exactly those numbers back.
"""

from decimal import Decimal

import pytest

from core.rounding import ratio
from reporting.statistics import Month
from tests.factories import OrganisationFactory
from tests.reporting.builders import (
    Records,
    build_article60,
    build_caseload,
    build_income_support,
    build_programmes,
    monthly_series,
    population,
    split_by_percent,
)
from tests.reporting.conftest import params
from tests.reporting.seed_text import mechelen

# The records are built by the module-scoped `built_report`, which cannot ask for `db`:
# the mark is what makes pytest-django create the test database for this module.
pytestmark = pytest.mark.django_db

SEED = mechelen()
REFERENCE = Month.parse(SEED.reference_month)  # January 2025
YEAR = int(SEED.article60_year)  # 2024
# The answer was written in the first half of 2025 ("momenteel", "eerste helft van 2025").
PERIOD = (f"{YEAR}-01", f"{YEAR + 1}-06")
AS_OF = f"{YEAR + 1}-06-30"


def derived_inhabitants() -> int:
    """A population that gives both published per-1,000 figures: 89,300 does."""
    candidates = [
        n
        for n in range(85_000, 95_001, 100)
        if ratio(SEED.leefloon, n, per=1000) == float(SEED.leefloon_per_1000)
        and ratio(SEED.equivalent, n, per=1000) == float(SEED.equivalent_per_1000)
    ]
    assert 89_300 in candidates
    return 89_300


INHABITANTS = derived_inhabitants()
BUCKETS = split_by_percent(SEED.leefloon, SEED.duration_percent)
# 40 social assistants; 32 full-time and 8 half-time (36 FTE), and the middle of the
# published caseload range (70 to 75 clients per FTE): 72.5 x 36 = 2,610 clients.
FTE = [Decimal("1.000")] * 32 + [Decimal("0.500")] * 8
CASELOAD = (SEED.caseload_range[0] + SEED.caseload_range[1]) / 2
CLIENTS_FOLLOWED = int(CASELOAD * float(sum(FTE)))
# Flow-through: of 80 placements ending in the year, the published 65% to work or training.
ENDED = 80
TO_WORK_OR_TRAINING = ENDED * SEED.flow_through_percent // 100


@pytest.fixture(scope="module")
def mechelen_report(built_report):
    def build():
        organisation = OrganisationFactory(code="mechelen", name="OCMW Mechelen")
        population(organisation, REFERENCE.year, INHABITANTS)
        population(organisation, REFERENCE.year - 1, 87_000)
        records = Records(organisation)
        build_income_support(records, REFERENCE, BUCKETS, SEED.equivalent)
        build_article60(
            records,
            YEAR,
            monthly_series(SEED.article60_average, 12, start=150),
            SEED.article60_now,
            ENDED,
            TO_WORK_OR_TRAINING,
        )
        build_caseload(records, REFERENCE.last, SEED.social_workers, FTE, CLIENTS_FOLLOWED)
        programmes = build_programmes(records, YEAR, SEED)
        records.save()
        return params(organisation, *PERIOD, SEED.reference_month, AS_OF), programmes

    return built_report(build)


@pytest.fixture
def stats(mechelen_report):
    return mechelen_report[0]["statistics"]


def test_the_seed_figures():
    assert (SEED.leefloon, SEED.equivalent) == (1494, 379)
    assert SEED.duration_percent == {"up_to_1y": 32, "1y_to_2y": 20, "2y_to_4y": 25, "over_4y": 23}
    assert sum(BUCKETS.values()) == SEED.leefloon


def test_leefloon_and_equivalent_in_the_reference_month(stats):
    income = stats["income_support"]
    assert income["leefloon"] == SEED.leefloon
    assert income["equivalent"] == SEED.equivalent
    assert income["inhabitants"] == INHABITANTS


def test_per_1000_inhabitants(stats):
    income = stats["income_support"]
    assert income["leefloon_per_1000"] == float(SEED.leefloon_per_1000) == 16.73
    assert income["equivalent_per_1000"] == float(SEED.equivalent_per_1000) == 4.24


def test_duration_buckets(stats):
    duration = stats["leefloon_duration"]
    assert duration["percent"] == SEED.duration_percent
    assert duration["counts"] == BUCKETS
    assert sum(duration["counts"].values()) == stats["income_support"]["leefloon"]


def test_article60_monthly_average_and_reference_month(stats):
    article60 = stats["article60"]
    assert article60["average_per_month_by_year"][SEED.article60_year] == SEED.article60_average
    assert article60["average_per_month_by_year"][SEED.article60_year] == 157.0
    assert article60["employed_in_reference_month"] == SEED.article60_now == 195
    assert article60["employed_by_month"][SEED.reference_month] == SEED.article60_now


def test_article60_flow_through(stats):
    flow = stats["article60"]["flow_through_by_year"][SEED.article60_year]
    assert flow == {
        "ended": ENDED,
        "to_work_or_training": TO_WORK_OR_TRAINING,
        "percent": SEED.flow_through_percent,
    }


def test_caseload(stats):
    caseload = stats["caseload"]
    assert caseload["social_workers"] == SEED.social_workers == 40
    assert caseload["fte"] == 36.0
    assert caseload["clients"] == CLIENTS_FOLLOWED
    low, high = SEED.caseload_range
    assert low <= caseload["clients_per_fte"] <= high
    assert caseload["clients_per_fte"] == 72.5


def test_duo_for_a_job(stats):
    duo = stats["programmes"]["duo_for_a_job"][SEED.article60_year]
    assert duo["participants"] == SEED.duo_participants == 50
    assert duo["permanent_job_percent"] == SEED.duo_permanent_percent == 30
    assert duo["broader_result_percent"] == SEED.duo_broader_percent == 70
    assert duo["funding_eur"] == SEED.duo_funding == 70000
    assert duo["cost_per_participant_eur"] == SEED.duo_funding / SEED.duo_participants == 1400.0
    assert duo["cost_per_broader_result_eur"] == 2000.0
    assert duo["sessions"] == 0 and duo["max_session_participants"] == 0


def test_jobroad(stats, mechelen_report):
    built = mechelen_report[1]["jobroad"]
    jobroad = stats["programmes"]["jobroad"][SEED.article60_year]
    assert jobroad["sessions"] == SEED.jobroad_sessions == 4
    assert jobroad["max_session_participants"] == SEED.jobroad_capacity == 35
    assert jobroad["to_work_percent"] == SEED.jobroad_to_work_percent == 30
    assert jobroad["funding_eur"] == SEED.jobroad_funding == 37500
    assert jobroad["participants"] == built["participants"]
    assert jobroad["to_work"] == built["to_work"]


def test_programmes_without_activity_show_zeros_and_nulls(stats):
    wijkwerken = stats["programmes"]["wijkwerken"]["2025"]
    assert wijkwerken["participants"] == 0
    assert wijkwerken["permanent_job_percent"] is None
    assert wijkwerken["funding_eur"] is None
    assert wijkwerken["cost_per_participant_eur"] is None


def test_the_report_envelope(mechelen_report):
    report = mechelen_report[0]
    assert report["organisation"] == "mechelen"
    assert report["period"] == {"from": "2024-01", "to": "2025-06"}
    assert report["reference_month"] == "2025-01"
    assert report["as_of"] == "2025-06-30"
    assert list(report["statistics"]) == list(report["definitions"])
    assert len(report["statistics"]) == 13
