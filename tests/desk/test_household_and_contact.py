"""Contact details and household members in the client file."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from casework.models import HouseholdMember
from core import writes
from tests.desk.test_views_client_file import VALID_NN, add_url, edit_url, file_url
from tests.factories import HouseholdMemberFactory
from tests.records.bundles import nn_for

pytestmark = pytest.mark.django_db

CHILD_BIRTH = datetime.date(2014, 3, 9)


@pytest.fixture
def sa(client, staff):
    client.force_login(staff.users["sa"])
    return client


@pytest.fixture
def person(staff):
    return staff.client_of(
        "sa",
        first_name="An",
        last_name="Peeters",
        birth_date=datetime.date(1985, 7, 30),
        national_number=VALID_NN,
    )


def identity(**extra):
    return {
        "first_name": "An",
        "last_name": "Peeters",
        "birth_date": "1985-07-30",
        "gender": "f",
        "national_number": VALID_NN,
        "household": "single",
        **extra,
    }


def test_contact_details_are_saved_and_shown_on_the_file(sa, person):
    response = sa.post(
        reverse("desk:client_edit", kwargs={"pk": person.pk}),
        identity(
            street="Bruul",
            house_number="12 bus 3",
            postcode="2800",
            municipality="Mechelen",
            phone="015 12 34 56",
            email="an@example.be",
            language="fr",
            interpreter_needed="on",
            version=person.version,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = sa.get(file_url(person)).content.decode()
    assert "Bruul 12 bus 3, 2800 Mechelen" in page
    assert 'href="mailto:an@example.be"' in page
    assert "Frans" in page
    assert "tolk nodig" in page


def test_a_language_that_is_no_code_and_a_bad_email_are_refused_in_dutch(sa, person):
    response = sa.post(
        reverse("desk:client_edit", kwargs={"pk": person.pk}),
        identity(language="f1", email="an@", version=person.version),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Geef een taalcode van 2 of 3 kleine letters" in page
    assert "e-mailadres" in page
    person.refresh_from_db()
    assert (person.language, person.email) == ("", "")


def test_a_dependant_child_makes_the_client_a_person_with_a_family_to_support(sa, person):
    assert "ja: persoon met gezinslast" not in sa.get(file_url(person)).content.decode()
    response = sa.post(
        add_url(person, "household-member"),
        {
            "relation": "child",
            "first_name": "Aydın",
            "last_name": "Peeters",
            "birth_date": "2014-03-09",
            "national_number": "14.03.09-001.",  # incomplete: refused first
            "lives_with_client": "on",
            "dependant": "on",
            "start_date": "2014-03-09",
        },
    )
    assert response.status_code == 200
    assert "Een rijksregisternummer telt 11 cijfers." in response.content.decode()
    assert not HouseholdMember.objects.exists()

    number = nn_for(CHILD_BIRTH, 1)
    response = sa.post(
        add_url(person, "household-member"),
        {
            "relation": "child",
            "first_name": "Aydın",
            "last_name": "Peeters",
            "birth_date": "2014-03-09",
            "national_number": f"{number[:6]}-{number[6:9]}.{number[9:]}",
            "lives_with_client": "on",
            "dependant": "on",
            "start_date": "2014-03-09",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    child = HouseholdMember.objects.get()
    assert (child.client, child.national_number, child.dependant) == (person, number, True)
    page = sa.get(file_url(person)).content.decode()
    assert "ja: persoon met gezinslast" in page
    assert "kind Aydın Peeters (09/03/2014), ten laste" in page
    assert AuditEntry.objects.filter(
        action="create", object_type="casework.householdmember", object_id=str(child.pk)
    ).exists()


def test_a_member_who_left_the_household_is_no_dependant_any_more(sa, person):
    HouseholdMemberFactory(
        client=person,
        birth_date=CHILD_BIRTH,
        start_date=CHILD_BIRTH,
        end_date=datetime.date(2024, 12, 31),
    )
    assert "ja: persoon met gezinslast" not in sa.get(file_url(person)).content.decode()
    assert not HouseholdMember.objects.dependants_on(datetime.date(2025, 1, 1)).exists()
    assert HouseholdMember.objects.dependants_on(datetime.date(2024, 12, 31)).count() == 1


def test_a_stale_edit_of_a_household_member_is_refused(sa, person):
    member = HouseholdMemberFactory(client=person, birth_date=CHILD_BIRTH, start_date=CHILD_BIRTH)
    writes.record_update(instance=member, first_name="Lotte-Marie")
    response = sa.post(
        edit_url(person, "household-member", member),
        {
            "relation": "child",
            "first_name": "Lot",
            "last_name": member.last_name,
            "start_date": "2014-03-09",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit record intussen gewijzigd" in response.content.decode()
    member.refresh_from_db()
    assert member.first_name == "Lotte-Marie"


def test_the_same_national_number_twice_in_one_household_is_refused(sa, person):
    number = nn_for(CHILD_BIRTH, 1)
    HouseholdMemberFactory(
        client=person, birth_date=CHILD_BIRTH, start_date=CHILD_BIRTH, national_number=number
    )
    response = sa.post(
        add_url(person, "household-member"),
        {
            "relation": "child",
            "first_name": "Lotte",
            "last_name": "Peeters",
            "birth_date": "2014-03-09",
            "national_number": number,
            "start_date": "2014-03-09",
        },
    )
    assert response.status_code == 200
    assert "al een gezinslid met dit rijksregisternummer" in response.content.decode()
    assert HouseholdMember.objects.count() == 1


def test_a_household_member_is_shown_with_the_household_not_under_what_runs_now(sa, person):
    HouseholdMemberFactory(client=person, birth_date=CHILD_BIRTH, start_date=CHILD_BIRTH)
    response = sa.get(file_url(person))
    assert response.context["household_members"].count() == 1
    assert [entry.kind.slug for entry in response.context["running"]] == []
    assert [entry.kind.slug for entry in response.context["entries"]] == ["household-member"]
