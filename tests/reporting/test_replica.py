"""Reports read from the PostgreSQL streaming replica (DATABASE_REPLICA_URL), and from the
primary when the replica lags behind the report's as-of day.

Needs a replica of the test database's cluster: `.ci/replica` starts one on
127.0.0.1:5433 and `.ci/run` runs these tests with
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/traject.
"""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Client
from core.replica import REPLICA, replica_state
from tests.conftest import Staff
from tests.factories import ClientFactory, IncomeRightFactory, OrganisationFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or REPLICA not in settings.DATABASES,
        reason="no replica: run on PostgreSQL with DATABASE_REPLICA_URL "
        "(.ci/replica starts one on 127.0.0.1:5433)",
    ),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]

API = reverse("reporting:council_report_api")
QUERY = {"from": "2024-01", "to": "2025-06", "reference_month": "2025-01", "as_of": "2025-06-30"}
STATISTIC_TABLE = "casework_incomeright"


def wait_for_replica(timeout: float = 20.0) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    deadline = time.monotonic() + timeout
    while True:
        state = replica_state()
        if state.replayed_lsn is not None and state.replayed_lsn >= state.primary_lsn:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not catch up within {timeout} s: {state}")
        time.sleep(0.05)


def leefloon_recipient(organisation):
    client = ClientFactory(organisation=organisation)
    IncomeRightFactory(client=client, kind="leefloon", start_date=datetime.date(2024, 6, 1))
    return client


def report(client, **params):
    """The report's leefloon count, and the SQL sent to the primary and to the replica."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = client.get(API, {**QUERY, **params})
    assert response.status_code == 200, response.content
    leefloon = response.json()["statistics"]["income_support"]["leefloon"]
    return (
        leefloon,
        [q["sql"] for q in on_primary.captured_queries],
        [q["sql"] for q in on_replica.captured_queries],
    )


def reads_table(queries):
    return any(STATISTIC_TABLE in sql for sql in queries)


@pytest.fixture
def manager(client):
    organisation = OrganisationFactory(code="mechelen", name="OCMW Mechelen")
    staff = Staff(organisation)
    client.force_login(staff.users["manager"])
    for _i in range(3):
        leefloon_recipient(organisation)
    return organisation


def test_the_report_is_computed_on_the_replica_and_sees_records_written_on_the_primary(
    client, manager
):
    wait_for_replica()
    leefloon, on_primary, on_replica = report(client)
    assert leefloon == 3
    assert reads_table(on_replica)
    assert not reads_table(on_primary)  # the primary did the access check and the session

    leefloon_recipient(manager)  # written on the primary, then replicated
    wait_for_replica()
    leefloon, on_primary, on_replica = report(client)
    assert leefloon == 4
    assert reads_table(on_replica) and not reads_table(on_primary)


def test_a_replica_behind_the_as_of_day_is_not_used_the_primary_answers(client, manager):
    wait_for_replica()
    replica = connections[REPLICA]
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        leefloon_recipient(manager)  # the paused replica does not get it
        assert Client.objects.using(REPLICA).filter(organisation=manager).count() == 3

        # As of today: the replica's last commit is older than the end of today.
        today = timezone.localdate().isoformat()
        leefloon, on_primary, on_replica = report(client, as_of=today)
        assert leefloon == 4
        assert reads_table(on_primary)
        assert not reads_table(on_replica)

        # As of a day the replica has replayed (within TRAJECT_REPLICA_MAX_LAG_SECONDS):
        # the replica answers, with what it had replayed.
        leefloon, on_primary, on_replica = report(client)
        assert leefloon == 3
        assert reads_table(on_replica) and not reads_table(on_primary)
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replica()
    assert report(client, as_of=timezone.localdate().isoformat())[0] == 4


def test_a_replica_lagging_more_than_the_allowed_lag_is_not_used(client, manager, settings):
    settings.TRAJECT_REPLICA_MAX_LAG_SECONDS = 0
    wait_for_replica()
    replica = connections[REPLICA]
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        leefloon_recipient(manager)
        leefloon, on_primary, on_replica = report(client)
        assert leefloon == 4
        assert reads_table(on_primary) and not reads_table(on_replica)
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_nothing_but_the_report_s_reads_go_to_the_replica(client, manager):
    wait_for_replica()
    _leefloon, on_primary, on_replica = report(client)
    assert reads_table(on_replica)
    writes = [sql for sql in on_replica if re.match(r"\s*(INSERT|UPDATE|DELETE)", sql, re.I)]
    assert writes == []
    # The session, the user and the access rules are read on the primary.
    assert not any("django_session" in sql or "auth_user" in sql for sql in on_replica)
    assert any("django_session" in sql for sql in on_primary)
