"""Every invariant of the data model: bad data gets a clear Dutch error and nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from casework import services
from casework.models import Client, IncomeRight, SocialWorker, Trajectory
from core import writes
from partners import services as partner_services
from partners.models import Article60Placement, Programme, Referral
from tests.factories import (
    Article60PlacementFactory,
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    SocialWorkerFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

VALID_NN = "85073003328"  # born 30/07/1985
VALID_NN_2000 = "00010100198"  # hypothetical, computed in the test below


def nn_for(birth: datetime.date, serial: int = 1) -> str:
    """A valid national number for a birth date (both century rules)."""
    base = f"{birth:%y%m%d}{serial:03d}"
    n = int(base) + (2_000_000_000 if birth.year >= 2000 else 0)
    return f"{base}{97 - n % 97:02d}"


def error_messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def test_client_create_normalises_and_formats_the_national_number(organisation):
    client = services.client_create(
        organisation=organisation,
        first_name="An",
        last_name="Peeters",
        birth_date=datetime.date(1985, 7, 30),
        gender="f",
        national_number="85.07.30-033.28",
    )
    assert client.national_number == "85073003328"
    assert client.national_number_display == "85.07.30-033.28"


def test_national_number_born_in_2000_or_later_uses_the_second_rule(organisation):
    birth = datetime.date(2003, 2, 14)
    number = nn_for(birth)
    client = services.client_create(
        organisation=organisation,
        first_name="Lars",
        last_name="Maes",
        birth_date=birth,
        gender="m",
        national_number=number,
    )
    assert client.national_number == number


def test_bis_number_month_plus_20_and_plus_40_is_accepted(organisation):
    birth = datetime.date(1998, 7, 28)
    for add, serial in ((20, 11), (40, 12)):
        base = f"98{7 + add:02d}28{serial:03d}"
        number = f"{base}{97 - int(base) % 97:02d}"
        client = services.client_create(
            organisation=organisation,
            first_name="B",
            last_name=f"Bis{add}",
            birth_date=birth,
            gender="m",
            national_number=number,
        )
        assert client.national_number == number


def test_national_number_with_unknown_day_and_month_is_accepted(organisation):
    base = "850000001"
    number = f"{base}{97 - int(base) % 97:02d}"
    client = services.client_create(
        organisation=organisation,
        first_name="C",
        last_name="Onbekend",
        birth_date=datetime.date(1985, 3, 3),
        gender="m",
        national_number=number,
    )
    assert client.national_number == number


@pytest.mark.parametrize(
    ("number", "birth", "message"),
    [
        ("85073003329", datetime.date(1985, 7, 30), "controlegetal"),
        ("8507300332", datetime.date(1985, 7, 30), "11 cijfers"),
        ("85073003328", datetime.date(1985, 7, 31), "geboortedatum"),
        ("85073003328", datetime.date(1984, 7, 30), "geboortedatum"),
        ("8507300332X", datetime.date(1985, 7, 30), "11 cijfers"),
        ("85133003371", datetime.date(1985, 7, 30), ""),
    ],
)
def test_invalid_national_number_is_refused_and_nothing_saved(organisation, number, birth, message):
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            organisation=organisation,
            first_name="X",
            last_name="Y",
            birth_date=birth,
            gender="m",
            national_number=number,
        )
    assert "national_number" in exc.value.message_dict
    assert message in error_messages(exc.value)
    assert not Client.objects.exists()


def test_national_number_is_unique_within_an_organisation_only(organisation):
    ClientFactory(
        organisation=organisation, national_number=VALID_NN, birth_date=datetime.date(1985, 7, 30)
    )
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            organisation=organisation,
            first_name="X",
            last_name="Y",
            birth_date=datetime.date(1985, 7, 30),
            gender="m",
            national_number=VALID_NN,
        )
    assert "rijksregisternummer" in error_messages(exc.value)
    other = OrganisationFactory(code="gent")
    services.client_create(
        organisation=other,
        first_name="X",
        last_name="Y",
        birth_date=datetime.date(1985, 7, 30),
        gender="m",
        national_number=VALID_NN,
    )
    assert Client.objects.count() == 2


def test_database_refuses_duplicate_national_number(organisation):
    ClientFactory(
        organisation=organisation, national_number=VALID_NN, birth_date=datetime.date(1985, 7, 30)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(
            organisation=organisation,
            national_number=VALID_NN,
            birth_date=datetime.date(1985, 7, 30),
        )


def test_birth_date_in_the_future_is_refused(organisation):
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            organisation=organisation,
            first_name="X",
            last_name="Y",
            birth_date=datetime.date.today() + datetime.timedelta(days=1),
            gender="m",
        )
    assert "toekomst" in error_messages(exc.value)
    assert not Client.objects.exists()


def test_unknown_gender_code_is_refused(organisation):
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            organisation=organisation,
            first_name="X",
            last_name="Y",
            birth_date=datetime.date(1990, 1, 1),
            gender="q",
        )
    assert "gender" in exc.value.message_dict


def test_record_before_the_clients_birth_is_refused():
    client = ClientFactory(birth_date=datetime.date(1990, 6, 15))
    with pytest.raises(ValidationError) as exc:
        services.income_right_create(
            client=client, kind="leefloon", category="single", start_date=datetime.date(1990, 6, 14)
        )
    assert "geboortedatum" in error_messages(exc.value)
    assert not IncomeRight.objects.exists()


@pytest.mark.parametrize("fte", ["0", "-0.5", "1.001", "2"])
def test_fte_outside_zero_to_one_is_refused(organisation, fte):
    with pytest.raises(ValidationError) as exc:
        services.social_worker_create(
            organisation=organisation, first_name="A", last_name="B", fte=Decimal(fte)
        )
    assert "VTE" in error_messages(exc.value)
    assert not SocialWorker.objects.exists()


def test_database_refuses_fte_out_of_range(organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialWorkerFactory(organisation=organisation, fte=Decimal("1.5"))


def test_end_before_start_is_refused_by_service_and_database():
    client = ClientFactory()
    with pytest.raises(ValidationError) as exc:
        services.trajectory_create(
            client=client,
            kind="gpmi",
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 4, 30),
        )
    assert "einddatum" in error_messages(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrajectoryFactory(
            client=client, start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 4, 30)
        )
    assert not Trajectory.objects.exists()


def test_overlapping_income_rights_are_refused():
    right = IncomeRightFactory(
        start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 6, 30)
    )
    with pytest.raises(ValidationError) as exc:
        services.income_right_create(
            client=right.client,
            kind="equivalent",
            category="single",
            start_date=datetime.date(2024, 6, 30),
        )
    assert "al een recht" in error_messages(exc.value)
    # The next day is fine: ends are inclusive.
    services.income_right_create(
        client=right.client,
        kind="leefloon",
        category="single",
        start_date=datetime.date(2024, 7, 1),
    )
    assert IncomeRight.objects.count() == 2


def test_overlapping_article60_placements_are_refused():
    placement = Article60PlacementFactory(start_date=datetime.date(2024, 1, 1), end_date=None)
    with pytest.raises(ValidationError) as exc:
        partner_services.article60_placement_create(
            client=placement.client, employer_kind="public", start_date=datetime.date(2030, 1, 1)
        )
    assert "artikel 60" in error_messages(exc.value)
    assert Article60Placement.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints: PostgreSQL only"
)
def test_postgresql_refuses_overlapping_rights_even_without_clean():
    right = IncomeRightFactory(start_date=datetime.date(2024, 1, 1), end_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomeRightFactory(client=right.client, start_date=datetime.date(2025, 1, 1))
    placement = Article60PlacementFactory(start_date=datetime.date(2024, 1, 1), end_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article60PlacementFactory(client=placement.client, start_date=datetime.date(2025, 1, 1))


def test_session_capacity_is_enforced():
    session = ProgrammeSessionFactory(capacity=1)
    ReferralFactory(
        programme=session.programme,
        organisation=session.organisation,
        client=ClientFactory(organisation=session.organisation),
        session=session,
    )
    client = ClientFactory(organisation=session.organisation)
    with pytest.raises(ValidationError) as exc:
        partner_services.referral_create(
            client=client,
            programme=session.programme,
            start_date=datetime.date(2024, 3, 1),
            session=session,
        )
    assert "volzet" in error_messages(exc.value)
    assert Referral.objects.count() == 1


def test_records_take_the_organisation_of_their_client():
    client = ClientFactory()
    right = services.income_right_create(
        client=client, kind="leefloon", category="family", start_date=datetime.date(2024, 1, 1)
    )
    assert right.organisation_id == client.organisation_id
    assert right.external_id.startswith("t-")


def test_new_organisation_gets_the_standard_programmes():
    organisation = partner_services.organisation_get_or_create(code="lier", name="OCMW Lier")
    codes = set(Programme.objects.filter(organisation=organisation).values_list("code", flat=True))
    assert codes == {"jobroad", "duo_for_a_job", "wijkwerken", "social_economy", "vdab"}


def test_stale_edit_gets_a_conflict_instead_of_overwriting():
    client = ClientFactory(first_name="An")
    first_reader = Client.objects.get(pk=client.pk)
    second_reader = Client.objects.get(pk=client.pk)
    services.client_update(
        client=first_reader, expected_version=first_reader.version, first_name="Anna"
    )
    with pytest.raises(writes.ConflictError):
        services.client_update(
            client=second_reader, expected_version=second_reader.version, first_name="Anne"
        )
    client.refresh_from_db()
    assert client.first_name == "Anna"
    assert client.version == 2


def test_assignment_transfer_moves_the_running_caseload():
    old = SocialWorkerFactory()
    new = SocialWorkerFactory(organisation=old.organisation)
    clients = [ClientFactory(organisation=old.organisation) for _ in range(3)]
    for client in clients:
        services.assignment_create(
            client=client, social_worker=old, start_date=datetime.date(2024, 1, 1)
        )
    moved = services.assignment_transfer(
        from_social_worker=old, to_social_worker=new, day=datetime.date(2025, 3, 1)
    )
    assert len(moved) == 3
    assert {a.client_id for a in new.assignments.all()} == {c.pk for c in clients}
    assert set(old.assignments.values_list("end_date", flat=True)) == {datetime.date(2025, 2, 28)}
