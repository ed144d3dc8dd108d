"""Reads from a PostgreSQL streaming replica (`DATABASE_REPLICA_URL`), for reports only.

With a replica configured (settings: a `replica` database and `ReplicaRouter`), the
code that builds a report opens `replica_reads(as_of=...)`; inside it every ORM read
goes to the replica. Everything else (writes, the client file, the audit log, the
access rules, the session) stays on the primary: the router sends a read to the
replica only inside that block, and writes always to `default`.

The replica is used only when it is fresh enough for the report (`replica_is_fresh`):
it has replayed everything the primary has written, or its last replayed commit is
later than the end of the report's as-of day and at most
`TRAJECT_REPLICA_MAX_LAG_SECONDS` old. Otherwise (or when it does not answer) the
block reads from the primary and says why in the log: a report is never computed
from data older than its as-of day.

Inside a transaction on the primary (a service that freezes a report and writes in
the same transaction, or a test), reads stay on the primary: they must see the
transaction's own writes.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

REPLICA = "replica"

logger = logging.getLogger(__name__)

# The alias reads go to inside `replica_reads` (None: the router does not decide).
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "traject_read_alias", default=None
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass(frozen=True)
class ReplicaState:
    """What the replica and the primary say about replication, read at one moment."""

    primary_lsn: int
    replayed_lsn: int | None
    replayed_at: datetime.datetime | None
    in_recovery: bool


def replica_is_fresh(
    state: ReplicaState,
    *,
    as_of: datetime.date,
    now: datetime.datetime,
    max_lag: datetime.timedelta,
) -> bool:
    """May a report as of `as_of` be read from this replica?

    Yes when it has replayed everything the primary had written (an idle primary:
    no lag, however old the last commit), or when its last replayed commit is later
    than the end of the as-of day and not older than `max_lag`. A server that is not
    in recovery is no replica (promoted, or a copy of the primary): not used.
    """
    if not state.in_recovery or state.replayed_lsn is None:
        return False
    if state.replayed_lsn >= state.primary_lsn:
        return True
    if state.replayed_at is None:
        return False
    end_of_day = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time())
    )
    return state.replayed_at >= end_of_day and now - state.replayed_at <= max_lag


def _lsn(text: str) -> int:
    """A PostgreSQL log sequence number `X/Y` as one comparable number."""
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def replica_state(
    primary: BaseDatabaseWrapper | None = None, replica: BaseDatabaseWrapper | None = None
) -> ReplicaState:
    """Read the primary's current write position, then the replica's replay position."""
    primary = primary or connections[DEFAULT_DB_ALIAS]
    replica = replica or connections[REPLICA]
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        primary_lsn = _lsn(cursor.fetchone()[0])
    with replica.cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
            " pg_last_xact_replay_timestamp()"
        )
        in_recovery, replayed, replayed_at = cursor.fetchone()
    return ReplicaState(
        primary_lsn=primary_lsn,
        replayed_lsn=_lsn(replayed) if replayed else None,
        replayed_at=replayed_at,
        in_recovery=bool(in_recovery),
    )


def _replica_alias_for(as_of: datetime.date) -> str:
    """`replica` when it may serve a report as of `as_of`, else `default` (logged)."""
    if not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    replica = connections[REPLICA]
    if replica.vendor != "postgresql" or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return DEFAULT_DB_ALIAS
    try:
        state = replica_state(replica=replica)
    except DatabaseError as exc:
        logger.warning("Replica unavailable, the report reads from the primary: %s", exc)
        replica.close()
        return DEFAULT_DB_ALIAS
    max_lag = datetime.timedelta(seconds=settings.TRAJECT_REPLICA_MAX_LAG_SECONDS)
    if replica_is_fresh(state, as_of=as_of, now=timezone.now(), max_lag=max_lag):
        return REPLICA
    logger.warning(
        "Replica behind the report's as-of day %s (last replayed commit %s), "
        "the report reads from the primary.",
        as_of,
        state.replayed_at,
    )
    return DEFAULT_DB_ALIAS


@contextmanager
def replica_reads(*, as_of: datetime.date) -> Iterator[str]:
    """Inside this block the ORM reads from the replica when it may serve a report as of
    `as_of`, else from the primary. Yields the alias read from; raw SQL inside the
    block must use `connections[alias]`."""
    alias = _replica_alias_for(as_of)
    token = _read_alias.set(alias)
    try:
        yield alias
    finally:
        _read_alias.reset(token)


class ReplicaRouter:
    """Reads inside `replica_reads` go where it decided; everything else, and every
    write, to the primary. The replica is never migrated: it is a copy of the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return _read_alias.get()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
