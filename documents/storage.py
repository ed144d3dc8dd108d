"""Where document files are kept: Django's storage alias `documents` (settings.STORAGES).

By default a private folder outside every served directory (TRAJECT_DOCUMENT_ROOT);
S3-compatible object storage by setting (README, "Documents"). Files are only ever
served through the access-checked download view, never by a URL of the storage.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

STORAGE_ALIAS = "documents"


class _DocumentStorage(LazyObject):
    """The storage behind the alias, looked up when first used (and again after the
    STORAGES setting changes), so that the model field never holds a stale one."""

    def _setup(self) -> None:
        self._wrapped = storages[STORAGE_ALIAS]


_storage = _DocumentStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _storage._wrapped = empty  # type: ignore[assignment]


def document_storage() -> Storage:
    """The storage of document files (the model field's storage callable)."""
    return _storage  # type: ignore[return-value]
