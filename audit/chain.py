"""The audit trail as a hash chain: each entry stores the hash of the entry before it
and its own hash over that and its content, so that a removed entry (a gap) or a
changed one is found by `manage.py audit_verify`.

Entries are chained in the order of their ids. Whoever adds entries takes the chain's
lock first (`chain_head`): on PostgreSQL a transaction-level advisory lock, held until
the adding transaction ends, so that two concurrent writers never chain to the same
entry (the second waits; the bulk writer of an import holds it for the import's
transaction). SQLite has one writer at a time.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connections, router

from core.bulk import JsonText


class CanonicalJson(JsonText):
    """JSON text already in the chain's canonical form (`canonical_changes`)."""


# Hash of "no entry before": the first entry of the chain points at it.
GENESIS = "0" * 64
# Arbitrary, fixed: the advisory lock of the audit chain (PostgreSQL).
CHAIN_LOCK_KEY = 7_204_115_001
# The content of an entry that its hash covers, in this order.
HASHED_FIELDS = (
    "at",
    "user_id",
    "username",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "organisation_id",
    "changes",
    "reason",
    "source",
    "address",
)


def canonical_changes(changes: Any) -> str:
    """`changes` as JSON text in one canonical form (sorted keys, no spaces)."""
    if isinstance(changes, CanonicalJson):
        return changes
    if isinstance(changes, str):  # already encoded (the bulk writer): parse it first
        changes = json.loads(changes)
    return json.dumps(changes, sort_keys=True, separators=(",", ":"))


_last_at: list[Any] = [None, None]  # the last time stamp and its text (bulk rows share one)


def _at_text(at: datetime.datetime) -> str:
    if at is not _last_at[0]:
        _last_at[0], _last_at[1] = (
            at,
            at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        )
    return _last_at[1]


def _address_text(value: Any) -> str:
    try:
        return str(ipaddress.ip_address(str(value)))  # as the database gives it back
    except ValueError:
        return str(value)


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def entry_hash(previous: str, values: dict[str, Any]) -> str:
    """The hash of one entry: over the previous entry's hash and its own content
    (HASHED_FIELDS, each in one canonical form). Fast: the bulk writer hashes every
    imported record's entry."""
    at, changes, address = values.get("at"), values.get("changes"), values.get("address")
    content = [
        previous,
        None if at is None else _at_text(at),
        _int_or_none(values.get("user_id")),
        _str_or_none(values.get("username")),
        _str_or_none(values.get("action")),
        _str_or_none(values.get("object_type")),
        _str_or_none(values.get("object_id")),
        _int_or_none(values.get("client_id")),
        _int_or_none(values.get("organisation_id")),
        None if changes is None else canonical_changes(changes),
        _str_or_none(values.get("reason")),
        _str_or_none(values.get("source")),
        None if address is None else _address_text(address),
    ]
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_HASH_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def _json_int(value: Any) -> str:
    return "null" if value is None else str(int(value))


def _json_str(value: Any) -> str:
    return "null" if value is None else _HASH_JSON.encode(str(value))


def bulk_entry_hasher(shared: dict[str, Any]) -> Callable[[str, Any, Any, Any, Any], str]:
    """`entry_hash` for many entries that share all content but their object, client,
    organisation and changes (one write observer's batch): hash(previous, object_id,
    client_id, organisation_id, changes) is `entry_hash(previous, shared | those)`,
    with the shared part encoded once instead of per entry."""
    at, address = shared.get("at"), shared.get("address")
    before = _HASH_JSON.encode(
        [
            None if at is None else _at_text(at),
            _int_or_none(shared.get("user_id")),
            _str_or_none(shared.get("username")),
            _str_or_none(shared.get("action")),
            _str_or_none(shared.get("object_type")),
        ]
    )[1:-1]
    after = _HASH_JSON.encode(
        [
            _str_or_none(shared.get("reason")),
            _str_or_none(shared.get("source")),
            None if address is None else _address_text(address),
        ]
    )[1:-1]
    encode, sha256 = _HASH_JSON.encode, hashlib.sha256

    def hashed(
        previous: str, object_id: Any, client_id: Any, organisation_id: Any, changes: Any
    ) -> str:
        text = (
            f"[{encode(previous)},{before},{_json_str(object_id)},{_json_int(client_id)},"
            f"{_json_int(organisation_id)},"
            f"{'null' if changes is None else encode(canonical_changes(changes))},{after}]"
        )
        return sha256(text.encode("utf-8")).hexdigest()

    return hashed


def chain_head(model: Any) -> str:
    """Take the chain's lock (until the current transaction ends) and return the hash
    of the last entry. Call inside `transaction.atomic()`."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # On the connection that writes: never a read replica (core/replica.py), whose copy
    # may lag behind the chain's head.
    last = (
        model._base_manager.using(connection.alias)
        .order_by("-pk")
        .values_list("entry_hash", flat=True)
        .first()
    )
    return last or GENESIS


# --- Verification -----------------------------------------------------------------------


def verify_chain(model: Any, *, chunk_size: int = 5000) -> Iterator[tuple[int, str]]:
    """Every break of the chain as (entry id, what is wrong). Entries made before the
    chain existed (no hash) are accepted only before the first chained entry."""
    previous, started = GENESIS, False
    rows = model._base_manager.order_by("pk").values_list(
        "pk", "previous_hash", "entry_hash", *HASHED_FIELDS
    )
    for pk, previous_hash, own_hash, *content in rows.iterator(chunk_size=chunk_size):
        if not own_hash:
            if started:
                yield pk, "no hash: written outside the audit services"
            continue
        if previous_hash != previous:
            yield pk, "gap: the entry before it is missing, or was replaced"
        values = dict(zip(HASHED_FIELDS, content, strict=True))
        if entry_hash(previous_hash, values) != own_hash:
            yield pk, "changed: its content does not match its hash"
        previous, started = own_hash, True


def last_hash(model: Any) -> str:
    """The hash of the newest entry (keep it elsewhere: it anchors the chain's end)."""
    return model._base_manager.order_by("-pk").values_list("entry_hash", flat=True).first() or ""
