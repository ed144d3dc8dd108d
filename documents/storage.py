"""Where document files are kept: Django's storage alias `documents` (settings.STORAGES).

By default a private folder outside every served directory (TRAJECT_DOCUMENT_ROOT);
S3-compatible object storage by setting (README, "Documents"). Files are only ever
served through the access-checked download view, never by a URL of the storage.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages

STORAGE_ALIAS = "documents"


def document_storage() -> Storage:
    """The storage of document files (a callable, so that tests and settings can swap it)."""
    return storages[STORAGE_ALIAS]
