"""Referring a client to a JobRoad session: a search (name in any order, accents ignored,
or national number) instead of a dropdown of every name; results show the birth date,
only clients the user may see, and work without JavaScript."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Referral
from tests.factories import ProgrammeFactory, ProgrammeSessionFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NN = "88031412345"  # not checked here: the search matches digits


@pytest.fixture
def screening(staff):
    jobroad = ProgrammeFactory(organisation=staff.organisation, code="jobroad", name="JobRoad")
    session = ProgrammeSessionFactory(
        programme=jobroad, date=timezone.localdate() + datetime.timedelta(days=14), capacity=35
    )
    return reverse("programmes:session_detail", kwargs={"pk": session.pk})


@pytest.fixture
def people(staff):
    return {
        "an": staff.client_of(
            "sa", first_name="An", last_name="Kénis", birth_date=datetime.date(1988, 3, 14)
        ),
        # The same name, another person: told apart by the birth date.
        "an2": staff.client_of(
            "colleague", first_name="An", last_name="Kenis", birth_date=datetime.date(1990, 7, 2)
        ),
        "stranger": staff.client_of(
            "other_sa", first_name="An", last_name="Kenis", birth_date=datetime.date(1970, 1, 1)
        ),
        "other": staff.client_of("sa", first_name="Bart", last_name="Verborgen"),
    }


def login(client, staff, name="sa"):
    client.force_login(staff.users[name])
    return client


def test_the_page_lists_no_names_until_one_searches(client, staff, screening, people):
    html = login(client, staff).get(screening).content.decode()
    assert 'name="client_search"' in html
    assert "Verborgen" not in html
    assert "<select" not in html.split('id="refer-heading"')[1]


def test_search_as_one_types_finds_by_last_first_accents_ignored_with_birth_dates(
    client, staff, screening, people
):
    response = login(client, staff).post(
        screening, {"search": "1", "client_search": "kenis, an"}, headers=HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="client-results"')
    assert [p.pk for p in response.context["results"]] == [people["an2"].pk, people["an"].pk]
    assert 'Kénis, An <span class="muted">· geboren 14/03/1988</span>' in html
    assert "geboren 02/07/1990" in html
    # A client of another team is no result, and the search is posted, not in a URL.
    assert "01/01/1970" not in html
    assert "Verborgen" not in html


def test_search_by_national_number(client, staff, screening, people):
    people["other"].national_number = NN
    people["other"].save()
    response = login(client, staff).post(
        screening, {"search": "1", "client_search": "88.03.14-123"}, headers=HTMX
    )
    assert [p.pk for p in response.context["results"]] == [people["other"].pk]


def test_too_short_or_nothing_found_says_so(client, staff, screening, people):
    login(client, staff)
    short = client.post(screening, {"search": "1", "client_search": "k"}, headers=HTMX)
    assert "Typ minstens twee tekens." in short.content.decode()
    none = client.post(screening, {"search": "1", "client_search": "zzz"}, headers=HTMX)
    assert "Geen cliënt gevonden" in none.content.decode()


def test_without_javascript_the_search_button_shows_results_and_refers_nobody(
    client, staff, screening, people
):
    response = login(client, staff).post(
        screening,
        {"search": "1", "client_search": "Kenis", "start_date": "2026-01-05"},
    )
    html = response.content.decode()
    assert "<html" in html
    assert f'id="client-choice-{people["an"].pk}"' in html
    assert "Er is niets opgeslagen" not in html
    assert not Referral.objects.exists()
    # Then choosing one and "Toeleiden" refers that person.
    today = timezone.localdate().isoformat()
    done = client.post(screening, {"client": people["an"].pk, "start_date": today}, follow=True)
    assert Referral.objects.get().client == people["an"]
    assert "is toegeleid" in done.content.decode()


def test_a_refused_referral_keeps_the_chosen_client_checked(client, staff, screening, people):
    response = login(client, staff).post(
        screening, {"client": people["an"].pk, "client_search": "", "start_date": "1950-01-01"}
    )
    html = response.content.decode()
    assert "vóór de geboortedatum" in html
    assert f'value="{people["an"].pk}" id="client-choice-{people["an"].pk}" checked' in html
    assert not Referral.objects.exists()


def test_choosing_nobody_gets_a_dutch_message(client, staff, screening, people):
    response = login(client, staff).post(screening, {"start_date": "2026-01-05"})
    assert "Zoek de cliënt en kies die uit de resultaten." in response.content.decode()
    assert not Referral.objects.exists()
