"""Importing a record bundle: validate everything, then write everything (or nothing).

The import runs in two passes over the files, in the order of the spec, so
that every file can refer to the ones before it:

1. *Validate.* Each row becomes the model instance it describes (the
   existing record with that key, or a new one) and goes through the model's
   own validation, `full_clean()`. The parts of that validation that would
   query the database once per row are done set-based instead, over the
   bundle and the organisation's records together: references are looked up
   in an index of keys, check constraints are evaluated in memory
   (records.checks), and the rules that compare a record with others
   (overlapping periods, session capacity, unique national numbers, records
   of a client whose birth date changes) are checked once all files are read
   (records.setchecks). Every problem is collected.
2. *Write.* Only when there is no problem at all, in one transaction. The
   first pass kept what each new or changed row writes, as the model's
   cleaning left it, in a temporary file (not in memory); records that rows
   refer to before they exist have placeholder ids (negative), replaced by
   the real ones as they are written. New records are written with
   casework.bulk (COPY on PostgreSQL, executemany on SQLite), changes with
   one UPDATE per record that checks its version, so that a record somebody
   edited since it was read is not overwritten. Observers of writes (the
   audit trail) are told per batch.

Rows are read lazily and handled in batches, so memory does not grow with
the number of rows beyond small indexes (key -> stand-in of the record, and
placeholder -> id while writing).
"""

from __future__ import annotations

import functools
import itertools
import operator
import pickle
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import bulk, services
from casework.models import Organisation, Team
from partners.models import Programme
from records import instances
from records.bundle import NO_COLUMN, Bundle, BundleError, CsvFile, Problem, Row
from records.instances import Shape, bare, stand_in
from records.progress import Progress
from records.setchecks import SetChecks
from records.spec import (
    FILE_ORDER,
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

BATCH_SIZE = 1000
WRITE_BATCH_SIZE = 5000
_CREATE, _UPDATE = "create", "update"
_NOTHING = (None, "")
_EMPTY = object()  # an empty cell, before it is known what that means for the field


@dataclass
class FileCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """What an import (or a dry run) found and did."""

    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, FileCounts] = field(default_factory=dict)
    organisation_code: str = ""
    written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.counts.values())

    def problems_by_file(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            grouped[problem.file].append(problem)
        return dict(grouped)


class _Refused(Exception):
    """Leaves the import's transaction (rolling it back) when a problem was found."""


class _Conflict(Exception):
    """A record changed (or disappeared) between its validation and its update."""


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


class _Spool:
    """What the first pass found to write, per file and kind of write, kept in a
    temporary file in chunks (pickled lists), so that memory stays bounded."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.file = tempfile.TemporaryFile() if keep else None  # noqa: SIM115 (closed by close())
        self.pending: dict[tuple[str, str], list[Any]] = defaultdict(list)
        self.chunks: dict[tuple[str, str], list[int]] = defaultdict(list)

    def add(self, file: str, phase: str, item: Any) -> None:
        if not self.keep:
            return
        items = self.pending[(file, phase)]
        items.append(item)
        if len(items) >= WRITE_BATCH_SIZE:
            self._dump((file, phase))

    def _dump(self, where: tuple[str, str]) -> None:
        items = self.pending.pop(where, None)
        if items and self.file is not None:
            self.file.seek(0, 2)
            self.chunks[where].append(self.file.tell())
            pickle.dump(items, self.file, pickle.HIGHEST_PROTOCOL)

    def has(self, file: str, phase: str) -> bool:
        return bool(self.pending.get((file, phase)) or self.chunks.get((file, phase)))

    def chunks_of(self, file: str, phase: str) -> Iterator[list[Any]]:
        self._dump((file, phase))
        assert self.file is not None
        for offset in self.chunks.pop((file, phase), []):
            self.file.seek(offset)
            yield pickle.load(self.file)  # noqa: S301 (our own file, written above)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


@dataclass(frozen=True)
class _Layout:
    """How a model's records are written: the values kept per new record (every
    concrete field but the primary key and the time stamps) and where the
    references among them are."""

    attnames: tuple[str, ...]
    references: tuple[int, ...]  # positions in attnames
    stamps: tuple[str, ...]  # set to the time of writing
    versioned: bool

    @property
    def insert_attnames(self) -> tuple[str, ...]:
        return ("id", *self.attnames, *self.stamps)

    @functools.cached_property
    def values(self) -> Callable[[models.Model], tuple[Any, ...]]:
        """The kept values of an instance, as a tuple."""
        getter = operator.attrgetter(*self.attnames)
        if len(self.attnames) == 1:
            return lambda instance: (getter(instance),)
        return getter


@functools.cache
def _layout(model: type[models.Model]) -> _Layout:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamps = tuple(
        f.attname
        for f in fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    )
    kept = [f for f in fields if f.attname not in stamps]
    return _Layout(
        attnames=tuple(f.attname for f in kept),
        references=tuple(i for i, f in enumerate(kept) if f.is_relation),
        stamps=stamps,
        versioned=any(f.attname == "version" for f in fields),
    )


# What observers of an update learn of the record besides its id: its key, and the
# attributes the audit trail reads to find the client the record belongs to.
_IDENTITY_ATTNAMES = ("external_id", "client_id", "trajectory_id")


class Importer:
    """One import of one bundle: `validate()` first, then `write()` if it found nothing."""

    def __init__(self, bundle: Bundle, progress: Progress, *, keep_writes: bool = True) -> None:
        self.bundle = bundle
        self.progress = progress
        self.result = ImportResult()
        self.setchecks = SetChecks(self)
        self.writing_file = ORGANISATION.name
        self.organisation: Organisation | None = None
        self.organisation_id: Any = None
        self.organisation_row: dict[str, str] = {}
        # From the first pass to the second: what to write (not kept in a dry run),
        # and the records that exist only as placeholders until then.
        self.spool = _Spool(keep_writes)
        self.new_teams: dict[str, int] = {}  # name -> placeholder
        self.default_programmes: dict[str, int] = {}  # code -> placeholder
        self.ids: dict[int, int] = {}  # placeholder -> id, while writing
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
                try:
                    self.write()
                except _Conflict:
                    self.changed_meanwhile()
                    raise _Refused from None
                except IntegrityError as exc:
                    # A rule only the database knows: still nothing written.
                    self.refused_by_database(exc)
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
        self._read_organisation()
        for spec in FILES[1:]:
            if spec.name in self.bundle.members:
                self._read_file(spec)
        self.setchecks.run()
        self.result.problems.sort(key=_problem_order)
        return self.result

    def write(self) -> None:
        """Write what the first pass kept: per file, changes first, then new records.

        Changes go first: a bundle that ends a stored period and adds the next one
        must not overlap them even for a moment (the database checks non-overlap
        and uniqueness row by row).
        """
        row = self.organisation_row
        stored = self.organisation
        # A column left out keeps the stored value, as in every other file.
        nis_code = row.get("nis_code", stored.nis_code if stored is not None else "")
        self.organisation = services.organisation_get_or_create(
            code=row["code"], name=row["name"], nis_code=nis_code
        )
        if stored is None:
            self.ids[self.organisation_id] = self.organisation.pk
        self.organisation_id = self.organisation.pk
        for name, placeholder in self.new_teams.items():
            team = services.team_get_or_create(organisation=self.organisation, name=name)
            self.ids[placeholder] = team.pk
        if self.default_programmes:
            programmes = Programme.objects.filter(organisation=self.organisation)
            pks = dict(programmes.values_list("code", "pk"))
            for code, placeholder in self.default_programmes.items():
                self.ids[placeholder] = pks[code]
        for spec in FILES[1:]:
            if not (self.spool.has(spec.name, _UPDATE) or self.spool.has(spec.name, _CREATE)):
                continue
            self.writing_file = spec.name
            self.progress.start(spec.name, writing=True)
            for items in self.spool.chunks_of(spec.name, _UPDATE):
                self._write_updates(spec, items)
                self.progress.advance(len(items))
            for items in self.spool.chunks_of(spec.name, _CREATE):
                self._write_creates(spec, items)
                self.progress.advance(len(items))

    def changed_meanwhile(self) -> None:
        self._problem(
            self.writing_file,
            0,
            NO_COLUMN,
            _(
                "Een record is gewijzigd of verwijderd sinds de bundel werd gecontroleerd; "
                "er is niets geschreven. Importeer de bundel opnieuw."
            ),
        )

    def refused_by_database(self, exc: IntegrityError) -> None:
        self._problem(
            self.writing_file,
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
        pk = instance.pk if instance.pk is not None else next(self._placeholder)
        attrs = [getattr(instance, attr) for attr in spec.ref_attrs]
        self.refs[spec.name][key] = self._stand_in(spec, pk, attrs)

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
            self.result.problems.extend(csvfile.problems)

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
        self.spool.add(spec.name, _CREATE, (instance.pk, _layout(spec.model).values(instance)))

    def _keep_update(self, spec: FileSpec, instance: models.Model, old: dict[str, Any]) -> None:
        """Keep a change for the write: id, version read, identity (for the observers)
        and the changed values (attname -> (old, new))."""
        if self.result.problems:
            return
        identity = {
            name: getattr(instance, name) for name in _IDENTITY_ATTNAMES if name in vars(instance)
        }
        changes = {name: (value, getattr(instance, name)) for name, value in old.items()}
        version = getattr(instance, "version", None)
        self.spool.add(spec.name, _UPDATE, (instance.pk, version, identity, changes))

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

    # --- writing ------------------------------------------------------------------------

    def _real(self, value: Any) -> Any:
        """The id of a record that was a placeholder (negative) while validating."""
        return self.ids[value] if value is not None and value < 0 else value

    def _write_creates(self, spec: FileSpec, items: list[tuple[int, tuple]]) -> None:
        model = spec.model
        layout = _layout(model)
        now = timezone.now()
        stamps = (now,) * len(layout.stamps)
        referenced = spec.name in self.refs
        rows = []
        for pk, (placeholder, kept) in zip(
            bulk.allocate_ids(model, len(items)), items, strict=True
        ):
            if referenced:
                self.ids[placeholder] = pk
            values = list(kept)
            for position in layout.references:
                values[position] = self._real(values[position])
            rows.append((pk, *values, *stamps))
        bulk.insert(model, layout.insert_attnames, rows)
        # The audit trail gets what each new record holds (empty fields say nothing).
        attnames = layout.insert_attnames
        audited = [(n, attnames.index(n)) for n in ("id", *instances.column_attnames(spec))]
        written = []
        for row in rows:
            changes = {n: (None, row[i]) for n, i in audited if row[i] not in _NOTHING}
            written.append(
                (bare(model, dict(zip(attnames, row, strict=True)), stored=True), changes)
            )
        services.notify_writes("create", written)

    def _write_updates(self, spec: FileSpec, items: list[tuple]) -> None:
        """One UPDATE per record, grouped by the fields that change; each only if the
        record still has the version that was validated."""
        model = spec.model
        layout = _layout(model)
        now = timezone.now()
        groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        written = []
        for pk, version, identity, changes in items:
            pk = self._real(pk)
            for name, (old, new) in changes.items():
                if _is_reference(model, name):
                    changes[name] = (old, self._real(new))
            names = tuple(sorted(changes))
            params = [changes[name][1] for name in names]
            params += [now] * len(layout.stamps)
            params.append(pk)
            if layout.versioned:
                params.append(version)
                changes["version"] = (version, version + 1)
            groups[names].append(params)
            written.append((bare(model, {"id": pk, **identity}, stored=True), changes))
        for names, rows in groups.items():
            attnames = (*names, *layout.stamps)
            if bulk.update(model, attnames, rows, versioned=layout.versioned) != len(rows):
                raise _Conflict
        services.notify_writes("update", written)


@functools.cache
def _is_reference(model: type[models.Model], attname: str) -> bool:
    return any(f.attname == attname and f.is_relation for f in model._meta.concrete_fields)


def _ignore(*args: Any, **kwargs: Any) -> None:
    return None


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name, value in after.items() if before[name] != value]


_COLUMN_ORDER = {
    (spec.name, column.name): position
    for spec in FILES
    for position, column in enumerate(spec.columns)
}


def _problem_order(problem: Problem) -> tuple:
    """Problems by file (in the order of the spec), line, and column (in the order of the spec)."""
    return (
        FILE_ORDER.get(problem.file, -1),
        problem.file,
        problem.line,
        _COLUMN_ORDER.get((problem.file, problem.column), -1),
    )
