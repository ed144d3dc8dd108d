"""At most one MMPP advice per client per day, one employment record per client per start
day, one referral per client per session. Refused with a clear message (run
`check_integrity`) when stored records already break one of them."""

from django.db import migrations, models

import casework.models.base
from casework.migration_operations import refuse_duplicates


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_evaluation_face_to_face_unknown"),
        ("partners", "0002_article60_exclusion"),
    ]

    operations = [
        refuse_duplicates(
            "partners_employment", ("client_id", "start_date"), "one employment per start day"
        ),
        refuse_duplicates(
            "partners_mmppscreening", ("client_id", "advised_on"), "one MMPP advice per day"
        ),
        refuse_duplicates(
            "partners_referral",
            ("client_id", "session_id"),
            "one referral per session",
            where="session_id IS NOT NULL",
        ),
        migrations.AddConstraint(
            model_name="employment",
            constraint=casework.models.base.UniquePerClient(
                fields=("client", "start_date"),
                name="employment_one_per_start_day",
                violation_error_message=(
                    "Deze cliënt heeft al een tewerkstelling die op deze dag begint."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="mmppscreening",
            constraint=casework.models.base.UniquePerClient(
                fields=("client", "advised_on"),
                name="mmppscreening_one_per_day",
                violation_error_message="Deze cliënt heeft op deze dag al een MMPP-advies.",
            ),
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=casework.models.base.UniquePerClient(
                condition=models.Q(("session__isnull", False)),
                fields=("client", "session"),
                name="referral_one_per_session",
                violation_error_message="Deze cliënt is al toegeleid naar deze sessie.",
            ),
        ),
    ]
