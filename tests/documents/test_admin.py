"""The admin of documents: scoped to what the user may see, the file only through the
checked download view, a delete removes the file."""

import pytest
from django.urls import reverse

from documents.models import Document
from documents.storage import document_storage
from tests.factories import ClientFactory, DocumentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:documents_document_changelist"


@pytest.fixture
def documents(staff):
    person = staff.client_of("sa", first_name="An", last_name="Peeters")
    return {
        "ordinary": DocumentFactory(client=person, title="Huurcontract"),
        "medical": DocumentFactory(
            client=person, title="Attest dokter", kind="medical_certificate", health_data=True
        ),
        "elsewhere": DocumentFactory(
            client=ClientFactory(organisation=OrganisationFactory(code="elders")),
            title="Elders",
        ),
    }


def test_the_admin_lists_documents_with_a_link_through_the_checked_view_only(client, documents):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse(CHANGELIST)).content.decode()

    ordinary = documents["ordinary"]
    download = reverse(
        "desk:document_download", kwargs={"pk": ordinary.client_id, "document_pk": ordinary.pk}
    )
    assert download in page
    assert ordinary.file.name not in page  # no storage path, no raw file URL
    change = client.get(reverse("admin:documents_document_change", args=[ordinary.pk]))
    assert change.status_code == 200
    assert download in change.content.decode()
    assert ordinary.file.name not in change.content.decode()
    assert client.get(reverse("admin:documents_document_add")).status_code == 403


def test_the_admin_shows_a_colleague_no_health_data_document_and_nothing_of_another_ocmw(
    client, staff, documents
):
    colleague = staff.users["colleague"]
    colleague.is_staff = True
    colleague.save()
    client.force_login(colleague)

    page = client.get(reverse(CHANGELIST)).content.decode()

    assert "Huurcontract" in page
    assert "Attest dokter" not in page
    assert "Elders" not in page
    medical = documents["medical"]
    response = client.get(reverse("admin:documents_document_change", args=[medical.pk]))
    assert response.status_code == 302  # "does not exist": back to the admin's index


def test_deleting_in_the_admin_removes_the_file(
    client, staff, documents, django_capture_on_commit_callbacks
):
    lead = staff.users["lead"]
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    medical = documents["medical"]
    name = medical.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:documents_document_delete", args=[medical.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Document.objects.filter(pk=medical.pk).exists()
    assert not document_storage().exists(name)
