"""Two database roles (README, "Two database roles"): `migrate` runs as the owner
(DATABASE_MIGRATE_URL), the app as a runtime role (DATABASE_URL) that can add to and
read the audit trail but not rewrite, empty or unprotect it."""

import os
import sqlite3
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from audit.db_roles import grant_runtime_role

RUNTIME_ROLE = f"{settings.DATABASES['default']['NAME']}_runtime"[:63]


def test_migrate_connects_as_the_owner_when_a_migrate_url_is_given(tmp_path):
    runtime, owner = tmp_path / "runtime.sqlite3", tmp_path / "owner.sqlite3"
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    env |= {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{runtime}",
        "DATABASE_MIGRATE_URL": f"sqlite:///{owner}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "audit"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    tables = sqlite3.connect(owner).execute("SELECT name FROM sqlite_master").fetchall()
    assert ("audit_auditentry",) in tables
    assert (
        not runtime.exists()
        or not sqlite3.connect(runtime)
        .execute("SELECT name FROM sqlite_master WHERE name = 'audit_auditentry'")
        .fetchall()
    )


@pytest.fixture
def runtime_role(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [RUNTIME_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{RUNTIME_ROLE}" LOGIN')
    grant_runtime_role(connection, RUNTIME_ROLE)
    db = settings.DATABASES["default"]
    runtime = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=connection.settings_dict["NAME"],
        user=RUNTIME_ROLE,
        autocommit=True,
    )
    yield runtime
    runtime.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{RUNTIME_ROLE}"')


INSERT = (
    "INSERT INTO audit_auditentry (at, username, action, object_type, object_id, changes, "
    "reason, source, previous_hash, entry_hash) "
    "VALUES (now(), 'x', 'read', '', '', '{}', '', '', '', '') RETURNING id"
)


def test_the_runtime_role_adds_and_reads_but_cannot_rewrite_the_audit_trail(runtime_role):
    entry_id = runtime_role.execute(INSERT).fetchone()[0]
    assert runtime_role.execute(
        "SELECT username FROM audit_auditentry WHERE id = %s", [entry_id]
    ).fetchone() == ("x",)
    # It works with the app's other tables as usual.
    runtime_role.execute("SELECT count(*) FROM casework_client").fetchone()
    for sql in (
        "UPDATE audit_auditentry SET username = 'y'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only",
        "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry",
        "DROP TABLE audit_auditentry",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            runtime_role.execute(sql)
    assert runtime_role.execute(
        "SELECT username FROM audit_auditentry WHERE id = %s", [entry_id]
    ).fetchone() == ("x",)
