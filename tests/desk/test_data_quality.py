"""The data-quality page: per rule of what is doubtful but possible, the number and the
records concerned with a link that fixes them; team lead and manager only, scoped to
the team or organisation, health data and names only for who may see them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Client
from partners.models import MmppScreening, VdabRegistration
from tests.factories import (
    Article60PlacementFactory,
    ExemptionFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    ProgrammeFactory,
    ReferralFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("desk:data_quality")
TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def rules(response):
    return {rule.code: rule for rule in response.context["rules"]}


@pytest.fixture
def lead(client, staff):
    client.force_login(staff.users["lead"])
    return client


@pytest.fixture
def person(staff):
    client = staff.client_of("sa", last_name="Peeters", first_name="An")
    # Registered at VDAB: only what a test adds is concerned.
    VdabRegistrationFactory(client=client, registered_on=days_ago(2000))
    return client


def test_a_social_assistant_may_not_open_it_anonymous_goes_to_login(client, staff):
    client.force_login(staff.users["sa"])
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_a_warm_handover_without_a_placement_in_the_90_days_before(lead, staff, person):
    ended_long_ago = staff.client_of("sa", last_name="Maes")
    Article60PlacementFactory(
        client=ended_long_ago, start_date=days_ago(800), end_date=days_ago(400)
    )
    VdabRegistrationFactory(client=ended_long_ago, registered_on=days_ago(300), warm_handover=True)
    fine = staff.client_of("sa", last_name="Claes")
    Article60PlacementFactory(client=fine, start_date=days_ago(800), end_date=days_ago(330))
    VdabRegistrationFactory(client=fine, registered_on=days_ago(300), warm_handover=True)
    response = lead.get(URL)
    rule = rules(response)["handover_without_placement"]
    assert [r.client_name for r in rule.records] == [f"Maes, {ended_long_ago.first_name}"]
    registration = VdabRegistration.objects.get(client=ended_long_ago)
    assert rule.records[0].fix_url == reverse(
        "desk:record_edit",
        kwargs={"pk": ended_long_ago.pk, "kind": "vdab", "record_pk": registration.pk},
    )
    assert rule.records[0].fix_url in response.content.decode()


def test_a_gpmi_signed_late_or_not_at_all(lead, staff, person):
    IncomeRightFactory(client=person, start_date=days_ago(400))
    TrajectoryFactory(client=person, start_date=days_ago(200))  # 200 days after: too late
    on_time = staff.client_of("sa", last_name="Claes")
    VdabRegistrationFactory(client=on_time, registered_on=days_ago(2000))
    IncomeRightFactory(client=on_time, start_date=days_ago(400))
    TrajectoryFactory(client=on_time, start_date=days_ago(350))
    exempt = staff.client_of("sa", last_name="Janssens")
    VdabRegistrationFactory(client=exempt, registered_on=days_ago(2000))
    IncomeRightFactory(client=exempt, start_date=days_ago(400))
    ExemptionFactory(client=exempt, kind="gpmi", start_date=days_ago(390))
    rule = rules(lead.get(URL))["gpmi_not_signed"]
    assert [r.client_id for r in rule.records] == [person.pk]
    assert "GPMI pas gestart op" in rule.records[0].detail


def test_a_client_without_vdab_registration_or_exemption(lead, staff, person):
    missing = staff.client_of("sa", last_name="Wouters")
    IncomeRightFactory(client=missing, start_date=days_ago(10))
    exempt = staff.client_of("sa", last_name="Janssens")
    IncomeRightFactory(client=exempt, start_date=days_ago(10))
    ExemptionFactory(client=exempt, kind="vdab_registration", start_date=days_ago(10))
    rule = rules(lead.get(URL))["vdab_missing"]
    assert [r.client_id for r in rule.records] == [missing.pk]
    assert rule.records[0].fix_url == reverse(
        "desk:record_add", kwargs={"pk": missing.pk, "kind": "vdab"}
    )


def test_a_referral_without_outcome_90_days_after_its_end(lead, person):
    programme = ProgrammeFactory(organisation=person.organisation, code="wijkwerken")
    late = ReferralFactory(
        client=person, programme=programme, start_date=days_ago(300), end_date=days_ago(90)
    )
    ReferralFactory(client=person, start_date=days_ago(300), end_date=days_ago(89))
    rule = rules(lead.get(URL))["referral_without_outcome"]
    assert [r.fix_url.rstrip("/").rsplit("/", 1)[-1] for r in rule.records] == [str(late.pk)]


def test_records_refused_today_and_improbable_ones_are_listed(lead, person):
    MmppScreening.objects.bulk_create(  # stored before the rule: bypasses the validation
        [
            MmppScreening(
                client=person,
                organisation=person.organisation,
                advised_on=TODAY + datetime.timedelta(days=5),
                category=3,
                external_id="m-future",
            )
        ]
    )
    Client.objects.filter(pk=person.pk).update(birth_date=datetime.date(1895, 7, 30))
    found = rules(lead.get(URL))
    refused = found["refused_today"].records
    assert [r.detail for r in refused] == ["MMPP-adviezen in de toekomst"]
    assert "m-future" in refused[0].record
    assert [r.client_id for r in found["implausible"].records] == [person.pk]
    assert "ouder dan 100 jaar" in found["implausible"].records[0].detail


def test_the_manager_sees_counts_and_records_but_no_names_links_or_health_data(
    client, staff, person
):
    IncomeRightFactory(client=staff.client_of("sa", last_name="Wouters"), start_date=days_ago(5))
    MmppScreeningFactory(client=person, advised_on=days_ago(10))
    client.force_login(staff.users["manager"])
    response = client.get(URL)
    assert response.status_code == 200
    vdab = rules(response)["vdab_missing"]
    assert vdab.count == 1
    assert vdab.records[0].client_name == ""
    assert vdab.records[0].fix_url == ""
    assert "Wouters" not in response.content.decode()


def test_health_data_only_for_who_may_see_it(client, staff, person):
    MmppScreening.objects.bulk_create(
        [
            MmppScreening(
                client=person,
                organisation=person.organisation,
                advised_on=TODAY + datetime.timedelta(days=5),
                category=3,
                external_id="m-future",
            )
        ]
    )
    client.force_login(staff.users["manager"])
    assert rules(client.get(URL))["refused_today"].count == 0
    client.force_login(staff.users["lead"])
    assert rules(client.get(URL))["refused_today"].count == 1


def test_another_teams_clients_are_not_in_the_team_leads_page(lead, staff):
    other = staff.client_of("other_sa", last_name="Anders")
    IncomeRightFactory(client=other, start_date=days_ago(5))
    assert rules(lead.get(URL))["vdab_missing"].count == 0


def test_the_page_is_in_the_menu_of_a_team_lead(lead, staff):
    html = lead.get(reverse("desk:home")).content.decode()
    assert f'href="{URL}"' in html
