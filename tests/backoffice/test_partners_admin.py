"""The admin of partner records: client inlines, programmes and sessions, and the
partner rules (non-overlapping placements, session capacity) enforced by the services."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from access.roles import SOCIAL_ASSISTANT, group_name
from casework.models import Client
from partners.models import (
    Article60Placement,
    MmppScreening,
    Programme,
    ProgrammeFunding,
    Referral,
)
from tests.backoffice.test_casework_admin import (
    add_inline_rows,
    admin_url,
    inline_prefix,
    post_data,
)
from tests.factories import (
    Article60PlacementFactory,
    AssignmentFactory,
    ClientFactory,
    MmppScreeningFactory,
    ProgrammeFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def client_file(organisation):
    return ClientFactory(organisation=organisation, first_name="Sara", last_name="Claes")


def test_client_page_has_the_partner_inlines(admin_client, client_file):
    response = admin_client.get(admin_url(Client, "change", client_file.pk))
    inlines = {i.formset.model._meta.model_name for i in response.context["inline_admin_formsets"]}
    assert {
        "article60placement",
        "referral",
        "vdabregistration",
        "employment",
        "mmppscreening",
    } <= inlines


def test_overlapping_placement_in_the_admin_is_a_form_error(admin_client, client_file):
    Article60PlacementFactory(client=client_file, start_date=datetime.date(2024, 1, 1))
    response = admin_client.post(
        admin_url(Article60Placement, "add"),
        {
            "client": client_file.pk,
            "employer_kind": "private",
            "employer_name": "Bakkerij Mertens",
            "start_date": "2024-06-01",
        },
    )
    assert response.status_code == 200
    assert "Deze cliënt heeft in deze periode al een tewerkstelling artikel 60." in (
        response.content.decode()
    )
    assert Article60Placement.objects.filter(client=client_file).count() == 1


def test_two_overlapping_placements_added_at_once_are_refused_by_the_service(
    admin_client, client_file
):
    response = admin_client.get(admin_url(Client, "change", client_file.pk))
    data = post_data(response)
    add_inline_rows(
        data,
        inline_prefix(response, Article60Placement),
        [
            {"employer_kind": "own_service", "start_date": "2024-01-01", "end_date": ""},
            {"employer_kind": "public", "start_date": "2024-03-01", "end_date": "2024-09-30"},
        ],
    )
    response = admin_client.post(admin_url(Client, "change", client_file.pk), data)
    assert response.status_code == 200
    assert "al een tewerkstelling artikel 60" in response.content.decode()
    assert not Article60Placement.objects.filter(client=client_file).exists()


def test_session_capacity_holds_for_participants_added_in_the_admin(admin_client, organisation):
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad")
    session = ProgrammeSessionFactory(programme=jobroad, capacity=2)
    ReferralFactory(
        client=ClientFactory(organisation=organisation), programme=jobroad, session=session
    )
    newcomers = [ClientFactory(organisation=organisation) for _ in range(2)]
    url = admin_url(type(session), "change", session.pk)
    response = admin_client.get(url)
    data = post_data(response)
    add_inline_rows(
        data,
        inline_prefix(response, Referral),
        [{"client": c.pk, "programme": jobroad.pk, "start_date": "2024-03-01"} for c in newcomers],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Deze sessie is volzet (2 deelnemers)." in response.content.decode()
    assert session.referrals.count() == 1


def test_funding_added_on_the_programme_page(admin_client, organisation):
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job", name="DUO for a JOB")
    url = admin_url(Programme, "change", duo.pk)
    response = admin_client.get(url)
    data = post_data(response)
    add_inline_rows(
        data, inline_prefix(response, ProgrammeFunding), [{"year": 2024, "amount_eur": "70000"}]
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert duo.funding.get().amount_eur == 70000


def test_negative_funding_is_a_form_error(admin_client, organisation):
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job", name="DUO for a JOB")
    response = admin_client.post(
        admin_url(ProgrammeFunding, "add"),
        {"programme": duo.pk, "year": 2024, "amount_eur": "-1"},
    )
    assert response.status_code == 200
    assert not ProgrammeFunding.objects.exists()


def test_session_list_counts_participants(admin_client, organisation):
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad")
    session = ProgrammeSessionFactory(programme=jobroad, capacity=35)
    for _ in range(3):
        ReferralFactory(
            client=ClientFactory(organisation=organisation), programme=jobroad, session=session
        )
    response = admin_client.get(admin_url(type(session), "changelist"))
    [row] = response.context["cl"].result_list
    assert row.participant_total == 3


def test_referrals_filtered_by_programme(admin_client, organisation):
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad")
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job", name="DUO for a JOB")
    ReferralFactory(client=ClientFactory(organisation=organisation), programme=jobroad)
    ReferralFactory(client=ClientFactory(organisation=organisation), programme=duo)
    response = admin_client.get(
        admin_url(Referral, "changelist"), {"programme__code__exact": "duo_for_a_job"}
    )
    assert [r.programme for r in response.context["cl"].result_list] == [duo]


def test_staff_team_colleague_sees_placements_but_not_health_data(client, organisation):
    team = TeamFactory(organisation=organisation)
    assigned = SocialWorkerFactory(organisation=organisation, team=team)
    user = UserFactory(
        username="collega",
        is_staff=True,
        groups=[Group.objects.get(name=group_name(SOCIAL_ASSISTANT))],
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_client", "view_article60placement", "view_mmppscreening"]
        )
    )
    SocialWorkerFactory(organisation=organisation, team=team, user=user)
    sara = ClientFactory(organisation=organisation, last_name="Claes")
    other = ClientFactory(organisation=organisation, last_name="Elders")
    AssignmentFactory(client=sara, social_worker=assigned)
    for c in (sara, other):
        Article60PlacementFactory(client=c)
        MmppScreeningFactory(client=c)
    client.force_login(user)
    placements = client.get(admin_url(Article60Placement, "changelist")).context["cl"].result_list
    assert [p.client for p in placements] == [sara]
    # Health data: only the assigned social assistant, the team lead and the DPO.
    mmpp = client.get(admin_url(MmppScreening, "changelist"))
    assert mmpp.status_code == 200
    assert list(mmpp.context["cl"].result_list) == []
    sara_mmpp = sara.mmpp_screenings.get()
    # Not found for this user: the admin sends them back to its index.
    assert client.get(admin_url(MmppScreening, "change", sara_mmpp.pk)).status_code == 302


def test_programme_choices_on_a_client_are_those_of_its_organisation(admin_client, client_file):
    from partners.services import organisation_get_or_create

    organisation_get_or_create(code="lier", name="OCMW Lier")
    ProgrammeFactory(organisation=client_file.organisation, code="jobroad", name="JobRoad")
    response = admin_client.get(admin_url(Client, "change", client_file.pk))
    [referrals] = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is Referral
    ]
    choices = referrals.formset.empty_form.fields["programme"].queryset
    assert choices.exists()
    assert set(choices.values_list("organisation", flat=True)) == {client_file.organisation_id}
