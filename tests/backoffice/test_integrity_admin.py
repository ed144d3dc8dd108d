"""The integrity rules in the admin: a form error with the services' Dutch message, and
nothing saved, on a record's own page and in the client's inlines."""

import datetime

import pytest
from django.utils import timezone

from casework.models import Client, Trajectory, TrajectoryEvaluation
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Referral,
    VdabRegistration,
)
from tests.backoffice.test_casework_admin import (
    add_inline_rows,
    admin_url,
    inline_prefix,
    post_data,
)
from tests.factories import (
    ClientFactory,
    EmploymentFactory,
    MmppScreeningFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    TrajectoryFactory,
    UserFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def person(organisation):
    return ClientFactory(organisation=organisation, first_name="Sara", last_name="Claes")


def add(admin_client, model, data):
    response = admin_client.post(admin_url(model, "add"), data)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_gpmi_on_its_own_page(admin_client, person):
    TrajectoryFactory(client=person, start_date=datetime.date(2024, 2, 1), external_id="t1")
    html = add(
        admin_client, Trajectory, {"client": person.pk, "kind": "gpmi", "start_date": "2025-01-01"}
    )
    assert (
        "Deze cliënt heeft in deze periode al een GPMI. (overlapt met GPMI 01/02/2024, id t1)"
        in (html)
    )
    assert Trajectory.objects.count() == 1


def test_two_overlapping_gpmis_added_at_once_in_the_client_inlines(admin_client, person):
    response = admin_client.get(admin_url(Client, "change", person.pk))
    data = post_data(response)
    add_inline_rows(
        data,
        inline_prefix(response, Trajectory),
        [
            {"kind": "gpmi", "start_date": "2024-01-01", "end_date": ""},
            {"kind": "gpmi", "start_date": "2024-03-01", "end_date": "2024-09-30"},
        ],
    )
    response = admin_client.post(admin_url(Client, "change", person.pk), data)
    assert response.status_code == 200
    assert "al een GPMI" in response.content.decode()
    assert not Trajectory.objects.exists()


def test_an_overlapping_vdab_registration(admin_client, person):
    VdabRegistrationFactory(client=person, registered_on=datetime.date(2024, 1, 15))
    html = add(
        admin_client,
        VdabRegistration,
        {"client": person.pk, "registered_on": "2024-01-15", "category": "ocmw"},
    )
    assert "al ingeschreven bij VDAB" in html
    assert VdabRegistration.objects.count() == 1


def test_an_overlapping_referral_and_one_to_the_same_session(admin_client, person):
    session = ProgrammeSessionFactory(programme__organisation=person.organisation)
    ReferralFactory(
        client=person,
        programme=session.programme,
        session=session,
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 3, 5),
    )
    html = add(
        admin_client,
        Referral,
        {"client": person.pk, "programme": session.programme.pk, "start_date": "2024-03-04"},
    )
    assert "al een toeleiding naar dit programma" in html
    html = add(
        admin_client,
        Referral,
        {
            "client": person.pk,
            "programme": session.programme.pk,
            "session": session.pk,
            "start_date": "2024-03-10",
        },
    )
    assert "al toegeleid naar deze sessie" in html
    assert Referral.objects.count() == 1


def test_same_day_advice_and_same_start_employment(admin_client, person):
    MmppScreeningFactory(client=person, advised_on=datetime.date(2024, 4, 1))
    EmploymentFactory(client=person, start_date=datetime.date(2024, 6, 1))
    html = add(
        admin_client,
        MmppScreening,
        {"client": person.pk, "advised_on": "2024-04-01", "category": "2"},
    )
    assert "Deze cliënt heeft op deze dag al een MMPP-advies." in html
    html = add(
        admin_client,
        Employment,
        {"client": person.pk, "start_date": "2024-06-01", "contract": "interim"},
    )
    assert "al een tewerkstelling die op deze dag begint" in html
    assert MmppScreening.objects.count() == 1
    assert Employment.objects.count() == 1


def test_future_dates_of_what_happened(admin_client, person):
    gpmi = TrajectoryFactory(client=person)
    html = add(
        admin_client,
        TrajectoryEvaluation,
        {"trajectory": gpmi.pk, "date": TOMORROW, "face_to_face": "unknown"},
    )
    assert "Deze datum ligt in de toekomst" in html
    html = add(
        admin_client,
        VdabRegistration,
        {"client": person.pk, "registered_on": TOMORROW, "category": "ocmw"},
    )
    assert "Deze datum ligt in de toekomst" in html
    assert not TrajectoryEvaluation.objects.exists()
    assert not VdabRegistration.objects.exists()


def test_a_long_article60_placement_is_saved_with_a_warning(admin_client, person):
    response = admin_client.post(
        admin_url(Article60Placement, "add"),
        {
            "client": person.pk,
            "employer_kind": "public",
            "start_date": "2024-01-01",
            "planned_end_date": "2034-01-01",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Article60Placement.objects.count() == 1
    assert "langer dan 731 dagen: is de einddatum juist?" in response.content.decode()
