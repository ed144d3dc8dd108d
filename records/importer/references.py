"""What the rows of a bundle can refer to, and which stored records they update.

Validation never queries the database per row: the keys of the organisation's
records are read once per file into an index of what rows referring to them
need (kept on disk, .spill: a key's id and the attributes their validation
reads), looked up per batch of rows and handed out as *stand-ins*
(records.instances); the records a batch of rows updates are read once per batch. Records that
do not exist yet (a new organisation, team or standard programme, a new row's
record) get placeholder ids (negative) here; the write pass replaces them with
real ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from casework.models import Organisation, Team
from partners.models import Programme
from records.bundle import CsvFile, Row
from records.instances import Shape, bare, stand_in
from records.spec import FILES, FILES_BY_NAME, REF, TEXT, Column, FileSpec
from records.spill import MISSING, Spill
from records.values import CellError, parse_cell

_LOAD_CHUNK = 5000
# Stand-ins kept between batches (some 300 bytes each): enough for the clients a bundle
# of 100,000 rows names in several files, bounded for any bigger one.
CACHE_SIZE = 30_000


def row_key(shape: Shape, row: Row) -> tuple | None:
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


class References:
    """The organisation of a bundle and the records its rows name, for one import.

    Read by the write pass too: it creates the teams and standard programmes
    that only have a placeholder here, and needs to know which files are
    referred to (their placeholders must be mapped to real ids).
    """

    def __init__(self, spill: Spill) -> None:
        self.organisation: Organisation | None = None
        self.organisation_id: Any = None
        self.spill = spill
        # Files that rows of other files refer to; their index: key -> (id, attributes),
        # None for a key whose row has a problem (known, but its values are not used).
        self.referenced: set[str] = set()
        self._pending: dict[str, dict[str, tuple | None]] = {}  # this batch's, not yet written
        # Stand-ins looked up lately (a client named by the rows of several files), at most
        # CACHE_SIZE: then forgotten all at once.
        self._cache: dict[str, dict[str, models.Model | None]] = {}
        self._cached = 0
        self.broken: set[str] = set()  # files whose rows could not be read
        self.new_teams: dict[str, int] = {}  # name -> placeholder
        self.default_programmes: dict[str, int] = {}  # code -> placeholder
        self.teams: dict[str, Team | None] = {}
        self._stored_teams: dict[str, int] | None = None
        self._existing_keys: dict[str, dict[tuple, int]] = {}
        self._placeholder = itertools.count(-1, -1)  # ids of records not written yet

    def new_id(self) -> int:
        """A placeholder id for a record that the write pass creates."""
        return next(self._placeholder)

    # --- the organisation's records ---------------------------------------------------------

    def start(self, existing: Organisation | None) -> None:
        """The organisation of the bundle; a new one gets a placeholder id while validating."""
        self.organisation = existing
        self.organisation_id = existing.pk if existing else self.new_id()
        self._load()

    def _load(self) -> None:
        """The index of the organisation's records that rows of other files may refer to."""
        targets = {c.ref for spec in FILES for c in spec.columns if c.kind == REF}
        for spec in FILES:
            if spec.name not in targets:
                continue
            self.referenced.add(spec.name)
            known: set[str] = set()
            if self.organisation is not None:
                key_field = spec.key_fields[0]
                stored = spec.model._default_manager.filter(organisation=self.organisation)
                rows = stored.values_list(key_field, "pk", *spec.ref_attrs).iterator(
                    chunk_size=_LOAD_CHUNK
                )
                while chunk := list(itertools.islice(rows, _LOAD_CHUNK)):
                    self.spill.put_refs(
                        spec.name, ((key, (pk, tuple(attrs))) for key, pk, *attrs in chunk)
                    )
                    if spec.model is Programme:
                        known.update(key for key, *_rest in chunk)
            if spec.model is Programme:
                # The standard programmes exist in every organisation (the write makes sure).
                for code in Programme.DEFAULTS.keys() - known:
                    self.default_programmes[code] = placeholder = self.new_id()
                    self.spill.put_refs(spec.name, [(code, (placeholder, ()))])

    def _stand_in(self, spec: FileSpec, pk: Any, attrs: Iterable[Any]) -> models.Model:
        values = dict(zip(spec.ref_attrs, attrs, strict=True))
        return stand_in(spec.model, id=pk, organisation_id=self.organisation_id, **values)

    # --- what the bundle adds ---------------------------------------------------------------

    def remember(self, spec: FileSpec, key: Any, instance: models.Model) -> None:
        """A valid row's record, for the rows that refer to it: its id (a placeholder for
        a new record) and the attributes their validation reads."""
        attrs = tuple(getattr(instance, attr) for attr in spec.ref_attrs)
        self._pending.setdefault(spec.name, {})[key] = (instance.pk, attrs)
        self._cache.get(spec.name, {}).pop(key, None)

    def invalid(self, spec: FileSpec, key: Any) -> None:
        """A row with a problem: its key is known (no "does not exist" for rows referring
        to it), but its values are not used to check those rows."""
        self._pending.setdefault(spec.name, {})[key] = None
        self._cache.get(spec.name, {}).pop(key, None)

    def flush(self) -> None:
        """Write what this batch's rows added to the index."""
        for file, items in self._pending.items():
            self.spill.put_refs(file, items.items())
        self._pending = {}

    def prefetch(self, shape: Shape, rows: list[Row]) -> None:
        """Look up, per file referred to, every record a batch of rows names (one query
        per file and batch instead of one per row)."""
        self.flush()
        if self._cached > CACHE_SIZE:
            self._cache, self._cached = {}, 0
        for index, column in shape.columns:
            if column.kind != REF or column.ref not in self.referenced:
                continue
            keys = {row.cells[index] for row in rows}
            keys.discard("")
            found = self._cache.setdefault(column.ref, {})
            spec = FILES_BY_NAME[column.ref]
            for key, value in self.spill.get_refs(column.ref, keys - found.keys()).items():
                found[key] = None if value is None else self._stand_in(spec, *value)
                self._cached += 1

    def get(self, file: str, key: str) -> Any:
        """The stand-in of a key of the index; None if its row has a problem, MISSING if
        neither the bundle nor the organisation has it."""
        pending = self._pending.get(file, {})
        if key in pending:
            value = pending[key]
            return value if value is None else self._stand_in(FILES_BY_NAME[file], *value)
        cache = self._cache.setdefault(file, {})
        if key in cache:
            return cache[key]
        value = self.spill.get_refs(file, [key]).get(key, MISSING)
        if value is MISSING:
            return value
        found = cache[key] = None if value is None else self._stand_in(FILES_BY_NAME[file], *value)
        self._cached += 1
        return found

    def stand_ins(self, file: str) -> Iterator[tuple[str, models.Model | None]]:
        """Every key of a file's index with its stand-in (None: its row has a problem)."""
        self.flush()
        spec = FILES_BY_NAME[file]
        for key, value in self.spill.all_refs(file):
            yield key, None if value is None else self._stand_in(spec, *value)

    def read_keys(self, spec: FileSpec, csvfile: CsvFile) -> None:
        """The rows of a file cannot be read (a required column is missing), but if its
        key column can, the keys are known: rows of other files are still checked for
        references that exist nowhere, and only those are reported."""
        header = csvfile.header
        if any(header.count(name) != 1 for name in spec.key):
            return
        position = header.index(spec.key[0])
        rows = (row.cells[position] for row in csvfile.rows())
        while chunk := list(itertools.islice(rows, _LOAD_CHUNK)):
            # Known, but not valid: their values are not used.
            self.spill.know_refs(spec.name, [key for key in chunk if key])
        self.broken.discard(spec.name)

    # --- what a row names -------------------------------------------------------------------

    def ref(self, column: Column, text: str, problems: list) -> models.Model | None:
        """The record a reference cell names (a stand-in); None if empty or unknown."""
        if not text:
            if column.required:
                problems.append((column.name, _("Dit veld is verplicht.")))
            return None
        found = self.get(column.ref, text)
        if found is MISSING:
            if column.ref not in self.broken:
                problems.append(
                    (
                        column.name,
                        _("'%(key)s' bestaat niet in %(file)s en niet in de organisatie.")
                        % {"key": text, "file": column.ref},
                    )
                )
            return None
        return found

    def team(self, name: str, problems: list) -> Team | None:
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
                    team.pk = self.new_teams[name] = self.new_id()
                self.teams[name] = team
        return self.teams[name]

    # --- the records rows update ------------------------------------------------------------

    def existing(self, shape: Shape, batch: list[tuple | None]) -> dict[tuple, models.Model]:
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
            # Files keyed otherwise (a code, a year, a programme and a year): every stored
            # key of the file is read once, then a batch loads only the records it names.
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
