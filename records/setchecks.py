"""The rules that compare a record with other records, checked set-based.

A model checks them one record at a time with a query each (an income right
against the client's other rights, a referral against its session's other
participants, a national number against the other clients). The importer
lets the model *ask* for them (it replaces `check_no_overlap` and
`check_session_capacity` on the instance by recorders) and answers all of
them at once, after every file is read, over the records as they will be
after the import: the bundle's rows plus the organisation's records that the
bundle does not mention. What the rows ask for is written to the import's
spill (records.spill) per batch and read back sorted, per client, session or
value, so that memory does not grow with the rows.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from partners.models import ProgrammeSession, Referral
from records.checks import unique_condition_holds
from records.spec import FILES, FileSpec, referencing
from records.spill import MISSING, value_text

if TYPE_CHECKING:
    from records.importer import Importer

_FOREVER = datetime.date.max
_CHUNK = 5000  # stored records read (and looked up in the spill) at a time


def values_text(values: tuple) -> str:
    """The values of a unique constraint's fields as one text (equal when they are)."""
    return repr(tuple(value_text(value) for value in values))


def _extra_unique_constraints(spec: FileSpec) -> list[models.UniqueConstraint]:
    """Unique constraints other than the file's key (which the importer guarantees)."""
    found = []
    for constraint in spec.model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            fields = set(constraint.fields) - {"organisation"}
            if fields != set(spec.key_fields):
                found.append(constraint)
    return found


_UNIQUE = {spec.name: _extra_unique_constraints(spec) for spec in FILES}


class SetChecks:
    def __init__(self, importer: Importer) -> None:
        self._reported_dependents: set[tuple[str, int, str, str]] = set()
        self.importer = importer
        self.spill = importer.spill
        # What the rows of the current batch ask for, written to the spill per batch:
        # (file, scope, start, end, key, line), (session id, key, line) and
        # (file, constraint name, values, key, line).
        self.periods: list[tuple] = []
        self.participants: list[tuple] = []
        self.unique: list[tuple] = []
        self.overlap_message: dict[str, Any] = {}  # file -> the model's message
        # file -> pk -> (line, column, key): updated records that others' rules depend on
        self.changed_parents: dict[str, dict[Any, tuple[int, str, str]]] = defaultdict(dict)
        self._pending: list[tuple[list, tuple]] = []  # asked for by the row being validated

    # --- what the rows ask for -----------------------------------------------------------

    def overlap_recorder(
        self, spec: FileSpec, instance: models.Model, line: int
    ) -> Callable[[Any], None]:
        record: Any = instance

        def check_no_overlap(message: Any) -> None:
            start_field, end_field = record.period_fields()
            start = getattr(record, start_field, None)
            if not (record.client_id and start):
                return
            self.overlap_message[spec.name] = message
            end = getattr(record, end_field, None)
            scope = (record.client_id,) + tuple(
                getattr(record, name) for name in record.overlap_scope_attnames()
            )
            period = (
                spec.name,
                repr(scope),
                value_text(start),
                value_text(end or _FOREVER),
                record.external_id,
                line,
            )
            self._pending.append((self.periods, period))

        return check_no_overlap

    def capacity_recorder(self, instance: models.Model, line: int) -> Callable[..., None]:
        def check_session_capacity(session: Any, taken: int | None = None) -> None:
            participant = (session.pk, instance.external_id, line)  # type: ignore[attr-defined]
            self._pending.append((self.participants, participant))

        return check_session_capacity

    def row_checked(self, spec: FileSpec, instance: models.Model, line: int, ok: bool) -> None:
        """A row went through the model's validation; what its rules asked for is checked
        with the other rows, unless the row itself already has a problem."""
        pending, self._pending = self._pending, []
        if not ok:
            return
        for target, item in pending:
            target.append(item)
        for constraint in _UNIQUE[spec.name]:
            fields = [f for f in constraint.fields if f != "organisation"]
            if not unique_condition_holds(constraint, instance):
                continue
            meta = instance._meta
            values = tuple(getattr(instance, meta.get_field(f).attname) for f in fields)  # type: ignore[union-attr]
            self.unique.append(
                (
                    spec.name,
                    constraint.name,
                    values_text(values),
                    getattr(instance, "external_id", ""),
                    line,
                )
            )

    def flush(self) -> None:
        """Write what a batch of rows asked for to the spill."""
        if self.periods:
            self.spill.add_periods(self.periods)
            self.periods.clear()
        if self.participants:
            self.spill.add_participants(self.participants)
            self.participants.clear()
        if self.unique:
            self.spill.add_unique(self.unique)
            self.unique.clear()

    def parent_changed(
        self, spec: FileSpec, instance: models.Model, before: dict[str, Any], line: int
    ) -> None:
        """An existing record changed; if other records' rules read what changed
        (a client's birth date, a trajectory's start), they are checked again."""
        for attr in spec.ref_attrs:
            if before.get(attr) != getattr(instance, attr):
                column = spec.column_for_field(attr.removesuffix("_id"))
                name = column.name if column else spec.key[0]
                key = getattr(instance, spec.key_fields[0])
                self.changed_parents[spec.name][instance.pk] = (line, name, key)
                return

    # --- answering them -----------------------------------------------------------------

    def run(self) -> None:
        self.flush()
        self.spill.flush()
        self._overlaps()
        self._capacity()
        self._unique()
        self._dependents()

    def _problem(self, file: str, line: int, column: str, message: Any) -> None:
        self.importer._problem(file, line, column, message)

    def _organisation_records(self, model: type[models.Model]) -> models.QuerySet:
        organisation = self.importer.organisation
        if organisation is None:
            return model._default_manager.none()
        return model._default_manager.filter(organisation=organisation)

    def _untouched(self, file: str, key: str) -> bool:
        """Whether an organisation's record is left as it is by the bundle."""
        return not self.spill.has_seen(file, key)

    def _untouched_keys(self, file: str, rows: Iterator[tuple]) -> Iterator[tuple]:
        """The rows (ending in a record's key) of the organisation's records that the
        bundle leaves as they are, looked up per chunk."""
        while chunk := list(itertools.islice(rows, _CHUNK)):
            touched = self.spill.seen_keys(file, [row[-1] for row in chunk])
            yield from (row for row in chunk if row[-1] not in touched)

    def _overlaps(self) -> None:
        for file in self.spill.period_files():
            model: Any = _SPECS[file].model
            start_field, end_field = model.period_fields()
            stored = self._organisation_records(model)
            if model.overlap_filter is not None:
                stored = stored.filter(model.overlap_filter)
            scope_names = ("client_id", *model.overlap_scope_attnames())
            rows = stored.values_list(*scope_names, start_field, end_field, "external_id")
            width = len(scope_names)
            # Only those of a scope the rows have, and not changed by the bundle: the query
            # of the spill picks them.
            values = rows.iterator(chunk_size=_CHUNK)
            while chunk := list(itertools.islice(values, _CHUNK)):
                self.spill.add_stored_periods(
                    (
                        file,
                        repr(tuple(row[:width])),
                        value_text(row[width]),
                        value_text(row[width + 1] or _FOREVER),
                        row[width + 2],
                    )
                    for row in chunk
                    if row[width]
                )
            message = self.overlap_message[file]
            reported: set[int] = set()
            # Per scope, sorted by start and end: (start, end, key, line or None if stored).
            for _scope, items in self.spill.periods(file):
                reach = items[0]
                for item in items[1:]:
                    if item[0] <= reach[1]:
                        row, other = (item, reach) if item[3] is not None else (reach, item)
                        if row[3] not in reported:
                            reported.add(row[3])
                            # The clashing row's or stored record's own key (import-format.md):
                            # a record of the row's own client, which the row names.
                            where = other[2]
                            self._problem(
                                file,
                                row[3],
                                start_field,
                                _("%(message)s (overlapt met %(other)s)")
                                % {"message": message, "other": where},
                            )
                    if item[1] > reach[1]:
                        reach = item

    def _capacity(self) -> None:
        sessions_file = "programme_sessions.csv"
        references = self.importer.references
        sessions = {
            session.pk: (key, session.capacity)  # type: ignore[attr-defined]
            for key, session in references.stand_ins(sessions_file)
            if session is not None
        }
        taken: dict[Any, int] = defaultdict(int)
        stored = self._organisation_records(Referral).filter(session__isnull=False)
        rows = stored.values_list("session_id", "external_id").iterator(chunk_size=_CHUNK)
        for session_id, _key in self._untouched_keys("referrals.csv", rows):
            taken[session_id] += 1
        for session_id, rows_of_session in self.spill.participants():
            limit = sessions.get(session_id, ("", None))[1]
            if limit is None:
                continue
            stand_in = ProgrammeSession(pk=session_id, capacity=limit)
            for position, (_row_key, line) in enumerate(rows_of_session):
                try:
                    Referral().check_session_capacity(stand_in, taken=taken[session_id] + position)
                except ValidationError as exc:
                    for message in exc.messages:
                        self._problem("referrals.csv", line, "session", message)
        for session_id, (key, capacity) in sessions.items():
            session_line = self.spill.first_line(sessions_file, key)
            if session_line is not None and capacity is not None and taken[session_id] > capacity:
                self._problem(
                    sessions_file,
                    session_line,
                    "capacity",
                    _(
                        "Deze capaciteit is kleiner dan het aantal opgeslagen deelnemers die de "
                        "bundel niet wijzigt."
                    ),
                )

    def _unique(self) -> None:
        references = self.importer.references
        for file, name in self.spill.unique_constraints():
            constraint = next(c for c in _UNIQUE[file] if c.name == name)
            fields = [f for f in constraint.fields if f != "organisation"]
            stored = self._organisation_records(_SPECS[file].model)
            if constraint.condition is not None:
                stored = stored.filter(constraint.condition)
            # Only those holding a value the rows have, and not changed by the bundle: the
            # query of the spill picks them.
            rows = stored.values_list(*fields, "external_id").iterator(chunk_size=_CHUNK)
            while chunk := list(itertools.islice(rows, _CHUNK)):
                self.spill.add_stored_unique(
                    (file, name, values_text(tuple(values)), key) for *values, key in chunk
                )
            # Per value: the stored record holding it (line None), then the rows in file order.
            for _values, holders in self.spill.unique(file, name):
                holder: str | None = None
                first_line: int | None = None
                for key, line in holders:
                    if line is None:
                        holder = key
                        continue
                    if holder is None:
                        holder, first_line = key, line
                        continue
                    if first_line is not None:
                        where = _("regel %(line)s") % {"line": first_line}
                    elif file == "clients.csv":
                        # A national number taken by a stored client: not which client (the
                        # row does not hold it), but the client is in this import's audit
                        # trail.
                        where = _("een opgeslagen record van de organisatie")
                        stored_client = references.get(file, holder)
                        self.importer.touch(stored_client if stored_client is not MISSING else None)
                    else:
                        # A stored record of the row's own client: its own key
                        # (import-format.md, "Validation"; the row holds the client it
                        # belongs to).
                        where = _("%(key)s in de organisatie") % {"key": holder}
                    # The column of the last field: the day or the session, not the client.
                    self._problem(
                        file,
                        line,
                        fields[-1],
                        f"{constraint.get_violation_error_message()} ({where})",
                    )

    def _dependents(self) -> None:
        importer = self.importer
        for parent_file, changed in self.changed_parents.items():
            for spec, column in referencing(parent_file):
                link = f"{column.field_name}_id__in"
                pks = list(changed)
                for start in range(0, len(pks), 500):
                    children = self._organisation_records(spec.model).filter(
                        **{link: pks[start : start + 500]}
                    )
                    for child in children.iterator(chunk_size=500):
                        if not self._untouched(spec.name, child.external_id):
                            continue
                        parent_id = getattr(child, f"{column.field_name}_id")
                        line, parent_column, parent_key = changed[parent_id]
                        parent = importer.references.get(parent_file, parent_key)
                        if parent is None or parent is MISSING:  # a problem of its own
                            continue
                        for _column, message in importer.revalidate(spec, child, column, parent):
                            # Not the stored record's key or values: the row holds neither.
                            reported = (parent_file, line, spec.name, str(message))
                            if reported in self._reported_dependents:
                                continue
                            self._reported_dependents.add(reported)
                            self._problem(
                                parent_file,
                                line,
                                parent_column,
                                _("%(file)s: een opgeslagen record: %(message)s")
                                % {"file": spec.name, "message": message},
                            )


_SPECS = {spec.name: spec for spec in FILES}
