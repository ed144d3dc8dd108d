"""A social assistant's day in one walk (issue 16, "done when"), in a real browser: find
a client by "Last, First", plan a GPMI evaluation and hold it from the agenda, print the
GPMI contract and attach its signed scan, resolve three work-queue items in a row; axe
finds no WCAG 2.1 A/AA violation on any page of the walk."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from casework.models import Appointment, TrajectoryEvaluation
from documents.models import Document
from tests.browser.test_accessibility import violations
from tests.browser.test_daily_work import log_in, watch_csp, with_password
from tests.documents.conftest import PDF
from tests.factories import IncomeRightFactory, TrajectoryFactory, VdabRegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days(n):
    return datetime.timedelta(days=n)


def evaluation_due(staff, today, **names):
    """A client of `sa` whose only item is a GPMI evaluation due (a year after the GPMI)."""
    person = staff.client_of("sa", **names)
    IncomeRightFactory(client=person, start_date=today - days(400))
    gpmi = TrajectoryFactory(
        client=person, start_date=today - days(380), goal="Een opleiding zorgkundige volgen"
    )
    VdabRegistrationFactory(client=person, registered_on=today - days(390))
    return person, gpmi


def test_a_social_assistants_day(page, live_server, staff, fast_passwords, screenshot):
    today = timezone.localdate()
    with_password(staff.users["sa"])
    an, gpmi = evaluation_due(
        staff, today, first_name="Ann", last_name="Pëeters", birth_date=datetime.date(1988, 3, 14)
    )
    for name in ("Aerts", "Baeten", "Claes"):
        evaluation_due(staff, today, first_name="Jo", last_name=name)
    csp = watch_csp(page)
    seen: dict[str, list[str]] = {}

    def check(name):
        """axe on the page as it is now (WCAG 2.0/2.1 A and AA)."""
        seen[name] = violations(page)

    log_in(page, live_server, "sa")
    check("home")

    # Find the client as the list writes names: "Last, First", accents ignored.
    page.get_by_role("link", name="Mijn caseload").first.click()
    page.get_by_label("Naam of rijksregisternummer").fill("Peeters, Ann")
    page.get_by_role("button", name="Zoeken").click()
    results = page.locator("table tbody tr")
    expect(results).to_have_count(1)
    check("caseload")
    results.get_by_role("link", name=re.compile("Pëeters")).click()
    expect(page.get_by_role("heading", name="Ann Pëeters", exact=True)).to_be_visible()
    check("client file")

    # Plan the GPMI evaluation (early today, so that it can be held now).
    page.get_by_role("link", name="+ Afspraak").click()
    panel = page.locator("#record-panel")
    panel.get_by_label("Soort").select_option(label="GPMI-evaluatie")
    panel.get_by_label("Dag").fill(today.isoformat())
    panel.get_by_label("Beginuur").fill("00:00")
    panel.get_by_label("Plaats").fill("Bureau 2.14")
    panel.get_by_role("combobox", name=re.compile("^GPMI")).select_option(str(gpmi.pk))
    check("appointment form")
    panel.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Afspraak toegevoegd.")).to_be_visible()

    # Hold it from the week agenda and register the evaluation in the same flow.
    page.get_by_role("link", name="Agenda", exact=True).click()
    row = page.locator(".agenda-day tbody tr", has=page.get_by_role("link", name="Ann Pëeters"))
    expect(row).to_contain_text("GPMI-evaluatie")
    check("agenda")
    row.get_by_role("button", name=re.compile("^Gesprek gehouden")).click()
    expect(page.get_by_label("GPMI of traject")).to_have_value(str(gpmi.pk))
    page.get_by_label("Notities").fill("Opleiding zorgkundige besproken.")
    check("evaluation form")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Evaluatie GPMI toegevoegd.")).to_be_visible()
    assert Appointment.objects.get().status == "held"
    assert TrajectoryEvaluation.objects.get(trajectory=gpmi).date == today

    # Print the GPMI contract, then attach its signed scan to that GPMI.
    page.goto(live_server.url + reverse("desk:client_detail", kwargs={"pk": an.pk}))
    with page.expect_download() as printed:
        page.get_by_role("link", name="Contract afdrukken (PDF)").click()
    with open(printed.value.path(), "rb") as handle:
        text = " ".join(PdfReader(io.BytesIO(handle.read())).pages[0].extract_text().split())
    assert "Ann Pëeters" in text and "Een opleiding zorgkundige volgen" in text
    page.get_by_role("link", name="Ondertekend contract toevoegen").click()
    expect(page.get_by_label("Hoort bij record")).to_have_value(f"trajectory:{gpmi.pk}")
    page.get_by_label("Titel").fill("GPMI ondertekend")
    page.get_by_label("Bestand").set_input_files(
        {"name": "gpmi-getekend.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    check("document form")
    page.get_by_role("button", name="Opladen").click()
    expect(
        page.locator("#documents").get_by_role("link", name="GPMI ondertekend", exact=True)
    ).to_be_visible()
    assert Document.objects.get().trajectory == gpmi
    check("client file with its document")

    # The work queue: the three other evaluations, resolved in a row in place.
    page.get_by_role("link", name="Werkbak").first.click()
    items = page.locator("#queue-items > li")
    expect(items).to_have_count(3)
    check("work queue")
    page.locator("[data-queue-open]").first.click()
    for done, name in enumerate(["Aerts", "Baeten", "Claes"], start=1):
        form = page.locator("#queue-items .record-panel form")
        expect(form.locator("xpath=..")).to_contain_text(f"Jo {name}")
        form.get_by_label("Datum").fill(today.isoformat())
        form.get_by_label("Notities").fill(f"Evaluatie met {name}.")
        if done == 1:
            check("work queue with a form open")
        form.get_by_role("button", name="Opslaan").click()
        expect(page.locator("#queue-body .messages")).to_contain_text("Evaluatie GPMI toegevoegd.")
        if done < 3:
            expect(items).to_have_count(3 - done)
            expect(page.locator("[data-queue-open]:focus")).to_have_count(1)
            page.keyboard.press("Enter")
    expect(page.get_by_text("Niets te doen: alles is in orde.")).to_be_visible()
    check("work queue, all done")
    screenshot(page, "a-day-done")

    assert TrajectoryEvaluation.objects.count() == 4
    assert {name: found for name, found in seen.items() if found} == {}
    assert len(seen) == 11
    assert csp == []
