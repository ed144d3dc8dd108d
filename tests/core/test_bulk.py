"""core.bulk: the writes of the importer, the demo and the audit trail without an
instance per row. Values must come back as the ORM would have stored them."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from casework.models import SocialWorker
from core import bulk
from tests.factories import OrganisationFactory, SocialWorkerFactory

pytestmark = pytest.mark.django_db

WORKER = (
    "id",
    "organisation_id",
    "external_id",
    "version",
    "created_at",
    "updated_at",
    "first_name",
    "last_name",
    "fte",
    "start_date",
)


def worker(pk, organisation, key, first, last, fte, start):
    now = timezone.now()
    return (pk, organisation.pk, key, 1, now, now, first, last, fte, start)


def test_insert_writes_dates_decimals_and_ids_as_the_orm_would(organisation):
    first, second = bulk.allocate_ids(SocialWorker, 2)
    rows = [
        worker(
            first, organisation, "sw1", "Els", "Maes", Decimal("0.8"), datetime.date(2020, 1, 31)
        ),
        worker(second, organisation, "sw2", "Tom", "Claes", Decimal("1"), None),
    ]
    assert bulk.insert(SocialWorker, WORKER, rows) == 2
    stored = SocialWorker.objects.order_by("external_id")
    assert [(w.pk, w.fte, w.start_date, w.version) for w in stored] == [
        (first, Decimal("0.800"), datetime.date(2020, 1, 31), 1),
        (second, Decimal("1.000"), None, 1),
    ]
    # The database hands out higher ids afterwards.
    assert SocialWorkerFactory(organisation=organisation).pk > second


def test_insert_writes_json_and_time_stamps(organisation):
    at = timezone.now().replace(microsecond=0)
    columns = ("at", "username", "action", "object_type", "object_id", "changes", "reason")
    columns += ("source", "address", "previous_hash", "entry_hash")
    changes = {"last_name": [None, "Peeters"]}
    rows = [(at, "", "create", "casework.client", "7", changes, "", "test", "10.0.0.1", "", "")]
    bulk.insert(AuditEntry, columns, rows)
    entry = AuditEntry.objects.get()
    assert (entry.at, entry.changes, entry.address) == (
        at,
        {"last_name": [None, "Peeters"]},
        "10.0.0.1",
    )


def test_an_insert_the_database_refuses_raises_djangos_integrity_error(organisation):
    (pk,) = bulk.allocate_ids(SocialWorker, 1)
    row = worker(pk, organisation, "sw1", "Els", "Maes", Decimal("1"), None)
    bulk.insert(SocialWorker, WORKER, [row])
    (other,) = bulk.allocate_ids(SocialWorker, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        # Same organisation and external id.
        bulk.insert(SocialWorker, WORKER, [(other, *row[1:])])


def test_allocated_ids_are_new_even_after_the_highest_record_was_deleted(organisation):
    workers = SocialWorkerFactory.create_batch(3, organisation=organisation)
    highest = workers[-1].pk
    workers[-1].delete()
    ids = bulk.allocate_ids(SocialWorker, 3)
    assert len(set(ids)) == 3
    assert min(ids) > highest
    assert bulk.highest_id(SocialWorker) >= highest


def test_a_versioned_update_changes_only_records_that_still_have_the_version_read():
    organisation = OrganisationFactory()
    kept, stale = SocialWorkerFactory.create_batch(2, organisation=organisation)
    SocialWorker.objects.filter(pk=stale.pk).update(version=2)  # saved by somebody else
    rows = [["Nieuw", kept.pk, 1], ["Overschreven", stale.pk, 1]]
    assert bulk.update(SocialWorker, ["last_name"], rows, versioned=True) == 1
    name_before = stale.last_name
    kept.refresh_from_db()
    stale.refresh_from_db()
    assert (kept.last_name, kept.version) == ("Nieuw", 2)
    assert (stale.last_name, stale.version) == (name_before, 2)
