"""caseload: social workers employed on the last day of the reference month, FTE, clients."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import AssignmentFactory, ClientFactory, SocialWorkerFactory
from tests.reporting.conftest import statistic

pytestmark = pytest.mark.django_db

D = datetime.date
LAST_DAY = D(2025, 1, 31)


def worker(organisation, fte="1.000", start=None, end=None, *, unknown_start=False):
    start = None if unknown_start else (start or D(2020, 1, 1))
    return SocialWorkerFactory(
        organisation=organisation, fte=Decimal(fte), start_date=start, end_date=end
    )


def test_a_social_worker_leaving_on_the_reference_day_is_still_employed_that_day(organisation):
    worker(organisation, end=LAST_DAY)
    worker(organisation, end=LAST_DAY - datetime.timedelta(days=1))
    worker(organisation, start=LAST_DAY + datetime.timedelta(days=1))
    worker(organisation, unknown_start=True, fte="0.500")  # employed since before Traject knew
    result = statistic("caseload", organisation)
    assert (result["social_workers"], result["fte"]) == (2, 1.5)


def test_clients_with_an_assignment_running_that_day_counted_once(organisation):
    first, second = worker(organisation), worker(organisation)
    client = ClientFactory(organisation=organisation)
    AssignmentFactory(client=client, social_worker=first, start_date=D(2024, 1, 1))
    AssignmentFactory(client=client, social_worker=second, start_date=D(2024, 6, 1))
    AssignmentFactory(
        client=ClientFactory(organisation=organisation),
        social_worker=first,
        start_date=D(2024, 1, 1),
        end_date=LAST_DAY,
    )
    AssignmentFactory(
        client=ClientFactory(organisation=organisation),
        social_worker=first,
        start_date=D(2024, 1, 1),
        end_date=D(2025, 1, 30),
    )
    AssignmentFactory(
        client=ClientFactory(organisation=organisation),
        social_worker=first,
        start_date=D(2025, 2, 1),
    )
    assert statistic("caseload", organisation)["clients"] == 2


def test_clients_per_fte_rounded_half_up_to_2_decimals(organisation):
    workers = [worker(organisation, fte="1.000"), worker(organisation, fte="0.800")]
    for i in range(9):
        AssignmentFactory(
            client=ClientFactory(organisation=organisation),
            social_worker=workers[i % 2],
            start_date=D(2024, 1, 1),
        )
    result = statistic("caseload", organisation)
    assert result == {"social_workers": 2, "fte": 1.8, "clients": 9, "clients_per_fte": 5.0}


def test_clients_per_fte_is_a_rounded_ratio(organisation):
    w = worker(organisation, fte="0.600")
    for _i in range(2):
        AssignmentFactory(
            client=ClientFactory(organisation=organisation),
            social_worker=w,
            start_date=D(2024, 1, 1),
        )
    assert statistic("caseload", organisation)["clients_per_fte"] == 3.33  # 2 / 0.6


def test_no_social_worker_gives_a_null_ratio(organisation):
    assert statistic("caseload", organisation) == {
        "social_workers": 0,
        "fte": 0.0,
        "clients": 0,
        "clients_per_fte": None,
    }


def test_starts_after_the_as_of_day_do_not_count(organisation):
    w = worker(organisation, start=D(2025, 1, 20))
    AssignmentFactory(
        client=ClientFactory(organisation=organisation), social_worker=w, start_date=D(2025, 1, 20)
    )
    result = statistic("caseload", organisation, as_of="2025-01-19")
    assert (result["social_workers"], result["clients"]) == (0, 0)
