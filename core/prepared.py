"""Queries whose SQL is built once and run many times with another set of ids.

Building a large query with the ORM (a work queue's seven rules in one UNION ALL) costs
more CPU than the database takes to run it. When only a set of ids changes between two
runs, the SQL can be kept: `IdIn` puts the ids in one parameter (a PostgreSQL array, a
JSON array on SQLite) instead of one parameter per id, so the SQL text is the same
whatever the ids, and `prepared_rows` compiles a query once per key and runs the kept
SQL with the ids of the moment. On PostgreSQL it also runs as a prepared statement of the
connection (persistent connections keep it): parsed and planned by the database once per
connection instead of once per request. Other values that change between runs (a report's
dates) go in as `Parameter`s, computed from the run's `context` when the kept SQL runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, cast

import psycopg
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import BooleanField, Expression, F, Field, QuerySet


class IdsParameter:
    """Stands for the ids in SQL that is kept (`prepared_rows` puts the ids in its place)."""

    def __repr__(self) -> str:
        return "<ids>"


IDS = IdsParameter()


def ids_value(vendor: str, ids: Sequence[int]) -> Any:
    """The ids as the one parameter `IdIn` compiles to on `vendor`."""
    ids = [int(pk) for pk in ids]
    return ids if vendor == "postgresql" else json.dumps(ids)


class IdIn(Expression):
    """`field IN (ids)` with the ids as one parameter; `ids` may be `IDS` (kept SQL)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str | Expression, ids: Sequence[int] | IdsParameter) -> None:
        super().__init__()
        self.column = F(field) if isinstance(field, str) else field
        self.ids = ids

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.column,) = exprs

    def _ids(self, vendor: str) -> Any:
        return self.ids if isinstance(self.ids, IdsParameter) else ids_value(vendor, self.ids)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.column)
        # The array typed: bound server-side (a prepared statement), a list of small
        # ints would otherwise be a smallint or numeric array.
        return f"{sql} = ANY(%s::bigint[])", (*params, self._ids(connection.vendor))

    def as_sqlite(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.column)
        return f"{sql} IN (SELECT value FROM json_each(%s))", (*params, self._ids("sqlite"))


class Parameter(Expression):
    """One placeholder of kept SQL whose value `prepared_rows` computes at run time:
    `resolve(context)` with the context of that run (a report's parameters, say), made
    ready for the database as `output_field` does for any value of it."""

    def __init__(self, resolve: Callable[[Any], Any], output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.resolve = resolve

    def __repr__(self) -> str:
        return f"<parameter {self.resolve!r}>"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return "%s", (self,)

    def value(self, context: Any, connection: BaseDatabaseWrapper) -> Any:
        """The value of this placeholder for `context`, as the database takes it."""
        return self.output_field.get_db_prep_value(self.resolve(context), connection)


# (alias, key) -> (sql, params with IDS where the ids go). Small: a key holds the day.
_kept: dict[tuple[str, Any], tuple[str, tuple[Any, ...]]] = {}
KEEP_AT_MOST = 64


def prepared_rows(
    key: Any,
    build: Callable[[], QuerySet],
    ids: Sequence[int] = (),
    *,
    context: Any = None,
    using: str = "default",
    prepare: bool = True,
) -> list[tuple[Any, ...]]:
    """The rows of `build()` (a query filtered with `IdIn(..., IDS)` and/or holding
    `Parameter`s) for `ids` and `context`.

    The SQL is compiled on the first call for `key` and kept: `key` must hold everything
    else the query depends on (the day, settings, the time zone, whatever changes the SQL
    text). Rows come as the database gives them (no model converters: on SQLite a date is
    ISO text). `prepare=False`: not a prepared statement on PostgreSQL, planned for its
    values on every run (a generic plan made for one range of dates can be far slower for
    another)."""
    connection = connections[using]
    kept = _kept.get((using, key))
    if kept is None:
        sql, params = build().query.get_compiler(using=using).as_sql()
        if len(_kept) >= KEEP_AT_MOST:
            _kept.clear()
        kept = _kept[(using, key)] = (sql, tuple(params))
    sql, params = kept
    value = ids_value(connection.vendor, ids)
    values = [
        value if p is IDS else p.value(context, connection) if isinstance(p, Parameter) else p
        for p in params
    ]
    with _cursor(connection) if prepare else connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


class _PreparingCursor(psycopg.Cursor[Any]):
    """A psycopg cursor that binds its parameters server-side and prepares every query
    it runs (a named statement of the connection, reused while the connection lives).
    Django's own cursors bind client-side and never prepare (OPTIONS prepare_threshold:
    config.settings)."""

    def execute(self, query: Any, params: Any = None, *, prepare: Any = None, **kwargs: Any) -> Any:
        return super().execute(query, params, prepare=True, **kwargs)


def _cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor for kept SQL: Django's wrapper (logged and counted as any query), on
    PostgreSQL around a `_PreparingCursor`."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = cast(Any, _PreparingCursor(connection.connection))  # stubs: a CursorWrapper
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)
