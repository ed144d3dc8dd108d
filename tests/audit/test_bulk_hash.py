"""The write observer hashes a batch's entries with their shared content encoded once
(audit.chain.bulk_entry_hasher): the hashes are `entry_hash`'s, and the chain verifies."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from audit.chain import GENESIS, bulk_entry_hasher, entry_hash, verify_chain
from audit.models import AuditEntry
from audit.services import audit_writes, changes_json
from casework.models import Client
from core.writes import writes_by
from records.instances import bare

pytestmark = pytest.mark.django_db

SHARED = [
    {
        "at": timezone.now(),
        "user_id": None,
        "username": "",
        "action": "create",
        "object_type": "casework.client",
        "reason": "",
        "source": "command:import_records",
        "address": None,
    },
    {
        "at": datetime.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=datetime.UTC),
        "user_id": 12,
        "username": "jan\u00e9",
        "action": "update",
        "object_type": "partners.referral",
        "reason": '"quoted" \\ and\nnew line',
        "source": "page:/records/",
        "address": "::ffff:10.0.0.1",
    },
]
VARYING = [
    ("1", 1, 3, changes_json({"last_name": (None, "Peeters")})),
    ("2", None, None, changes_json({"birth_date": (None, datetime.date(1985, 7, 30))})),
    ("\u00e9\u2028\x01", -4, 7, changes_json({"notes": ("a\tb", "\U0001f600")})),
    ("4", 5, None, '{"b":[1,2],"a":null}'),  # not canonical yet
    ("5", 6, 8, None),
]


@pytest.mark.parametrize("shared", SHARED)
def test_the_bulk_hash_is_entry_hash(shared):
    hashed = bulk_entry_hasher(shared)
    for previous, (object_id, client_id, organisation_id, changes) in itertools.product(
        (GENESIS, "ab" * 32), VARYING
    ):
        values = shared | {
            "object_id": object_id,
            "client_id": client_id,
            "organisation_id": organisation_id,
            "changes": changes,
        }
        assert hashed(previous, object_id, client_id, organisation_id, changes) == entry_hash(
            previous, values
        )


def test_a_bulk_write_of_entries_verifies(organisation):
    items = []
    for n in range(1, 40):
        client = bare(
            Client,
            {"id": n, "organisation_id": organisation.pk, "last_name": f"N{n}"},
            stored=True,
        )
        items.append((client, {"id": (None, n), "last_name": (None, f"N{n}")}))
    with writes_by(source="command:import_records"):
        audit_writes("create", items[:20])
        audit_writes("create", items[20:])
    entries = AuditEntry.objects.filter(object_type="casework.client").order_by("pk")
    assert [e.object_id for e in entries] == [str(n) for n in range(1, 40)]
    assert entries[5].changes == {"id": [None, 6], "last_name": [None, "N6"]}
    assert {e.client_id for e in entries} == set(range(1, 40))
    assert list(verify_chain(AuditEntry)) == []
