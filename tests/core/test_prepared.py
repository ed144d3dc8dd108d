"""Kept SQL (core.prepared): the ids go in one parameter, the rest of the query is built
once per key, and the rows are those of the query built anew."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Client
from core import prepared
from core.prepared import IDS, IdIn, prepared_rows
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def names(ids):
    return sorted(
        prepared_rows(
            ("test-names",),
            lambda: Client.objects.filter(IdIn("pk", IDS)).order_by().values_list("last_name"),
            ids,
        )
    )


def test_id_in_selects_the_given_ids(organisation):
    a, b, c = ClientFactory.create_batch(3, organisation=organisation)
    chosen = Client.objects.filter(IdIn("pk", [a.pk, c.pk]))
    assert set(chosen) == {a, c}
    assert not Client.objects.filter(IdIn("pk", [])).exists()


def test_the_sql_is_the_same_whatever_the_number_of_ids(organisation):
    clients = ClientFactory.create_batch(5, organisation=organisation)
    sql = []
    for n in (1, 5):
        with CaptureQueriesContext(connection) as queries:
            Client.objects.filter(IdIn("pk", [c.pk for c in clients[:n]])).count()
        # The SQL without its values: one parameter for the ids.
        sql.append(queries.captured_queries[0]["sql"].split("ANY(")[0].split(" IN (SELECT")[0])
    assert sql[0] == sql[1]


def test_kept_sql_gives_the_rows_of_the_ids_of_each_call(organisation):
    prepared._kept.clear()
    a, b = ClientFactory(last_name="Aerts"), ClientFactory(last_name="Baeten")
    assert names([a.pk]) == [("Aerts",)]
    # Built once: the second call runs the kept SQL with other ids.
    assert (None, ("test-names",)) not in prepared._kept
    assert ("default", ("test-names",)) in prepared._kept
    assert names([a.pk, b.pk]) == [("Aerts",), ("Baeten",)]
    assert names([b.pk, 10**9]) == [("Baeten",)]


def test_a_query_is_built_once_per_key(organisation, monkeypatch):
    prepared._kept.clear()
    client = ClientFactory(last_name="Claes")
    built = []

    def build():
        built.append(1)
        return Client.objects.filter(IdIn("pk", IDS)).values_list("last_name")

    for _ in range(3):
        assert prepared_rows(("test-once",), build, [client.pk]) == [("Claes",)]
    prepared_rows(("test-once", "other key"), build, [client.pk])
    assert len(built) == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql"
    or connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None,
    reason="prepared statements: PostgreSQL, DATABASE_PREPARED_STATEMENTS on (the default)",
)
def test_on_postgresql_kept_sql_is_a_prepared_statement_of_the_connection(organisation):
    """Parsed and planned once per connection: the second call runs the statement the
    first prepared (the same one, with other ids), and Django's own queries prepare none."""
    prepared._kept.clear()
    a, b = ClientFactory(last_name="Aerts"), ClientFactory(last_name="Baeten")

    def statements():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, statement FROM pg_prepared_statements")
            return cursor.fetchall()

    before = statements()
    assert names([a.pk]) == [("Aerts",)]
    [(name, statement)] = [row for row in statements() if row not in before]
    assert '"casework_client"."last_name"' in statement and "ANY($1::bigint[])" in statement
    with CaptureQueriesContext(connection) as queries:
        assert names([a.pk, b.pk]) == [("Aerts",), ("Baeten",)]
    assert len(queries) == 1  # counted like any query
    assert [row for row in statements() if row not in before] == [(name, statement)]
    list(Client.objects.filter(last_name="Aerts"))
    assert [row for row in statements() if row not in before] == [(name, statement)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_without_prepared_statements_kept_sql_is_planned_each_time(organisation, monkeypatch):
    """DATABASE_PREPARED_STATEMENTS=0 (behind a pooler that cannot keep them) leaves psycopg's
    prepare_threshold unset: the same rows, and no statement left on the connection."""
    prepared._kept.clear()
    a = ClientFactory(last_name="Aerts")
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        [(before,)] = cursor.fetchall()
        assert names([a.pk]) == names([a.pk]) == [("Aerts",)]
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchall() == [(before,)]
