"""Fast bulk writes for the demo: one executemany per chunk of rows.

The demo's volume (about 100,000 records) through model instances and
bulk_create takes tens of seconds; plain parameter tuples take one or two. The
rows were made valid by the models' rules beforehand (records.py), which the
tests check with full_clean() on samples.
"""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import connections, models, router
from django.utils import timezone


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (attribute name -> Python value): one executemany per chunk, on
    PostgreSQL one COPY.

    The demo's volume (about 100,000 records) through model instances and
    bulk_create takes tens of seconds; plain parameter tuples take one or two.
    Values are adapted for the database the way Django's fields do it.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    fields = model._meta.concrete_fields
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column or f.attname) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of one INSERT per row (ten times faster there).
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in zip(*(_column(f, rows, ops, now) for f in fields), strict=True):
                    copy.write_row(row)
            return
        for first in range(0, len(rows), 5000):
            chunk = rows[first : first + 5000]
            values = [_column(field, chunk, ops, now) for field in fields]
            cursor.executemany(sql, list(zip(*values, strict=True)))


def _column(field: models.Field, rows: list[dict[str, Any]], ops: Any, now: Any) -> list[Any]:
    """The values of one column, adapted for the database."""
    if isinstance(field, models.DateTimeField):
        return [now] * len(rows)  # created_at, updated_at
    name = field.attname
    if field.has_default() and not callable(field.default):
        default = field.default
    elif field.empty_strings_allowed and not field.null:
        default = ""
    else:
        default = None
    values = [row.get(name, default) for row in rows]
    if isinstance(field, models.DateField):
        adapt = ops.adapt_datefield_value
        return [adapt(v) for v in values]
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return [ops.adapt_decimalfield_value(v, digits, places) for v in values]
    return values


def highest_id(model: type[models.Model]) -> int:
    """The highest primary key the table has or has handed out (its sequence on
    PostgreSQL): new rows get higher ones, so no id is ever used twice, not even
    one of a row deleted in the same transaction."""
    highest = model._default_manager.aggregate(highest=models.Max("pk"))["highest"] or 0
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return highest
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
        )
        sequence = cursor.fetchone()[0]
        if sequence:
            cursor.execute(f"SELECT last_value FROM {sequence}")  # a name from PostgreSQL
            highest = max(highest, cursor.fetchone()[0])
    return highest


def reset_sequences(model_list: tuple[type[models.Model], ...]) -> None:
    """After inserting explicit primary keys, the database must hand out higher ones."""
    connection = connections[router.db_for_write(model_list[0])]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
