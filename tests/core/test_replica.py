"""core.replica: when a report may read from the replica, and where the router sends reads."""

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Client
from core.replica import (
    REPLICA,
    ReplicaRouter,
    ReplicaState,
    _read_alias,
    replica_is_fresh,
    replica_reads,
)

NOW = timezone.make_aware(datetime.datetime(2025, 7, 1, 12, 0))
MAX_LAG = datetime.timedelta(minutes=5)


def state(*, replayed_lsn=100, primary_lsn=100, replayed_at=NOW, in_recovery=True):
    return ReplicaState(
        primary_lsn=primary_lsn,
        replayed_lsn=replayed_lsn,
        replayed_at=replayed_at,
        in_recovery=in_recovery,
    )


def fresh(replica_state, as_of=datetime.date(2025, 6, 30)):
    return replica_is_fresh(replica_state, as_of=as_of, now=NOW, max_lag=MAX_LAG)


def test_a_replica_that_replayed_everything_is_fresh_however_old_its_last_commit():
    old = NOW - datetime.timedelta(days=30)
    assert fresh(state(replayed_at=old), as_of=datetime.date(2025, 7, 1))


def test_a_lagging_replica_serves_a_report_whose_as_of_day_it_has_replayed():
    behind = state(replayed_lsn=90, replayed_at=NOW - datetime.timedelta(seconds=20))
    assert fresh(behind, as_of=datetime.date(2025, 6, 30))


def test_a_lagging_replica_does_not_serve_a_report_as_of_today():
    # Its last commit is from this morning: records of the rest of today are missing.
    behind = state(replayed_lsn=90, replayed_at=NOW - datetime.timedelta(seconds=20))
    assert not fresh(behind, as_of=datetime.date(2025, 7, 1))


def test_a_replica_lagging_more_than_the_allowed_lag_is_not_used():
    behind = state(replayed_lsn=90, replayed_at=NOW - datetime.timedelta(minutes=6))
    assert not fresh(behind, as_of=datetime.date(2025, 6, 1))


def test_a_lagging_replica_without_a_replayed_commit_is_not_used():
    assert not fresh(state(replayed_lsn=90, replayed_at=None))


def test_a_server_that_is_not_in_recovery_is_no_replica():
    assert not fresh(state(in_recovery=False))


def test_the_router_reads_from_the_primary_outside_a_replica_block():
    router = ReplicaRouter()
    assert router.db_for_read(Client) is None  # Django's default: the primary
    assert router.db_for_write(Client) == DEFAULT_DB_ALIAS


def test_the_router_reads_where_the_replica_block_decided_and_writes_to_the_primary():
    router = ReplicaRouter()
    token = _read_alias.set(REPLICA)
    try:
        assert router.db_for_read(Client) == REPLICA
        assert router.db_for_write(Client) == DEFAULT_DB_ALIAS
    finally:
        _read_alias.reset(token)
    assert router.db_for_read(Client) is None


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "casework") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "casework") is True


def test_without_a_replica_reports_read_from_the_primary(monkeypatch):
    monkeypatch.setattr("core.replica.replica_configured", lambda: False)
    with replica_reads(as_of=datetime.date(2025, 6, 30)) as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert ReplicaRouter().db_for_read(Client) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_inside_a_transaction_on_the_primary_reports_read_from_the_primary():
    # A service that freezes a report and writes in one transaction (and every test in
    # a test transaction) must read its own writes.
    with replica_reads(as_of=datetime.date(2025, 6, 30)) as alias:
        assert alias == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_the_audit_chain_reads_its_head_on_the_primary_even_inside_a_replica_block():
    from audit.chain import chain_head
    from audit.models import AuditEntry

    token = _read_alias.set(REPLICA)  # as if a report read from the replica
    try:
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
            chain_head(AuditEntry)
    finally:
        _read_alias.reset(token)
    assert any("audit_auditentry" in q["sql"] for q in on_primary.captured_queries)
