"""Migration operations shared by the apps."""

from django.db import migrations


def no_overlap_per_client(table: str, name: str) -> migrations.RunPython:
    """On PostgreSQL, an exclusion constraint refusing two records of one client whose
    [start_date, end_date] periods overlap (an empty end runs on forever).

    SQLite has no exclusion constraints; there the model's clean() is the guard.
    """
    create = (
        "CREATE EXTENSION IF NOT EXISTS btree_gist; "
        f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
        "(client_id WITH =, daterange(start_date, end_date, '[]') WITH &&);"
    )
    drop = f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name};"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)
