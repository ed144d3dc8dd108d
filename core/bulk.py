"""Bulk writes without a model instance per row: the demo, the importer and the audit trail.

Writing 100,000 records through model instances and `bulk_create` spends
most of its time in Django compiling the INSERT (one placeholder and one
value preparation per field per row); plain parameter tuples written with one
executemany (SQLite) or one COPY stream (PostgreSQL) take a fraction of it.
The rows must have been validated by the models' own rules beforehand: these
functions only write.

Values are adapted for the database the way Django's fields do it (dates,
decimals, time stamps, JSON); everything else is passed as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

Adapter = Callable[[Any], Any] | None


class JsonText(str):
    """A JSON field's value already encoded as JSON text: written as it is (COPY and
    SQLite take the text; PostgreSQL parses it into jsonb)."""


def _adapter(field: models.Field, connection: BaseDatabaseWrapper) -> Adapter:
    """How a Python value of this field becomes a database parameter (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        # Bulk rows share their time stamp: adapted once.
        return _same_value_once(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if isinstance(field, models.GenericIPAddressField):
        return _same_value_once(ops.adapt_ipaddressfield_value)
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: (
            value if isinstance(value, JsonText) else ops.adapt_json_value(value, encoder)
        )
    return None


def _same_value_once(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`adapt`, remembering its last answer: a column that holds one value in every
    row (a time stamp, the writer's address) is adapted once."""
    last: list[Any] = [object(), None]

    def adapted(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return adapted


def _adapted_rows(
    rows: Iterable[Sequence[Any]], adapters: Sequence[Adapter]
) -> Iterator[Sequence[Any]]:
    """The rows with each value adapted by its column's adapter (None stays None)."""
    positions = [(i, adapt) for i, adapt in enumerate(adapters) if adapt is not None]
    if not positions:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for i, adapt in positions:
            value = values[i]
            if value is not None:
                values[i] = adapt(value)
        yield values


def insert(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT rows of values (one per attname, Python values) into the model's table:
    one COPY on PostgreSQL, executemany in chunks elsewhere. Returns the number of rows.

    A row the database refuses (a unique or exclusion constraint) raises Django's
    IntegrityError, as an ORM write would.
    """
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    adapters = [_adapter(f, connection) for f in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)

    count = 0
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of one INSERT per row (ten times faster there).
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in _adapted_rows(rows, adapters):
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        chunk: list[Sequence[Any]] = []
        for row in _adapted_rows(rows, adapters):
            chunk.append(row)
            if len(chunk) == 5000:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def update(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    versioned: bool = False,
) -> int:
    """UPDATE records by primary key: each row holds the values of `attnames`, then the
    primary key. With `versioned`, each row ends with the version read: the record is
    only changed if it still has that version (and gets the next one).

    Returns how many records were changed; fewer than rows means some were changed
    or deleted by somebody else in the meantime.
    """
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    adapters = [*(_adapter(f, connection) for f in fields), None, None]
    quote = connection.ops.quote_name
    assignments = [f"{quote(str(f.column))} = %s" for f in fields]
    where = f"{quote(str(meta.pk.column))} = %s"
    if versioned:
        assignments.append(f"{quote('version')} = {quote('version')} + 1")
        where += f" AND {quote('version')} = %s"
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {where}"
    params = list(_adapted_rows(rows, adapters))
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.executemany(sql, params)
        return cursor.rowcount


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for rows inserted with explicit ids.

    PostgreSQL hands them out from the table's sequence (safe with concurrent
    writers). SQLite has one writer at a time: inside the writing transaction the
    next ids are above the highest the table has or ever handed out.
    """
    if count <= 0:
        return []
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    first = highest_id(model) + 1
    return list(range(first, first + count))


def highest_id(model: type[models.Model]) -> int:
    """The highest primary key the table has or has handed out (its sequence on
    PostgreSQL, sqlite_sequence on SQLite): new rows get higher ones, so no id is
    ever used twice, not even one of a row deleted in the same transaction."""
    highest = model._default_manager.aggregate(highest=models.Max("pk"))["highest"] or 0
    connection = connections[router.db_for_write(model)]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(f"SELECT last_value FROM {sequence}")  # a name from PostgreSQL
                highest = max(highest, cursor.fetchone()[0])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            if found and found[0]:
                highest = max(highest, found[0])
    return highest


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After inserting explicit primary keys, the database must hand out higher ones."""
    connection = connections[router.db_for_write(model_list[0])]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
