"""The integrity rules of a valid record (domain.md, "Integrity") through the services,
in the database (PostgreSQL's exclusion constraints, unique constraints), and over
stored records (`check_integrity`, the migrations' check)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from casework import services
from casework.migration_operations import no_overlap_per_client, refuse_duplicates
from casework.models import ClientNote, Trajectory
from partners import services as partner_services
from partners.integrity import RULES
from partners.models import Employment, MmppScreening, Referral, VdabRegistration
from tests.factories import (
    ClientFactory,
    EmploymentFactory,
    MmppScreeningFactory,
    ProgrammeFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def test_a_second_gpmi_while_one_runs_is_refused_naming_it():
    gpmi = TrajectoryFactory(start_date=datetime.date(2024, 2, 1), external_id="t1")
    with pytest.raises(ValidationError) as exc:
        services.trajectory_create(
            client=gpmi.client, kind="gpmi", start_date=datetime.date(2025, 1, 1)
        )
    assert messages(exc.value) == (
        "Deze cliënt heeft in deze periode al een GPMI. (overlapt met GPMI 01/02/2024, id t1)"
    )
    # Another kind of trajectory may run beside it; a GPMI after its end may follow.
    services.trajectory_create(
        client=gpmi.client, kind="activation", start_date=datetime.date(2025, 1, 1)
    )
    gpmi.end_date = datetime.date(2024, 12, 31)
    gpmi.save()
    services.trajectory_create(
        client=gpmi.client, kind="gpmi", start_date=datetime.date(2025, 1, 1)
    )
    assert Trajectory.objects.filter(kind="gpmi").count() == 2


def test_overlapping_vdab_registrations_are_refused():
    registration = VdabRegistrationFactory(registered_on=datetime.date(2024, 1, 15))
    with pytest.raises(ValidationError) as exc:
        partner_services.vdab_registration_create(
            client=registration.client, registered_on=datetime.date(2024, 1, 15), category="ocmw"
        )
    assert "al ingeschreven bij VDAB" in messages(exc.value)
    assert registration.external_id in messages(exc.value)
    assert VdabRegistration.objects.count() == 1


def test_referrals_to_one_programme_may_not_overlap():
    referral = ReferralFactory(start_date=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        partner_services.referral_create(
            client=referral.client,
            programme=referral.programme,
            start_date=datetime.date(2024, 9, 1),
        )
    assert "al een toeleiding naar dit programma" in messages(exc.value)
    other = ProgrammeFactory(organisation=referral.organisation, code="wijkwerken")
    partner_services.referral_create(
        client=referral.client, programme=other, start_date=datetime.date(2024, 9, 1)
    )
    assert Referral.objects.count() == 2


def test_one_mmpp_advice_per_client_per_day():
    advice = MmppScreeningFactory(advised_on=datetime.date(2024, 4, 1))
    with pytest.raises(ValidationError) as exc:
        partner_services.mmpp_screening_create(
            client=advice.client, advised_on=datetime.date(2024, 4, 1), category=2
        )
    assert messages(exc.value) == (
        "Deze cliënt heeft op deze dag al een MMPP-advies. "
        f"(MMPP 4 01/04/2024, id {advice.external_id})"
    )
    assert MmppScreening.objects.count() == 1


def test_one_employment_record_per_client_per_start_day():
    work = EmploymentFactory(start_date=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        partner_services.employment_create(
            client=work.client, start_date=datetime.date(2024, 6, 1), contract="interim"
        )
    assert "al een tewerkstelling die op deze dag begint" in messages(exc.value)
    assert Employment.objects.count() == 1


def test_one_referral_per_client_per_session():
    session = ProgrammeSessionFactory(capacity=10)
    first = ReferralFactory(
        client=ClientFactory(organisation=session.organisation),
        programme=session.programme,
        session=session,
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 3, 10),
    )
    with pytest.raises(ValidationError) as exc:
        partner_services.referral_create(
            client=first.client,
            programme=session.programme,
            start_date=datetime.date(2024, 3, 11),
            session=session,
        )
    assert "al toegeleid naar deze sessie" in messages(exc.value)


@pytest.mark.parametrize("kind", ["evaluation", "vdab", "mmpp", "note"])
def test_what_happened_may_not_be_dated_after_today(kind):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    gpmi = TrajectoryFactory()
    create = {
        "evaluation": lambda: services.trajectory_evaluation_create(
            trajectory=gpmi, date=tomorrow, face_to_face=True
        ),
        "vdab": lambda: partner_services.vdab_registration_create(
            client=gpmi.client, registered_on=tomorrow, category="ocmw"
        ),
        "mmpp": lambda: partner_services.mmpp_screening_create(
            client=gpmi.client, advised_on=tomorrow, category=3
        ),
        "note": lambda: services.client_note_create(
            client=gpmi.client, date=tomorrow, text="Gesprek"
        ),
    }[kind]
    with pytest.raises(ValidationError) as exc:
        create()
    assert "Deze datum ligt in de toekomst" in messages(exc.value)
    assert not ClientNote.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints: PostgreSQL only"
)
def test_postgresql_refuses_the_new_overlaps_even_without_clean():
    gpmi = TrajectoryFactory(start_date=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        TrajectoryFactory(client=gpmi.client, start_date=datetime.date(2025, 1, 1))
    TrajectoryFactory(client=gpmi.client, kind="social", start_date=datetime.date(2025, 1, 1))
    registration = VdabRegistrationFactory(registered_on=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        VdabRegistrationFactory(client=registration.client, registered_on=datetime.date(2024, 6, 1))
    referral = ReferralFactory(start_date=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(
            client=referral.client,
            programme=referral.programme,
            start_date=datetime.date(2024, 6, 1),
        )
    other = ProgrammeFactory(organisation=referral.organisation, code="vdab")
    ReferralFactory(client=referral.client, programme=other, start_date=datetime.date(2024, 6, 1))


def test_the_database_refuses_a_second_advice_on_one_day_even_without_clean():
    advice = MmppScreeningFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MmppScreeningFactory(client=advice.client, advised_on=advice.advised_on)


# --- Stored records that break a rule --------------------------------------------------


def _breaking(code):
    rule = next(rule for rule in RULES if rule.code == code)
    return set(rule.breaking(timezone.localdate()).values_list("external_id", flat=True))


@pytest.fixture
def broken(db):
    """Records stored before the rules existed (bulk_create skips the validation; on
    PostgreSQL the exclusion constraint refuses the overlap itself)."""
    client = ClientFactory(external_id="c1")
    organisation = client.organisation
    future = timezone.localdate() + datetime.timedelta(days=400)
    if connection.vendor != "postgresql":
        Trajectory.objects.bulk_create(
            [
                Trajectory(
                    client=client,
                    organisation=organisation,
                    kind="gpmi",
                    start_date=start,
                    external_id=key,
                )
                for key, start in (
                    ("g1", datetime.date(2024, 1, 1)),
                    ("g2", datetime.date(2024, 6, 1)),
                )
            ]
        )
    VdabRegistration.objects.bulk_create(
        [
            VdabRegistration(
                client=client,
                organisation=organisation,
                category="ocmw",
                registered_on=future,
                external_id="v-future",
            )
        ]
    )
    return client


def test_the_rules_find_stored_records_breaking_them(broken):
    assert _breaking("vdab_future") == {"v-future"}
    if connection.vendor != "postgresql":
        assert _breaking("gpmi_overlap") == {"g1", "g2"}
    assert _breaking("mmpp_same_day") == set()


def test_check_integrity_lists_them_and_exits_non_zero(broken, capsys):
    with pytest.raises(CommandError) as exc:
        call_command("check_integrity")
    out = capsys.readouterr().out
    assert "VDAB-inschrijvingen in de toekomst: 1" in out
    assert "vdabregistration v-future (cliënt c1)" in out
    assert "records breken een regel" in str(exc.value)


def test_check_integrity_on_clean_records_says_so(capsys):
    TrajectoryFactory()
    call_command("check_integrity")
    assert "Geen records die een regel breken." in capsys.readouterr().out


def test_the_migration_check_refuses_a_database_breaking_a_unique_rule(db):
    # The constraints are in place in a test database, so the check is shown on a rule
    # the stored records may break: one advice per client and category.
    advice = MmppScreeningFactory(external_id="m1", category=2)
    operation = refuse_duplicates(
        "partners_mmppscreening", ("client_id", "category"), "one advice per category"
    )
    schema_editor = connection.schema_editor()
    operation.code(None, schema_editor)  # nothing stored breaks it: passes
    MmppScreeningFactory(
        client=advice.client, advised_on=datetime.date(2024, 9, 1), category=2, external_id="m2"
    )
    with pytest.raises(CommandError) as exc:
        operation.code(None, schema_editor)
    assert "check_integrity" in str(exc.value)
    assert "m1 / m2" in str(exc.value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints")
def test_the_exclusion_migration_refuses_a_database_with_overlaps(db):
    gpmi = TrajectoryFactory(start_date=datetime.date(2024, 1, 1), external_id="g1")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE casework_trajectory DROP CONSTRAINT trajectory_gpmi_no_overlap")
    TrajectoryFactory(client=gpmi.client, start_date=datetime.date(2024, 6, 1), external_id="g2")
    operation = no_overlap_per_client(
        "casework_trajectory", "trajectory_gpmi_no_overlap", where="kind = 'gpmi'", rule="gpmi"
    )
    with pytest.raises(CommandError) as exc:
        operation.code(None, connection.schema_editor())
    assert "g1 / g2" in str(exc.value)
    assert "check_integrity" in str(exc.value)


def test_a_birth_date_after_one_of_the_clients_records_is_refused():
    advice = MmppScreeningFactory(advised_on=datetime.date(2024, 4, 1), external_id="m1")
    client = advice.client
    with pytest.raises(ValidationError) as exc:
        services.client_update(client=client, birth_date=datetime.date(2024, 5, 1))
    assert messages(exc.value) == (
        "Er is een record van deze cliënt vóór deze geboortedatum (MMPP 4 01/04/2024, id m1)."
    )
    client.refresh_from_db()
    assert client.birth_date == datetime.date(1990, 6, 15)
    services.client_update(client=client, birth_date=datetime.date(1991, 1, 1))
