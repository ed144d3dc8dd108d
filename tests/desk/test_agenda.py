"""Appointments: planned in the client file, the week agenda, holding a GPMI evaluation
from it, the work-queue rule, the calendar feed, the daily digest and its scheduler."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from casework.models import Appointment, TrajectoryEvaluation
from desk import workqueue
from desk.calendar_feed import calendar_feed_renew, initials
from desk.models import DailyDigest, ScheduledRun
from desk.scheduler import tick
from desk.tasks import send_daily_digests
from tests.factories import AppointmentFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    """An aware moment in Brussels."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sa(client, staff):
    client.force_login(staff.users["sa"])
    return client


@pytest.fixture
def person(staff):
    return staff.client_of("sa", first_name="An", last_name="Peeters")


@pytest.fixture
def gpmi(person):
    return TrajectoryFactory(client=person, start_date=datetime.date(2024, 2, 1))


def appointment(staff, person, starts_at, **fields):
    return AppointmentFactory(
        client=person,
        social_worker=staff.workers["sa"],
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        **fields,
    )


# --- The client file --------------------------------------------------------------------


def test_an_appointment_planned_in_the_client_file_is_stored_in_brussels_time(
    sa, staff, person, gpmi, today
):
    day = today + datetime.timedelta(days=3)
    url = reverse("desk:record_add", kwargs={"pk": person.pk, "kind": "appointment"})
    form = sa.get(url + "?kind=gpmi_evaluation")
    assert form.status_code == 200
    # Prefilled: the assigned social assistant and the running GPMI.
    assert form.context["form"].initial["social_worker"] == staff.workers["sa"].pk
    assert form.context["form"].initial["trajectory"] == gpmi.pk
    response = sa.post(
        url,
        {
            "kind": "gpmi_evaluation",
            "day": day.isoformat(),
            "start_time": "10:30",
            "duration": "45",
            "social_worker": staff.workers["sa"].pk,
            "trajectory": gpmi.pk,
            "place": "Bureau 2.14",
            "status": "planned",
            "note": "",
        },
    )
    assert response.status_code == 302
    stored = Appointment.objects.get()
    assert timezone.localtime(stored.starts_at) == at(day, 10, 30)
    assert stored.ends_at - stored.starts_at == datetime.timedelta(minutes=45)
    assert stored.trajectory == gpmi
    assert stored.organisation == person.organisation
    page = sa.get(reverse("desk:client_detail", kwargs={"pk": person.pk})).content.decode()
    assert "Bureau 2.14" in page
    assert f"{day:%d/%m/%Y} 10:30" in page


def test_a_stale_edit_of_an_appointment_is_refused(sa, staff, person, today):
    planned = appointment(staff, person, at(today + datetime.timedelta(days=1), 9))
    url = reverse(
        "desk:record_edit", kwargs={"pk": person.pk, "kind": "appointment", "record_pk": planned.pk}
    )
    data = {
        "kind": "conversation",
        "day": (today + datetime.timedelta(days=1)).isoformat(),
        "start_time": "11:00",
        "duration": "60",
        "social_worker": staff.workers["sa"].pk,
        "place": "Elders",
        "status": "planned",
        "note": "",
        "version": planned.version,
    }
    assert sa.post(url, data).status_code == 302
    response = sa.post(url, {**data, "place": "Nog elders"})  # the same, old version
    assert response.status_code == 200
    # The same user in another tab (desk.stale_edits): said so, with both versions.
    assert "Je hebt dit record intussen in een ander venster/tabblad gewijzigd" in (
        response.content.decode()
    )
    planned.refresh_from_db()
    assert planned.place == "Elders"


def test_an_appointment_in_the_future_cannot_be_held(sa, staff, person, today):
    later = appointment(staff, person, at(today + datetime.timedelta(days=2), 9))
    url = reverse("desk:appointment_status", kwargs={"pk": later.pk, "action": "held"})
    response = sa.post(url, {"version": later.version}, follow=True)
    assert "kan niet gehouden zijn" in response.content.decode()
    later.refresh_from_db()
    assert later.status == "planned"


# --- The agenda -------------------------------------------------------------------------


def test_the_agenda_shows_the_week_as_a_table_per_day(sa, staff, person, today):
    monday = today - datetime.timedelta(days=today.weekday())
    appointment(staff, person, at(monday, 9, 30), place="Bureau 2.14", kind="home_visit")
    appointment(staff, person, at(monday + datetime.timedelta(days=7), 9), place="Lokaal X9")
    response = sa.get(reverse("desk:agenda"))
    html = response.content.decode()
    assert response.status_code == 200
    assert person.full_name in html
    assert "Bureau 2.14" in html and "Huisbezoek" in html
    assert '<th scope="col">Uur</th>' in html
    assert "09:30–10:30" in html
    assert "Lokaal X9" not in html
    year, week, _ = (monday + datetime.timedelta(days=7)).isocalendar()
    following = sa.get(reverse("desk:agenda") + f"?week={year}-W{week:02d}").content.decode()
    assert "Lokaal X9" in following and "Bureau 2.14" not in following


def test_a_week_that_is_not_one_is_a_clear_message_not_an_error(sa):
    response = sa.get(reverse("desk:agenda") + "?week=2026-W99", follow=True)
    assert response.status_code == 200
    assert "is geen week" in response.content.decode()


def test_a_team_lead_picks_an_assistant_of_the_team_and_an_assistant_only_sees_their_own(
    client, staff, person, today
):
    appointment(staff, person, at(today, 8), place="Bij An")
    colleague_client = staff.client_of("colleague", first_name="Bo", last_name="Claes")
    AppointmentFactory(
        client=colleague_client,
        social_worker=staff.workers["colleague"],
        starts_at=at(today, 8),
        ends_at=at(today, 9),
        place="Bij Bo",
    )
    client.force_login(staff.users["lead"])
    page = client.get(reverse("desk:agenda") + f"?worker={staff.workers['sa'].pk}")
    assert "Bij An" in page.content.decode()
    assert [w.pk for w in page.context["owners"]] == sorted(
        [staff.workers[n].pk for n in ("sa", "colleague", "lead")],
        key=lambda pk: [w.pk for w in page.context["owners"]].index(pk),
    )
    client.force_login(staff.users["sa"])
    own = client.get(reverse("desk:agenda") + f"?worker={staff.workers['colleague'].pk}")
    assert "Bij An" in own.content.decode() and "Bij Bo" not in own.content.decode()


def test_a_manager_has_no_agenda(client, staff):
    client.force_login(staff.users["manager"])
    assert client.get(reverse("desk:agenda")).status_code == 403


def test_holding_a_gpmi_evaluation_opens_the_evaluation_form_prefilled(
    sa, staff, person, gpmi, today
):
    held = appointment(staff, person, at(today, 0), kind="gpmi_evaluation", trajectory=gpmi)
    url = reverse("desk:appointment_status", kwargs={"pk": held.pk, "action": "held"})
    response = sa.post(url, {"version": held.version, "next": reverse("desk:agenda")})
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith(
        reverse("desk:record_add", kwargs={"pk": person.pk, "kind": "evaluation"})
    )
    held.refresh_from_db()
    assert held.status == "held"
    form = sa.get(target).context["form"]
    assert form.initial["trajectory"] == str(gpmi.pk)
    assert form.initial["date"] == today.isoformat()
    saved = sa.post(
        target.split("?")[0],
        {"trajectory": gpmi.pk, "date": today.isoformat(), "face_to_face": "true", "notes": ""},
    )
    assert saved.status_code == 302
    assert TrajectoryEvaluation.objects.get().date == today


def test_an_appointment_of_a_client_outside_the_caseload_cannot_be_changed(client, staff, today):
    other = staff.client_of("other_sa")
    theirs = AppointmentFactory(
        client=other,
        social_worker=staff.workers["other_sa"],
        starts_at=at(today, 0),
        ends_at=at(today, 1),
    )
    client.force_login(staff.users["sa"])
    url = reverse("desk:appointment_status", kwargs={"pk": theirs.pk, "action": "held"})
    assert client.post(url, {"version": theirs.version}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "planned"


# --- The work queue ---------------------------------------------------------------------


def test_the_queue_lists_todays_and_unregistered_past_appointments(staff, person, today):
    appointment(staff, person, at(today, 0, 30))
    appointment(staff, person, at(today - datetime.timedelta(days=3), 10))
    appointment(staff, person, at(today - datetime.timedelta(days=4), 10), status="held")
    appointment(staff, person, at(today + datetime.timedelta(days=1), 10))
    items = [
        item
        for item in workqueue.social_worker_queue(staff.workers["sa"], today=today)
        if item.rule == "appointment"
    ]
    assert [item.due_date for item in items] == [today - datetime.timedelta(days=3), today]
    assert items[0].overdue and not items[1].overdue
    assert "registreren" in items[0].title and "vandaag om 00:30" in items[1].title


# --- The calendar feed ------------------------------------------------------------------


def test_the_calendar_feed_has_initials_and_links_but_no_names(client, staff, person, today):
    planned = appointment(
        staff, person, at(today + datetime.timedelta(days=1), 14), place="Thuis, Kerkstraat 1"
    )
    token = calendar_feed_renew(user=staff.users["sa"])
    response = client.get(reverse("desk:calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Peeters" not in body and "Kerkstraat" not in body
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]).startswith(f"appointment-{planned.pk}@")
    assert "DTSTAMP" in event
    assert event.decoded("dtstart") == planned.starts_at
    assert event.decoded("dtend") == planned.ends_at
    assert str(event["summary"]) == "gesprek A.P."
    assert str(event["url"]).endswith(
        reverse(
            "desk:record_edit",
            kwargs={"pk": person.pk, "kind": "appointment", "record_pk": planned.pk},
        )
    )
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", body)


def test_a_wrong_revoked_or_replaced_token_is_404(client, staff):
    old = calendar_feed_renew(user=staff.users["sa"])
    new = calendar_feed_renew(user=staff.users["sa"])
    feed = lambda token: client.get(reverse("desk:calendar_feed", kwargs={"token": token}))  # noqa: E731
    assert feed("geraden").status_code == 404
    assert feed(old).status_code == 404
    assert feed(new).status_code == 200
    client.force_login(staff.users["sa"])
    client.post(reverse("desk:calendar_feed_settings"), {"action": "revoke"})
    client.logout()
    assert feed(new).status_code == 404


def test_the_feed_token_is_stored_only_as_a_hash_and_shown_once(sa, staff):
    response = sa.post(reverse("desk:calendar_feed_settings"), {"action": "renew"})
    url = response.context["feed_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    stored = staff.users["sa"].calendar_feed.token_hash
    assert token not in stored and len(stored) == 64
    assert token not in sa.get(reverse("desk:calendar_feed_settings")).content.decode()


def test_initials_of_a_name():
    assert initials("Jan", "Van den Broeck") == "J.V.D.B."
    assert initials("An", "Peeters") == "A.P."


# --- Reminders --------------------------------------------------------------------------


@pytest.fixture
def mailboxes(staff):
    for name in ("sa", "lead"):
        staff.users[name].email = f"{name}@example.be"
        staff.users[name].save()


def test_the_daily_digest_is_mailed_once_without_names(staff, person, today, mailboxes):
    appointment(staff, person, at(today, 23, 0), kind="home_visit")
    result = send_daily_digests.enqueue(today.isoformat())
    assert result.return_value == 2  # the social assistant and the team lead
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"sa@example.be", "lead@example.be"}
    body = by_recipient["sa@example.be"].body
    assert "23:00 huisbezoek A.P." in body
    assert "Peeters" not in body and "An " not in body.replace("Afspraken", "")
    assert "/clients/" in body
    lead_body = by_recipient["lead@example.be"].body
    assert "Werkbak van het team" in lead_body and "Peeters" not in lead_body
    # The team's items per social assistant: the social assistant's appointment item.
    assert f"{staff.workers['sa'].full_name}: 1 taken, waarvan 0 te laat" in lead_body
    assert DailyDigest.objects.filter(day=today).count() == 2
    # Again the same day: nothing more is sent.
    assert send_daily_digests.enqueue(today.isoformat()).return_value == 0
    assert len(mail.outbox) == 2


def test_a_failed_mail_is_not_recorded_and_goes_out_on_the_next_run(
    staff, person, today, mailboxes, monkeypatch
):
    appointment(staff, person, at(today, 23, 0))

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("desk.digest.send_mail", broken)
    assert send_daily_digests.enqueue(today.isoformat()).return_value == 0
    assert not DailyDigest.objects.exists()
    monkeypatch.undo()
    assert send_daily_digests.enqueue(today.isoformat()).return_value == 2


def test_the_scheduler_enqueues_the_digest_once_a_day_from_its_hour(
    settings, staff, person, today, mailboxes
):
    settings.TRAJECT_DIGEST_HOUR = 7
    appointment(staff, person, at(today, 23, 0))
    assert tick(at(today, 6, 59)) == []
    assert mail.outbox == []
    assert tick(at(today, 7, 0)) == ["send_daily_digests"]
    assert len(mail.outbox) == 2  # the immediate backend of the tests ran it at once
    assert tick(at(today, 7, 1)) == []
    assert tick(at(today, 15, 0)) == []
    assert ScheduledRun.objects.get().day == today
    assert len(mail.outbox) == 2


def test_the_home_page_shows_todays_appointments(sa, staff, person, today):
    appointment(staff, person, at(today, 23, 0), place="Bureau 2.14")
    html = sa.get(reverse("desk:home")).content.decode()
    assert "Vandaag" in html
    assert "23:00" in html and "Bureau 2.14" in html


def test_holding_without_the_version_read_or_from_a_stale_page_changes_nothing(
    sa, staff, person, today
):
    planned = appointment(staff, person, at(today, 0))
    url = reverse("desk:appointment_status", kwargs={"pk": planned.pk, "action": "cancelled"})
    response = sa.post(url, {}, follow=True)
    assert "De versie van de afspraak ontbreekt" in response.content.decode()
    response = sa.post(url, {"version": planned.version + 5}, follow=True)
    assert "Iemand anders heeft dit record intussen gewijzigd" in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == "planned"


def test_the_agenda_and_the_feed_take_as_many_queries_for_2_as_for_20_appointments(
    sa, client, staff, person, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = calendar_feed_renew(user=staff.users["sa"])
    monday = today - datetime.timedelta(days=today.weekday())

    def count(n):
        Appointment.objects.all().delete()
        for i in range(n):
            appointment(staff, person, at(monday + datetime.timedelta(days=i % 5), 8 + i // 5))
        sa.get(reverse("desk:agenda"))
        with CaptureQueriesContext(connection) as agenda:
            sa.get(reverse("desk:agenda"))
        with CaptureQueriesContext(connection) as feed:
            client.get(reverse("desk:calendar_feed", kwargs={"token": token}))
        return len(agenda), len(feed)

    few, many = count(2), count(20)
    assert few == many
