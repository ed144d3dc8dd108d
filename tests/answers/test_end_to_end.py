"""Done when (issue 17): a manager registers a question, drafts and publishes the
answer, downloads its DOCX; after a correction of one income right (through the
write services, so it is audited), verify names the figure, both values and the
record. Through the web pages (Django test client)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from answers.models import PublishedAnswer, Question, QuestionStatus
from answers.services import canonical_sha256
from casework.models import IncomeRight
from core.writes import record_update, writes_by
from tests.factories import ClientFactory, IncomeRightFactory, PopulationFactory

pytestmark = pytest.mark.django_db

DRAFT = {
    "period_from": "2024-01",
    "period_to": "2024-12",
    "reference_month": "2025-01",
    "as_of": "2025-06-30",
    "statistics": ["income_support", "leefloon_duration"],
    "text": (
        "In januari 2025 waren er {{ income_support.leefloon }} leefloongerechtigden, "
        "{{ income_support.leefloon_per_1000 }} per 1.000 inwoners. "
        "{{ leefloon_duration.percent.up_to_1y }} was max 1 jaar in het leefloon."
    ),
}


@pytest.fixture
def rights(staff):
    organisation = staff.organisation
    PopulationFactory(organisation=organisation, year=2025, inhabitants=1000)
    made = []
    for start in ("2024-09-01", "2024-10-01", "2020-01-01"):
        client = ClientFactory(organisation=organisation)
        made.append(
            IncomeRightFactory(client=client, start_date=datetime.date.fromisoformat(start))
        )
    return made


def register_and_publish(client, staff, today):
    client.force_login(staff.users["manager"])
    response = client.post(
        reverse("answers:question_create"),
        {
            "organisation": staff.organisation.pk,
            "reference": "2025/113",
            "asked_on": (today - datetime.timedelta(days=20)).isoformat(),
            "asked_by": "Raadslid Peeters (partij X)",
            "text": "Hoeveel leefloongerechtigden telde Mechelen in januari 2025?",
            "due_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    question = Question.objects.get(reference="2025/113")
    assert response.status_code == 302 and response.url == question.get_absolute_url()

    # Due within 10 days: in the manager's work queue on the home page.
    home = client.get(reverse("desk:home")).content.decode()
    assert "Schriftelijke vraag 2025/113 beantwoorden" in home

    page = client.post(question.get_absolute_url(), DRAFT).content.decode()
    assert (
        "In januari 2025 waren er 3 leefloongerechtigden, 3 per 1.000 inwoners. "
        "67% was max 1 jaar" in page
    )
    assert "Duur in het leefloon" in page  # the picked statistic, as the report shows it
    question.refresh_from_db()
    assert question.status == QuestionStatus.DRAFT

    # The draft's document says it is a draft, in its title and its footer.
    draft = Document(
        io.BytesIO(client.get(reverse("answers:draft_docx", args=[question.pk])).content)
    )
    assert draft.paragraphs[0].text.endswith("ONTWERP")
    assert "ONTWERP, niet gepubliceerd" in draft.sections[0].footer.paragraphs[0].text
    assert "In januari 2025 waren er 3 leefloongerechtigden" in "\n".join(
        p.text for p in draft.paragraphs
    )

    response = client.post(reverse("answers:publish", args=[question.pk]))
    published = PublishedAnswer.objects.get(question=question)
    assert response.status_code == 302 and response.url == published.get_absolute_url()
    return question, published


def test_register_draft_publish_download_correct_verify(client, staff, rights, capsys):
    today = datetime.date.today()
    question, published = register_and_publish(client, staff, today)
    question.refresh_from_db()
    assert question.status == QuestionStatus.PUBLISHED
    assert published.published_by == staff.users["manager"]
    assert published.statistics == ["income_support", "leefloon_duration"]
    assert published.sha256 == canonical_sha256(json.loads(published.report_json))
    call_command(
        "council_report",
        "mechelen",
        "--from",
        "2024-01",
        "--to",
        "2024-12",
        "--reference-month",
        "2025-01",
        "--as-of",
        "2025-06-30",
    )
    assert published.report_json == capsys.readouterr().out

    # No longer in the queue once answered.
    assert "2025/113" not in client.get(reverse("desk:home")).content.decode()

    response = client.get(reverse("answers:answer_docx", args=[published.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "2025/113" in body and "Raadslid Peeters" in body
    assert "In januari 2025 waren er 3 leefloongerechtigden" in body
    assert published.sha256 in document.sections[0].footer.paragraphs[0].text

    # Identical before any change.
    call_command("answers", "verify", str(published.pk))
    assert "Elk cijfer is identiek" in capsys.readouterr().out

    # A social assistant corrects one income right: it ended before January 2025.
    corrected = rights[0]
    with writes_by(user=staff.users["sa"], source="test"):
        record_update(instance=corrected, end_date=datetime.date(2024, 12, 31))
    with pytest.raises(SystemExit) as exit_info:
        call_command("answers", "verify", str(published.pk), "--user", "manager")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "income_support.leefloon: gepubliceerd 3, vandaag 2" in out
    assert f"casework.incomeright {corrected.external_id}: update" in out
    assert '"end_date": [null, "2024-12-31"]' in out
    assert "door sa" in out

    page = client.post(
        reverse("answers:answer_verify", args=[published.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "income_support.leefloon" in page
    assert corrected.external_id in page
    assert "end_date: – → 2024-12-31" in page

    # The published answer itself did not move.
    published.refresh_from_db()
    assert published.sha256 == canonical_sha256(json.loads(published.report_json))
    assert IncomeRight.objects.get(pk=corrected.pk).end_date == datetime.date(2024, 12, 31)


def test_a_correction_is_a_new_answer_naming_the_one_it_corrects(client, staff, rights):
    question, published = register_and_publish(client, staff, datetime.date.today())
    response = client.post(reverse("answers:answer_correct", args=[published.pk]))
    assert response.status_code == 302
    client.post(question.get_absolute_url(), DRAFT | {"as_of": "2025-07-31"})
    client.post(reverse("answers:publish", args=[question.pk]))
    correction = PublishedAnswer.objects.exclude(pk=published.pk).get()
    assert correction.corrects == published
    assert correction.as_of == datetime.date(2025, 7, 31)
    assert PublishedAnswer.objects.count() == 2
    assert "Verbeterd door antwoord" in client.get(published.get_absolute_url()).content.decode()


def test_unknown_key_path_is_a_form_error(client, staff, rights):
    client.force_login(staff.users["manager"])
    question = Question.objects.create(
        organisation=staff.organisation,
        reference="1",
        asked_on=datetime.date(2025, 1, 1),
        asked_by="x",
        text="?",
        due_on=datetime.date(2025, 2, 1),
    )
    response = client.post(
        question.get_absolute_url(), DRAFT | {"text": "Er waren {{ income_support.leeflon }}."}
    )
    assert response.status_code == 400
    assert "Onbekend cijfer in de tekst: {{ income_support.leeflon }}" in response.content.decode()
    assert not hasattr(Question.objects.get(pk=question.pk), "draft")


def test_team_lead_reads_but_does_not_draft(client, staff, rights):
    question, published = register_and_publish(client, staff, datetime.date.today())
    client.force_login(staff.users["lead"])
    assert "2025/113" in client.get(reverse("answers:question_list")).content.decode()
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.post(question.get_absolute_url(), DRAFT).status_code == 403
    assert client.post(reverse("answers:publish", args=[question.pk])).status_code == 403
    client.force_login(staff.users["sa"])
    assert client.get(reverse("answers:question_list")).status_code == 403


def test_htmx_gets_the_draft_fragment_with_its_errors(client, staff, rights):
    client.force_login(staff.users["manager"])
    question = Question.objects.create(
        organisation=staff.organisation,
        reference="2",
        asked_on=datetime.date(2025, 1, 1),
        asked_by="x",
        text="?",
        due_on=datetime.date(2025, 2, 1),
    )
    url = question.get_absolute_url()
    bad = client.post(url, DRAFT | {"text": "{{ caseload }}"}, HTTP_HX_REQUEST="true")
    html = bad.content.decode()
    assert bad.status_code == 200 and "<html" not in html and 'id="draft"' in html
    assert "Onbekend cijfer in de tekst: {{ caseload }}" in html
    good = client.post(url, DRAFT, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in good and "In januari 2025 waren er 3 leefloongerechtigden" in good


def test_a_question_of_another_organisation_is_not_found_for_the_team_lead(client, staff):
    from tests.factories import OrganisationFactory, QuestionFactory

    other = QuestionFactory(organisation=OrganisationFactory(code="gent"))
    own = QuestionFactory(organisation=staff.organisation)
    client.force_login(staff.users["lead"])
    assert client.get(other.get_absolute_url()).status_code == 404
    listed = client.get(reverse("answers:question_list")).content.decode()
    assert own.reference in listed and other.reference not in listed


def test_question_form_edits_and_refuses_a_due_date_before_the_question(client, staff):
    from tests.factories import QuestionFactory

    question = QuestionFactory(organisation=staff.organisation)
    client.force_login(staff.users["manager"])
    url = reverse("answers:question_edit", args=[question.pk])
    data = {
        "reference": question.reference,
        "asked_on": "2025-06-02",
        "asked_by": "Raadslid Janssens",
        "text": question.text,
        "due_on": "2025-06-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "De datum van het antwoord ligt vóór de datum van de vraag." in response.content.decode()
    response = client.post(url, data | {"due_on": "2025-06-20"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.asked_by, question.due_on) == ("Raadslid Janssens", datetime.date(2025, 6, 20))
    assert question.organisation == staff.organisation


def test_reproduceren_without_htmx_is_a_page_of_its_own(client, staff, rights):
    question, published = register_and_publish(client, staff, datetime.date.today())
    page = client.post(reverse("answers:answer_verify", args=[published.pk])).content.decode()
    assert "<html" in page and "Elk cijfer is identiek" in page
    assert published.get_absolute_url() in page
