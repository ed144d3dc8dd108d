"""Break glass: a file outside the caseload, found exactly, with a reason, time-limited, logged."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import BreakGlassGrant
from audit.models import AuditAction, AuditEntry
from casework import services
from tests.factories import ClientFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit:break_glass")
REASON = "Collega Els met verlof; cliënt belt over de huurwaarborg"
OTHER_NN = "90061500126"  # born 15/06/1990, as the world's clients


@pytest.fixture
def other(world):
    client = world.clients["other"]
    services.client_update(client=client, national_number=OTHER_NN)
    return client


def test_the_page_asks_for_the_client_and_a_reason_by_post(world, client):
    client.force_login(world.user("sa"))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html
    assert 'name="reason"' in html
    assert 'name="national_number"' in html


def test_a_grant_by_national_number_opens_the_file_and_is_logged(world, client, other):
    client.force_login(world.user("sa"))
    file_url = reverse("desk:client_detail", args=[other.pk])
    assert client.get(file_url).status_code == 404
    response = client.post(URL, {"national_number": "90.06.15-001.26", "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == file_url
    assert OTHER_NN not in response["Location"]
    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.client, grant.reason) == (world.user("sa"), other, REASON)
    hours = (grant.expires_at - grant.granted_at).total_seconds() / 3600
    assert hours == 8
    [entry] = AuditEntry.objects.filter(action=AuditAction.BREAK_GLASS)
    assert (entry.username, entry.client_id, entry.reason) == ("sa", other.pk, REASON)
    assert entry.source == f"page:{URL}"
    # The file opens now; the read is logged with the reason of the grant.
    assert client.get(file_url).status_code == 200
    read = AuditEntry.objects.filter(action=AuditAction.READ, client_id=other.pk).get()
    assert read.reason == REASON


def test_a_grant_by_exact_name_and_birth_date(world, client, other):
    client.force_login(world.user("sa"))
    response = client.post(
        URL,
        {
            "last_name": "client",
            "first_name": "OTHER",
            "birth_date": "15/06/1990",
            "reason": REASON,
        },
    )
    assert response.status_code == 302
    assert BreakGlassGrant.objects.get().client == other


def test_the_grant_expires(world, client, other, settings):
    settings.TRAJECT_BREAK_GLASS_HOURS = 1
    client.force_login(world.user("sa"))
    client.post(URL, {"national_number": OTHER_NN, "reason": REASON})
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=1)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - datetime.timedelta(hours=2),
        expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert client.get(reverse("desk:client_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"national_number": OTHER_NN, "reason": ""}, "Dit veld is verplicht"),
        ({"national_number": OTHER_NN, "reason": "even kijken"}, "minstens 20 tekens"),
        ({"last_name": "Client", "reason": REASON}, "geboortedatum"),
        ({"national_number": "123", "reason": REASON}, "11 cijfers"),
        ({"national_number": "90061500225", "reason": REASON}, "Geen cliënt gevonden"),
        (
            {
                "last_name": "Client",
                "first_name": "Other",
                "birth_date": "31/02/1990",
                "reason": REASON,
            },
            "geldige datum",
        ),
    ],
)
def test_bad_input_gets_a_dutch_error_and_no_grant(world, client, other, data, message):
    client.force_login(world.user("sa"))
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_an_unmatched_search_is_logged_as_denied(world, client, other):
    client.force_login(world.user("sa"))
    client.post(URL, {"national_number": "90061500225", "reason": REASON})
    [entry] = AuditEntry.objects.filter(action=AuditAction.DENIED)
    assert REASON in entry.reason
    assert "90061500225" not in str(entry.changes) + entry.source


def test_two_clients_with_the_same_name_and_birth_date_need_the_national_number(
    world, client, other
):
    ClientFactory(
        organisation=world.organisation,
        first_name="Other",
        last_name="Client",
        birth_date=datetime.date(1990, 6, 15),
    )
    client.force_login(world.user("sa"))
    response = client.post(
        URL,
        {
            "last_name": "Client",
            "first_name": "Other",
            "birth_date": "15/06/1990",
            "reason": REASON,
        },
    )
    assert "meerdere cliënten" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_a_client_of_another_organisation_cannot_be_found(world, client):
    elsewhere = ClientFactory(
        organisation=OrganisationFactory(code="elders"), national_number=OTHER_NN
    )
    client.force_login(world.user("sa"))
    response = client.post(URL, {"national_number": OTHER_NN, "reason": REASON})
    assert "Geen cliënt gevonden" in response.content.decode()
    assert not BreakGlassGrant.objects.filter(client=elsewhere).exists()


def test_a_client_already_in_the_caseload_needs_no_grant(world, client):
    own = world.clients["own"]
    client.force_login(world.user("sa"))
    response = client.post(
        URL,
        {"last_name": "Client", "first_name": "Own", "birth_date": "15/06/1990", "reason": REASON},
    )
    assert response["Location"] == own.get_absolute_url()
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("user", ["manager", "administrator", "dpo"])
def test_roles_without_casework_cannot_break_glass(world, client, other, user):
    client.force_login(world.user(user))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"national_number": OTHER_NN, "reason": REASON}).status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_anonymous_users_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_menu_links_to_break_glass_for_casework_roles_only(world, client):
    client.force_login(world.user("sa"))
    assert f'href="{URL}"' in client.get(reverse("desk:home")).content.decode()
    client.force_login(world.user("manager"))
    assert f'href="{URL}"' not in client.get(reverse("desk:home")).content.decode()


def test_a_file_opened_through_break_glass_says_so_with_the_reason(world, client, other):
    client.force_login(world.user("sa"))
    client.post(URL, {"national_number": OTHER_NN, "reason": REASON})
    grant = BreakGlassGrant.objects.get()
    html = client.get(reverse("desk:client_detail", args=[other.pk])).content.decode()
    until = timezone.localtime(grant.expires_at).strftime("%d/%m/%Y %H:%M")
    assert f"dit dossier valt buiten je caseload en is open tot {until}" in html
    assert f"Reden: {REASON}." in html
    # The own caseload's files do not.
    own = client.get(reverse("desk:client_detail", args=[world.clients["own"].pk]))
    assert "Noodtoegang:" not in own.content.decode()
