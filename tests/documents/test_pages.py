"""Documents in the client file: upload, list, download (access-checked, audited),
delete, and what is refused."""

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from access import roles
from audit.models import AuditAction, AuditEntry
from documents.models import Document, DocumentKind
from documents.storage import document_storage
from tests.documents.conftest import EXE, PDF, PNG, upload
from tests.factories import (
    DocumentFactory,
    ExemptionFactory,
    OrganisationFactory,
    SocialWorkerFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db


def add_url(client, **query):
    url = reverse("desk:document_add", kwargs={"pk": client.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def download_url(document):
    return reverse(
        "desk:document_download", kwargs={"pk": document.client_id, "document_pk": document.pk}
    )


def form(**fields):
    data = {
        "kind": DocumentKind.OTHER,
        "date": "2025-03-04",
        "title": "Huurcontract",
        "record": "",
    }
    data.update(fields)
    return data


@pytest.fixture
def person(staff):
    return staff.client_of("sa", first_name="An", last_name="Peeters")


def outsider():
    """A social assistant of another organisation."""
    roles.roles_sync()
    user = get_user_model().objects.create(username="elders")
    user.groups.add(Group.objects.get(name=roles.group_name(roles.SOCIAL_ASSISTANT)))
    SocialWorkerFactory(organisation=OrganisationFactory(code="elders"), user=user)
    return user


def test_a_social_assistant_uploads_a_pdf_that_is_stored_privately_with_its_checksum(
    staff, person, as_user
):
    http = as_user(staff.users["sa"])
    response = http.post(add_url(person), form(file=upload("huur.pdf", PDF)))

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.client, document.kind, document.title) == (person, "other", "Huurcontract")
    assert document.date == datetime.date(2025, 3, 4)
    assert (document.size, document.content_type) == (len(PDF), "application/pdf")
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.file_name == "huur.pdf"
    assert document.uploaded_by == staff.users["sa"]
    assert document.health_data is False
    # Stored under ids only (no name or title in the path), in the documents storage.
    assert document.file.name.startswith(f"{person.organisation_id}/{person.pk}/")
    assert "Peeters" not in document.file.name
    with document_storage().open(document.file.name) as stored:
        assert stored.read() == PDF
    created = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="documents.document")
    assert created.client_id == person.pk

    page = http.get(reverse("desk:client_detail", kwargs={"pk": person.pk})).content.decode()
    assert "Huurcontract" in page
    assert download_url(document) in page


def test_a_download_is_an_attachment_with_nosniff_and_an_audit_entry(staff, person, as_user):
    document = DocumentFactory(client=person, file_name="attest.pdf")
    http = as_user(staff.users["colleague"])  # a colleague of the team sees the file

    response = http.get(download_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert response["Content-Disposition"] == 'attachment; filename="attest.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=AuditAction.READ, object_type="documents.document")
    assert entry.object_id == str(document.pk)
    assert entry.client_id == person.pk
    assert entry.user_id == staff.users["colleague"].pk
    assert entry.organisation_id == person.organisation_id
    assert entry.changes["download"] == "other"


def test_a_health_data_document_is_refused_to_a_colleague_without_the_health_data_right(
    staff, person, as_user
):
    medical = DocumentFactory(client=person, kind="medical_certificate", health_data=True)
    ordinary = DocumentFactory(client=person)
    http = as_user(staff.users["colleague"])

    assert http.get(download_url(medical)).status_code == 403
    assert http.get(download_url(ordinary)).status_code == 200
    page = http.get(reverse("desk:client_detail", kwargs={"pk": person.pk})).content.decode()
    assert ordinary.title in page
    assert medical.title not in page
    assert AuditEntry.objects.filter(
        action=AuditAction.DENIED, client_id=person.pk, user_id=staff.users["colleague"].pk
    ).exists()
    # The assigned social assistant and the team lead see it.
    for name in ("sa", "lead"):
        assert as_user(staff.users[name]).get(download_url(medical)).status_code == 200


def test_a_document_is_not_found_for_another_team_another_organisation_or_a_manager(
    staff, person, as_user
):
    document = DocumentFactory(client=person)

    assert as_user(staff.users["other_sa"]).get(download_url(document)).status_code == 404
    assert as_user(outsider()).get(download_url(document)).status_code == 404
    assert as_user(staff.users["manager"]).get(download_url(document)).status_code == 403
    assert not AuditEntry.objects.filter(
        action=AuditAction.READ, object_type="documents.document"
    ).exists()
    denied = AuditEntry.objects.filter(action=AuditAction.DENIED, client_id=person.pk)
    assert denied.count() == 2


def test_a_document_under_another_clients_url_is_not_found(staff, person, as_user):
    other = staff.client_of("sa")
    document = DocumentFactory(client=other)
    url = reverse("desk:document_download", kwargs={"pk": person.pk, "document_pk": document.pk})
    assert as_user(staff.users["sa"]).get(url).status_code == 404


def test_a_file_of_the_wrong_type_is_refused_in_dutch_and_nothing_is_stored(staff, person, as_user):
    http = as_user(staff.users["sa"])
    response = http.post(add_url(person), form(file=upload("attest.pdf", EXE)))

    assert response.status_code == 200
    assert "Dit soort bestand kan niet bewaard worden" in response.content.decode()
    assert not Document.objects.exists()
    assert document_storage().listdir("") == ([], [])

    response = http.post(add_url(person), form(file=upload("scan.pdf", PNG)))
    assert "past niet bij de inhoud (PNG)" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused(staff, person, as_user, settings):
    settings.TRAJECT_DOCUMENT_MAX_MB = 0.5
    big = PDF + b"0" * (600 * 1024)
    response = as_user(staff.users["sa"]).post(add_url(person), form(file=upload("x.pdf", big)))

    assert response.status_code == 200
    assert "Het bestand is te groot (0,6 MB); het maximum is 0,5 MB." in response.content.decode()
    assert not Document.objects.exists()


def test_a_document_uploaded_from_a_record_belongs_to_it(staff, person, as_user):
    registration = VdabRegistrationFactory(client=person)
    http = as_user(staff.users["sa"])
    page = http.get(reverse("desk:client_detail", kwargs={"pk": person.pk})).content.decode()
    assert f"record=vdab%3A{registration.pk}" in page  # "Document toevoegen" on its row

    response = http.post(
        add_url(person),
        form(
            file=upload("attest.pdf", PDF),
            kind=DocumentKind.VDAB_CERTIFICATE,
            record=f"vdab:{registration.pk}",
        ),
    )
    assert response.status_code == 302
    assert Document.objects.get().vdab_registration == registration


def test_a_document_of_an_exemption_or_a_medical_certificate_is_health_data(staff, person, as_user):
    exemption = ExemptionFactory(client=person)
    http = as_user(staff.users["sa"])
    http.post(add_url(person), form(file=upload("a.pdf", PDF), record=f"exemption:{exemption.pk}"))
    http.post(
        add_url(person),
        form(file=upload("b.pdf", PDF), kind=DocumentKind.MEDICAL_CERTIFICATE, title="Attest"),
    )
    assert list(Document.objects.order_by("pk").values_list("health_data", flat=True)) == [
        True,
        True,
    ]


def test_a_colleague_cannot_add_a_medical_certificate_or_link_an_exemption(staff, person, as_user):
    exemption = ExemptionFactory(client=person)
    http = as_user(staff.users["colleague"])
    page = http.get(add_url(person)).content.decode()
    assert "medical_certificate" not in page
    assert f"exemption:{exemption.pk}" not in page

    response = http.post(
        add_url(person),
        form(file=upload("a.pdf", PDF), kind=DocumentKind.MEDICAL_CERTIFICATE),
    )
    assert response.status_code == 200
    response = http.post(
        add_url(person), form(file=upload("a.pdf", PDF), record=f"exemption:{exemption.pk}")
    )
    assert "Selecteer een geldige keuze" in response.content.decode() or (
        "Kies een record" in response.content.decode()
    )
    assert not Document.objects.exists()


def test_a_record_of_another_client_cannot_be_linked(staff, person, as_user):
    foreign = TrajectoryFactory(client=staff.client_of("sa"))
    response = as_user(staff.users["sa"]).post(
        add_url(person), form(file=upload("a.pdf", PDF), record=f"trajectory:{foreign.pk}")
    )
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_deleting_a_document_removes_its_file_and_is_audited(
    staff, person, as_user, django_capture_on_commit_callbacks
):
    document = DocumentFactory(client=person)
    name = document.file.name
    url = reverse("desk:document_delete", kwargs={"pk": person.pk, "document_pk": document.pk})
    http = as_user(staff.users["sa"])
    assert "Document verwijderen" in http.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(url)

    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not document_storage().exists(name)
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_type="documents.document", client_id=person.pk
    ).exists()


def test_a_manager_may_not_upload(staff, person, as_user):
    response = as_user(staff.users["manager"]).post(
        add_url(person), form(file=upload("a.pdf", PDF))
    )
    assert response.status_code == 403
    assert not Document.objects.exists()
