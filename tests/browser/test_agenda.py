"""Plan a GPMI evaluation in the client file, find it in the week agenda, hold it from
there and register the evaluation in the same flow (a real browser)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Appointment, TrajectoryEvaluation
from tests.browser.test_daily_work import log_in, watch_csp, with_password
from tests.factories import IncomeRightFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_a_gpmi_evaluation_see_it_in_the_agenda_hold_it_and_register_the_evaluation(
    page, live_server, staff, fast_passwords, screenshot
):
    today = timezone.localdate()
    with_password(staff.users["sa"])
    person = staff.client_of(
        "sa", first_name="An", last_name="Peeters", birth_date=datetime.date(1988, 3, 14)
    )
    IncomeRightFactory(client=person, start_date=today - datetime.timedelta(days=400))
    gpmi = TrajectoryFactory(client=person, start_date=today - datetime.timedelta(days=380))
    violations = watch_csp(page)

    log_in(page, live_server, "sa")
    page.goto(live_server.url + reverse("desk:client_detail", kwargs={"pk": person.pk}))
    expect(page.get_by_role("heading", name="An Peeters", exact=True)).to_be_visible()

    # Plan the evaluation inline (htmx), early today so that it can be held now.
    page.get_by_role("link", name="+ Afspraak").click()
    panel = page.locator("#record-panel")
    expect(panel.get_by_role("heading", name=re.compile("Afspraak toevoegen"))).to_be_visible()
    panel.get_by_label("Soort").select_option(label="GPMI-evaluatie")
    panel.get_by_label("Dag").fill(today.isoformat())
    panel.get_by_label("Beginuur").fill("00:00")
    panel.get_by_label("Duur").select_option("45")
    panel.get_by_label("Plaats").fill("Bureau 2.14")
    panel.get_by_role("combobox", name=re.compile("^GPMI")).select_option(str(gpmi.pk))
    panel.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Afspraak toegevoegd.")).to_be_visible()
    appointment = Appointment.objects.get()
    assert appointment.trajectory == gpmi and appointment.status == "planned"
    expect(page.locator("section[aria-labelledby='todo-heading']")).to_contain_text(
        "Afspraak vandaag om 00:00"
    )
    screenshot(page, "agenda-01-planned-in-the-file")

    # The week agenda: a table for today with the hour, the client, the kind, the place.
    page.get_by_role("link", name="Agenda", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Agenda van"))).to_be_visible()
    day_table = page.locator(".agenda-day", has=page.get_by_text("vandaag", exact=True))
    row = day_table.locator("tbody tr").first
    expect(row).to_contain_text("00:00–00:45")
    expect(row.get_by_role("link", name="An Peeters")).to_be_visible()
    expect(row).to_contain_text("GPMI-evaluatie")
    expect(row).to_contain_text("Bureau 2.14")
    screenshot(page, "agenda-02-week")

    # Hold it: the evaluation form opens with the GPMI and the day filled in.
    row.get_by_role("button", name=re.compile("^Gesprek gehouden")).click()
    expect(page.get_by_text("Afspraak gehouden. Registreer nu de evaluatie")).to_be_visible()
    expect(page.get_by_label("Datum")).to_have_value(today.isoformat())
    expect(page.get_by_label("GPMI of traject")).to_have_value(str(gpmi.pk))
    page.get_by_label("Notities").fill("Opleiding zorgkundige besproken.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Evaluatie GPMI toegevoegd.")).to_be_visible()
    evaluation = TrajectoryEvaluation.objects.get()
    assert (evaluation.trajectory, evaluation.date) == (gpmi, today)
    assert evaluation.face_to_face is True
    appointment.refresh_from_db()
    assert appointment.status == "held"
    screenshot(page, "agenda-03-evaluation-registered")
    assert violations == []
