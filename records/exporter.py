"""Exporting an organisation's records as a bundle, deterministically.

Every file of the spec that has at least one record is written, columns in
the spec's order, rows sorted by key (in code-point order on every database),
with Python's csv module: the same records always give the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import models

from casework.models import Organisation, Region
from core.periods import code_point_order
from records.spec import (
    ALL_FILES,
    FILES_BY_NAME,
    ORGANISATION,
    REF,
    REGIONS,
    TEAM,
    Column,
    FileSpec,
)
from records.values import format_cell

_SPECS = FILES_BY_NAME


def _path(column: Column) -> str:
    """The value of a column as a lookup path: references by the other file's key."""
    if column.kind == REF:
        return f"{column.field_name}__{_SPECS[column.ref].key_fields[0]}"
    if column.kind == TEAM:
        return f"{column.field_name}__name"
    return column.field_name


def _sort(path: str, kind: str) -> Any:
    return path if kind == "int" else code_point_order(path)


def _records(spec: FileSpec, organisation: Organisation) -> models.QuerySet:
    manager = spec.model._default_manager
    if spec is ORGANISATION:
        records: models.QuerySet = manager.filter(pk=organisation.pk)
    elif spec is REGIONS:
        # The organisation's region and the regions above it (import-format.md).
        ancestors = (
            Region.objects.ancestor_ids(organisation.region_id) if organisation.region_id else []
        )
        records = manager.filter(pk__in=ancestors)
    else:
        records = manager.filter(**{spec.scope_field: organisation})
    return records


def columns(spec: FileSpec, organisation: Organisation) -> list[Column]:
    """The columns of one file: those of the spec, and the extension columns in which a
    record of the organisation has a value (not empty, not the field's default)."""
    records = _records(spec, organisation)
    used = []
    for column in spec.columns:
        if column.extension:
            field: Any = spec.model._meta.get_field(column.field_name)
            empty = field.get_default() if field.has_default() else ""
            if not records.exclude(**{column.field_name: empty}).exists():
                continue
        used.append(column)
    return used


def rows(
    spec: FileSpec, organisation: Organisation, written: list[Column] | None = None
) -> Iterator[list[str]]:
    """The rows of one file (`written`: its columns, default all), as text, sorted by key."""
    records = _records(spec, organisation)
    order = [_sort(_path(c), c.kind) for c in spec.key_columns]
    values = records.order_by(*order).values_list(*[_path(c) for c in written or spec.columns])
    for record in values.iterator(chunk_size=2000):
        yield [format_cell(value) for value in record]


def export_organisation(organisation: Organisation, out_dir: str | Path) -> dict[str, int]:
    """Write the bundle of an organisation into a folder; returns rows per file written.

    Files of the spec that the organisation has no records for are removed
    from the folder, so that it never holds a stale file of an older export.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for spec in ALL_FILES:
        target = out / spec.name
        partial = out / f".{spec.name}.part"
        count = 0
        written_columns = columns(spec, organisation)
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for row in rows(spec, organisation, written_columns):
                if count == 0:
                    writer.writerow([c.name for c in written_columns])
                writer.writerow(row)
                count += 1
        if count:
            partial.replace(target)
            written[spec.name] = count
        else:
            partial.unlink()
            target.unlink(missing_ok=True)
    return written
