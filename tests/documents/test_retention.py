"""Retention removes the documents of a pseudonymised client, with their files."""

import datetime

import pytest
from django.core.management import call_command

from audit.models import AuditAction, AuditEntry
from audit.retention import apply_retention
from documents.models import Document
from documents.storage import document_storage
from tests.factories import AssignmentFactory, ClientFactory, DocumentFactory, IncomeRightFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_retention_removes_the_documents_and_their_files_of_an_old_file_only(
    django_capture_on_commit_callbacks,
):
    old = ClientFactory()
    AssignmentFactory(client=old, start_date=D(2009, 1, 1), end_date=D(2012, 5, 31))
    IncomeRightFactory(client=old, start_date=D(2009, 1, 1), end_date=D(2012, 5, 31))
    old_documents = [
        DocumentFactory(client=old, date=D(2010, 1, 5)),
        DocumentFactory(
            client=old, date=D(2011, 3, 1), kind="medical_certificate", health_data=True
        ),
    ]
    current = ClientFactory(organisation=old.organisation)
    IncomeRightFactory(client=current, start_date=D(2009, 1, 1), end_date=None)
    kept = DocumentFactory(client=current, date=D(2010, 1, 5))
    storage = document_storage()
    old_names = [document.file.name for document in old_documents]
    assert all(storage.exists(name) for name in old_names)

    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention(years=10, today=D(2025, 6, 30))

    assert result.client_ids == [old.pk]
    assert result.documents_removed == 2
    assert list(Document.objects.all()) == [kept]
    assert not any(storage.exists(name) for name in old_names)
    assert storage.exists(kept.file.name)
    deleted = AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_type="documents.document", client_id=old.pk
    )
    assert deleted.count() == 2


def test_a_dry_run_keeps_every_document(capsys):
    old = ClientFactory()
    IncomeRightFactory(client=old, start_date=D(2009, 1, 1), end_date=D(2012, 5, 31))
    document = DocumentFactory(client=old, date=D(2010, 1, 5))

    call_command("apply_retention", "--years", "10", "--dry-run")

    assert Document.objects.get() == document
    assert document_storage().exists(document.file.name)
