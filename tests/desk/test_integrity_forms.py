"""The integrity rules through the client file's (htmx) forms: the same Dutch message as
the services, naming the clashing record, and nothing saved; the latest MMPP advice
replaces the older ones."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import ClientNote, Trajectory, TrajectoryEvaluation
from partners.models import Employment, MmppScreening, Referral, VdabRegistration
from tests.factories import (
    EmploymentFactory,
    MmppScreeningFactory,
    ProgrammeFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def add_url(client, kind):
    return reverse("desk:record_add", kwargs={"pk": client.pk, "kind": kind})


@pytest.fixture
def sa(client, staff):
    client.force_login(staff.users["sa"])
    return client


@pytest.fixture
def person(staff):
    return staff.client_of("sa", birth_date=datetime.date(1985, 7, 30))


def post(sa, person, kind, data):
    response = sa.post(add_url(person, kind), data, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_running_gpmi_is_refused(sa, person):
    TrajectoryFactory(client=person, start_date=datetime.date(2024, 2, 1), external_id="t1")
    html = post(sa, person, "trajectory", {"kind": "gpmi", "start_date": "2025-01-01"})
    assert (
        "Deze cliënt heeft in deze periode al een GPMI. (overlapt met GPMI 01/02/2024, id t1)"
        in (html)
    )
    assert Trajectory.objects.count() == 1


def test_the_same_vdab_registration_twice_is_refused(sa, person):
    VdabRegistrationFactory(client=person, registered_on=datetime.date(2025, 3, 3))
    html = post(sa, person, "vdab", {"registered_on": "2025-03-03", "category": "ocmw"})
    assert "al ingeschreven bij VDAB" in html
    assert VdabRegistration.objects.count() == 1


def test_an_overlapping_referral_to_the_same_programme_is_refused(sa, person):
    referral = ReferralFactory(client=person, start_date=datetime.date(2025, 1, 1))
    html = post(
        sa,
        person,
        "referral",
        {"programme": referral.programme.pk, "start_date": "2025-02-01"},
    )
    assert "al een toeleiding naar dit programma" in html
    assert Referral.objects.count() == 1


def test_a_second_referral_to_one_session_is_refused(sa, person):
    today = timezone.localdate()
    session = ProgrammeSessionFactory(
        programme__organisation=person.organisation, date=today + datetime.timedelta(days=10)
    )
    ReferralFactory(
        client=person,
        programme=session.programme,
        session=session,
        start_date=today - datetime.timedelta(days=10),
        end_date=today - datetime.timedelta(days=5),
    )
    html = post(
        sa,
        person,
        "referral",
        {"programme": session.programme.pk, "session": session.pk, "start_date": today},
    )
    assert "al toegeleid naar deze sessie" in html
    assert Referral.objects.count() == 1


def test_two_employment_records_starting_on_one_day_are_refused(sa, person):
    EmploymentFactory(client=person, start_date=datetime.date(2025, 6, 1))
    html = post(sa, person, "employment", {"start_date": "2025-06-01", "contract": "interim"})
    assert "al een tewerkstelling die op deze dag begint" in html
    assert Employment.objects.count() == 1


def test_two_mmpp_advices_on_one_day_are_refused(sa, person):
    MmppScreeningFactory(client=person, advised_on=datetime.date(2025, 4, 1))
    html = post(sa, person, "mmpp", {"advised_on": "2025-04-01", "category": "2"})
    assert "Deze cliënt heeft op deze dag al een MMPP-advies." in html
    assert MmppScreening.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("vdab", {"registered_on": TOMORROW.isoformat(), "category": "ocmw"}),
        ("mmpp", {"advised_on": TOMORROW.isoformat(), "category": "3"}),
        ("note", {"date": TOMORROW.isoformat(), "text": "Gesprek"}),
    ],
)
def test_a_date_after_today_of_what_happened_is_refused(sa, person, kind, data):
    html = post(sa, person, kind, data)
    assert "Deze datum ligt in de toekomst" in html
    assert not VdabRegistration.objects.exists()
    assert not MmppScreening.objects.exists()
    assert not ClientNote.objects.exists()


def test_an_evaluation_dated_2062_is_refused(sa, person):
    gpmi = TrajectoryFactory(client=person, start_date=datetime.date(2024, 2, 1))
    html = post(
        sa,
        person,
        "evaluation",
        {"trajectory": gpmi.pk, "date": "2062-11-26", "face_to_face": "true"},
    )
    assert "Deze datum ligt in de toekomst (26/11/2062)" in html
    assert not TrajectoryEvaluation.objects.exists()


def test_an_older_advice_is_shown_as_replaced_never_as_running(sa, person):
    MmppScreeningFactory(client=person, advised_on=datetime.date(2024, 4, 1), category=4)
    MmppScreeningFactory(client=person, advised_on=datetime.date(2025, 2, 3), category=2)
    html = sa.get(reverse("desk:client_detail", kwargs={"pk": person.pk})).content.decode()
    assert "vervangen door het advies van 03/02/2025" in html
    assert html.count("vervangen door het advies van") == 1


def test_the_form_for_a_new_advice_says_which_advice_it_replaces(sa, person):
    MmppScreeningFactory(client=person, advised_on=datetime.date(2025, 2, 3), category=2)
    html = sa.get(add_url(person, "mmpp"), **HTMX).content.decode()
    assert (
        "Dit advies vervangt het huidige advies van 03/02/2025 (2. maatwerk / sociale economie)"
        in (html)
    )


def test_the_form_for_a_first_advice_replaces_nothing(sa, person):
    html = sa.get(add_url(person, "mmpp"), **HTMX).content.decode()
    assert "Dit advies vervangt" not in html


# --- Possible but probably mistyped: warned, saved once confirmed -------------------------


def test_a_ten_year_duo_mentorship_asks_to_confirm_then_saves(sa, person):
    duo = ProgrammeFactory(organisation=person.organisation, code="duo_for_a_job", name="DUO")
    data = {"programme": duo.pk, "start_date": "2024-01-01", "end_date": "2034-06-30"}
    html = post(sa, person, "referral", data)
    assert "Deze toeleiding naar DUO duurt van 01/01/2024 tot 30/06/2034" in html
    assert 'name="confirm_warnings"' in html
    assert "Toch opslaan" in html
    assert not Referral.objects.exists()
    sa.post(add_url(person, "referral"), {**data, "confirm_warnings": "1"}, **HTMX)
    assert Referral.objects.get().end_date == datetime.date(2034, 6, 30)


def test_a_birth_year_1895_asks_to_confirm(sa, person):
    edit = reverse("desk:client_edit", kwargs={"pk": person.pk})
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": "1895-07-30",
        "gender": person.gender,
        "national_number": "",
        "household": "",
        "version": person.version,
    }
    html = sa.post(edit, data, **HTMX).content.decode()
    assert "ouder dan 100 jaar" in html
    person.refresh_from_db()
    assert person.birth_date == datetime.date(1985, 7, 30)


def test_an_ordinary_record_is_saved_without_a_question(sa, person):
    duo = ProgrammeFactory(organisation=person.organisation, code="duo_for_a_job", name="DUO")
    post(
        sa,
        person,
        "referral",
        {"programme": duo.pk, "start_date": "2024-01-01", "end_date": "2024-06-30"},
    )
    assert Referral.objects.count() == 1


def test_a_birth_date_after_a_record_of_the_client_is_refused(sa, person):
    TrajectoryFactory(client=person, start_date=datetime.date(2023, 2, 1), external_id="t1")
    edit = reverse("desk:client_edit", kwargs={"pk": person.pk})
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": "2023-03-01",  # after the GPMI, before the assignment (2024)
        "gender": person.gender,
        "national_number": "",
        "household": "",
        "version": person.version,
    }
    html = sa.post(edit, data, **HTMX).content.decode()
    assert "Er is een record van deze cliënt vóór deze geboortedatum (GPMI 01/02/2023, id t1)." in (
        html
    )
    person.refresh_from_db()
    assert person.birth_date == datetime.date(1985, 7, 30)
