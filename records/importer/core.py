"""The import of one bundle: its two passes, and the validation pass's reading of the
files (see the package's docstring).

The rows themselves are validated by .rows, against what .references knows of
the records they name; .writer writes what they kept.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from access.rules import acts_in, is_health_data
from audit.services import audit_import
from casework.models import Client, Organisation
from core import writes
from core.periods import same_day
from records import instances
from records.bundle import NO_COLUMN, Bundle, BundleError, CsvFile, Problem, Problems, Row
from records.instances import Shape
from records.progress import Progress
from records.setchecks import SetChecks
from records.spec import FILES, ORGANISATION, Column, FileSpec
from records.spill import Spill, key_text

from .references import References, row_key
from .regions import RegionReader
from .result import FileCounts, ImportResult, problem_order
from .rows import RowReader, revalidate
from .spool import Spool
from .writer import Conflict, Writer

BATCH_SIZE = 1000  # rows validated together: one query for the stored records they update


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
    Writes are attributed (audit trail) to `user` and `source`. With a `user`, the
    bundle must be of the organisation they act in (`access.rules.acts_in`; a new
    organisation only for a superuser). The dry run and the import are both in the
    audit trail, with every stored client the bundle touched.
    """
    started = time.monotonic()
    progress = progress or Progress()
    try:
        with (
            Bundle(path) as bundle,
            writes.writes_by(user=user, source=source, address=address),
            same_day(),  # every row is checked against the same "today"
        ):
            importer = Importer(bundle, progress, keep_writes=not dry_run, user=user)
            try:
                result = importer.run(dry_run)
            finally:
                importer.close()
            audit_import(
                client_ids=importer.touched_clients,
                dry_run=dry_run,
                written=result.written,
                organisation_id=importer.organisation.pk if importer.organisation else None,
                problems=len(result.problems),
            )
    except BundleError as exc:
        file = exc.file or Path(path).name
        result = ImportResult(problems=Problems([Problem(file, 0, NO_COLUMN, str(exc))]))
    result.seconds = time.monotonic() - started
    progress.done(result)
    return result


def _batched(iterable: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class Importer:
    """One import of one bundle: `validate()`, then, if it found nothing, the Writer."""

    def __init__(
        self, bundle: Bundle, progress: Progress, *, keep_writes: bool = True, user: Any = None
    ) -> None:
        self.bundle = bundle
        self.user = user  # None: a command without --user (the operator of the server)
        self.touched_clients: set[int] = set()  # stored clients the bundle names
        self.progress = progress
        self.result = ImportResult()
        self.organisation_row: dict[str, str] = {}
        # From the first pass to the second: what to write (not kept in a dry run),
        # and the records that exist only as placeholders until then.
        self.spool = Spool(keep_writes)
        # What must be remembered of every row (keys, the index of what rows refer to,
        # what the set-based checks compare): on disk, not in memory.
        self.spill = Spill()
        self.references = References(self.spill)
        self.setchecks = SetChecks(self)
        self.row_reader = RowReader(self)
        self.refused = False  # the organisation is not the user's: nothing else is read
        self.regions = RegionReader(self)

    # What the set-based checks (and the writer) read of the records the bundle names.

    @property
    def organisation(self) -> Organisation | None:
        return self.references.organisation

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
        self.spill.close()

    def touch(self, stored: models.Model | None, client: models.Model | None = None) -> None:
        """Remember the stored clients a row names (its record's, the one it refers to)."""
        if stored is not None:
            owner = stored.pk if isinstance(stored, Client) else stored.__dict__.get("client_id")
            if owner is not None and owner > 0:
                self.touched_clients.add(owner)
        if client is not None and client.pk is not None and client.pk > 0:
            self.touched_clients.add(client.pk)

    def validate(self) -> ImportResult:
        try:
            return self._validate()
        finally:
            # Not needed to write: deleted before the write's commit, whose fsync could
            # otherwise also push the spill's pages to disk (ext4's ordered mode).
            self.spill.close()

    def _validate(self) -> ImportResult:
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
        if self.refused:
            return self.result
        self.regions.read()
        if self.organisation_row.get("region"):
            self.regions.check_organisation_region(self.organisation_row["region"], 2)
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

    def revalidate(
        self, spec: FileSpec, instance: models.Model, column: Column, parent: models.Model
    ) -> list[tuple[str, str]]:
        """For the set-based checks: see .rows.revalidate."""
        return revalidate(spec, instance, column, parent)

    # --- organisation.csv ---------------------------------------------------------------

    def _read_organisation(self) -> None:
        spec = ORGANISATION
        self.organisation_row = {}
        self.result.counts[spec.name] = counts = FileCounts()
        found: list[Row] = []
        with self.bundle.open(spec.name) as text:
            csvfile = CsvFile(spec.name, text)
            columns = self._columns(spec, csvfile)
            if columns is not None:
                found = list(itertools.islice(csvfile.rows(), 2))
            self.result.problems.extend(csvfile.problems)
        one_row = _("organisation.csv telt precies één rij.")
        if columns is not None and not found:
            self._problem(spec.name, 2, NO_COLUMN, one_row)
        for extra in found[1:]:
            self._problem(spec.name, extra.line, NO_COLUMN, one_row)
        if columns is None or not found:
            self.references.start(None)
            return
        row = found[0]
        counts.rows = 1
        values = {column.name: row.cells[index] for index, column in columns}
        self.organisation_row = values
        self.result.organisation_code = values.get("code", "")
        existing = Organisation.objects.filter(code=values.get("code", "")).first()
        refusal = self._refusal(existing)
        if refusal:
            # Nothing of another organisation is read, let alone compared or shown.
            self._problem(spec.name, row.line, "code", refusal)
            self.references.start(None)
            self.refused = True
            return
        instance = existing or Organisation()
        # The region is named by its code (checked by .regions).
        fields = {name: value for name, value in values.items() if name != "region"}
        before = {name: getattr(instance, name) for name in fields}
        for name, value in fields.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            for column, message in instances.messages(spec, instance, errors):
                self._problem(spec.name, row.line, column, message)
        stored_region = existing.region.code if existing and existing.region else ""
        if existing is None:
            counts.created = 1
        elif any(before[name] != getattr(instance, name) for name in fields) or (
            values.get("region", stored_region) != stored_region
        ):
            counts.updated = 1
        else:
            counts.unchanged = 1
        self.references.start(existing)

    def _refusal(self, existing: Organisation | None) -> str:
        """Why the user may not import this organisation's bundle ("" if they may)."""
        if self.user is None or getattr(self.user, "is_superuser", False):
            return ""
        if existing is None:
            return _("Enkel een superuser maakt een nieuwe organisatie aan.")
        if not acts_in(self.user, existing.pk):
            return _("Je mag enkel bundels van je eigen organisatie importeren.")
        return ""

    # --- the files ------------------------------------------------------------------------

    def _columns(self, spec: FileSpec, csvfile: CsvFile) -> list[tuple[int, Column]] | None:
        """The known columns of the header with their position; None if the rows cannot be
        read (a required column is missing, a column appears twice)."""
        header = csvfile.header
        if not header:
            self.references.broken.add(spec.name)
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
            self.references.broken.add(spec.name)
            return None
        return [
            (i, spec.column_by_name[n]) for i, n in enumerate(header) if n in spec.column_by_name
        ]

    def _read_file(self, spec: FileSpec) -> None:
        """Validate every row of a file (first pass)."""
        counts = self.result.counts.setdefault(
            spec.name, FileCounts(health_data=is_health_data(spec.model))
        )
        with self.bundle.open(spec.name) as text:
            csvfile = CsvFile(spec.name, text)
            columns = self._columns(spec, csvfile)
            if columns is not None:
                shape = Shape(spec, columns)
                self.progress.start(spec.name, writing=False)
                for batch in _batched(csvfile.rows(), BATCH_SIZE):
                    keyed = [(row, row_key(shape, row)) for row in batch]
                    existing = self.references.existing(shape, [key for _row, key in keyed])
                    self.spill.prefetch_seen(
                        spec.name, [key_text(key) for _row, key in keyed if key is not None]
                    )
                    self.references.prefetch(shape, batch)
                    for row, key in keyed:
                        self.row_reader.read(shape, row, key, existing, counts)
                    self.setchecks.flush()
                    self.progress.advance(len(batch))
                self.spill.flush()
                self.references.flush()
            elif spec.name in self.references.referenced and csvfile.header:
                self.references.read_keys(spec, csvfile)
            self.result.problems.extend(csvfile.problems)
