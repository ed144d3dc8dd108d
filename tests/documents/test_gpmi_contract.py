"""The GPMI contract as a PDF: what it says (read back with pypdf), who may print it, and
that printing it is audited."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditAction, AuditEntry
from documents.gpmi_contract import contract_data, gpmi_contract_pdf
from documents.models import Document, DocumentKind
from tests.documents.conftest import PDF, upload
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

VALID_NN = "85073003328"  # born 30/07/1985


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def gpmi(staff):
    client = staff.client_of(
        "sa",
        first_name="Ayşe",
        last_name="Aydın",
        birth_date=datetime.date(1985, 7, 30),
        national_number=VALID_NN,
        street="Bruul",
        house_number="12 bus 3",
        postcode="2800",
        municipality="Mechelen",
    )
    return TrajectoryFactory(
        client=client,
        start_date=datetime.date(2025, 2, 3),
        goal="Een opleiding heftruckchauffeur volgen",
        client_commitments="Elke week twee sollicitaties versturen\nNederlandse les volgen",
        ocmw_commitments="De kosten van de opleiding dragen",
    )


def contract_url(trajectory):
    return reverse(
        "desk:gpmi_contract", kwargs={"pk": trajectory.client_id, "record_pk": trajectory.pk}
    )


def test_the_contract_names_both_parties_the_goals_the_commitments_and_the_legal_basis(staff, gpmi):
    text = pdf_text(gpmi_contract_pdf(gpmi, datetime.date(2025, 6, 1)))

    assert "OCMW Mechelen" in text
    assert "Ayşe Aydın" in text  # printed as written, not with boxes or question marks
    assert "85.07.30-033.28" in text
    assert "30/07/1985" in text
    assert "Bruul 12 bus 3" in text and "2800 Mechelen" in text  # the contact details
    assert "Sa" in text and "maatschappelijk assistent" in text  # the assigned social worker
    assert "Het project start op 03/02/2025" in text
    assert "Een opleiding heftruckchauffeur volgen" in text
    assert "Elke week twee sollicitaties versturen" in text
    assert "Nederlandse les volgen" in text
    assert "De kosten van de opleiding dragen" in text
    assert "minstens 3 keer per jaar" in text and "minstens 2 keer in een persoonlijk" in text
    assert "artikel 11 van de wet van 26 mei 2002" in text
    assert "Handtekening" in text
    assert "Opgemaakt in twee exemplaren te" in text


def test_without_commitments_on_the_record_the_contract_prints_the_standard_ones(staff):
    trajectory = TrajectoryFactory(client=staff.client_of("sa"), goal="")
    data = contract_data(trajectory, datetime.date(2025, 6, 1))
    text = pdf_text(gpmi_contract_pdf(trajectory, datetime.date(2025, 6, 1)))

    assert data.client_commitments[0].startswith("actief meewerken")
    assert "actief meewerken aan de afgesproken stappen" in text
    assert "de cliënt begeleiden en ondersteunen" in text


def test_the_contract_is_in_dutch_also_for_a_user_who_reads_english(staff, gpmi, as_user):
    http = as_user(staff.users["sa"])
    http.cookies["django_language"] = "en"
    response = http.get(contract_url(gpmi))
    assert "Engagementen van de cliënt" in pdf_text(response.content)


def test_printing_the_contract_is_an_attachment_and_audited(staff, gpmi, as_user):
    response = as_user(staff.users["sa"]).get(contract_url(gpmi))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="gpmi-contract-{gpmi.external_id}.pdf"'
    )
    assert "Aydın" not in response["Content-Disposition"]
    assert "Een opleiding heftruckchauffeur volgen" in pdf_text(response.content)
    entry = AuditEntry.objects.get(action=AuditAction.READ, object_type="casework.trajectory")
    assert (entry.object_id, entry.client_id) == (str(gpmi.pk), gpmi.client_id)
    assert entry.changes == {"download": "gpmi_contract_pdf"}


def test_the_contract_is_refused_outside_the_caseload_and_for_a_trajectory_that_is_no_gpmi(
    staff, gpmi, as_user
):
    assert as_user(staff.users["other_sa"]).get(contract_url(gpmi)).status_code == 404
    assert as_user(staff.users["manager"]).get(contract_url(gpmi)).status_code == 403
    training = TrajectoryFactory(
        client=gpmi.client, kind="training", start_date=datetime.date(2023, 1, 1)
    )
    assert as_user(staff.users["sa"]).get(contract_url(training)).status_code == 404


def test_the_gpmi_row_prints_the_contract_and_takes_the_signed_scan(staff, gpmi, as_user):
    http = as_user(staff.users["sa"])
    page = http.get(reverse("desk:client_detail", kwargs={"pk": gpmi.client_id})).content.decode()
    assert "Contract afdrukken (PDF)" in page
    assert contract_url(gpmi) in page
    assert "Ondertekend contract toevoegen" in page
    signed_url = (
        reverse("desk:document_add", kwargs={"pk": gpmi.client_id})
        + f"?record=trajectory%3A{gpmi.pk}&amp;kind=gpmi_contract"
    )
    assert signed_url in page

    form = http.get(signed_url.replace("&amp;", "&")).content.decode()
    assert f'<option value="trajectory:{gpmi.pk}" selected>' in form
    assert '<option value="gpmi_contract" selected>' in form

    response = http.post(
        signed_url.replace("&amp;", "&"),
        {
            "kind": DocumentKind.GPMI_CONTRACT,
            "date": "2025-02-03",
            "title": "GPMI ondertekend",
            "record": f"trajectory:{gpmi.pk}",
            "file": upload("gpmi.pdf", PDF),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.trajectory, document.health_data) == (
        "gpmi_contract",
        gpmi,
        False,
    )
    page = http.get(reverse("desk:client_detail", kwargs={"pk": gpmi.client_id})).content.decode()
    assert "GPMI ondertekend" in page


def test_without_an_address_the_contract_leaves_a_line_to_fill_in(staff):
    from documents.gpmi_contract import client_address_lines

    trajectory = TrajectoryFactory(client=staff.client_of("sa"))
    assert client_address_lines(trajectory.client) == []
    trajectory.client.postcode, trajectory.client.municipality = "2800", "Mechelen"
    assert client_address_lines(trajectory.client) == ["2800 Mechelen"]
