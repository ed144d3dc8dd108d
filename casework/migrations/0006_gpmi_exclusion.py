"""On PostgreSQL the database itself refuses two overlapping GPMIs of one client; a
database that already holds such overlaps is refused with a clear message (run
`check_integrity` first)."""

from django.db import migrations

from casework.migration_operations import no_overlap_per_client


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_evaluation_face_to_face_unknown")]
    operations = [
        no_overlap_per_client(
            "casework_trajectory",
            "trajectory_gpmi_no_overlap",
            where="kind = 'gpmi'",
            rule="GPMIs of one client do not overlap",
        )
    ]
