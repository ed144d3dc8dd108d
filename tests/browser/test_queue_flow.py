"""The work queue flows in a real browser: three items resolved in a row in place (the
focus moves to the next item), typed text is not lost without asking, and a stale edit
shows both versions and keeps what the user typed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import TrajectoryEvaluation
from core import writes
from partners.models import Article60Placement
from tests.browser.test_daily_work import log_in, watch_csp, with_password
from tests.factories import (
    Article60PlacementFactory,
    IncomeRightFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the focus is, asked through locators (Playwright's injected script): a
# wait_for_function string would be evaluated in the page, which its CSP forbids.
FOCUS_ON_AN_ITEM = "[data-queue-open]:focus"


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def three_evaluations_due(staff, fast_passwords):
    """Three clients of `sa`, each with only a GPMI evaluation due."""
    today = timezone.localdate()
    with_password(staff.users["sa"])
    for name in ("Aerts", "Baeten", "Claes"):
        person = staff.client_of("sa", last_name=name, first_name="Jo")
        IncomeRightFactory(client=person, start_date=today - days(400))
        TrajectoryFactory(client=person, start_date=today - days(380))
        VdabRegistrationFactory(client=person, registered_on=today - days(390))
    return today


def test_resolve_three_queue_items_in_a_row_in_place(
    page, live_server, staff, three_evaluations_due, screenshot
):
    today = three_evaluations_due
    violations = watch_csp(page)
    log_in(page, live_server, "sa")
    page.goto(live_server.url + reverse("desk:workqueue"))
    expect(page.get_by_role("heading", name="Mijn werkbak")).to_be_visible()
    items = page.locator("#queue-items > li")
    expect(items).to_have_count(3)
    expect(page.get_by_role("link", name="GPMI-evaluatie (3)")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    # The first item by mouse; after each save the focus is on the next item's
    # "Registreren", which the keyboard opens.
    page.locator("[data-queue-open]").first.click()
    for done, name in enumerate(["Aerts", "Baeten", "Claes"], start=1):
        panel = page.locator("#queue-items .record-panel form")
        expect(panel).to_have_count(1)
        expect(panel.locator("xpath=..")).to_contain_text(f"Jo {name}")
        expect(page.locator(".record-panel :focus")).to_have_count(1)
        panel.get_by_label("Datum").fill(today.isoformat())
        panel.get_by_label(re.compile("^in persoon", re.IGNORECASE)).select_option("true")
        panel.get_by_label("Notities").fill(f"Evaluatie met {name}.")
        if done == 1:
            screenshot(page, "queue-01-form-in-place")
        panel.get_by_role("button", name="Opslaan").click()
        expect(page.locator("#queue-body .messages")).to_contain_text("Evaluatie GPMI toegevoegd.")
        if done < 3:
            expect(items).to_have_count(3 - done)
            expect(page.locator(FOCUS_ON_AN_ITEM)).to_have_count(1)
            expect(page.locator("#queue-announcer")).to_contain_text("Volgend item:")
            page.keyboard.press("Enter")
    expect(page.get_by_text("Niets te doen: alles is in orde.")).to_be_visible()
    expect(page.get_by_role("link", name="GPMI-evaluatie (0)")).to_be_visible()
    screenshot(page, "queue-02-all-resolved")
    assert page.evaluate("window.stillTheSamePage") is True
    notes = sorted(TrajectoryEvaluation.objects.values_list("notes", flat=True))
    assert notes == ["Evaluatie met Aerts.", "Evaluatie met Baeten.", "Evaluatie met Claes."]
    assert violations == []


def test_typed_text_is_not_thrown_away_without_asking(
    page, live_server, staff, three_evaluations_due
):
    log_in(page, live_server, "sa")
    page.goto(live_server.url + reverse("desk:workqueue"))
    page.locator("[data-queue-open]").first.click()
    form = page.locator("#queue-items .record-panel form")
    form.get_by_label("Notities").fill("Half getypt")
    asked = []

    def refuse(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    # Opening another item would replace the open form: asked, refused, nothing lost.
    page.locator("[data-queue-open]").nth(1).click()
    expect(form.get_by_label("Notities")).to_have_value("Half getypt")
    assert asked and "nog niet is opgeslagen" in asked[0]
    # "Volgende item" asks too; accepted, the next item's form opens.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Volgende item").click()
    expect(page.locator("#queue-items .record-panel form")).to_have_count(1)
    expect(page.locator("#queue-items > li").nth(1).locator("form")).to_be_visible()


def test_a_stale_edit_shows_both_versions_and_keeps_my_text(
    page, live_server, staff, fast_passwords, screenshot
):
    with_password(staff.users["sa"])
    person = staff.client_of("sa", last_name="Peeters", first_name="An")
    placement = Article60PlacementFactory(client=person, employer_name="Groendienst")
    log_in(page, live_server, "sa")
    page.goto(live_server.url + reverse("desk:client_detail", kwargs={"pk": person.pk}))
    page.get_by_role("link", name=re.compile("^Wijzigen.*Artikel 60")).click()
    panel = page.locator("#record-panel")
    panel.get_by_label("Inlenende werkgever").fill("Zwembad Mechelen")
    # Meanwhile a colleague saves the same placement.
    with writes.writes_by(user=staff.users["colleague"]):
        writes.record_update(instance=placement, employer_name="Bibliotheek")
    panel.get_by_role("button", name="Opslaan").click()
    expect(panel.get_by_text("Colleague heeft dit record intussen gewijzigd")).to_be_visible()
    row = panel.locator("tr", has_text="Inlenende werkgever")
    expect(row).to_contain_text("Bibliotheek")
    expect(row).to_contain_text("Zwembad Mechelen")
    expect(panel.get_by_label("Inlenende werkgever")).to_have_value("Zwembad Mechelen")
    screenshot(page, "stale-edit-both-versions")
    assert Article60Placement.objects.get().employer_name == "Bibliotheek"
    # Keep mine, on top of the current version.
    panel.get_by_role("button", name="Mijn versie opslaan").click()
    expect(page.get_by_text("Artikel 60 gewijzigd.")).to_be_visible()
    placement.refresh_from_db()
    assert (placement.employer_name, placement.version) == ("Zwembad Mechelen", 3)
