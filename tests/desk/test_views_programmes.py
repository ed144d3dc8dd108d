"""Programme pages: results per year and cost per result, JobRoad screenings, DUO for a JOB."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Referral
from tests.factories import (
    ProgrammeFactory,
    ProgrammeFundingFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("programmes:programme_list")


def login(client, staff, name):
    client.force_login(staff.users[name])
    return client


@pytest.fixture
def duo(staff):
    """DUO for a JOB in 2024: 10 participants, 3 permanent jobs, 1 temporary job,
    2 trainings, 4 without result; 70,000 euro funding."""
    programme = ProgrammeFactory(
        organisation=staff.organisation, code="duo_for_a_job", name="DUO for a JOB"
    )
    ProgrammeFundingFactory(programme=programme, year=2024, amount_eur=Decimal("70000.00"))
    outcomes = ["permanent_job"] * 3 + ["temporary_job"] + ["training"] * 2 + ["none"] * 4
    for i, outcome in enumerate(outcomes):
        ReferralFactory(
            client=staff.client_of("other_sa"),
            programme=programme,
            start_date=datetime.date(2024, 1 + i, 1),
            end_date=datetime.date(2024, 12, 31),
            outcome=outcome,
        )
    return programme


def test_results_per_year_and_cost_per_result(client, staff, duo):
    login(client, staff, "manager")
    response = client.get(LIST)
    assert response.status_code == 200
    [(programme, results)] = [row for row in response.context["rows"] if row[0] == duo]
    year = dict(results)["2024"]
    assert year["participants"] == 10
    assert (year["permanent_job"], year["permanent_job_percent"]) == (3, 30)
    assert (year["to_work"], year["to_work_percent"]) == (4, 40)
    assert (year["broader_result"], year["broader_result_percent"]) == (6, 60)
    assert year["cost_per_participant_eur"] == 7000.0
    assert year["cost_per_broader_result_eur"] == pytest.approx(11666.67)
    html = response.content.decode()
    assert "€ 70.000,00" in html
    assert "€ 11.666,67" in html
    assert "3 (30%)" in html
    # The definition stands next to the figures.
    assert "ruimer resultaat" in html.lower()


def test_figures_only_no_names_for_a_manager(client, staff, duo):
    login(client, staff, "manager")
    response = client.get(reverse("programmes:programme_detail", kwargs={"pk": duo.pk}))
    assert response.status_code == 200
    assert "my_running" not in response.context
    for referral in Referral.objects.select_related("client"):
        assert referral.client.last_name not in response.content.decode()


def test_duo_running_mentorships_and_names_of_my_clients_only(client, staff):
    programme = ProgrammeFactory(
        organisation=staff.organisation, code="duo_for_a_job", name="DUO for a JOB"
    )
    today = timezone.localdate()
    mine = staff.client_of("sa", last_name="Mentee")
    ReferralFactory(client=mine, programme=programme, start_date=today)
    stranger = staff.client_of("other_sa", last_name="Vreemd")
    ReferralFactory(client=stranger, programme=programme, start_date=today)
    login(client, staff, "sa")
    response = client.get(reverse("programmes:programme_detail", kwargs={"pk": programme.pk}))
    assert response.context["running_count"] == 2
    assert [r.client for r in response.context["my_running"]] == [mine]
    html = response.content.decode()
    assert "Mentee" in html
    assert "Vreemd" not in html
    assert "lopende mentortrajecten" in html


def test_jobroad_screenings_with_capacity_participants_free_places_and_outcomes(client, staff):
    jobroad = ProgrammeFactory(organisation=staff.organisation, code="jobroad", name="JobRoad")
    session = ProgrammeSessionFactory(
        programme=jobroad, date=datetime.date(2024, 3, 15), capacity=3
    )
    for outcome in ("permanent_job", ""):
        ReferralFactory(
            client=staff.client_of("sa"),
            programme=jobroad,
            session=session,
            start_date=datetime.date(2024, 3, 1),
            outcome=outcome,
        )
    login(client, staff, "sa")
    response = client.get(reverse("programmes:programme_detail", kwargs={"pk": jobroad.pk}))
    [row] = list(response.context["sessions"].rows)
    assert row.get_cell("capacity") == 3
    assert row.get_cell("participants") == 2
    assert row.get_cell("free_places") == 1
    assert row.get_cell("outcome_permanent_job") == 1
    assert row.get_cell("outcome_pending") == 1
    assert "15/03/2024" in response.content.decode()


def test_refer_one_of_my_clients_to_a_screening(client, staff):
    jobroad = ProgrammeFactory(organisation=staff.organisation, code="jobroad", name="JobRoad")
    session = ProgrammeSessionFactory(
        programme=jobroad, date=timezone.localdate() + datetime.timedelta(days=14), capacity=35
    )
    person = staff.client_of("sa", last_name="Peeters")
    login(client, staff, "sa")
    url = reverse("programmes:session_detail", kwargs={"pk": session.pk})
    page = client.get(url)
    assert page.context["free_places"] == 35
    assert person in page.context["form"].fields["client"].queryset
    response = client.post(
        url, {"client": person.pk, "start_date": timezone.localdate().isoformat()}, follow=True
    )
    referral = Referral.objects.get()
    assert (referral.client, referral.session, referral.programme) == (person, session, jobroad)
    assert "is toegeleid" in response.content.decode()
    assert response.context["free_places"] == 34
    # Already in: no longer a choice.
    assert person not in response.context["form"].fields["client"].queryset


def test_a_client_of_another_team_cannot_be_referred(client, staff):
    jobroad = ProgrammeFactory(organisation=staff.organisation, code="jobroad", name="JobRoad")
    session = ProgrammeSessionFactory(
        programme=jobroad, date=timezone.localdate() + datetime.timedelta(days=14)
    )
    stranger = staff.client_of("other_sa")
    login(client, staff, "sa")
    response = client.post(
        reverse("programmes:session_detail", kwargs={"pk": session.pk}),
        {"client": stranger.pk, "start_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "client" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_a_referral_date_before_birth_is_refused_with_a_dutch_message(client, staff):
    jobroad = ProgrammeFactory(organisation=staff.organisation, code="jobroad", name="JobRoad")
    session = ProgrammeSessionFactory(programme=jobroad, date=timezone.localdate())
    person = staff.client_of("sa")
    login(client, staff, "sa")
    response = client.post(
        reverse("programmes:session_detail", kwargs={"pk": session.pk}),
        {"client": person.pk, "start_date": "1950-01-01"},
    )
    assert "vóór de geboortedatum" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_full_screening_offers_no_form(client, staff):
    jobroad = ProgrammeFactory(organisation=staff.organisation, code="jobroad", name="JobRoad")
    session = ProgrammeSessionFactory(programme=jobroad, date=timezone.localdate(), capacity=1)
    ReferralFactory(client=staff.client_of("sa"), programme=jobroad, session=session)
    login(client, staff, "sa")
    response = client.get(reverse("programmes:session_detail", kwargs={"pk": session.pk}))
    assert response.context["is_full"]
    assert "volzet" in response.content.decode()


def test_a_manager_cannot_refer(client, staff):
    jobroad = ProgrammeFactory(organisation=staff.organisation, code="jobroad", name="JobRoad")
    session = ProgrammeSessionFactory(programme=jobroad, date=timezone.localdate())
    person = staff.client_of("sa")
    login(client, staff, "manager")
    url = reverse("programmes:session_detail", kwargs={"pk": session.pk})
    assert client.get(url).context["form"] is None
    response = client.post(url, {"client": person.pk, "start_date": "2025-01-01"})
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_a_programme_of_another_organisation_is_404(client, staff):
    elsewhere = ProgrammeFactory(code="jobroad")
    login(client, staff, "sa")
    assert (
        client.get(reverse("programmes:programme_detail", kwargs={"pk": elsewhere.pk})).status_code
        == 404
    )


def test_programme_pages_need_a_role(client, staff, django_user_model):
    assert client.get(LIST).status_code == 302
    client.force_login(django_user_model.objects.create(username="nobody"))
    assert client.get(LIST).status_code == 403


def test_years_without_activity_are_left_out(client, staff, duo):
    login(client, staff, "manager")
    response = client.get(reverse("programmes:programme_detail", kwargs={"pk": duo.pk}))
    assert [year for year, _figures in response.context["results"]] == ["2024"]
