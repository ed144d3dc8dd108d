"""On PostgreSQL the database itself refuses two overlapping article-60 placements."""

from django.db import migrations

from casework.migration_operations import no_overlap_per_client


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [
        no_overlap_per_client("partners_article60placement", "article60placement_no_overlap")
    ]
