"""A day's work in a real browser: find a client, log steps inline, see the queue change;
a manager finds the caseload figures and the council report."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import TrajectoryEvaluation
from partners.models import Article60Placement, Programme, Referral
from partners.services import programme_ensure_defaults
from tests.factories import (
    IncomeRightFactory,
    ProgrammeFundingFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-42"


def days(n):
    return datetime.timedelta(days=n)


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    expect(page.get_by_role("heading", name="Aanmelden bij Traject")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name=re.compile("^Welkom"))).to_be_visible()


def watch_csp(page):
    """Collect console messages about the Content Security Policy."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.fixture
def day_of_work(staff, fast_passwords):
    today = timezone.localdate()
    with_password(staff.users["sa"])
    with_password(staff.users["manager"])
    person = staff.client_of(
        "sa", first_name="An", last_name="Peeters", birth_date=datetime.date(1988, 3, 14)
    )
    IncomeRightFactory(client=person, start_date=today - days(400))
    gpmi = TrajectoryFactory(client=person, start_date=today - days(380), goal="Werk in de zorg")
    VdabRegistrationFactory(client=person, registered_on=today - days(390))
    for name in ("Janssens", "Maes", "Claes"):
        other = staff.client_of("sa", last_name=name)
        IncomeRightFactory(client=other, start_date=today - days(30))
    staff.client_of("colleague", last_name="Wouters")
    # Programmes: a JobRoad screening with free places, DUO for a JOB results and funding.
    programme_ensure_defaults(organisation=staff.organisation)
    jobroad = Programme.objects.get(organisation=staff.organisation, code="jobroad")
    screening = ProgrammeSessionFactory(programme=jobroad, date=today + days(12), capacity=35)
    duo = Programme.objects.get(organisation=staff.organisation, code="duo_for_a_job")
    ProgrammeFundingFactory(programme=duo, year=today.year - 1, amount_eur=Decimal("70000"))
    for i, outcome in enumerate(["permanent_job", "temporary_job", "training", "none", ""]):
        ReferralFactory(
            client=staff.client_of("colleague", last_name=f"Mentee{i}"),
            programme=duo,
            start_date=datetime.date(today.year - 1, 2 + i, 1),
            outcome=outcome,
        )
    return {"person": person, "gpmi": gpmi, "today": today, "screening": screening}


def test_social_assistant_logs_an_evaluation_and_an_article60_and_the_queue_changes(
    page, live_server, staff, day_of_work, screenshot
):
    person, today = day_of_work["person"], day_of_work["today"]
    violations = watch_csp(page)

    log_in(page, live_server, "sa")
    queue = page.locator("#my-queue-heading + ul.work-items")
    expect(page.get_by_text("GPMI evalueren").first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Mijn werkbak"))).to_be_visible()
    screenshot(page, "01-home-social-assistant")

    # Find the client in "Mijn caseload" (the search is sent with htmx, not in the URL).
    page.get_by_role("link", name="Mijn caseload").first.click()
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    page.get_by_label("Naam of rijksregisternummer").fill("Peeters")
    page.get_by_role("button", name="Zoeken").click()
    rows = page.locator("#caseload-listing tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Peeters, An")
    assert "Peeters" not in page.url
    screenshot(page, "02-caseload")

    page.get_by_role("link", name="Peeters, An").click()
    expect(page.get_by_role("heading", name="An Peeters", exact=True)).to_be_visible()
    todo = page.locator("section[aria-labelledby='todo-heading']")
    expect(todo).to_contain_text("GPMI evalueren")
    screenshot(page, "03-client-file")

    # Add a GPMI evaluation inline (htmx): no page load, the file body is swapped.
    url_before = page.url
    page.get_by_role("link", name="+ Evaluatie GPMI").click()
    panel = page.locator("#record-panel")
    expect(
        panel.get_by_role("heading", name=re.compile("Evaluatie GPMI toevoegen"))
    ).to_be_visible()
    # Keyboard users land in the form (focus moves when htmx has settled the swap, a
    # moment after the form is visible; times out, failing, if it never does).
    expect(page.locator("#record-panel :focus")).to_have_count(1, timeout=5000)
    panel.get_by_label("Datum").fill(today.isoformat())
    panel.get_by_label("In persoon").select_option("true")  # Ja
    panel.get_by_label("Notities").fill("Gesprek over de opleiding zorgkundige.")
    panel.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Evaluatie GPMI toegevoegd.")).to_be_visible()
    expect(todo).not_to_contain_text("GPMI evalueren")
    expect(page.locator(".timeline")).to_contain_text("Gesprek over de opleiding zorgkundige.")
    assert page.url == url_before
    assert TrajectoryEvaluation.objects.get().trajectory == day_of_work["gpmi"]
    screenshot(page, "04-evaluation-added")

    # An article-60 placement: first a mistake (clear Dutch message, nothing saved) ...
    page.get_by_role("link", name="+ Artikel 60").click()
    panel.get_by_label("Soort werkgever").select_option("non_profit")
    panel.get_by_label("Inlenende werkgever").fill("Kringwinkel Mechelen")
    panel.get_by_label("Begindatum").fill((today - days(300)).isoformat())
    panel.get_by_label("Geplande einddatum").fill((today - days(400)).isoformat())
    panel.get_by_role("button", name="Opslaan").click()
    expect(panel.get_by_text("De einddatum ligt vóór de begindatum.").first).to_be_visible()
    expect(panel.get_by_text("Er is niets opgeslagen.")).to_be_visible()
    assert not Article60Placement.objects.exists()
    screenshot(page, "05-article60-error")

    # ... then right: ending within 60 days, so the warm handover shows up as due.
    panel.get_by_label("Geplande einddatum").fill((today + days(30)).isoformat())
    panel.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Artikel 60 toegevoegd.")).to_be_visible()
    expect(todo).to_contain_text("Warme overdracht naar VDAB plannen")
    assert Article60Placement.objects.get().client == person
    screenshot(page, "06-article60-added")

    # The work queue shows the change too.
    page.get_by_role("link", name="Werkbak").click()
    expect(page.get_by_role("heading", name="Mijn werkbak")).to_be_visible()
    items = page.locator("ul.work-items")
    expect(items).to_contain_text("Warme overdracht naar VDAB plannen")
    expect(items).not_to_contain_text("GPMI evalueren")
    screenshot(page, "07-workqueue")

    # The home page's queue agrees.
    page.get_by_role("link", name="Start").click()
    expect(queue).to_contain_text("Warme overdracht")
    expect(queue).not_to_contain_text("GPMI evalueren")

    # A JobRoad screening with free places: refer the client from the queue item.
    page.get_by_role("link", name=re.compile("Bekijken.*JobRoad-screening")).click()
    expect(page.locator("h1")).to_contain_text("JobRoad: sessie van")
    # The client is searched (accents and order ignored), not picked from every name.
    page.get_by_label("Zoek de cliënt").fill("peeters an")
    choice = page.get_by_label(re.compile(r"^Peeters, An · geboren 14/03/1988"))
    expect(choice).to_be_visible()
    expect(page.locator("#client-results")).not_to_contain_text("Wouters")
    choice.check()
    page.get_by_role("button", name="Toeleiden").click()
    expect(page.get_by_text("An Peeters is toegeleid")).to_be_visible()
    assert Referral.objects.get(client=person).session == day_of_work["screening"]
    screenshot(page, "08-jobroad-screening")
    assert violations == []


def test_manager_finds_caseload_per_fte_and_the_council_report(
    page, live_server, staff, day_of_work, screenshot
):
    violations = watch_csp(page)
    log_in(page, live_server, "manager")
    expect(
        page.get_by_role("heading", name="Caseload per maatschappelijk assistent")
    ).to_be_visible()
    expect(page.get_by_text("cliënten per VTE").first).to_be_visible()
    # Figures, never a client's name.
    expect(page.locator("main")).not_to_contain_text("Peeters")
    screenshot(page, "09-home-manager")

    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", name="Caseload per team")).to_be_visible()
    expect(page.locator("caption").first).to_contain_text("Team A")
    screenshot(page, "10-team")

    page.get_by_role("link", name="Programma's").click()
    expect(page.get_by_role("heading", name=re.compile("Programma's"))).to_be_visible()
    expect(page.locator("#programme-heading-duo, main")).to_contain_text("DUO for a JOB")
    screenshot(page, "11-programmes")
    page.get_by_role("link", name="JobRoad", exact=True).last.click()
    expect(page.get_by_role("heading", name="Screenings")).to_be_visible()
    screenshot(page, "11b-programme-jobroad")

    page.get_by_role("link", name="Raadsrapport").first.click()
    expect(page.locator("h1")).to_contain_text(re.compile("[Rr]aad"))
    screenshot(page, "12-council-report")
    assert violations == []
