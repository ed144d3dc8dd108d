"""The audit trail is a hash chain: `audit_verify` finds an edited entry and a gap, and
concurrent writers (single entries and the bulk writer) still make one chain."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from audit.chain import GENESIS, entry_hash, verify_chain
from audit.models import AuditAction, AuditEntry
from audit.services import audit_log, audit_writes
from core.writes import writes_by
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


def some_entries(organisation, count=3):
    clients = [ClientFactory(organisation=organisation) for _ in range(count)]
    for client in clients:
        audit_log(action=AuditAction.READ, client_id=client.pk, object_id=client.pk)
    with writes_by(source="test"):
        audit_writes("update", [(client, {"last_name": ("A", "B")}) for client in clients])
    return clients


def rewrite(sql, params):
    """What an owner of the table could do: switch the trigger off and rewrite history."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_every_entry_is_chained_to_the_one_before(organisation):
    some_entries(organisation)
    entries = list(AuditEntry.objects.order_by("pk"))
    assert len(entries) >= 6
    assert entries[0].previous_hash == GENESIS
    for before, entry in zip(entries, entries[1:], strict=False):
        assert entry.previous_hash == before.entry_hash
    # Each hash covers the entry's content, the organisation included.
    last = entries[-1]
    assert last.organisation_id == organisation.pk
    values = {name: getattr(last, name) for name in ("at", "user_id", "username", "action")}
    values |= {
        "object_type": last.object_type,
        "object_id": last.object_id,
        "client_id": last.client_id,
        "organisation_id": last.organisation_id,
        "changes": last.changes,
        "reason": last.reason,
        "source": last.source,
        "address": last.address,
    }
    assert entry_hash(last.previous_hash, values) == last.entry_hash
    assert "in orde" in verify()


def test_an_edited_entry_is_detected(organisation):
    some_entries(organisation)
    victim = AuditEntry.objects.order_by("pk")[2]
    rewrite("UPDATE audit_auditentry SET username = %s WHERE id = %s", ["niemand", victim.pk])
    assert list(verify_chain(AuditEntry)) == [
        (victim.pk, "changed: its content does not match its hash")
    ]
    with pytest.raises(CommandError, match="gebroken"):
        verify()


def test_a_removed_entry_leaves_a_gap(organisation):
    some_entries(organisation)
    entries = list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))
    rewrite("DELETE FROM audit_auditentry WHERE id = %s", [entries[3]])
    assert list(verify_chain(AuditEntry)) == [
        (entries[4], "gap: the entry before it is missing, or was replaced")
    ]
    with pytest.raises(CommandError):
        verify()


def test_the_first_entries_removed_leave_a_gap_too(organisation):
    some_entries(organisation)
    first = AuditEntry.objects.order_by("pk").values_list("pk", flat=True)[0]
    rewrite("DELETE FROM audit_auditentry WHERE id = %s", [first])
    assert [problem for _pk, problem in verify_chain(AuditEntry)] == [
        "gap: the entry before it is missing, or was replaced"
    ]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_chain(organisation):
    clients = [ClientFactory(organisation=organisation) for _ in range(5)]
    errors = []
    start = threading.Barrier(6)

    def single_entries(n):
        try:
            start.wait()
            for i in range(15):
                with transaction.atomic():
                    audit_log(action=AuditAction.READ, client_id=clients[n].pk, reason=str(i))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def bulk_entries():
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic(), writes_by(source="test"):
                    audit_writes("update", [(c, {"last_name": ("A", "B")}) for c in clients])
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=single_entries, args=(n,)) for n in range(5)]
    threads.append(threading.Thread(target=bulk_entries))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEntry.objects.count() == 5 * 15 + 5 * 5
    assert list(verify_chain(AuditEntry)) == []
    hashes = list(AuditEntry.objects.values_list("previous_hash", flat=True))
    assert len(set(hashes)) == len(hashes)  # no two entries chained to the same one
