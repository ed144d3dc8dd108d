"""In a real browser: print the GPMI contract, attach its signed scan, download it."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from documents.models import Document
from tests.browser.test_daily_work import log_in, watch_csp, with_password
from tests.documents.conftest import PDF
from tests.factories import TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_print_the_gpmi_contract_and_attach_the_signed_scan(
    page, live_server, staff, fast_passwords
):
    with_password(staff.users["sa"])
    person = staff.client_of("sa", first_name="Ayşe", last_name="Aydın")
    gpmi = TrajectoryFactory(
        client=person,
        start_date=timezone.localdate() - datetime.timedelta(days=10),
        goal="Een opleiding heftruckchauffeur volgen",
    )
    violations = watch_csp(page)
    log_in(page, live_server, "sa")
    page.goto(live_server.url + reverse("desk:client_detail", kwargs={"pk": person.pk}))

    with page.expect_download() as printed:
        page.get_by_role("link", name="Contract afdrukken (PDF)").click()
    download = printed.value
    assert download.suggested_filename == f"gpmi-contract-{gpmi.external_id}.pdf"
    with open(download.path(), "rb") as handle:
        text = " ".join(PdfReader(io.BytesIO(handle.read())).pages[0].extract_text().split())
    assert "Ayşe Aydın" in text
    assert "Een opleiding heftruckchauffeur volgen" in text

    page.get_by_role("link", name="Ondertekend contract toevoegen").click()
    expect(page.get_by_role("heading", name="Document toevoegen")).to_be_visible()
    expect(page.get_by_label("Soort document")).to_have_value("gpmi_contract")
    expect(page.get_by_label("Hoort bij record")).to_have_value(f"trajectory:{gpmi.pk}")
    page.get_by_label("Titel").fill("GPMI ondertekend")
    page.get_by_label("Bestand").set_input_files(
        {"name": "gpmi-getekend.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Opladen").click()

    expect(page.get_by_text("Document „GPMI ondertekend” toegevoegd.")).to_be_visible()
    documents = page.locator("#documents")
    expect(documents.get_by_role("link", name="GPMI ondertekend", exact=True)).to_be_visible()
    assert Document.objects.get().trajectory == gpmi

    with page.expect_download() as fetched:
        documents.get_by_role("link", name="GPMI ondertekend", exact=True).click()
    assert fetched.value.suggested_filename == "gpmi-getekend.pdf"
    with open(fetched.value.path(), "rb") as handle:
        assert handle.read() == PDF
    assert violations == []
