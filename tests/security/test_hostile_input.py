"""Hostile input on every form of the client file, the search, break glass and the importer:
script tags come out escaped, SQL-looking text is just text, oversized and malformed
input gets a clear Dutch error, never a 500, and nothing is lost."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from casework import services
from casework.models import Client
from tests.security.test_permission_matrix import make_record, record_kinds

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
SQL = "Robert'); DROP TABLE casework_client;--"
HUGE = "x" * 100_000


class FormReader(HTMLParser):
    """The fields of the first POST form that is not the logout form, with their values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get"),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form["fields"][a["name"]] = a.get("value", "on")
                self._form.setdefault("kinds", {})[a["name"]] = kind
            else:
                self._form["fields"][a["name"]] = a.get("value", "")
                self._form.setdefault("kinds", {})[a["name"]] = kind
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], "")
            self._form.setdefault("kinds", {})[a["name"]] = "select"
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if value and (not self._form["fields"][self._select] or "selected" in a):
                self._form["fields"][self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][a["name"]] = ""
            self._form.setdefault("kinds", {})[a["name"]] = "textarea"

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


# Forms of the layout (language switch, logout), not of the page itself.
LAYOUT_ACTIONS = ("/i18n/", "/logout/")


def record_form(html: str) -> dict[str, Any]:
    """The page's own POST form (not the layout's language switch or logout)."""
    reader = FormReader()
    reader.feed(html)
    forms = [
        f
        for f in reader.forms
        if f["method"].lower() == "post"
        and not any(part in f["action"] for part in LAYOUT_ACTIONS)
        and set(f.get("kinds", {})) - {"csrfmiddlewaretoken", "next"}
    ]
    assert forms, "no POST form on the page"
    return forms[0]


def hostile(form: dict[str, Any], text: str) -> dict[str, str]:
    """The form's own values, with `text` in every free-text field."""
    data = dict(form["fields"])
    for name, kind in form.get("kinds", {}).items():
        free_text = kind in {"text", "textarea", "search"} and name != "csrfmiddlewaretoken"
        if free_text and "date" not in name and "national_number" not in name:
            data[name] = text
    return data


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html
    assert "alert(&quot;xss&quot;)" in html or "alert(&#x27;" in html or "&lt;script&gt;" in html


@pytest.mark.parametrize("text", [SCRIPT, SQL, HUGE])
def test_every_record_form_of_the_client_file_survives_hostile_text(world, client, text):
    client.force_login(world.user("sa"))
    own = world.clients["own"]
    file_url = reverse("desk:client_detail", args=[own.pk])
    problems = []
    for slug, kind in record_kinds().items():
        for url in (
            reverse("desk:record_add", kwargs={"pk": own.pk, "kind": slug}),
            reverse(
                "desk:record_edit",
                kwargs={"pk": own.pk, "kind": slug, "record_pk": make_record(kind.model, own).pk},
            ),
        ):
            page = client.get(url)
            assert page.status_code == 200, url
            form = record_form(page.content.decode())
            count = kind.model._default_manager.count()
            response = client.post(url, hostile(form, text))
            if response.status_code not in (200, 302):
                problems.append(f"{url}: {response.status_code}")
                continue
            if SCRIPT in response.content.decode():
                problems.append(f"{url}: script tag not escaped in the response")
            if text is HUGE and kind.model._default_manager.count() != count:
                # An oversized text may be kept only where the field has no limit.
                assert all(
                    getattr(f, "max_length", None) is None
                    for f in kind.model._meta.fields
                    if f.name in form["fields"]
                    and form.get("kinds", {}).get(f.name) in {"text", "textarea"}
                ), url
    assert not problems, "\n".join(problems)
    html = client.get(file_url).content.decode()
    assert SCRIPT not in html
    if text is not HUGE:
        # The text was kept as it was typed (a note takes any text) and is shown escaped.
        from casework.models import ClientNote

        assert ClientNote.objects.filter(client=own, text=text).exists()
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped.replace('"', "&quot;").replace("'", "&#x27;") in html


def test_a_name_with_a_script_tag_is_shown_escaped_everywhere(world, client):
    own = world.clients["own"]
    services.client_update(client=own, first_name=SCRIPT, last_name=SQL)
    client.force_login(world.user("sa"))
    for url in (
        reverse("desk:client_detail", args=[own.pk]),
        reverse("desk:caseload"),
        reverse("desk:workqueue"),
        reverse("desk:home"),
    ):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
    assert_escaped(client.get(reverse("desk:client_detail", args=[own.pk])).content.decode())
    # The audit log shows the change, escaped too.
    client.force_login(world.user("dpo"))
    html = client.get(reverse("audit:log"), {"client": own.pk}).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    client.force_login(world.user("superuser"))
    html = client.get(reverse("admin:casework_client_changelist")).content.decode()
    assert SCRIPT not in html


@pytest.mark.parametrize("text", [SQL, "' OR '1'='1", "%", "_", "\\", "\x00", HUGE])
def test_sql_looking_and_odd_search_text_is_just_text(world, client, text):
    client.force_login(world.user("sa"))
    response = client.get(reverse("desk:caseload"), {"q": text})
    assert response.status_code in (200, 400)
    assert Client.objects.count() == 3
    response = client.post(
        reverse("audit:break_glass"),
        {"last_name": text, "first_name": text, "birth_date": "15/06/1990", "reason": "x" * 30},
    )
    if "\x00" in text:  # no text: refused before any view (core/middleware.py)
        assert response.status_code == 400
        assert "Ongeldige aanvraag" in response.content.decode()
    else:
        assert response.status_code == 200
        assert (
            "Geen cliënt gevonden" in response.content.decode()
            or "errorlist" in response.content.decode()
        )
    assert Client.objects.count() == 3


def test_the_audit_log_filters_refuse_junk(world, client):
    client.force_login(world.user("dpo"))
    for query in (
        {"client": SQL},
        {"user": HUGE},
        {"action": SCRIPT},
        {"date_from": SQL},
        {"page": SQL},
    ):
        response = client.get(reverse("audit:log"), query)
        assert response.status_code == 200
        assert SCRIPT not in response.content.decode()


# --- The importer ----------------------------------------------------------------------------


@pytest.fixture
def importer(client, world, settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(world.user("administrator"))
    return client


def upload(client, name: str, content: bytes, content_type: str = "application/zip"):
    """Upload and follow to the job's page (tasks run at once in tests)."""
    return client.post(
        reverse("records:import"),
        {"bundle": SimpleUploadedFile(name, content, content_type)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("bundel.zip", b"this is not a zip", "application/zip", "geen geldig zip-bestand"),
        ("bundel.exe", b"MZ\x90\x00", "application/x-msdownload", "Kies een .zip-bestand"),
        ("bundel.zip", b"PK\x03\x04", "text/html", "geen zip-bestand"),
        ("bundel.zip", b"", "application/zip", "leeg"),
    ],
)
def test_malformed_uploads_get_a_clear_error_and_write_nothing(
    importer, world, name, content, content_type, message
):
    before = (Client.objects.count(), AuditEntry.objects.filter(action="create").count())
    response = upload(importer, name, content, content_type)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Client.objects.count(), AuditEntry.objects.filter(action="create").count()) == before


def test_an_oversized_upload_is_refused(importer, settings):
    settings.RECORDS_UPLOAD_MAX_BYTES = 1024
    response = upload(importer, "bundel.zip", b"PK" + b"\x00" * 5000)
    assert "te groot" in response.content.decode()
    assert Client.objects.count() == 3


def test_hostile_names_in_a_bundle_are_stored_as_text_and_shown_escaped(importer, world, tmp_path):
    from tests.records.bundles import base_files, write_zip

    files = base_files()
    files["clients.csv"][0]["first_name"] = SCRIPT
    files["clients.csv"][0]["last_name"] = SQL
    path = write_zip(tmp_path / "bundel.zip", files, prefix="bundel/")
    response = upload(importer, "bundel.zip", path.read_bytes())
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()
    from records.models import UploadedBundle

    pending = UploadedBundle.objects.get(status=UploadedBundle.Status.PENDING)
    response = importer.post(reverse("records:import_confirm", args=[pending.token]))
    assert response.status_code == 302
    imported = Client.objects.get(first_name=SCRIPT)
    assert imported.last_name == SQL
    # The bundle's two clients joined the three of the organisation; nothing was lost.
    assert Client.objects.filter(organisation=world.organisation).count() == 5
    # Every imported record is in the audit trail, attributed to the administrator's page.
    entry = AuditEntry.objects.get(
        action="create", object_type="casework.client", client_id=imported.pk
    )
    assert entry.username == "administrator"
    assert entry.changes["first_name"] == [None, SCRIPT]
    assert entry.changes["national_number"][1].endswith("*****")
