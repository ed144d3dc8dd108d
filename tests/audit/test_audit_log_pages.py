"""The DPO searches the audit log (user, client, action, dates) and exports it as CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
EXPORT = reverse("audit:log_export")


@pytest.fixture
def log(world):
    here = world.organisation.pk
    return {
        "read": AuditEntry.objects.create(
            action=AuditAction.READ, username="sa", client_id=11, organisation_id=here
        ),
        "denied": AuditEntry.objects.create(
            action=AuditAction.DENIED, username="other_sa", client_id=11, organisation_id=here
        ),
        "old": AuditEntry.objects.create(
            organisation_id=here,
            action=AuditAction.UPDATE,
            username="sa",
            client_id=12,
            at=timezone.now() - datetime.timedelta(days=40),
            changes={"last_name": ["Janssens", "Peeters"]},
            reason="=cmd|' /C calc'!A0",
        ),
    }


def shown(response):
    return {entry.pk for entry in response.context["entries"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "SA"}, {"read", "old"}),
        ({"client": "11"}, {"read", "denied"}),
        ({"action": "denied"}, {"denied"}),
        (
            {"date_to": (timezone.localdate() - datetime.timedelta(days=30)).strftime("%d/%m/%Y")},
            {"old"},
        ),
        (
            {
                "user": "sa",
                "date_from": (timezone.localdate() - datetime.timedelta(days=1)).strftime(
                    "%d/%m/%Y"
                ),
            },
            {"read"},
        ),
    ],
)
def test_the_dpo_searches_by_user_client_action_and_dates(world, client, log, query, expected):
    client.force_login(world.user("dpo"))
    response = client.get(LOG, query)
    assert response.status_code == 200
    assert shown(response) == {log[name].pk for name in expected}


def test_bad_filters_get_a_dutch_error(world, client, log):
    client.force_login(world.user("dpo"))
    response = client.get(LOG, {"client": "abc", "date_from": "31/02/2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voer een geheel getal in." in html
    assert "geldige datum" in html
    assert shown(response) == set()


def test_the_log_pages_without_counting(world, client):
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action=AuditAction.READ,
                username="sa",
                client_id=1,
                organisation_id=world.organisation.pk,
            )
            for _ in range(120)
        ]
    )
    client.force_login(world.user("dpo"))
    first = client.get(LOG)
    assert len(first.context["entries"]) == 50 and first.context["has_next"]
    third = client.get(LOG, {"page": "3"})
    assert third.context["has_next"] is False
    own = AuditEntry.objects.filter(organisation_id=world.organisation.pk)
    assert len(third.context["entries"]) == own.count() - 100


def test_the_export_is_csv_with_the_filters_and_is_itself_logged(world, client, log):
    client.force_login(world.user("dpo"))
    response = client.get(EXPORT, {"user": "sa"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")  # Excel reads UTF-8 only after a byte order mark
    rows = list(csv.DictReader(io.StringIO(content[1:]), delimiter=";"))
    assert {row["username"] for row in rows} == {"sa"}
    assert {row["action"] for row in rows} == {"read", "update"}
    update = next(row for row in rows if row["action"] == "update")
    assert update["changes"] == '{"last_name": ["Janssens", "Peeters"]}'
    # A value that a spreadsheet would run as a formula is neutralised.
    assert update["reason"] == "'=cmd|' /C calc'!A0"
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert export.username == "dpo"
    assert export.changes == {"filters": {"user": "sa"}}


def test_the_dpo_sees_only_the_entries_of_its_own_organisation(world, client, log):
    from access.services import staff_membership_set
    from tests.factories import OrganisationFactory
    from tests.security.world import user_with_role

    gent = OrganisationFactory(code="gent", name="OCMW Gent")
    elsewhere = AuditEntry.objects.create(
        action=AuditAction.READ, username="x", client_id=99, organisation_id=gent.pk
    )
    client.force_login(world.user("dpo"))
    assert elsewhere.pk not in shown(client.get(LOG))
    exported = b"".join(client.get(EXPORT).streaming_content).decode()
    assert ",99," not in exported
    dpo_gent = user_with_role("dpo_gent", "dpo")
    staff_membership_set(user=dpo_gent, organisation=gent)
    client.force_login(dpo_gent)
    seen = shown(client.get(LOG))
    assert elsewhere.pk in seen and not seen & {entry.pk for entry in log.values()}
    # A DPO of no organisation sees nothing at all.
    nowhere = user_with_role("dpo_nowhere", "dpo")
    client.force_login(nowhere)
    assert shown(client.get(LOG)) == set()


@pytest.mark.parametrize("user", ["sa", "lead", "manager", "administrator"])
def test_nobody_else_sees_or_exports_the_log(world, client, log, user):
    client.force_login(world.user(user))
    assert client.get(LOG).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_log_cannot_be_changed_through_any_page(world, client, log):
    client.force_login(world.user("dpo"))
    for url in (LOG, EXPORT):
        client.post(url, {"action": "read"})
    assert AuditEntry.objects.filter(pk=log["read"].pk, action=AuditAction.READ).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 0


def test_anonymous_users_go_to_the_login_page(client):
    for url in (LOG, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_menu_links_the_dpo_to_the_log_and_the_access_request(world, client):
    client.force_login(world.user("dpo"))
    html = client.get(reverse("desk:home")).content.decode()
    assert f'href="{LOG}"' in html
    assert f'href="{reverse("audit:client_search")}"' in html
    client.force_login(world.user("lead"))
    assert f'href="{LOG}"' not in client.get(reverse("desk:home")).content.decode()
