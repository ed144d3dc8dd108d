"""The demo's rows (attribute name -> value dicts) written with core.bulk."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from core import bulk


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT the rows; a field a row leaves out gets its (non-callable) default, and the
    time stamps are now. The rows were made valid by the models' rules beforehand
    (records.py), which the tests check with full_clean() on samples."""
    if not rows:
        return
    now = timezone.now()
    fields = model._meta.concrete_fields
    defaults = [_default(f, now) for f in fields]
    attnames = [f.attname for f in fields]
    bulk.insert(
        model,
        attnames,
        (
            [row.get(name, default) for name, default in zip(attnames, defaults, strict=True)]
            for row in rows
        ),
    )


def _default(field: models.Field, now: Any) -> Any:
    if isinstance(field, models.DateTimeField):
        return now  # created_at, updated_at
    if field.has_default() and not callable(field.default):
        return field.default
    if field.empty_strings_allowed and not field.null:
        return ""
    return None
