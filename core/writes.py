"""The write services: every write of a record goes through `record_create`,
`record_update` or `record_delete`, so a record is valid by one definition (the
model's `full_clean()`: field rules, constraints and `clean()`, inside a
transaction) and the cross-cutting duties live in one place: the version check
against lost updates, and the observers (the audit trail registers one).

The domain apps name their operations on top of these (`casework.services`,
`partners.services`: typed, keyword-only `<entity>_<verb>` functions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _


class ConflictError(ValidationError):
    """Somebody else saved the record since it was read: the edit is refused."""


# Observers of every write (the audit log registers one). Each is called inside the
# write's transaction as observer(action, items) where action is "create", "update"
# or "delete" and items is a list of (instance, changes), changes mapping a field
# name to (old, new). Bulk writes (the importer) pass many items in one call.
Change = dict[str, tuple[Any, Any]]
WriteObserver = Callable[[str, list[tuple[models.Model, Change]]], None]
write_observers: list[WriteObserver] = []


@dataclass(frozen=True)
class WriteSource:
    """Who or what is writing: a user on a page, a command, the admin."""

    user: Any = None
    source: str = ""  # e.g. "page:/clients/12/", "admin", "command:import_records"
    address: str = ""


_write_source: ContextVar[WriteSource] = ContextVar(
    "write_source",
    default=WriteSource(),  # noqa: B039 (frozen: never mutated)
)


@contextmanager
def writes_by(*, user: Any = None, source: str = "", address: str = "") -> Iterator[WriteSource]:
    """Attribute the writes inside the block (audit trail) to a user, page or command."""
    current = WriteSource(user=user, source=source, address=address)
    token = _write_source.set(current)
    try:
        yield current
    finally:
        _write_source.reset(token)


def current_write_source() -> WriteSource:
    return _write_source.get()


def notify_writes(action: str, items: list[tuple[models.Model, Change]]) -> None:
    """Tell the observers about written records (bulk writers call this themselves)."""
    if items:
        for observer in write_observers:
            observer(action, items)


def _notify(action: str, instance: models.Model, changes: Change) -> None:
    notify_writes(action, [(instance, changes)])


def _field_values(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _inherit_organisation(instance: models.Model) -> None:
    """Records of a client (or trajectory, or programme) belong to its organisation."""
    if getattr(instance, "organisation_id", "absent") is not None:
        return
    for parent in ("client", "trajectory", "programme", "social_worker"):
        if getattr(instance, f"{parent}_id", None):
            instance.organisation_id = getattr(instance, parent).organisation_id  # type: ignore[attr-defined]
            return


@transaction.atomic
def record_create[M: models.Model](*, model: type[M], **fields: Any) -> M:
    """Create a record after full validation; the organisation follows its client."""
    if fields.get("external_id") in (None, ""):
        fields.pop("external_id", None)
    instance = model(**fields)
    _inherit_organisation(instance)
    instance.full_clean()
    instance.save()
    _notify("create", instance, {k: (None, v) for k, v in _field_values(instance).items()})
    return instance


@transaction.atomic
def record_update[M: models.Model](
    *, instance: M, expected_version: int | None = None, **fields: Any
) -> M:
    """Change fields of a record after full validation.

    With `expected_version` (the version the editor read), a record that was
    saved by somebody else in the meantime raises ConflictError instead of
    being silently overwritten.
    """
    model = type(instance)
    locked = model._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and getattr(locked, "version", None) != expected_version:
        raise ConflictError(
            _(
                "Iemand anders heeft dit record intussen gewijzigd. "
                "Herlaad de pagina en voer je wijziging opnieuw in."
            ),
            code="conflict",
        )
    before = _field_values(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    if hasattr(locked, "version"):
        locked.version = F("version") + 1  # type: ignore[attr-defined]
    locked.save()
    locked.refresh_from_db()
    after = _field_values(locked)
    changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    changes.pop("updated_at", None)
    _notify("update", locked, changes)
    for name in after:
        setattr(instance, name, getattr(locked, name))
    return instance


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    _notify("delete", instance, {k: (v, None) for k, v in _field_values(instance).items()})
    instance.delete()
