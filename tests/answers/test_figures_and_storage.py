"""Quoted figures, the frozen published answer, the commands and the manager's queue."""

import datetime
import hashlib
import io
import json
from importlib import metadata

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from docx import Document

from answers.figures import fill, format_figure
from answers.models import AppendOnlyError, PublishedAnswer, Question
from answers.services import canonical_sha256
from audit.models import AuditEntry
from desk.workqueue import question_due
from reporting.statistics import REGISTRY
from tests.factories import ClientFactory, IncomeRightFactory

REPORT = {
    "statistics": {
        "income_support": {"leefloon": 1494, "leefloon_per_1000": 16.73, "inhabitants": None},
        "leefloon_duration": {"percent": {"up_to_1y": 32}},
        "article60": {"average_per_month_by_year": {"2024": 157.0}},
        "programmes": {"duo": {"2024": {"funding_eur": 70000, "permanent_job_percent": 30}}},
    }
}


@pytest.mark.parametrize(
    ("path", "value", "text"),
    [
        ("income_support.leefloon", 1494, "1.494"),
        ("income_support.leefloon_per_1000", 16.73, "16,73"),
        ("leefloon_duration.percent.up_to_1y", 32, "32%"),
        ("x.permanent_job_percent", 30, "30%"),
        ("article60.average_per_month_by_year.2024", 157.0, "157"),
        ("caseload.clients_per_fte", 72.5, "72,5"),
        ("programmes.duo.2024.funding_eur", 1234567, "1.234.567"),
        ("income_support.inhabitants", None, "n.b."),
    ],
)
def test_figures_are_written_the_dutch_way(path, value, text):
    assert format_figure(path, value) == text


def test_fill_puts_the_figures_in_the_text():
    text = "Er waren {{ income_support.leefloon }} ({{income_support.leefloon_per_1000}}), "
    text += "{{ leefloon_duration.percent.up_to_1y }} max 1 jaar."
    assert fill(text, REPORT) == "Er waren 1.494 (16,73), 32% max 1 jaar."


@pytest.mark.parametrize(
    "path", ["income_support.leeflon", "income_support", "leefloon_duration.percent", "nope"]
)
def test_an_unknown_key_path_or_a_table_is_an_error(path):
    with pytest.raises(ValidationError) as info:
        fill("A {{ " + path + " }} b", REPORT)
    assert f"{{{{ {path} }}}}" in info.value.messages[0]


@pytest.mark.parametrize(
    "text", ["{{ income_support.leefloon }", "{ income_support.leefloon }}", "a {{ b"]
)
def test_a_figure_whose_braces_are_not_closed_is_an_error_not_literal_text(text):
    with pytest.raises(ValidationError) as info:
        fill(text, REPORT)
    assert "niet goed afgesloten" in info.value.messages[0]


def test_the_sha256_is_of_the_canonical_json():
    report = {"b": [1, "é"], "a": {"d": None, "c": 1.5}}
    text = '{"a":{"c":1.5,"d":null},"b":[1,"é"]}'

    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert canonical_sha256(report) == expected


def test_every_statistic_declares_the_record_kinds_it_reads():
    from django.apps import apps

    for key, registered in REGISTRY.items():
        assert registered.reads, key
        for kind in registered.reads:
            apps.get_model(kind)  # a real model, as the audit log names it
    assert "casework.incomeright" in REGISTRY["income_support"].reads


@pytest.fixture
def published(db, organisation, capsys):
    IncomeRightFactory(client=ClientFactory(organisation=organisation))
    call_command(
        "answers",
        "publish",
        "mechelen",
        "--from",
        "2024-01",
        "--to",
        "2024-12",
        "--reference-month",
        "2025-01",
        "--as-of",
        "2025-06-30",
        "--title",
        "Vraag 7",
        "--statistics",
        "income_support",
    )
    answer_id, sha256 = capsys.readouterr().out.split()
    answer = PublishedAnswer.objects.get(pk=answer_id)
    assert answer.sha256 == sha256
    return answer


def test_publish_prints_id_and_sha256_and_is_audited(published):
    assert json.loads(published.report_json)["statistics"]["income_support"]["leefloon"] == 1
    assert published.app_version == metadata.version("traject")
    entry = AuditEntry.objects.get(object_type="answers.publishedanswer")
    assert entry.action == "create" and entry.changes["sha256"] == [None, published.sha256]


def test_publish_refuses_bad_input_with_a_dutch_message(db, organisation):
    with pytest.raises(CommandError, match="Onbekende statistiek: nope"):
        call_command(
            "answers",
            "publish",
            "mechelen",
            "--from",
            "2024-01",
            "--to",
            "2024-12",
            "--reference-month",
            "2025-01",
            "--as-of",
            "2025-06-30",
            "--title",
            "T",
            "--statistics",
            "nope",
        )
    with pytest.raises(CommandError, match="Geef ook --as-of"):
        call_command(
            "answers",
            "publish",
            "mechelen",
            "--from",
            "2024-01",
            "--to",
            "2024-12",
            "--reference-month",
            "2025-01",
            "--title",
            "T",
        )
    assert not PublishedAnswer.objects.exists()


def test_document_command_writes_a_docx(published, tmp_path, django_user_model):
    django_user_model.objects.create(username="manager")
    out = tmp_path / "antwoord.docx"
    call_command(
        "answers", "document", str(published.pk), "--output", str(out), "--user", "manager"
    )
    document = Document(io.BytesIO(out.read_bytes()))
    assert document.paragraphs[0].text == "Vraag 7"
    published_on = published.published_at.astimezone().strftime("%d/%m/%Y")
    assert document.paragraphs[1].text.startswith(f"Gepubliceerd op {published_on} door ")
    assert published.sha256 in document.sections[0].footer.paragraphs[0].text
    entry = AuditEntry.objects.filter(action="export").get()
    assert (entry.username, entry.reason) == ("manager", "docx")


def test_a_published_answer_is_never_changed_or_deleted(published):
    published.text = "anders"
    with pytest.raises(AppendOnlyError):
        published.save()
    with pytest.raises(AppendOnlyError):
        published.delete()
    with pytest.raises(AppendOnlyError):
        PublishedAnswer.objects.update(text="x")
    with pytest.raises(AppendOnlyError):
        PublishedAnswer.objects.all().delete()


def test_the_admin_has_no_change_or_delete_permission():
    assert PublishedAnswer._meta.default_permissions == ("view", "add")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete(published):
    from django.db import DatabaseError

    for sql in (
        "UPDATE answers_publishedanswer SET text = 'x'",
        "DELETE FROM answers_publishedanswer",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert PublishedAnswer.objects.get().text == ""


def test_questions_due_within_10_days_are_in_the_managers_queue(db, organisation):
    today = datetime.date(2025, 6, 1)

    def question(reference, due, status="open"):
        return Question.objects.create(
            organisation=organisation,
            reference=reference,
            asked_on=datetime.date(2025, 5, 1),
            asked_by="x",
            text="?",
            due_on=due,
            status=status,
        )

    question("due-10", today + datetime.timedelta(days=10))
    question("overdue", today - datetime.timedelta(days=1), status="draft")
    question("due-11", today + datetime.timedelta(days=11))
    question("answered", today + datetime.timedelta(days=2), status="published")
    items = question_due([organisation.pk], today)
    assert [item.title for item in items] == [
        "Schriftelijke vraag overdue beantwoorden",
        "Schriftelijke vraag due-10 beantwoorden",
    ]
    assert items[0].overdue and not items[1].overdue


def test_the_admin_shows_a_published_answer_read_only(published, admin_client):
    from django.urls import reverse

    url = reverse("admin:answers_publishedanswer_change", args=[published.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and published.sha256 in page.content.decode()
    assert admin_client.post(url, {"title": "anders"}).status_code == 403
    delete = reverse("admin:answers_publishedanswer_delete", args=[published.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert PublishedAnswer.objects.get().title == "Vraag 7"


def test_publish_reads_the_text_file_and_refuses_an_unknown_figure(db, organisation, tmp_path):
    args = [
        "answers",
        "publish",
        "mechelen",
        "--from",
        "2024-01",
        "--to",
        "2024-12",
        "--reference-month",
        "2025-01",
        "--as-of",
        "2025-06-30",
        "--title",
        "T",
    ]
    bad = tmp_path / "bad.txt"
    bad.write_text("Er waren {{ income_support.leeflon }}.", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Onbekend cijfer in de tekst: \{\{ income_support"):
        call_command(*args, "--text-file", str(bad))
    good = tmp_path / "good.txt"
    good.write_text("Er waren {{ income_support.leefloon }}.", encoding="utf-8")
    call_command(*args, "--text-file", str(good))
    assert PublishedAnswer.objects.get().text == "Er waren {{ income_support.leefloon }}."
    with pytest.raises(CommandError, match="Onbekend antwoord"):
        call_command("answers", "verify", "999999")
