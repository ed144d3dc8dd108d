"""The runtime role's rights on PostgreSQL (README, "Two database roles").

The owner role (DATABASE_MIGRATE_URL) owns every table and migrates; the runtime
role (DATABASE_URL) reads and writes the app's tables but may only INSERT into and
SELECT from the audit trail: it cannot UPDATE, DELETE or TRUNCATE it, and, not
being its owner, cannot ALTER it (disable its append-only trigger) or drop it.
`grant_runtime_role` runs after every `migrate` made with DATABASE_MIGRATE_URL, so
new tables are covered too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections

from audit.models import AuditEntry


def grant_runtime_role(connection: Any, role: str) -> None:
    """Give `role` the app's rights on every table of the schema, and only INSERT and
    SELECT on the audit trail."""
    quote = connection.ops.quote_name
    audit = quote(AuditEntry._meta.db_table)
    role_name = quote(role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_name}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_name}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_name}")
        cursor.execute(f"REVOKE ALL ON {audit} FROM {role_name}")
        cursor.execute(f"GRANT SELECT, INSERT ON {audit} TO {role_name}")


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After `migrate` as the owner (DATABASE_MIGRATE_URL): the runtime role's rights."""
    role = getattr(settings, "TRAJECT_RUNTIME_DB_ROLE", "")
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return
    if connection.settings_dict.get("USER") == role:
        return  # migrating as the runtime role itself: nothing to grant
    grant_runtime_role(connection, role)
