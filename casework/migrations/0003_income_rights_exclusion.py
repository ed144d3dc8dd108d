"""On PostgreSQL the database itself refuses two overlapping income rights of one client."""

from django.db import migrations

from casework.migration_operations import no_overlap_per_client


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_leefloon_amounts")]
    operations = [no_overlap_per_client("casework_incomeright", "incomeright_no_overlap")]
