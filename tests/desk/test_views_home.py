"""Login and logout, the home page per role, the work queue page, language, error pages."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import IncomeRightFactory, MmppScreeningFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

HOME = reverse("desk:home")
QUEUE = reverse("desk:workqueue")


def login(client, staff, name):
    client.force_login(staff.users[name])
    return client


def test_login_page_is_dutch_and_logs_in(client, organisation, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_user("an", password="een-lang-wachtwoord-42")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="nl-be">' in html
    assert "Aanmelden bij Traject" in html
    assert 'for="id_username"' in html
    assert 'for="id_password"' in html
    response = client.post(
        reverse("login"), {"username": "an", "password": "een-lang-wachtwoord-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_a_wrong_password_gets_a_dutch_message(client, organisation, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_user("an", password="een-lang-wachtwoord-42")
    response = client.post(reverse("login"), {"username": "an", "password": "fout"})
    assert response.status_code in (200, 403, 429)
    if response.status_code == 200:
        assert "wachtwoord" in response.content.decode()


def test_logout_goes_back_to_login(client, staff):
    login(client, staff, "sa")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302


def test_home_of_a_social_assistant_shows_queue_and_caseload_summary(client, staff):
    person = staff.client_of("sa", last_name="Peeters")
    IncomeRightFactory(client=person, start_date=timezone.localdate())
    login(client, staff, "sa")
    response = client.get(HOME)
    html = response.content.decode()
    assert "Mijn werkbak" in html
    assert "GPMI laten ondertekenen" in html
    assert f'href="/clients/{person.pk}/trajectory/new/?kind=gpmi"' in html
    assert response.context["my_summary"] == {
        "clients": 1,
        "income": 1,
        "gpmi": 0,
        "article60": 0,
        "vdab": 0,
    }
    # No team view and no figures for a social assistant.
    assert "team_counts" not in response.context
    assert "figures" not in response.context
    assert 'href="/team/"' not in html


def test_home_of_a_social_assistant_includes_health_items_of_own_clients(client, staff):
    person = staff.client_of("sa")
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2020, 1, 1))
    login(client, staff, "sa")
    assert "Uitleidgesprek" in client.get(HOME).content.decode()


def test_home_of_a_team_lead_shows_the_team_queue_and_figures(client, staff):
    IncomeRightFactory(client=staff.client_of("colleague"), start_date=datetime.date(2025, 1, 1))
    login(client, staff, "lead")
    response = client.get(HOME)
    counts = dict((rule, n) for rule, _label, n in response.context["team_counts"])
    assert counts["gpmi_to_sign"] == 1
    assert counts["vdab_missing"] == 1
    figures = response.context["figures"]
    assert [row.team for row in figures.teams] == [staff.team_a]
    assert figures.clients == 1
    assert 'href="/team/"' in response.content.decode()


def test_home_of_a_manager_shows_figures_per_social_assistant_only(client, staff):
    staff.client_of("sa", last_name="Geheim")
    login(client, staff, "manager")
    response = client.get(HOME)
    html = response.content.decode()
    assert "Caseload per maatschappelijk assistent" in html
    assert "Geheim" not in html
    assert "my_summary" not in response.context
    figures = response.context["figures"]
    assert {row.team for row in figures.teams} == {staff.team_a, staff.team_b}
    assert figures.clients == 1
    assert 'href="/programmes/"' in html
    assert f'href="{reverse("reporting:council_report")}"' in html


def test_home_of_an_administrator_links_to_the_admin(client, staff):
    login(client, staff, "administrator")
    html = client.get(HOME).content.decode()
    assert 'href="/admin/"' in html
    assert f'href="{reverse("records:import")}"' in html
    assert "Mijn werkbak" not in html


def test_home_without_role_says_so(client, organisation, django_user_model):
    client.force_login(django_user_model.objects.create(username="nobody"))
    assert "nog geen rol" in client.get(HOME).content.decode()


def test_work_queue_page_filters_by_rule(client, staff):
    person = staff.client_of("sa", last_name="Peeters")
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    TrajectoryFactory(client=person, start_date=datetime.date(2024, 1, 1))
    login(client, staff, "sa")
    response = client.get(QUEUE)
    assert {item.rule for item in response.context["items"]} == {
        "gpmi_evaluation",
        "vdab_missing",
    }
    response = client.get(QUEUE + "?rule=vdab_missing")
    assert [item.rule for item in response.context["items"]] == ["vdab_missing"]
    # An unknown rule shows everything rather than failing.
    assert len(client.get(QUEUE + "?rule=nonsense").context["items"]) == 2


def test_team_lead_switches_between_own_and_team_queue(client, staff):
    IncomeRightFactory(client=staff.client_of("colleague"), start_date=datetime.date(2025, 1, 1))
    login(client, staff, "lead")
    team = client.get(QUEUE)
    assert team.context["scope"] == "team"
    assert len(team.context["items"]) == 2
    assert team.context["show_worker"]
    mine = client.get(QUEUE + "?scope=mine")
    assert mine.context["items"] == []


def test_a_social_assistant_cannot_see_the_team_queue(client, staff):
    IncomeRightFactory(client=staff.client_of("colleague"), start_date=datetime.date(2025, 1, 1))
    login(client, staff, "sa")
    response = client.get(QUEUE + "?scope=team")
    assert response.context["scope"] == "mine"
    assert response.context["items"] == []


def test_managers_have_no_work_queue(client, staff):
    login(client, staff, "manager")
    assert client.get(QUEUE).status_code == 403


def test_language_switch_to_english_and_back(client, staff):
    login(client, staff, "sa")
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    html = client.get(HOME).content.decode()
    assert '<html lang="en">' in html
    client.post(reverse("set_language"), {"language": "nl-be", "next": HOME})
    assert '<html lang="nl-be">' in client.get(HOME).content.decode()


def test_pages_have_no_inline_script_or_style(client, staff):
    person = staff.client_of("sa")
    login(client, staff, "sa")
    for url in (HOME, QUEUE, reverse("desk:caseload"), person.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "<style" not in html
        assert 'style="' not in html
        assert "hx-on" not in html
        assert "/static/vendor/htmx/htmx.min.js" in html


@override_settings(DEBUG=False)
def test_404_page_is_dutch(client, staff):
    login(client, staff, "sa")
    response = client.get("/clients/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert "Foutcode 404" in html


@override_settings(DEBUG=False)
def test_403_page_is_dutch(client, staff):
    login(client, staff, "manager")
    response = client.get(reverse("desk:caseload"))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_500_page_renders_without_a_request(settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Er ging iets mis" in html
    assert "Foutcode 500" in html


def test_team_lead_sees_the_queue_of_one_social_assistant_of_the_team(client, staff):
    IncomeRightFactory(client=staff.client_of("colleague"), start_date=datetime.date(2025, 1, 1))
    IncomeRightFactory(client=staff.client_of("sa"), start_date=datetime.date(2025, 1, 1))
    IncomeRightFactory(client=staff.client_of("other_sa"), start_date=datetime.date(2025, 1, 1))
    login(client, staff, "lead")
    assert len(client.get(QUEUE + "?scope=team").context["items"]) == 4
    one = client.get(QUEUE + f"?scope=team&worker={staff.workers['colleague'].pk}")
    assert one.context["worker"] == staff.workers["colleague"]
    assert {item.social_worker_name for item in one.context["items"]} == {
        staff.workers["colleague"].full_name
    }
    assert len(one.context["items"]) == 2
    # Somebody of another team is not a choice: the whole team is shown instead.
    other = client.get(QUEUE + f"?scope=team&worker={staff.workers['other_sa'].pk}")
    assert other.context["worker"] is None
    assert len(other.context["items"]) == 4
