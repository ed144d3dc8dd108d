"""BreakGlassGrant now belongs to the access app (access 0001); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("access", "0001_break_glass_grant_from_audit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="BreakGlassGrant")],
            database_operations=[],
        ),
    ]
