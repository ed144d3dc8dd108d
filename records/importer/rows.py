"""One row of the validation pass: parsed, made into its model instance, validated,
counted, and (if all is well) kept for the write pass.

The model's own validation (what `full_clean()` checks: records.instances.clean)
decides what is valid; the parts
of it that would query the database per row are replaced: references by the
index of keys (.references), the rules that compare a record with others by
recorders that the set-based checks answer later (records.setchecks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.utils.translation import gettext as _

from records import instances
from records.bundle import Row
from records.instances import Shape
from records.spec import REF, TEAM, TEXT, Column, FileSpec, empty_value
from records.spill import key_text
from records.values import CellError, parse_cell

from .result import FileCounts
from .spool import CREATE, IDENTITY_ATTNAMES, UPDATE, layout

if TYPE_CHECKING:
    from .core import Importer

_EMPTY = object()  # an empty cell, before it is known what that means for the field


class RowReader:
    """Reads the rows of an importer's files one by one, into its result and spool."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.references = importer.references

    def read(
        self,
        shape: Shape,
        row: Row,
        key: tuple | None,
        existing: dict[tuple, models.Model],
        counts: FileCounts,
    ) -> None:
        """Validate a row (its key parsed, the stored records of its batch read) and keep
        what it writes."""
        importer, references = self.importer, self.references
        spec = shape.spec
        problems: list[tuple[str, Any]] = []
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for index, column in shape.columns:
            text = row.cells[index]
            if column.kind == REF:
                values[column.field_name] = references.ref(column, text, problems)
            elif column.kind == TEAM:
                values[column.field_name] = references.team(text, problems) if text else None
            elif not text:
                values[column.field_name] = _EMPTY
            elif column.kind == TEXT:
                values[column.field_name] = text
            else:
                try:
                    values[column.field_name] = parse_cell(column.kind, text)
                except CellError as exc:
                    problems.append((column.name, exc))
                    failed.add(column.field_name)
        counts.rows += 1
        if key is not None:
            seen_as = key_text(key)
            first = importer.spill.first_line(spec.name, seen_as)
            if first is not None:
                importer._problem(
                    spec.name,
                    row.line,
                    spec.key[0],
                    _("%(key)s staat al op regel %(line)s van dit bestand.")
                    % {"key": ", ".join(map(str, key)), "line": first},
                )
                return
            importer.spill.add_seen(spec.name, seen_as, row.line)

        instance = existing.get(key) if key is not None else None
        before = None if instance is None else shape.snapshot(instance)
        new = instance is None or instance._state.adding  # a standard programme: not yet
        importer.touch(instance if not new else None, values.get("client"))
        if instance is None:
            instance = shape.new()
        self._fill(shape, instance, values, failed)
        self._validate(shape, instance, row.line, failed, problems, values)
        for column_name, message in problems:
            importer._problem(spec.name, row.line, column_name, message)

        changed = [] if before is None else _changed(before, shape.snapshot(instance))
        if new:
            counts.created += 1
        elif counts.health_data:
            # Whether a stored advice or exemption equals the row would tell its content
            # (health data, GDPR art. 9) to somebody who may not read it.
            counts.existing += 1
        elif changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
        if key is None:
            return
        if not problems:
            if before is None:
                instance.pk = references.new_id()
                self._keep_create(spec, instance)
            elif changed:
                self._keep_update(spec, instance, {name: before[name] for name in changed})
        if spec.name in references.referenced:
            # A row with a problem is known (no "does not exist" for rows referring
            # to it) but its values are not used to check those rows.
            if problems:
                references.invalid(spec, key[0])
            else:
                references.remember(spec, key[0], instance)
        if changed:
            importer.setchecks.parent_changed(spec, instance, before or {}, row.line)

    def _keep_create(self, spec: FileSpec, instance: models.Model) -> None:
        """Keep a new record for the write: its placeholder id and its values."""
        if self.importer.result.problems:
            return  # nothing will be written
        self.importer.spool.add(
            spec.name, CREATE, (instance.pk, layout(spec.model).values(instance))
        )

    def _keep_update(self, spec: FileSpec, instance: models.Model, old: dict[str, Any]) -> None:
        """Keep a change for the write: id, version read, identity (for the observers)
        and the changed values (attname -> (old, new))."""
        if self.importer.result.problems:
            return
        identity = {
            name: getattr(instance, name) for name in IDENTITY_ATTNAMES if name in vars(instance)
        }
        changes = {name: (value, getattr(instance, name)) for name, value in old.items()}
        version = getattr(instance, "version", None)
        self.importer.spool.add(spec.name, UPDATE, (instance.pk, version, identity, changes))

    def _fill(
        self, shape: Shape, instance: models.Model, values: dict[str, Any], failed: set[str]
    ) -> None:
        if shape.spec.scope_field == "organisation":
            instance.organisation_id = self.references.organisation_id  # type: ignore[attr-defined]
        for name, value in values.items():
            if name in failed:
                continue
            model_field = shape.fields[name]
            if value is _EMPTY:
                value = empty_value(model_field)
            if isinstance(model_field, models.ForeignKey):
                if value is None:
                    setattr(instance, model_field.attname, None)  # drops a cached record
                else:
                    # The record itself is cached (for the model's clean()) right after,
                    # so the descriptor's clearing of the cache is not needed.
                    instance.__dict__[model_field.attname] = value.pk
                    model_field.set_cached_value(instance, value)
            else:
                setattr(instance, name, value)

    def _validate(
        self,
        shape: Shape,
        instance: models.Model,
        line: int,
        failed: set[str],
        problems: list[tuple[str, Any]],
        values: dict[str, Any],
    ) -> None:
        """The model's validation, with the per-row queries replaced by set-based checks."""
        spec = shape.spec
        setchecks = self.importer.setchecks
        if hasattr(instance, "check_no_overlap"):
            instance.check_no_overlap = setchecks.overlap_recorder(spec, instance, line)  # type: ignore[attr-defined]
        if hasattr(instance, "check_session_capacity"):
            instance.check_session_capacity = setchecks.capacity_recorder(instance, line)  # type: ignore[attr-defined]
        if hasattr(instance, "check_records_not_before_birth"):
            # The stored records of a client whose birth date changes: `parent_changed`.
            instance.check_records_not_before_birth = _ignore  # type: ignore[attr-defined]
        errors = instances.clean(instance, shape.exclude, failed)
        problems.extend(instances.messages(spec, instance, errors))
        # A column the spec requires but the model would accept empty.
        for column in shape.required:
            if values.get(column.field_name) is _EMPTY and column.field_name not in errors:
                problems.append((column.name, _("Dit veld is verplicht.")))
        setchecks.row_checked(spec, instance, line, ok=not problems)


def revalidate(
    spec: FileSpec, instance: models.Model, column: Column, parent: models.Model
) -> list[tuple[str, str]]:
    """A stored record checked again against the bundle's version of a record it
    refers to (e.g. an income right against its client's new birth date)."""
    link = cast(models.ForeignKey, instance._meta.get_field(column.field_name))
    link.set_cached_value(instance, parent)
    # The rules that compare it with other records are the set-based checks' (which
    # cover the organisation's records too); they are not asked again here.
    for name in ("check_no_overlap", "check_session_capacity"):
        if hasattr(instance, name):
            setattr(instance, name, _ignore)
    exclude = instances.relations(spec.model)
    return instances.messages(spec, instance, instances.clean(instance, exclude, set()))


def _ignore(*args: Any, **kwargs: Any) -> None:
    return None


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name, value in after.items() if before[name] != value]
