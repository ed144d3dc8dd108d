"""The web import: upload a .zip, read the dry run, confirm; bad uploads get a clear error.

Here the background tasks run at once (tests/conftest.py); tests/records/test_background.py
runs them in the database-backed worker."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access import roles
from access.services import staff_membership_set
from casework.models import Client, Organisation
from core import writes
from records.models import UploadedBundle
from tests.records.bundles import base_files, write_zip

pytestmark = pytest.mark.django_db

URL = "/records/import/"


def user_with(role, name):
    roles.roles_sync()
    user = get_user_model().objects.create(username=name)
    user.groups.add(Group.objects.get(name=roles.group_name(role)))
    return user


def zip_upload(tmp_path, files, name="bundel.zip"):
    path = write_zip(tmp_path / name, files, prefix="bundel/")
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/zip")


def upload(client, file):
    """Upload a bundle and follow to its job page (the check has run by then)."""
    return client.post(URL, {"bundle": file}, follow=True)


def job_url(upload):
    return reverse("records:import_job", args=[upload.token])


def test_the_page_is_for_administrators_only(client):
    assert reverse("records:import") == URL
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(user_with(roles.SOCIAL_ASSISTANT, "ma"))
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403


def test_an_administrator_sees_the_upload_form(admin_client):
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert 'name="bundle"' in response.text


def test_the_upload_shows_the_dry_run_and_writes_nothing(admin_client, tmp_path):
    response = upload(admin_client, zip_upload(tmp_path, base_files()))
    assert response.status_code == 200
    assert not Client.objects.exists()
    pending = UploadedBundle.objects.get()
    assert response.redirect_chain == [(job_url(pending), 302)]
    assert pending.status == UploadedBundle.Status.PENDING
    assert (pending.organisation_code, pending.rows) == ("mechelen", 25)
    assert Path(pending.path).exists()
    html = response.text
    assert "Geen problemen gevonden" in html
    assert '<th scope="row">clients.csv</th><td>2</td><td>2</td><td>0</td><td>0</td>' in html
    assert reverse("records:import_confirm", args=[pending.token]) in html


def test_confirming_imports_the_bundle_attributed_to_the_administrator(
    admin_client, tmp_path, monkeypatch
):
    upload(admin_client, zip_upload(tmp_path, base_files()))
    pending = UploadedBundle.objects.get()
    sources = set()
    monkeypatch.setattr(
        writes,
        "write_observers",
        [
            lambda action, items: sources.add(
                (
                    writes.current_write_source().source,
                    writes.current_write_source().user.username,
                )
            )
        ],
    )

    response = admin_client.post(reverse("records:import_confirm", args=[pending.token]))

    assert response.status_code == 302 and response["Location"] == job_url(pending)
    assert Client.objects.filter(organisation__code="mechelen").count() == 2
    assert sources == {("page:/records/import/", "beheerder")}
    pending.refresh_from_db()
    assert pending.status == UploadedBundle.Status.IMPORTED
    assert not Path(pending.path).exists()
    page = admin_client.get(job_url(pending)).text
    assert "Geïmporteerd: 25 rijen voor organisatie mechelen" in page
    # The same confirmation cannot be replayed.
    again = admin_client.post(reverse("records:import_confirm", args=[pending.token]))
    assert again.status_code == 404


def test_a_bundle_with_problems_shows_them_per_file_and_line_and_cannot_be_confirmed(
    admin_client, tmp_path
):
    files = base_files()
    files["clients.csv"][1]["gender"] = "v"
    files["income_rights.csv"][0]["end_date"] = "2023-01-01"
    response = upload(admin_client, zip_upload(tmp_path, files))
    assert response.status_code == 200
    html = response.text
    assert "2 problemen gevonden" in html
    assert "<caption>clients.csv (1)</caption>" in html
    assert "<tr><td>3</td><td>gender</td><td>Waarde &#x27;v&#x27; is geen geldige keuze." in html
    assert "<caption>income_rights.csv (1)</caption>" in html
    assert (
        "<tr><td>2</td><td>end_date</td><td>De einddatum ligt vóór de begindatum.</td></tr>" in html
    )
    assert "Import bevestigen" not in html
    refused = UploadedBundle.objects.get()
    assert refused.status == UploadedBundle.Status.REFUSED
    assert not Path(refused.path).exists()
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "error"),
    [
        ("bundel.zip", b"code,name\nx,y\n", "application/zip", "geen geldig zip-bestand"),
        ("clients.csv", b"id\n1\n", "text/csv", "Kies een .zip-bestand."),
        (
            "bundel.zip",
            b"PK\x03\x04",
            "image/png",
            "Dit is geen zip-bestand (het type is image/png).",
        ),
        ("bundel.zip", b"", "application/zip", "Het verstuurde bestand is leeg."),
    ],
)
def test_a_bad_upload_gets_a_clear_error(admin_client, name, content, content_type, error):
    response = upload(admin_client, SimpleUploadedFile(name, content, content_type=content_type))
    assert response.status_code == 200
    assert error in response.text
    assert not UploadedBundle.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(admin_client, tmp_path, settings):
    settings.RECORDS_UPLOAD_MAX_BYTES = 1000
    response = upload(admin_client, zip_upload(tmp_path, base_files()))
    assert "Het bestand is te groot" in response.text
    assert not UploadedBundle.objects.exists()


def test_a_zip_without_organisation_csv_is_reported_not_a_server_error(admin_client, tmp_path):
    files = base_files()
    del files["organisation.csv"]
    response = upload(admin_client, zip_upload(tmp_path, files))
    assert response.status_code == 200
    assert "De bundel bevat geen organisation.csv." in response.text


def test_another_administrator_cannot_confirm_my_upload(admin_client, client, tmp_path):
    upload(admin_client, zip_upload(tmp_path, base_files()))
    token = UploadedBundle.objects.get().token
    other = user_with(roles.ADMINISTRATOR, "tweede")
    staff_membership_set(user=other, organisation=Organisation.objects.get(code="mechelen"))
    admin_client.logout()
    client.force_login(other)
    assert client.post(reverse("records:import_confirm", args=[token])).status_code == 404
    assert not Client.objects.exists()


def test_confirming_validates_again(admin_client, tmp_path):
    upload(admin_client, zip_upload(tmp_path, base_files()))
    pending = UploadedBundle.objects.get()
    # Meanwhile somebody imports a client with the same national number.
    other = base_files()
    other["clients.csv"] = [{**other["clients.csv"][0], "id": "elders"}]
    other = {name: other[name] for name in ("organisation.csv", "clients.csv")}
    upload(admin_client, zip_upload(tmp_path, other, name="ander.zip"))
    admin_client.post(
        reverse(
            "records:import_confirm", args=[UploadedBundle.objects.get(file_name="ander.zip").token]
        )
    )
    response = admin_client.post(
        reverse("records:import_confirm", args=[pending.token]), follow=True
    )
    assert response.status_code == 200
    assert "rijksregisternummer" in response.text
    assert "clients.csv" in response.text
    assert list(Client.objects.values_list("external_id", flat=True)) == ["elders"]
    pending.refresh_from_db()
    assert pending.status == UploadedBundle.Status.REFUSED


def test_the_confirmation_url_only_accepts_post(admin_client):
    assert admin_client.get(reverse("records:import_confirm", args=["x"])).status_code == 405


def test_uploaded_bundles_are_listed_read_only_in_the_admin(admin_client, tmp_path):
    upload(admin_client, zip_upload(tmp_path, base_files()))
    superuser = get_user_model().objects.create(username="root", is_staff=True, is_superuser=True)
    admin_client.force_login(superuser)
    response = admin_client.get(reverse("admin:records_uploadedbundle_changelist"))
    assert response.status_code == 200
    assert "bundel.zip" in response.text
    assert admin_client.get(reverse("admin:records_uploadedbundle_add")).status_code == 403
