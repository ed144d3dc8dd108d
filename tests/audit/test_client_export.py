"""GDPR art. 15: everything about one client in a file (JSON or XLSX), audited."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audit.exports import client_data, client_record_models, safe_cell
from audit.models import AuditAction, AuditEntry
from casework import services
from tests.factories import (
    Article60PlacementFactory,
    ClientNoteFactory,
    EmploymentFactory,
    ExemptionFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    ReferralFactory,
    TrajectoryEvaluationFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

NN = "90061500126"


@pytest.fixture
def full_file(world):
    """The client `own` with one record of every kind (and one other client's records)."""
    own = world.clients["own"]
    services.client_update(client=own, national_number=NN)
    IncomeRightFactory(client=own)
    trajectory = TrajectoryFactory(client=own)
    TrajectoryEvaluationFactory(trajectory=trajectory, notes="Goed gesprek")
    ExemptionFactory(client=own)
    ClientNoteFactory(client=own, text='=HYPERLINK("http://evil")')
    Article60PlacementFactory(client=own)
    ReferralFactory(client=own)
    VdabRegistrationFactory(client=own)
    EmploymentFactory(client=own)
    MmppScreeningFactory(client=own)
    IncomeRightFactory(client=world.clients["other"])
    return own


def test_every_kind_of_record_of_the_client_is_in_the_export(full_file):
    data = client_data(full_file)
    assert data["client"]["national_number"] == NN
    assert data["client"]["first_name"] == "Own"
    expected = {
        "casework.assignment",
        "casework.incomeright",
        "casework.trajectory",
        "casework.trajectoryevaluation",
        "casework.exemption",
        "casework.clientnote",
        "partners.article60placement",
        "partners.referral",
        "partners.vdabregistration",
        "partners.employment",
        "partners.mmppscreening",
    }
    assert expected <= set(data["records"])
    assert {
        label for label, _path in ((m._meta.label_lower, p) for m, p in client_record_models())
    } >= expected
    # Exactly this client's records: one income right, not the other client's.
    assert len(data["records"]["casework.incomeright"]) == 1
    assert data["records"]["casework.trajectoryevaluation"][0]["notes"] == "Goed gesprek"
    assert data["records"]["casework.exemption"][0]["reason_label"] == "gezondheidsredenen"
    assert data["records"]["casework.assignment"][0]["social_worker"]


def test_the_export_lists_when_the_file_was_consulted_without_staff_names(world, client, full_file):
    client.force_login(world.user("sa"))
    client.get(reverse("desk:client_detail", args=[full_file.pk]))
    data = client_data(full_file)
    assert [a["action"] for a in data["access"]].count("read") == 1
    assert "sa" not in json.dumps(data["access"])


def test_the_dpo_downloads_json_and_the_export_is_logged(world, client, full_file):
    client.force_login(world.user("dpo"))
    url = reverse("audit:client_export", args=[full_file.pk])
    response = client.post(url, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f"traject-client-{full_file.pk}-" in response["Content-Disposition"]
    assert NN not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["client"]["last_name"] == "Client"
    [entry] = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert (entry.username, entry.client_id) == ("dpo", full_file.pk)
    assert entry.changes["format"] == "json"
    assert entry.changes["records"] == sum(len(rows) for rows in data["records"].values())


def test_the_xlsx_has_a_sheet_per_kind_and_no_formulas(world, client, full_file):
    from openpyxl import load_workbook

    client.force_login(world.user("dpo"))
    response = client.post(reverse("audit:client_export", args=[full_file.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Cliënt" in workbook.sheetnames
    assert "notities" in workbook.sheetnames
    notes = workbook["notities"]
    header = [cell.value for cell in notes[1]]
    text = notes.cell(row=2, column=header.index("text") + 1).value
    assert text == '\'=HYPERLINK("http://evil")'
    assert safe_cell("-1") == "'-1"
    assert safe_cell("Jan") == "Jan"


@pytest.mark.parametrize("user", ["sa", "lead", "manager", "administrator"])
def test_other_roles_cannot_export(world, client, full_file, user):
    client.force_login(world.user(user))
    response = client.post(reverse("audit:client_export", args=[full_file.pk]), {"format": "json"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_export_is_post_only_and_refuses_unknown_formats(world, client, full_file):
    client.force_login(world.user("dpo"))
    url = reverse("audit:client_export", args=[full_file.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"format": "pdf"})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_dpo_finds_the_client_by_national_number_in_a_post(world, client, full_file):
    client.force_login(world.user("dpo"))
    url = reverse("audit:client_search")
    page = client.get(url).content.decode()
    assert 'method="post"' in page
    response = client.post(url, {"national_number": "90.06.15-001.26"})
    html = response.content.decode()
    assert reverse("audit:client_export", args=[full_file.pk]) in html
    assert "Own Client" in html
    response = client.post(url, {"national_number": "90061500225"})
    assert "Geen cliënt gevonden" in response.content.decode()


def test_the_command_writes_the_file_and_is_logged_with_its_user(full_file, tmp_path, world):
    target = tmp_path / "export.json"
    call_command("export_client_data", str(full_file.pk), "--output", str(target), "--user", "dpo")
    data = json.loads(target.read_text())
    assert data["client"]["national_number"] == NN
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.source == "command:export_client_data"
    assert (entry.user, entry.client_id) == (world.user("dpo"), full_file.pk)


def test_the_command_needs_a_user(full_file):
    with pytest.raises(CommandError):
        call_command("export_client_data", str(full_file.pk))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("export_client_data", str(full_file.pk), "--user", "nobody")
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_command_refuses_a_user_who_may_not_export_and_logs_it(full_file, world):
    with pytest.raises(CommandError, match="niet exporteren"):
        call_command("export_client_data", str(full_file.pk), "--user", "sa")
    [entry] = AuditEntry.objects.filter(action=AuditAction.DENIED)
    assert (entry.user, entry.client_id) == (world.user("sa"), full_file.pk)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_refused_web_export_is_logged_as_denied(full_file, world, client):
    client.force_login(world.user("sa"))
    response = client.post(reverse("audit:client_export", args=[full_file.pk]), {"format": "json"})
    assert response.status_code == 403
    [entry] = AuditEntry.objects.filter(action=AuditAction.DENIED)
    assert (entry.user, entry.client_id) == (world.user("sa"), full_file.pk)


def test_the_dpo_lookup_names_the_clients_it_found(full_file, world, client):
    client.force_login(world.user("dpo"))
    client.post(reverse("audit:client_search"), {"national_number": "90.06.15-001.26"})
    [entry] = AuditEntry.objects.filter(action=AuditAction.LISTED)
    assert (entry.user, entry.client_id) == (world.user("dpo"), full_file.pk)
    assert entry.changes == {"list": "dpo_client_lookup"}


def test_the_command_refuses_an_unknown_client(world):
    with pytest.raises(CommandError, match="Geen cliënt"):
        call_command("export_client_data", "999999", "--user", "dpo")


def test_dates_are_iso_in_json(full_file):
    data = client_data(full_file)
    assert data["records"]["casework.incomeright"][0]["start_date"] == "2024-01-01"
    assert datetime.date.fromisoformat(data["client"]["birth_date"]) == full_file.birth_date


def test_the_dpo_of_another_organisation_neither_finds_nor_exports_the_client(
    world, client, full_file
):
    from access.roles import DPO
    from access.services import staff_membership_set
    from tests.factories import OrganisationFactory
    from tests.security.world import user_with_role

    dpo_gent = user_with_role("dpo_gent", DPO)
    staff_membership_set(user=dpo_gent, organisation=OrganisationFactory(code="gent"))
    client.force_login(dpo_gent)
    url = reverse("audit:client_export", args=[full_file.pk])
    assert client.post(url, {"format": "json"}).status_code == 403
    found = client.post(
        reverse("audit:client_search"), {"national_number": full_file.national_number}
    )
    assert "Geen cliënt gevonden" in found.content.decode()
