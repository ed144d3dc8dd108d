"""Every list, export and command that shows client data names the clients it showed in
the audit trail (`listed`, or `export` for files), one bulk insert per page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from audit.services import audit_list_read
from desk.views.team import TRANSFER_SESSION_KEY
from tests.factories import (
    ClientFactory,
    ClientNoteFactory,
    ExemptionFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    ProgrammeFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


def listed(action=AuditAction.LISTED, **filters):
    """{client id: the list it was shown in} of the entries written."""
    entries = AuditEntry.objects.filter(action=action, **filters)
    return {entry.client_id: entry.changes.get("list") for entry in entries}


@pytest.fixture
def due(world):
    """An income right without VDAB registration: every client is in the work queue."""
    for client in world.clients.values():
        IncomeRightFactory(client=client, start_date=datetime.date(2025, 1, 1))
    return world


def test_audit_list_read_writes_one_entry_per_client_in_one_insert(world, rf):
    request = rf.get("/clients/", REMOTE_ADDR="192.0.2.4")
    request.user = world.user("sa")

    def queries_for(clients) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert audit_list_read(request, clients, "caseload") == len(clients)
        return len(queries)

    few = queries_for([c.pk for c in world.clients.values()])
    many = queries_for([ClientFactory(organisation=world.organisation).pk for _ in range(30)])
    # Constant: the chain's head, the clients' organisations, a savepoint and one insert
    # (executemany on SQLite; COPY on PostgreSQL is not counted).
    assert few == many <= 5
    entry = AuditEntry.objects.get(client_id=world.clients["own"].pk)
    assert (entry.username, entry.source, entry.address) == ("sa", "page:/clients/", "192.0.2.4")
    assert entry.object_id == str(world.clients["own"].pk)
    assert entry.changes == {"list": "caseload"}


def test_the_caseload_page_names_the_clients_on_it(world, client):
    client.force_login(world.user("sa"))
    client.post(reverse("desk:caseload"), {"caseload": "team"})
    assert listed() == {}  # the POST redirects: nothing shown yet
    client.get(reverse("desk:caseload"))
    assert listed() == {
        world.clients["own"].pk: "caseload",
        world.clients["team"].pk: "caseload",
    }


def test_htmx_search_results_name_the_clients_found(world, client):
    client.force_login(world.user("sa"))
    client.post(reverse("desk:caseload"), {"q": "Own", "caseload": "team"}, HTTP_HX_REQUEST="true")
    assert set(listed()) == {world.clients["own"].pk}


def test_the_caseload_export_names_every_client_in_the_file(world, client):
    client.force_login(world.user("sa"))
    client.post(reverse("desk:caseload"), {"caseload": "team"})
    client.get(reverse("desk:caseload") + "?export=csv")
    exported = AuditEntry.objects.filter(action=AuditAction.EXPORT, client_id__isnull=False)
    assert {e.client_id for e in exported} == {
        world.clients["own"].pk,
        world.clients["team"].pk,
    }
    assert all(e.changes == {"list": "caseload_export", "format": "csv"} for e in exported)


def test_the_work_queue_and_the_home_page_name_their_clients(due, client):
    client.force_login(due.user("sa"))
    client.get(reverse("desk:home"))
    assert listed() == {due.clients["own"].pk: "workqueue:home"}
    client.get(reverse("desk:workqueue"))
    assert AuditEntry.objects.filter(action=AuditAction.LISTED).count() == 2


def test_the_team_queue_names_the_teams_clients(due, client):
    client.force_login(due.user("lead"))
    client.get(reverse("desk:workqueue") + "?scope=team")
    assert listed() == {
        due.clients["own"].pk: "workqueue:team",
        due.clients["team"].pk: "workqueue:team",
    }


def test_programme_participants_are_named(world, client):
    programme = ProgrammeFactory(organisation=world.organisation, code="jobroad")
    session = ProgrammeSessionFactory(programme=programme, capacity=None)
    ReferralFactory(client=world.clients["own"], programme=programme, session=session)
    client.force_login(world.user("sa"))
    client.get(reverse("programmes:programme_detail", args=[programme.pk]))
    assert listed() == {world.clients["own"].pk: "programme_participants"}
    client.get(reverse("programmes:session_detail", args=[session.pk]))
    lists = [e.changes["list"] for e in AuditEntry.objects.filter(action=AuditAction.LISTED)]
    assert "session_participants" in lists
    # The referral form lists no names until one searches; then the clients found.
    assert "session_candidates" not in lists
    team = world.clients["team"]
    client.post(
        reverse("programmes:session_detail", args=[session.pk]),
        {"search": "1", "client_search": team.last_name},
        headers={"HX-Request": "true"},
    )
    found = AuditEntry.objects.filter(action=AuditAction.LISTED, changes__list="session_candidates")
    assert team.pk in {entry.client_id for entry in found}


def test_the_transfer_confirmation_and_result_name_their_clients(world, client):
    client.force_login(world.user("lead"))
    response = client.post(
        reverse("desk:transfer"),
        {
            "from_social_worker": world.social_workers["sa"].pk,
            "to_social_worker": world.social_workers["colleague"].pk,
            "day": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert listed() == {world.clients["own"].pk: "transfer_confirmation"}
    session = client.session
    session[TRANSFER_SESSION_KEY] = {
        "from": "a",
        "to": "b",
        "day": datetime.date.today().isoformat(),
        "clients": [world.clients["own"].pk],
    }
    session.save()
    client.get(reverse("desk:transfer_done"))
    assert AuditEntry.objects.filter(changes__list="transfer_done").count() == 1


@pytest.mark.parametrize(
    "app,model,factory",
    [
        ("casework", "client", None),
        ("partners", "mmppscreening", MmppScreeningFactory),
        ("casework", "exemption", ExemptionFactory),
        ("casework", "clientnote", ClientNoteFactory),
    ],
)
def test_admin_changelists_name_the_clients_of_their_rows(
    world, client, settings, app, model, factory
):
    settings.TRAJECT_ADMIN_OTP_REQUIRED = False
    if factory is not None:
        factory(client=world.clients["other"])
    client.force_login(world.user("superuser"))
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    expected = (
        set(c.pk for c in world.clients.values())
        if factory is None
        else {world.clients["other"].pk}
    )
    assert set(listed()) == expected
    assert set(listed().values()) == {f"admin:{app}.{model}"}


def test_the_admin_autocomplete_names_the_clients_it_answers(world, client, settings):
    settings.TRAJECT_ADMIN_OTP_REQUIRED = False
    client.force_login(world.user("superuser"))
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Own",
            "app_label": "casework",
            "model_name": "incomeright",
            "field_name": "client",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(world.clients["own"].pk)]
    assert listed() == {world.clients["own"].pk: "admin:autocomplete"}


def test_export_records_takes_a_user_and_names_every_client(world, tmp_path):
    ClientFactory(organisation=world.organisation, first_name="Four")
    call_command(
        "export_records",
        "mechelen",
        str(tmp_path / "out"),
        "--user",
        "administrator",
        stdout=io.StringIO(),
    )
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert entries.count() == 4
    assert {e.username for e in entries} == {"administrator"}
    assert {e.source for e in entries} == {"command:export_records"}


def test_a_refused_read_belongs_to_the_organisation_of_the_client_asked_for(world, client):
    """A refused look at another OCMW's client is that OCMW's DPO's to see, not the
    organisation of whoever tried."""
    from tests.factories import ClientFactory, OrganisationFactory

    stranger = ClientFactory(organisation=OrganisationFactory())
    client.force_login(world.user("sa"))
    assert client.get(reverse("desk:client_detail", args=[stranger.pk])).status_code == 404
    entry = AuditEntry.objects.get(action="denied", client_id=stranger.pk)
    assert entry.organisation_id == stranger.organisation_id != world.organisation.pk
