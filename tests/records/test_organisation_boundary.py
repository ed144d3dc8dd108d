"""An administrator imports bundles of their own organisation only; a dry run tells
nothing stored that the rows do not hold, and is audited with the clients it touches."""

import pytest
from django.contrib.auth import get_user_model

from access.roles import ADMINISTRATOR
from access.services import staff_membership_set
from audit.models import AuditAction, AuditEntry
from casework.models import Client, Organisation
from records.importer import import_bundle
from tests.factories import OrganisationFactory
from tests.records.bundles import base_files, import_ok, import_problems, write_bundle
from tests.security.world import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(tmp_path):
    """Mechelen's records as the base bundle has them (imported by the operator)."""
    from access.roles import roles_sync

    roles_sync()
    import_ok(write_bundle(tmp_path / "base", base_files()))
    return Organisation.objects.get(code="mechelen")


def administrator_of(organisation, name="beheerder"):
    user = user_with_role(name, ADMINISTRATOR, is_staff=True)
    staff_membership_set(user=user, organisation=organisation)
    return user


def test_a_bundle_of_another_organisation_is_refused(stored, tmp_path):
    gent = OrganisationFactory(code="gent", name="OCMW Gent")
    files = base_files()
    files["clients.csv"][0]["last_name"] = "Hernoemd"
    result = import_bundle(write_bundle(tmp_path / "b", files), user=administrator_of(gent))
    assert not result.ok and not result.written
    assert [str(p) for p in result.problems] == [
        "organisation.csv:2: code: Je mag enkel bundels van je eigen organisatie importeren."
    ]
    assert not Client.objects.filter(last_name="Hernoemd").exists()
    # Nothing of Mechelen was read: no counts of its records either.
    assert set(result.counts) == {"organisation.csv"}


def test_the_command_refuses_it_too(stored, tmp_path):
    gent = OrganisationFactory(code="gent", name="OCMW Gent")
    administrator_of(gent)
    problems = import_problems(write_bundle(tmp_path / "b", base_files()), "--user", "beheerder")
    assert problems == [
        "organisation.csv:2: code: Je mag enkel bundels van je eigen organisatie importeren."
    ]


def test_only_a_superuser_creates_an_organisation_by_import(stored, tmp_path):
    files = base_files()
    files["organisation.csv"] = [{"code": "nieuw", "name": "OCMW Nieuw", "nis_code": ""}]
    files = {name: files[name] for name in ("organisation.csv",)}
    result = import_bundle(write_bundle(tmp_path / "b", files), user=administrator_of(stored))
    assert [str(p) for p in result.problems] == [
        "organisation.csv:2: code: Enkel een superuser maakt een nieuwe organisatie aan."
    ]
    root = get_user_model().objects.create(username="root", is_superuser=True, is_staff=True)
    assert import_bundle(write_bundle(tmp_path / "c", files), user=root).written
    assert Organisation.objects.filter(code="nieuw").exists()


def test_the_own_organisation_imports(stored, tmp_path):
    files = base_files()
    files["clients.csv"][0]["last_name"] = "Hernoemd"
    user = administrator_of(stored)
    result = import_bundle(write_bundle(tmp_path / "b", files), user=user)
    assert result.written, result.problems
    assert Client.objects.filter(organisation=stored, last_name="Hernoemd").count() == 1


def test_a_dry_run_is_audited_with_the_clients_it_touches(stored, tmp_path):
    user = administrator_of(stored)
    c1 = Client.objects.get(organisation=stored, external_id="c1")
    files = {
        "organisation.csv": base_files()["organisation.csv"],
        "mmpp_screenings.csv": base_files()["mmpp_screenings.csv"],
    }
    result = import_bundle(write_bundle(tmp_path / "b", files), dry_run=True, user=user)
    assert result.ok
    entries = AuditEntry.objects.filter(action=AuditAction.IMPORT, username="beheerder")
    assert set(entries.exclude(client_id=None).values_list("client_id", flat=True)) == {c1.pk}
    assert set(entries.values_list("reason", flat=True)) == {"dry_run"}
    assert set(entries.values_list("organisation_id", flat=True)) == {stored.pk}


def test_health_data_rows_do_not_tell_whether_they_equal_what_is_stored(stored, tmp_path):
    """Whether a category is 'unchanged' would tell the stored MMPP category."""
    user = administrator_of(stored)
    counts = []
    for category in ("4", "2"):  # the stored one, another one
        files = {
            "organisation.csv": base_files()["organisation.csv"],
            "mmpp_screenings.csv": [
                {**base_files()["mmpp_screenings.csv"][0], "category": category}
            ],
        }
        path = write_bundle(tmp_path / category, files)
        result = import_bundle(path, dry_run=True, user=user)
        mmpp = result.counts["mmpp_screenings.csv"]
        counts.append((mmpp.updated, mmpp.unchanged, mmpp.existing))
    assert counts == [(0, 0, 1), (0, 0, 1)]


def test_a_national_number_taken_in_the_organisation_does_not_name_its_client(stored, tmp_path):
    user = administrator_of(stored)
    taken = Client.objects.get(organisation=stored, external_id="c1")
    files = base_files()
    files = {
        "organisation.csv": files["organisation.csv"],
        "clients.csv": [
            {**files["clients.csv"][0], "id": "nieuw", "national_number": taken.national_number}
        ],
    }
    result = import_bundle(write_bundle(tmp_path / "b", files), dry_run=True, user=user)
    text = " ".join(str(p) for p in result.problems)
    assert "rijksregisternummer" in text and "c1" not in text
    # ... but the client it answered about is in the audit trail of the dry run.
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT, client_id=taken.pk).exists()


def test_the_import_page_lists_only_uploads_for_the_own_organisation(stored, client):
    from records.models import UploadedBundle

    user = administrator_of(stored)
    for code in ("mechelen", "gent"):
        UploadedBundle.objects.create(
            uploaded_by=user,
            file_name=f"{code}.zip",
            path="/none",
            size=1,
            organisation_code=code,
            status=UploadedBundle.Status.IMPORTED,
        )
    client.force_login(user)
    recent = client.get("/records/import/").context["recent"]
    assert [bundle.file_name for bundle in recent] == ["mechelen.zip"]
