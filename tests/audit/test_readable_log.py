"""The audit log as the DPO reads it: labels, client names, record kinds, Dutch; and
the DPO's start page with the latest access attempts, break-glass grants and exports."""

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditAction, AuditEntry
from audit.presentation import readable_entries
from casework.models import Assignment
from core import writes
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def test_a_change_names_the_record_kind_the_field_labels_and_the_client(world):
    own = world.clients["own"]
    worker = world.social_workers["sa"]
    with writes.writes_by(user=world.user("sa"), source="page:/test/"):
        assignment = AssignmentFactory.build(client=own, social_worker=worker)
        created = writes.record_create(
            model=Assignment,
            client=own,
            social_worker=worker,
            start_date=assignment.start_date,
        )
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(created.pk))
    with translation.override("nl-be"):
        (row,) = readable_entries([entry])
    assert row.record == f"toewijzing #{created.pk}"
    assert row.client == str(own)
    lines = {line.label: line for line in row.changes}
    assert (lines["cliënt"].old, lines["cliënt"].new) == ("—", str(own))
    assert lines["begindatum"].new == assignment.start_date.strftime("%d/%m/%Y")
    assert "client_id" not in lines and "casework.assignment" not in row.record
    assert entry.get_action_display() == "aangemaakt"


def test_a_choice_shows_its_label_and_roles_added_read_in_dutch(world):
    own = world.clients["own"]
    writes.record_update(instance=own, gender="m" if own.gender == "f" else "f")
    change = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("pk")
    group_change = AuditEntry(
        action=AuditAction.ROLES_CHANGED,
        object_type="auth.user",
        object_id="7",
        changes={"added": ["Maatschappelijk assistent"]},
    )
    with translation.override("nl-be"):
        gender, roles = readable_entries([change, group_change])
    (line,) = [line for line in gender.changes if line.label == "geslacht"]
    assert {line.old, line.new} == {"man", "vrouw"}
    assert roles.record == "gebruiker #7"
    assert [(line.label, line.value) for line in roles.changes] == [
        ("toegevoegd", "Maatschappelijk assistent")
    ]


def test_the_log_page_shows_client_names_not_ids(world, client):
    own = world.clients["own"]
    AuditEntry.objects.create(
        action=AuditAction.READ,
        username="sa",
        object_type="casework.client",
        object_id=str(own.pk),
        client_id=own.pk,
        organisation_id=world.organisation.pk,
    )
    client.force_login(world.user("dpo"))
    page = client.get(reverse("audit:log")).content.decode()
    assert f">{own}</a>" in page
    assert f"cliënt #{own.pk}" in page
    assert "casework.client" not in page


def test_the_dpo_start_page_lists_access_attempts_break_glass_and_exports(world, client):
    here = world.organisation.pk
    AuditEntry.objects.create(
        action=AuditAction.LOGIN_FAILED, username="indringer", organisation_id=here
    )
    AuditEntry.objects.create(
        action=AuditAction.BREAK_GLASS,
        username="colleague",
        client_id=world.clients["own"].pk,
        reason="Dringende vraag van de cliënt aan het loket",
        organisation_id=here,
    )
    AuditEntry.objects.create(
        action=AuditAction.EXPORT,
        username="sa",
        object_type="casework.client",
        changes={"format": "csv", "rows": 31},
        organisation_id=here,
    )
    client.force_login(world.user("dpo"))
    page = client.get(reverse("desk:home")).content.decode()
    assert "Geweigerde en mislukte toegang" in page
    assert "indringer" in page
    assert "Dringende vraag van de cliënt aan het loket" in page
    assert str(world.clients["own"]) in page
    assert "<dt>rijen</dt><dd>31</dd>" in page
    # A social assistant's start page has none of it.
    client.force_login(world.user("sa"))
    assert "Geweigerde en mislukte toegang" not in client.get(reverse("desk:home")).content.decode()
