"""`manage.py migrate` as the database's owner role when DATABASE_MIGRATE_URL is set.

The app runs as a runtime role (DATABASE_URL) that may not change the schema nor
rewrite the audit trail; migrations need the owner. This command connects the
default database with the owner's settings (`settings.DATABASE_MIGRATE`) for the
migration only; afterwards the post-migrate handlers grant the runtime role its
rights (`audit.db_roles`). Without DATABASE_MIGRATE_URL it is Django's migrate.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        owner = getattr(settings, "DATABASE_MIGRATE", None)
        if not owner or options["database"] != DEFAULT_DB_ALIAS:
            super().handle(*args, **options)
            return
        connection = connections[DEFAULT_DB_ALIAS]
        runtime = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(
            {
                key: owner[key]
                for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")
                if key in owner
            }
        )
        try:
            super().handle(*args, **options)
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(runtime)
