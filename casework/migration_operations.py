"""Migration operations shared by the apps.

A constraint added to a database that already breaks it would make `migrate`
fail with the database's error in the middle of an upgrade. The operations
here first look for stored records that break the rule and, if there are any,
refuse with a message that says what to do: run `check_integrity`, fix the
listed records, migrate again. Nothing of the migration is applied then.
"""

from django.core.management.base import CommandError
from django.db import migrations

FOREVER = "9999-12-31"
EXAMPLES = 5


def _refuse(rule: str, table: str, found: list[tuple]) -> None:
    examples = "; ".join(" / ".join(str(v) for v in row) for row in found[:EXAMPLES])
    raise CommandError(
        f"The database holds records of {table} that break the new rule '{rule}' "
        f"(for example the ids {examples}), so the constraint cannot be added. "
        "Run `python manage.py check_integrity`, correct or delete the records it lists "
        "(in the app, the admin or with a record bundle), then run `migrate` again. "
        "Nothing of this migration was applied."
    )


def _overlaps_sql(table: str, start: str, end: str, scope: tuple[str, ...], where: str) -> str:
    same = "".join(f" AND a.{column} = b.{column}" for column in ("client_id", *scope))
    condition = (
        f"a.{start} <= COALESCE(b.{end}, '{FOREVER}') "
        f"AND b.{start} <= COALESCE(a.{end}, '{FOREVER}')"
    )
    if where:
        condition += f" AND a.{where} AND b.{where}"
    return (
        f"SELECT a.external_id, b.external_id FROM {table} a JOIN {table} b "
        f"ON a.id < b.id{same} WHERE {condition} ORDER BY a.id, b.id"
    )


def no_overlap_per_client(
    table: str,
    name: str,
    *,
    start: str = "start_date",
    end: str = "end_date",
    scope: tuple[str, ...] = (),
    where: str = "",
    rule: str = "",
) -> migrations.RunPython:
    """On PostgreSQL, an exclusion constraint refusing two records of one client (with
    equal `scope` columns, among the rows matching `where`) whose [start, end] periods
    overlap (an empty end runs on forever). With `rule`, stored overlaps are looked for
    first and the migration refuses with a clear message (see the module's docstring).

    SQLite has no exclusion constraints; there the model's clean() is the guard.
    """
    columns = ", ".join(f"{column} WITH =" for column in ("client_id", *scope))
    create = (
        "CREATE EXTENSION IF NOT EXISTS btree_gist; "
        f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
        f"({columns}, daterange({start}, {end}, '[]') WITH &&)"
        + (f" WHERE ({where})" if where else "")
        + ";"
    )
    drop = f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name};"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        if rule:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(_overlaps_sql(table, start, end, scope, where))
                found = cursor.fetchmany(EXAMPLES)
            if found:
                _refuse(rule, table, found)
        schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)


def refuse_duplicates(
    table: str, columns: tuple[str, ...], rule: str, where: str = ""
) -> migrations.RunPython:
    """Before a unique constraint on `columns` is added (on every database): refuse with a
    clear message when stored records already share those values."""
    group = ", ".join(columns)
    sql = (
        f"SELECT MIN(external_id), MAX(external_id) FROM {table}"
        + (f" WHERE {where}" if where else "")
        + f" GROUP BY {group} HAVING COUNT(*) > 1 ORDER BY MIN(id)"
    )

    def forwards(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)
            found = cursor.fetchmany(EXAMPLES)
        if found:
            _refuse(rule, table, found)

    return migrations.RunPython(forwards, migrations.RunPython.noop)
