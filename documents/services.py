"""Writes of documents: upload, delete, and removal with retention.

The row goes through the write services (`core.writes`: validation, the audit
trail's observer); the file goes to the storage `documents`. A file is stored
before its row is written and removed again when the row is refused; a deleted
row's file is removed once the transaction has committed, so a rolled-back
delete loses nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.utils import timezone

from access.rules import is_health_data
from casework.models import Client
from core.writes import notify_writes, record_create, record_delete
from documents.filetypes import check_upload
from documents.models import LINK_FIELDS, Document, DocumentKind
from documents.storage import document_storage

CHUNK = 64 * 1024


def link_field(record: models.Model) -> str:
    """The Document field that links to `record` (ValueError for a record of another kind)."""
    label = record._meta.label_lower
    for name, model_label in LINK_FIELDS.items():
        if model_label == label:
            return name
    raise ValueError(f"A document cannot belong to a {record._meta.label}.")


def is_health_document(*, kind: str, record: models.Model | None) -> bool:
    """A medical certificate, or a document of a health-data record (GDPR art. 9)."""
    return kind == DocumentKind.MEDICAL_CERTIFICATE or (
        record is not None and is_health_data(type(record))
    )


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _storage_name(client: Client, extension: str) -> str:
    # No name, national number or title in the path: only ids and a random part.
    return f"{client.organisation_id}/{client.pk}/{uuid.uuid4().hex}.{extension}"


def document_create(
    *,
    client: Client,
    file: IO[bytes],
    file_name: str,
    size: int,
    kind: str,
    date: datetime.date,
    title: str,
    record: models.Model | None = None,
    uploaded_by: Any = None,
) -> Document:
    """Store an uploaded file as a document of `client` (optionally of one of its records).

    Refused with a Dutch ValidationError when the file is too large, not one of the
    allowed types (read from its content) or its extension does not fit, or the row
    is invalid; nothing is stored then.
    """
    try:
        file_type = check_upload(file, file_name, size)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    fields: dict[str, Any] = {}
    if record is not None:
        fields[link_field(record)] = record
    sha256 = _sha256(file)
    storage = document_storage()
    stored = storage.save(_storage_name(client, file_type.extensions[0]), File(file))
    try:
        with transaction.atomic():
            return record_create(
                model=Document,
                client=client,
                kind=kind,
                date=date,
                title=" ".join(title.split()),
                file=stored,
                file_name=file_name.replace("\\", "/").rsplit("/", 1)[-1][:255],
                content_type=file_type.content_type,
                size=size,
                sha256=sha256,
                uploaded_by=uploaded_by,
                uploaded_at=timezone.now(),
                health_data=is_health_document(kind=kind, record=record),
                **fields,
            )
    except BaseException:
        storage.delete(stored)
        raise


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        storage = document_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document and (after commit) its file; audited like every delete."""
    name = document.file.name
    record_delete(instance=document)
    _delete_files_on_commit([name or ""])


@transaction.atomic
def documents_purge(*, client_ids: Iterable[int]) -> int:
    """Delete every document of these clients and their files (retention); one audit entry
    per document. Returns the number of documents."""
    documents = list(Document.objects.of_clients(list(client_ids)).order_by("pk"))
    if not documents:
        return 0
    notify_writes(
        "delete", [(document, {"file": (document.file.name, None)}) for document in documents]
    )
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    _delete_files_on_commit(document.file.name or "" for document in documents)
    return len(documents)


def document_open(document: Document) -> IO[bytes]:
    """The stored file of `document`, opened for reading (the caller checked access)."""
    return document_storage().open(document.file.name or "", "rb")
