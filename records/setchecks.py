"""The rules that compare a record with other records, checked set-based.

A model checks them one record at a time with a query each (an income right
against the client's other rights, a referral against its session's other
participants, a national number against the other clients). The importer
lets the model *ask* for them (it replaces `check_no_overlap` and
`check_session_capacity` on the instance by recorders) and answers all of
them at once, after every file is read, over the records as they will be
after the import: the bundle's rows plus the organisation's records that the
bundle does not mention.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from partners.models import ProgrammeSession, Referral
from records.checks import unique_condition_holds
from records.spec import FILES, FileSpec, referencing

if TYPE_CHECKING:
    from records.importer import Importer

_FOREVER = datetime.date.max


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
        # file -> [(client id, start, end, key, line)] and the model's message
        self.periods: dict[str, list[tuple]] = defaultdict(list)
        self.overlap_message: dict[str, Any] = {}
        # session id -> [(key, line)] in file order
        self.participants: dict[Any, list[tuple[str, int]]] = defaultdict(list)
        # (file, constraint name) -> [(values, key, line)]
        self.unique: dict[tuple[str, str], list[tuple]] = defaultdict(list)
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
            period = (scope, start, end, record.external_id, line)
            self._pending.append((self.periods[spec.name], period))

        return check_no_overlap

    def capacity_recorder(self, instance: models.Model, line: int) -> Callable[..., None]:
        def check_session_capacity(session: Any, taken: int | None = None) -> None:
            participant = (instance.external_id, line)  # type: ignore[attr-defined]
            self._pending.append((self.participants[session.pk], participant))

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
            self.unique[(spec.name, constraint.name)].append(
                (values, getattr(instance, "external_id", ""), line)
            )

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
        return (key,) not in self.importer.seen[file]

    def _overlaps(self) -> None:
        for file, periods in self.periods.items():
            by_scope: dict[Any, list[tuple]] = defaultdict(list)
            for scope, start, end, key, line in periods:
                by_scope[scope].append((start, end or _FOREVER, key, line))
            model: Any = _SPECS[file].model
            start_field, end_field = model.period_fields()
            stored = self._organisation_records(model)
            if model.overlap_filter is not None:
                stored = stored.filter(model.overlap_filter)
            scope_names = ("client_id", *model.overlap_scope_attnames())
            rows = stored.values_list(*scope_names, start_field, end_field, "external_id")
            width = len(scope_names)
            for values in rows.iterator(chunk_size=5000):
                scope, (start, end, key) = tuple(values[:width]), values[width:]
                if scope in by_scope and self._untouched(file, key):
                    by_scope[scope].append((start, end or _FOREVER, key, None))
            message = self.overlap_message[file]
            reported: set[int] = set()
            for items in by_scope.values():
                items.sort(key=lambda item: (item[0], item[1]))
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
        sessions = {
            session.pk: (key, session.capacity)  # type: ignore[attr-defined]
            for key, session in self.importer.refs[sessions_file].items()
            if session is not None
        }
        taken: dict[Any, int] = defaultdict(int)
        stored = self._organisation_records(Referral).filter(session__isnull=False)
        for session_id, key in stored.values_list("session_id", "external_id").iterator(
            chunk_size=5000
        ):
            if self._untouched("referrals.csv", key):
                taken[session_id] += 1
        for session_id, rows in self.participants.items():
            limit = sessions.get(session_id, ("", None))[1]
            if limit is None:
                continue
            stand_in = ProgrammeSession(pk=session_id, capacity=limit)
            for position, (_row_key, line) in enumerate(rows):
                try:
                    Referral().check_session_capacity(stand_in, taken=taken[session_id] + position)
                except ValidationError as exc:
                    for message in exc.messages:
                        self._problem("referrals.csv", line, "session", message)
        lines = self.importer.seen[sessions_file]
        for session_id, (key, capacity) in sessions.items():
            session_line = lines.get((key,))
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
        for (file, name), rows in self.unique.items():
            constraint = next(c for c in _UNIQUE[file] if c.name == name)
            fields = [f for f in constraint.fields if f != "organisation"]
            holders: dict[tuple, str] = {}
            stored = self._organisation_records(_SPECS[file].model)
            if constraint.condition is not None:
                stored = stored.filter(constraint.condition)
            for *values, key in stored.values_list(*fields, "external_id").iterator(
                chunk_size=5000
            ):
                if self._untouched(file, key):
                    holders[tuple(values)] = key
            lines: dict[tuple, int] = {}
            for values, key, line in rows:
                other = holders.get(values)
                if other is None:
                    holders[values] = key
                    lines[values] = line
                    continue
                if values in lines:
                    where = _("regel %(line)s") % {"line": lines[values]}
                elif file == "clients.csv":
                    # A national number taken by a stored client: not which client (the
                    # row does not hold it), but the client is in this import's audit trail.
                    where = _("een opgeslagen record van de organisatie")
                    self.importer.touch(self.importer.refs[file].get(other))
                else:
                    # A stored record of the row's own client: its own key (import-format.md,
                    # "Validation"; the row holds the client it belongs to).
                    where = _("%(key)s in de organisatie") % {"key": other}
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
                        parent = importer.refs[parent_file][parent_key]
                        if parent is None:  # the bundle's row has a problem of its own
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
