"""The audit trail: every change with old and new values, every read and refusal, who,
which page or command, from where; and nobody can change or delete it."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from audit.middleware import WriteSourceMiddleware
from audit.models import AppendOnlyError, AuditAction, AuditEntry
from audit.services import (
    changes_json,
    command_source,
    mask_national_number,
    serialise_changes,
)
from casework import services
from casework.models import Client, IncomeKind, TrajectoryEvaluation
from core import writes
from core.bulk import JsonText
from core.writes import notify_writes, writes_by
from tests.factories import ClientFactory, TrajectoryEvaluationFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

VALID_NN = "85073003328"  # born 30/07/1985


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("pk"))


def test_a_change_is_logged_with_old_and_new_values_user_page_and_address(world):
    client = world.clients["own"]
    user = world.user("sa")
    with writes_by(user=user, source="page:/clients/1/edit/", address="10.1.2.3"):
        services.client_update(client=client, expected_version=client.version, last_name="Peeters")
    [entry] = entries(action=AuditAction.UPDATE)
    assert entry.user == user
    assert entry.username == "sa"
    assert entry.object_type == "casework.client"
    assert entry.object_id == str(client.pk)
    assert entry.client_id == client.pk
    assert entry.changes == {"last_name": ["Client", "Peeters"], "version": [1, 2]}
    assert entry.source == "page:/clients/1/edit/"
    assert entry.address == "10.1.2.3"


def test_create_and_delete_are_logged_with_every_value(world):
    client = world.clients["own"]
    with writes_by(user=world.user("sa"), source="page:/x/"):
        note = services.client_note_create(
            client=client, date=datetime.date(2025, 1, 2), text="Gesprek"
        )
        writes.record_delete(instance=note)
    created, deleted = entries(object_type="casework.clientnote")
    assert created.action == AuditAction.CREATE
    assert created.changes["text"] == [None, "Gesprek"]
    assert created.changes["date"] == [None, "2025-01-02"]
    assert created.client_id == client.pk
    assert "created_at" not in created.changes
    assert deleted.action == AuditAction.DELETE
    assert deleted.changes["text"] == ["Gesprek", None]
    assert deleted.object_id == created.object_id


def test_national_numbers_are_masked_in_the_audit_trail(organisation):
    client = services.client_create(
        organisation=organisation,
        first_name="An",
        last_name="Peeters",
        birth_date=datetime.date(1985, 7, 30),
        gender="f",
        national_number=VALID_NN,
    )
    [entry] = entries(action=AuditAction.CREATE, object_type="casework.client")
    assert entry.changes["national_number"] == [None, "850730*****"]
    assert VALID_NN not in str(AuditEntry.objects.values_list("changes", flat=True)[::1])
    services.client_update(client=client, national_number="")
    [update] = entries(action=AuditAction.UPDATE)
    assert update.changes["national_number"] == ["850730*****", ""]
    assert mask_national_number("") == ""


def test_an_evaluation_is_logged_under_its_trajectorys_client(organisation):
    trajectory = TrajectoryFactory(client__organisation=organisation)
    created = TrajectoryEvaluationFactory(trajectory=trajectory)
    # Not cached: the observer looks the trajectory up (one query for the batch).
    evaluation = TrajectoryEvaluation.objects.get(pk=created.pk)
    notify_writes("update", [(evaluation, {"notes": ("", "Goed gesprek")})])
    [entry] = entries(object_type="casework.trajectoryevaluation")
    assert entry.client_id == trajectory.client_id


def test_a_big_import_batch_is_inserted_in_bulk(organisation, django_assert_max_num_queries):
    clients = ClientFactory.create_batch(5, organisation=organisation)
    items = [(clients[i % 5], {"household": ("single", "cohabiting")}) for i in range(2500)]
    with writes_by(source="command:import_records"), django_assert_max_num_queries(5):
        notify_writes("update", items)
    assert AuditEntry.objects.filter(source="command:import_records").count() == 2500


def test_a_write_that_is_rolled_back_leaves_no_entry(world):
    client = world.clients["own"]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.client_update(client=client, last_name="Janssens")
        raise RuntimeError
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_writes_outside_a_request_name_the_command(monkeypatch):
    monkeypatch.setattr("sys.argv", ["manage.py", "import_records", "bundle.zip"])
    assert command_source() == "command:import_records"


def test_the_middleware_attributes_page_writes_to_the_user_page_and_address(world):
    client = world.clients["own"]
    request = RequestFactory().post("/clients/1/edit/", REMOTE_ADDR="192.0.2.7")
    request.user = world.user("sa")

    def view(request):
        services.client_update(client=client, household="cohabiting")
        return HttpResponse()

    WriteSourceMiddleware(view)(request)
    [entry] = entries(action=AuditAction.UPDATE)
    assert (entry.username, entry.source, entry.address) == (
        "sa",
        "page:/clients/1/edit/",
        "192.0.2.7",
    )


# --- Reads of client files -----------------------------------------------------------------


def test_every_read_of_a_client_file_writes_exactly_one_entry(world, client):
    client.force_login(world.user("sa"))
    own = world.clients["own"]
    before = AuditEntry.objects.count()
    response = client.get(reverse("desk:client_detail", args=[own.pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.count() == before + 1
    [read] = entries(action=AuditAction.READ)
    assert (read.client_id, read.username, read.source) == (
        own.pk,
        "sa",
        f"page:/clients/{own.pk}/",
    )
    assert read.address == "127.0.0.1"
    client.get(reverse("desk:client_detail", args=[own.pk]))
    assert len(entries(action=AuditAction.READ, client_id=own.pk)) == 2


def test_a_denied_attempt_writes_exactly_one_entry(world, client):
    client.force_login(world.user("sa"))
    other = world.clients["other"]
    before = AuditEntry.objects.count()
    response = client.get(reverse("desk:client_detail", args=[other.pk]))
    assert response.status_code == 404
    assert AuditEntry.objects.count() == before + 1
    [denied] = entries(action=AuditAction.DENIED)
    assert (denied.client_id, denied.username) == (other.pk, "sa")


def test_a_made_up_client_id_is_logged_as_denied(world, client):
    client.force_login(world.user("sa"))
    response = client.get(f"/clients/{2**70}/")
    assert response.status_code == 404
    [denied] = entries(action=AuditAction.DENIED)
    assert denied.client_id is None
    assert denied.object_id == str(2**70)[:64]


# --- Append-only ---------------------------------------------------------------------------


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(world):
    entry = AuditEntry.objects.create(action=AuditAction.READ, client_id=1)
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""
    assert issubclass(AppendOnlyError, PermissionDenied)


def test_there_is_no_permission_to_add_change_or_delete_entries():
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(content_type__app_label="audit").values_list(
            "codename", flat=True
        )
    )
    assert "view_auditentry" in codenames
    assert not {"add_auditentry", "change_auditentry", "delete_auditentry"} & codenames


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL only")
def test_postgresql_itself_refuses_to_update_or_delete_an_entry(world):
    from django.db import DatabaseError

    entry = AuditEntry.objects.create(action=AuditAction.READ, client_id=1)
    for sql in (
        "UPDATE audit_auditentry SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


def test_the_admin_shows_the_log_read_only_even_to_a_superuser(world, client):
    client.force_login(world.user("superuser"))
    entry = AuditEntry.objects.create(action=AuditAction.READ, client_id=1)
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(change, {"reason": "rewritten"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_role_changes_are_logged(world):
    from django.contrib.auth.models import Group

    user = world.user("manager")
    with writes_by(user=world.user("administrator"), source="page:/admin/auth/user/9/change/"):
        user.groups.add(Group.objects.get(name="Teamverantwoordelijke"))
    [entry] = entries(
        action=AuditAction.ROLES_CHANGED, object_id=str(user.pk), username="administrator"
    )
    assert entry.changes == {"added": ["Teamverantwoordelijke"]}
    assert entry.username == "administrator"


def test_deleting_a_client_keeps_its_audit_entries(world):
    client = world.clients["own"]
    pk = client.pk
    writes.record_delete(instance=client)
    assert not Client.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(client_id=pk, action=AuditAction.DELETE).exists()


def test_an_admin_page_of_a_client_record_is_a_read_of_that_client_file(world, client):
    from tests.factories import IncomeRightFactory

    right = IncomeRightFactory(client=world.clients["other"])
    client.force_login(world.user("superuser"))
    response = client.get(reverse("admin:casework_incomeright_change", args=[right.pk]))
    assert response.status_code == 200
    [read] = entries(action=AuditAction.READ)
    assert (read.client_id, read.username) == (world.clients["other"].pk, "superuser")
    assert read.source == f"page:/admin/casework/incomeright/{right.pk}/change/"
    response = client.get(reverse("admin:casework_client_change", args=[world.clients["own"].pk]))
    assert response.status_code == 200
    assert len(entries(action=AuditAction.READ)) == 2


def test_an_admin_page_of_a_record_the_user_may_not_see_is_logged_as_denied(world, client):
    from django.contrib.auth.models import Group

    from tests.factories import IncomeRightFactory

    right = IncomeRightFactory(client=world.clients["other"])
    lead = world.user("lead")
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    response = client.get(reverse("admin:casework_incomeright_change", args=[right.pk]))
    assert response.status_code == 302  # "does not exist"
    [denied] = entries(action=AuditAction.DENIED)
    assert (denied.client_id, denied.username) == (world.clients["other"].pk, "lead")
    assert Group.objects.filter(user=lead).exists()


class _Day(datetime.date):
    """A subclass of date: not one of changes_json's exact types."""


@pytest.mark.parametrize(
    "changes",
    [
        {"last_name": (None, "Peeters"), "version": (1, 2), "updated_at": (None, "x")},
        {"national_number": ("85073003328", "90061500126"), "household": ("", "single")},
        {"birth_date": (datetime.date(1985, 7, 30), None), "fte": (Decimal("0.8"), 1.5)},
        {"face_to_face": (None, True), "kind": (IncomeKind.LEEFLOON, IncomeKind.EQUIVALENT)},
        {"at": (datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), None)},
        {"notes": ('é "quoted"\nline', "€")},
        {"tags": (["a", datetime.date(2025, 1, 1)], {"k": Decimal("1.0")})},  # not plain
        {"tags": ({"k": 1}, "plain"), "name": (None, "x")},  # only the old value not plain
        # Subclasses of scalars (not in the table of exact types) and a UUID.
        {"day": (_Day(2025, 1, 2), None), "ref": (None, uuid.UUID(int=7)), "n": (True, 3)},
    ],
)
def test_bulk_changes_json_is_the_json_of_serialise_changes(changes):
    text = changes_json(changes)
    assert isinstance(text, JsonText)
    # The hash chain's canonical form: sorted keys, no spaces.
    assert text == json.dumps(serialise_changes(changes), sort_keys=True, separators=(",", ":"))
