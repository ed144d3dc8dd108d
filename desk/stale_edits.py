"""A refused stale edit, as the form shows it: both versions side by side (the one
stored now, and the one the user typed) and who saved the stored one, and when.

The version check itself lives in `core.writes.record_update` (ConflictError); this
module only explains the refusal so that the user can keep their text: the form is
shown again with what they typed and the *current* version number, so saving once
more puts their version on top of the current one, knowingly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import last_write

EMPTY = "—"


@dataclass(frozen=True)
class VersionRow:
    """One field of the record in both versions."""

    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


@dataclass(frozen=True)
class StaleEdit:
    """What the form says about a refused stale edit."""

    message: str
    rows: list[VersionRow]
    current_version: int

    @property
    def differing(self) -> list[VersionRow]:
        return [row for row in self.rows if row.differs]


def _model_field(instance: models.Model, name: str) -> models.Field:
    field = instance._meta.get_field(name)
    assert isinstance(field, models.Field)  # a form's field, never a reverse relation
    return field


def display_value(instance: models.Model, name: str) -> str:
    """A field's value as a person reads it (choice labels, dd/mm/yyyy, ja/nee)."""
    field = _model_field(instance, name)
    if field.is_relation:
        related = getattr(instance, name, None)
        return str(related) if related is not None else EMPTY
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    return str(value)


def who_changed(current: models.Model, *, user: Any, client_id: int | None) -> str:
    """Who saved `current` last, and when, said to `user` (their own other tab or window
    is not "somebody else")."""
    entry = last_write(current, client_id=client_id)
    at = entry.at if entry is not None else getattr(current, "updated_at", None)
    when = date_format(timezone.localtime(at), "d/m/Y H:i") if at is not None else ""
    if entry is not None and entry.user_id is not None and entry.user_id == user.pk:
        return _(
            "Je hebt dit record intussen in een ander venster/tabblad gewijzigd (op %(when)s)."
        ) % {"when": when}
    if entry is not None and (entry.user is not None or entry.username):
        name = (entry.user.get_full_name() if entry.user else "") or entry.username
        return _("%(name)s heeft dit record intussen gewijzigd (op %(when)s).") % {
            "name": name,
            "when": when,
        }
    return _("Iemand anders heeft dit record intussen gewijzigd.")


def stale_edit(
    *, current: models.Model, typed: models.Model, fields: list[str], user: Any, client_id: int
) -> StaleEdit:
    """Explain a refused edit: `current` is the record as stored now, `typed` an
    instance holding what the user typed, `fields` the fields of the form."""
    rows = [
        VersionRow(
            label=str(_model_field(current, name).verbose_name).capitalize(),
            theirs=display_value(current, name),
            yours=display_value(typed, name),
        )
        for name in fields
    ]
    message = " ".join(
        [
            who_changed(current, user=user, client_id=client_id),
            _(
                "Hieronder staan beide versies. Wat je typte staat nog in het formulier: "
                "sla op om jouw versie over de huidige te bewaren, of annuleer om de "
                "huidige te houden."
            ),
        ]
    )
    return StaleEdit(message=message, rows=rows, current_version=current.version)  # type: ignore[attr-defined]
