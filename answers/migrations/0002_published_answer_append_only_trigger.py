"""On PostgreSQL the database itself refuses to change or delete a published answer.

As for the audit log (audit/migrations/0002): UPDATE and DELETE on the table
raise, whoever sends them. TRUNCATE is left to the database owner (test
databases are emptied that way). On SQLite the model and its queryset refuse
(PublishedAnswer.save/delete, PublishedAnswerQuerySet.update/delete).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION answers_publishedanswer_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'answers_publishedanswer is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER answers_publishedanswer_append_only
    BEFORE UPDATE OR DELETE ON answers_publishedanswer
    FOR EACH ROW EXECUTE FUNCTION answers_publishedanswer_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS answers_publishedanswer_append_only ON answers_publishedanswer;
DROP FUNCTION IF EXISTS answers_publishedanswer_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("answers", "0001_questions_and_answers")]

    operations = [migrations.RunPython(forwards, backwards)]
