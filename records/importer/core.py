"""The import of one bundle, and its validation pass (see the package's docstring)."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from casework import services
from casework.models import Organisation, Team
from partners.models import Programme
from records import instances
from records.bundle import NO_COLUMN, Bundle, BundleError, CsvFile, Problem, Row
from records.instances import Shape, bare, stand_in
from records.progress import Progress
from records.setchecks import SetChecks
from records.spec import (
    FILES,
    FILES_BY_NAME,
    ORGANISATION,
    REF,
    TEAM,
    TEXT,
    Column,
    FileSpec,
    empty_value,
)
from records.values import CellError, parse_cell

from .result import FileCounts, ImportResult, problem_order
from .spool import CREATE, IDENTITY_ATTNAMES, UPDATE, Spool, layout
from .writer import Conflict, Writer

BATCH_SIZE = 1000
_EMPTY = object()  # an empty cell, before it is known what that means for the field


class _Refused(Exception):
    """Leaves the import's transaction (rolling it back) when a problem was found."""


def import_bundle(
    path: str | Path,
    *,
    dry_run: bool = False,
    user: Any = None,
    source: str = "command:import_records",
    address: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Validate a bundle and, if it has no problem and this is not a dry run, write it.

    `result.problems` lists every problem found; if there is one, nothing was written.
    Writes are attributed (audit trail) to `user` and `source`.
    """
    started = time.monotonic()
    progress = progress or Progress()
    try:
        with (
            Bundle(path) as bundle,
            services.writes_by(user=user, source=source, address=address),
        ):
            importer = Importer(bundle, progress, keep_writes=not dry_run)
            try:
                result = importer.run(dry_run)
            finally:
                importer.close()
    except BundleError as exc:
        file = exc.file or Path(path).name
        result = ImportResult(problems=[Problem(file, 0, NO_COLUMN, str(exc))])
    result.seconds = time.monotonic() - started
    progress.done(result)
    return result


def _batched(iterable: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class Importer:
    """One import of one bundle: `validate()`, then, if it found nothing, the Writer."""

    def __init__(self, bundle: Bundle, progress: Progress, *, keep_writes: bool = True) -> None:
        self.bundle = bundle
        self.progress = progress
        self.result = ImportResult()
        self.setchecks = SetChecks(self)
        self.organisation: Organisation | None = None
        self.organisation_id: Any = None
        self.organisation_row: dict[str, str] = {}
        # From the first pass to the second: what to write (not kept in a dry run),
        # and the records that exist only as placeholders until then.
        self.spool = Spool(keep_writes)
        self.new_teams: dict[str, int] = {}  # name -> placeholder
        self.default_programmes: dict[str, int] = {}  # code -> placeholder
        self.seen: dict[str, dict[tuple, int]] = defaultdict(dict)  # file -> key -> line
        self.refs: dict[str, dict[Any, models.Model | None]] = {}  # file -> key -> stand-in
        self.broken: set[str] = set()  # files whose rows could not be read
        self.teams: dict[str, Team | None] = {}
        self._stored_teams: dict[str, int] | None = None
        self._existing_keys: dict[str, dict[tuple, int]] = {}
        self._placeholder = itertools.count(-1, -1)  # ids of records not written yet

    # --- the two passes ------------------------------------------------------------------

    def run(self, dry_run: bool) -> ImportResult:
        """Validate; unless this is a dry run, write in the same transaction if all is well."""
        if dry_run:
            return self.validate()
        try:
            with transaction.atomic():
                if not self.validate().ok:
                    raise _Refused
                writer = Writer(self)
                try:
                    writer.write()
                except Conflict:
                    self.changed_meanwhile(writer.file)
                    raise _Refused from None
                except IntegrityError as exc:
                    # A rule only the database knows: still nothing written.
                    self.refused_by_database(writer.file, exc)
                    raise _Refused from exc
                self.result.written = True
        except _Refused:
            pass
        return self.result

    def close(self) -> None:
        self.spool.close()

    def validate(self) -> ImportResult:
        for name in self.bundle.unknown:
            self._problem(
                name, 1, NO_COLUMN, _("Onbekend bestand: geen deel van een recordbundel.")
            )
        for name in self.bundle.misplaced:
            self._problem(
                name,
                0,
                NO_COLUMN,
                _(
                    "Dit bestand staat niet in de map van organisation.csv: een bundel is "
                    "één map met alle bestanden naast elkaar."
                ),
            )
        self._read_organisation()
        for spec in FILES[1:]:
            if spec.name in self.bundle.members:
                self._read_file(spec)
        self.setchecks.run()
        self.result.problems.sort(key=problem_order)
        return self.result

    def changed_meanwhile(self, file: str) -> None:
        self._problem(
            file,
            0,
            NO_COLUMN,
            _(
                "Een record is gewijzigd of verwijderd sinds de bundel werd gecontroleerd; "
                "er is niets geschreven. Importeer de bundel opnieuw."
            ),
        )

    def refused_by_database(self, file: str, exc: IntegrityError) -> None:
        self._problem(
            file,
            0,
            NO_COLUMN,
            _("De database weigert de bundel; er is niets geschreven: %(error)s")
            % {"error": str(exc).strip().splitlines()[0]},
        )

    def _problem(self, file: str, line: int, column: str, message: Any) -> None:
        self.result.problems.append(Problem(file, line, column, str(message)))

    # --- organisation.csv ---------------------------------------------------------------

    def _read_organisation(self) -> None:
        spec = ORGANISATION
        self.organisation = None
        self.organisation_row = {}
        self.result.counts[spec.name] = counts = FileCounts()
        rows: list[Row] = []
        with self.bundle.open(spec.name) as text:
            csvfile = CsvFile(spec.name, text)
            columns = self._columns(spec, csvfile)
            if columns is not None:
                rows = list(itertools.islice(csvfile.rows(), 2))
            self.result.problems.extend(csvfile.problems)
        one_row = _("organisation.csv telt precies één rij.")
        if columns is not None and not rows:
            self._problem(spec.name, 2, NO_COLUMN, one_row)
        for extra in rows[1:]:
            self._problem(spec.name, extra.line, NO_COLUMN, one_row)
        if columns is None or not rows:
            self._start_organisation(None)
            return
        row = rows[0]
        counts.rows = 1
        values = {column.name: row.cells[index] for index, column in columns}
        self.organisation_row = values
        self.result.organisation_code = values.get("code", "")
        existing = Organisation.objects.filter(code=values.get("code", "")).first()
        instance = existing or Organisation()
        before = {name: getattr(instance, name) for name in values}
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            for column, message in instances.messages(spec, instance, errors):
                self._problem(spec.name, row.line, column, message)
        if existing is None:
            counts.created = 1
        elif any(before[name] != getattr(instance, name) for name in values):
            counts.updated = 1
        else:
            counts.unchanged = 1
        self._start_organisation(existing)

    def _start_organisation(self, existing: Organisation | None) -> None:
        """The organisation of the bundle; a new one gets a placeholder id while validating."""
        self.organisation = existing
        self.organisation_id = existing.pk if existing else next(self._placeholder)
        self._load_refs()

    def _load_refs(self) -> None:
        """Stand-ins of the organisation's records that rows of other files may refer to."""
        targets = {c.ref for spec in FILES for c in spec.columns if c.kind == REF}
        for spec in FILES:
            if spec.name not in targets:
                continue
            index: dict[Any, models.Model | None] = {}
            if self.organisation is not None:
                key_field = spec.key_fields[0]
                stored = spec.model._default_manager.filter(organisation=self.organisation)
                for key, pk, *attrs in stored.values_list(
                    key_field, "pk", *spec.ref_attrs
                ).iterator(chunk_size=5000):
                    index[key] = self._stand_in(spec, pk, attrs)
            if spec.model is Programme:
                # The standard programmes exist in every organisation (the write makes sure).
                for code in Programme.DEFAULTS.keys() - index.keys():
                    self.default_programmes[code] = placeholder = next(self._placeholder)
                    index[code] = self._stand_in(spec, placeholder, [])
            self.refs[spec.name] = index

    def _stand_in(self, spec: FileSpec, pk: Any, attrs: Iterable[Any]) -> models.Model:
        values = dict(zip(spec.ref_attrs, attrs, strict=True))
        return stand_in(spec.model, id=pk, organisation_id=self.organisation_id, **values)

    def _remember(self, spec: FileSpec, key: Any, instance: models.Model) -> None:
        """A valid row's record, for the rows that refer to it: its id (a placeholder for
        a new record) and the attributes their validation reads."""
        attrs = [getattr(instance, attr) for attr in spec.ref_attrs]
        self.refs[spec.name][key] = self._stand_in(spec, instance.pk, attrs)

    # --- the other files -----------------------------------------------------------------

    def _columns(self, spec: FileSpec, csvfile: CsvFile) -> list[tuple[int, Column]] | None:
        """The known columns of the header with their position; None if the rows cannot be
        read (a required column is missing, a column appears twice)."""
        header = csvfile.header
        if not header:
            self.broken.add(spec.name)
            return None
        readable = True
        for position, name in enumerate(header):
            if name not in spec.column_by_name:
                known = ", ".join(c.name for c in spec.columns)
                self._problem(
                    spec.name,
                    1,
                    name or NO_COLUMN,
                    _("Onbekende kolom (kolom %(position)s); verwacht: %(known)s.")
                    % {"position": position + 1, "known": known},
                )
            elif header.index(name) != position:
                self._problem(spec.name, 1, name, _("Deze kolom staat twee keer in de kop."))
                readable = False
        for name in spec.required:
            if name not in header:
                self._problem(spec.name, 1, name, _("Verplichte kolom ontbreekt."))
                readable = False
        if not readable:
            self.broken.add(spec.name)
            return None
        return [
            (i, spec.column_by_name[n]) for i, n in enumerate(header) if n in spec.column_by_name
        ]

    def _read_file(self, spec: FileSpec) -> None:
        """Validate every row of a file (first pass)."""
        counts = self.result.counts.setdefault(spec.name, FileCounts())
        with self.bundle.open(spec.name) as text:
            csvfile = CsvFile(spec.name, text)
            columns = self._columns(spec, csvfile)
            if columns is not None:
                shape = Shape(spec, columns)
                self.progress.start(spec.name, writing=False)
                for rows in _batched(csvfile.rows(), BATCH_SIZE):
                    keyed = [(row, self._key(shape, row)) for row in rows]
                    existing = self._existing(shape, [key for _row, key in keyed])
                    for row, key in keyed:
                        self._read_row(shape, row, key, existing, counts)
                    self.progress.advance(len(rows))
            elif spec.name in self.refs and csvfile.header:
                self._read_keys(spec, csvfile)
            self.result.problems.extend(csvfile.problems)

    def _read_keys(self, spec: FileSpec, csvfile: CsvFile) -> None:
        """The rows of a file cannot be read (a required column is missing), but if its
        key column can, the keys are known: rows of other files are still checked for
        references that exist nowhere, and only those are reported."""
        header = csvfile.header
        if any(header.count(name) != 1 for name in spec.key):
            return
        position = header.index(spec.key[0])
        index = self.refs[spec.name]
        for row in csvfile.rows():
            if key := row.cells[position]:
                index.setdefault(key, None)  # known, but not valid: its values are not used
        self.broken.discard(spec.name)

    def _key(self, shape: Shape, row: Row) -> tuple | None:
        """The key of a row (a tuple of parsed cells), or None if a key cell is empty or bad."""
        if not shape.complete_key:
            return None
        key = []
        for index, column in shape.key_columns:
            text = row.cells[index]
            if not text:
                return None
            try:
                key.append(text if column.kind in (REF, TEXT) else parse_cell(column.kind, text))
            except CellError:
                return None
        return tuple(key)

    def _existing(self, shape: Shape, batch: list[tuple | None]) -> dict[tuple, models.Model]:
        """The organisation's records that rows of this batch (by key) update."""
        spec = shape.spec
        keys = {key for key in batch if key is not None}
        if spec.model is Programme and self.default_programmes:
            found = self._stored(shape, keys)
            for (code,) in keys - found.keys():
                if code in self.default_programmes:
                    found[(code,)] = self._default_programme(code)
            return found
        return self._stored(shape, keys)

    def _default_programme(self, code: str) -> Programme:
        """A standard programme that the write creates with the organisation; not stored
        yet (`_state.adding`), but a row with its code changes it instead of adding one."""
        return cast(
            Programme,
            bare(
                Programme,
                {
                    "id": self.default_programmes[code],
                    "organisation_id": self.organisation_id,
                    "code": code,
                    "name": Programme.DEFAULTS[code],
                },
            ),
        )

    def _stored(self, shape: Shape, keys: set[tuple]) -> dict[tuple, models.Model]:
        if self.organisation is None:
            return {}
        spec = shape.spec
        scope = spec.model._default_manager.filter(**{spec.scope_field: self.organisation})
        if spec.has_external_id:
            # Bookkeeping timestamps are not read (converting them is half the cost of
            # loading a record on SQLite); a changed record gets a new updated_at anyway.
            found = scope.filter(external_id__in=[k[0] for k in keys]).defer(
                "created_at", "updated_at"
            )
            return {(o.external_id,): o for o in found}  # type: ignore[attr-defined]
        if spec.name not in self._existing_keys:
            paths = [
                f"{c.field_name}__{FILES_BY_NAME[c.ref].key_fields[0]}"
                if c.kind == REF
                else c.field_name
                for c in spec.key_columns
            ]
            self._existing_keys[spec.name] = {
                tuple(key): pk for pk, *key in scope.values_list("pk", *paths)
            }
        by_key = self._existing_keys[spec.name]
        pks = {by_key[k]: k for k in keys if k in by_key}
        return {pks[o.pk]: o for o in scope.filter(pk__in=list(pks))}

    # --- one row ---------------------------------------------------------------------------

    def _read_row(
        self,
        shape: Shape,
        row: Row,
        key: tuple | None,
        existing: dict[tuple, models.Model],
        counts: FileCounts,
    ) -> None:
        spec = shape.spec
        problems: list[tuple[str, Any]] = []
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for index, column in shape.columns:
            text = row.cells[index]
            if column.kind == REF:
                values[column.field_name] = self._ref(column, text, problems)
            elif column.kind == TEAM:
                values[column.field_name] = self._team(text, problems) if text else None
            elif not text:
                values[column.field_name] = _EMPTY
            else:
                try:
                    values[column.field_name] = parse_cell(column.kind, text)
                except CellError as exc:
                    problems.append((column.name, exc))
                    failed.add(column.field_name)
        counts.rows += 1
        if key is not None:
            first = self.seen[spec.name].get(key)
            if first is not None:
                self._problem(
                    spec.name,
                    row.line,
                    spec.key[0],
                    _("%(key)s staat al op regel %(line)s van dit bestand.")
                    % {"key": ", ".join(map(str, key)), "line": first},
                )
                return
            self.seen[spec.name][key] = row.line

        instance = existing.get(key) if key is not None else None
        before = None if instance is None else shape.snapshot(instance)
        new = instance is None or instance._state.adding  # a standard programme: not yet
        if instance is None:
            instance = shape.new()
        self._fill(shape, instance, values, failed)
        self._validate(shape, instance, row.line, failed, problems, values)
        for column_name, message in problems:
            self._problem(spec.name, row.line, column_name, message)

        changed = [] if before is None else _changed(before, shape.snapshot(instance))
        if new:
            counts.created += 1
        elif changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
        if key is None:
            return
        if not problems:
            if before is None:
                instance.pk = next(self._placeholder)
                self._keep_create(spec, instance)
            elif changed:
                self._keep_update(spec, instance, {name: before[name] for name in changed})
        if spec.name in self.refs:
            # A row with a problem is known (no "does not exist" for rows referring
            # to it) but its values are not used to check those rows.
            if problems:
                self.refs[spec.name][key[0]] = None
            else:
                self._remember(spec, key[0], instance)
        if changed:
            self.setchecks.parent_changed(spec, instance, before or {}, row.line)

    def _keep_create(self, spec: FileSpec, instance: models.Model) -> None:
        """Keep a new record for the write: its placeholder id and its values."""
        if self.result.problems:
            return  # nothing will be written
        self.spool.add(spec.name, CREATE, (instance.pk, layout(spec.model).values(instance)))

    def _keep_update(self, spec: FileSpec, instance: models.Model, old: dict[str, Any]) -> None:
        """Keep a change for the write: id, version read, identity (for the observers)
        and the changed values (attname -> (old, new))."""
        if self.result.problems:
            return
        identity = {
            name: getattr(instance, name) for name in IDENTITY_ATTNAMES if name in vars(instance)
        }
        changes = {name: (value, getattr(instance, name)) for name, value in old.items()}
        version = getattr(instance, "version", None)
        self.spool.add(spec.name, UPDATE, (instance.pk, version, identity, changes))

    def _ref(self, column: Column, text: str, problems: list) -> models.Model | None:
        """The record a reference cell names (a stand-in); None if empty or unknown."""
        if not text:
            if column.required:
                problems.append((column.name, _("Dit veld is verplicht.")))
            return None
        index = self.refs[column.ref]
        found = index.get(text)
        if text not in index and column.ref not in self.broken:
            problems.append(
                (
                    column.name,
                    _("'%(key)s' bestaat niet in %(file)s en niet in de organisatie.")
                    % {"key": text, "file": column.ref},
                )
            )
        return found

    def _team(self, name: str, problems: list) -> Team | None:
        """A team by name; a new one has a placeholder id and is created by the write."""
        if name not in self.teams:
            if self._stored_teams is None:
                stored = Team.objects.filter(organisation=self.organisation)
                self._stored_teams = (
                    dict(stored.values_list("name", "pk")) if self.organisation else {}
                )
            pk = self._stored_teams.get(name)
            team = Team(pk=pk, organisation_id=self.organisation_id, name=name)
            try:
                team.clean_fields(exclude={"organisation"})
            except ValidationError as exc:
                self.teams[name] = None
                problems.extend(("team", m) for m in exc.messages)
            else:
                if pk is None:
                    team.pk = self.new_teams[name] = next(self._placeholder)
                self.teams[name] = team
        return self.teams[name]

    def _fill(
        self, shape: Shape, instance: models.Model, values: dict[str, Any], failed: set[str]
    ) -> None:
        if shape.spec.scope_field == "organisation":
            instance.organisation_id = self.organisation_id  # type: ignore[attr-defined]
        for name, value in values.items():
            if name in failed:
                continue
            model_field = shape.fields[name]
            if value is _EMPTY:
                value = empty_value(model_field)
            if isinstance(model_field, models.ForeignKey):
                setattr(instance, model_field.attname, None if value is None else value.pk)
                if value is not None:
                    model_field.set_cached_value(instance, value)  # for the model's clean()
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
        if hasattr(instance, "check_no_overlap"):
            instance.check_no_overlap = self.setchecks.overlap_recorder(spec, instance, line)  # type: ignore[attr-defined]
        if hasattr(instance, "check_session_capacity"):
            instance.check_session_capacity = self.setchecks.capacity_recorder(instance, line)  # type: ignore[attr-defined]
        errors = instances.clean(instance, shape.exclude, failed)
        problems.extend(instances.messages(spec, instance, errors))
        # A column the spec requires but the model would accept empty.
        for column in shape.required:
            if values.get(column.field_name) is _EMPTY and column.field_name not in errors:
                problems.append((column.name, _("Dit veld is verplicht.")))
        self.setchecks.row_checked(spec, instance, line, ok=not problems)

    def revalidate(
        self, spec: FileSpec, instance: models.Model, column: Column, parent: models.Model
    ) -> list[tuple[str, str]]:
        """A stored record checked again against the bundle's version of a record it
        refers to (e.g. an income right against its client's new birth date)."""
        link = cast(models.ForeignKey, instance._meta.get_field(column.field_name))
        link.set_cached_value(instance, parent)
        for name in ("check_no_overlap", "check_session_capacity"):
            if hasattr(instance, name):
                setattr(instance, name, _ignore)
        exclude = instances.relations(spec.model)
        return instances.messages(spec, instance, instances.clean(instance, exclude, set()))


def _ignore(*args: Any, **kwargs: Any) -> None:
    return None


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name, value in after.items() if before[name] != value]
