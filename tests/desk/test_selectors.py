"""Selectors of the desk (desk/selectors): reads that join several models."""

import datetime

import pytest

from casework.models import Client
from desk.selectors import running_counts
from tests.factories import (
    Article60PlacementFactory,
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 1)


def test_running_counts_count_clients_with_each_thing_running_on_the_day(
    django_assert_num_queries,
):
    organisation = OrganisationFactory()
    busy, ended, idle = ClientFactory.create_batch(3, organisation=organisation)
    IncomeRightFactory(client=busy, start_date=datetime.date(2024, 1, 1), end_date=DAY)
    TrajectoryFactory(client=busy, start_date=datetime.date(2024, 2, 1))
    Article60PlacementFactory(client=busy, start_date=DAY)
    VdabRegistrationFactory(client=busy, registered_on=datetime.date(2024, 1, 15))
    # Everything of this client ended the day before, or starts the day after.
    IncomeRightFactory(client=ended, end_date=DAY - datetime.timedelta(days=1))
    TrajectoryFactory(client=ended, start_date=DAY + datetime.timedelta(days=1))
    VdabRegistrationFactory(client=ended, ended_on=DAY - datetime.timedelta(days=1))
    TrajectoryFactory(client=idle, kind="activation", start_date=datetime.date(2024, 1, 1))
    clients = Client.objects.filter(organisation=organisation).distinct()
    with django_assert_num_queries(1):
        counts = running_counts(clients, DAY)
    assert counts == {"clients": 3, "income": 1, "gpmi": 1, "article60": 1, "vdab": 1}
    assert running_counts(Client.objects.none(), DAY) == dict.fromkeys(counts, 0)
    # The same figures from the clients' ids (the home page's way: SQL kept, one query).
    ids = list(clients.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        assert running_counts(ids, DAY) == counts
    assert running_counts(ids, DAY) == counts  # the kept SQL, again
    assert running_counts([], DAY) == dict.fromkeys(counts, 0)
