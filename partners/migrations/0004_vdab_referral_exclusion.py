"""On PostgreSQL the database itself refuses overlapping VDAB registrations, and
overlapping referrals to one programme, of one client; a database that already holds
such overlaps is refused with a clear message (run `check_integrity` first)."""

from django.db import migrations

from casework.migration_operations import no_overlap_per_client


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_one_advice_employment_referral_per_client_day")]
    operations = [
        no_overlap_per_client(
            "partners_vdabregistration",
            "vdabregistration_no_overlap",
            start="registered_on",
            end="ended_on",
            rule="VDAB registrations of one client do not overlap",
        ),
        no_overlap_per_client(
            "partners_referral",
            "referral_programme_no_overlap",
            scope=("programme_id",),
            rule="referrals of one client to one programme do not overlap",
        ),
    ]
