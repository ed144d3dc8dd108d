"""The web import as production runs it: the check and the import are tasks of the
database-backed worker (`manage.py db_worker`), the page polls their progress, an
administrator can cancel, one import runs at a time per organisation, and uploads do
not outlive their job."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casework.models import Client
from records import jobs, tasks
from records.models import UploadedBundle
from tests.records.bundles import base_files
from tests.records.test_web import URL, job_url, zip_upload

# The worker closes the database connections it used when it stops, as a process would:
# outside a test transaction (on PostgreSQL that would close the test's own connection).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """What `manage.py db_worker` does, until the queue holds nothing due."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def upload(client, tmp_path, files=None, name="bundel.zip"):
    response = client.post(URL, {"bundle": zip_upload(tmp_path, files or base_files(), name)})
    job = UploadedBundle.objects.get(file_name=name)
    assert response.status_code == 302 and response["Location"] == job_url(job)
    return job


def test_the_check_waits_for_the_worker_and_the_page_polls_until_it_is_done(admin_client, tmp_path):
    job = upload(admin_client, tmp_path)
    assert job.status == UploadedBundle.Status.CHECKING
    queued = admin_client.get(job_url(job)).text
    assert 'hx-trigger="every 1s"' in queued
    assert "In de wachtrij" in queued
    assert reverse("records:import_cancel", args=[job.token]) in queued

    run_worker()

    job.refresh_from_db()
    assert job.status == UploadedBundle.Status.PENDING
    assert (job.organisation_code, job.rows, job.files) == ("mechelen", 25, 17)
    checked = admin_client.get(job_url(job), headers={"HX-Request": "true"}).text
    assert checked.lstrip().startswith('<div id="job">')  # the partial only, no poll
    assert "<html" not in checked
    assert "every 1s" not in checked
    assert "Geen problemen gevonden" in checked
    assert not Client.objects.exists()


def test_a_confirmed_import_runs_in_the_worker_and_removes_the_upload(admin_client, tmp_path):
    job = upload(admin_client, tmp_path)
    run_worker()
    admin_client.post(reverse("records:import_confirm", args=[job.token]))
    job.refresh_from_db()
    assert job.status == UploadedBundle.Status.IMPORTING
    assert not Client.objects.exists()

    run_worker()

    job.refresh_from_db()
    assert job.status == UploadedBundle.Status.IMPORTED
    assert Client.objects.filter(organisation__code="mechelen").count() == 2
    assert job.result["counts"]["clients.csv"]["created"] == 2
    assert not Path(job.path).exists()
    assert not jobs.progress_path(job.token).exists()
    assert "Geïmporteerd: 25 rijen" in admin_client.get(job_url(job)).text


def test_the_progress_the_worker_writes_is_what_the_page_shows(admin_client, tmp_path):
    job = upload(admin_client, tmp_path)
    progress = jobs.JobProgress(job.token, phase="check", files_total=17)
    progress.start("clients.csv", writing=False)
    progress.advance(1200)
    progress._write()
    state = json.loads(jobs.progress_path(job.token).read_text())
    assert state["file"] == "clients.csv"
    assert state["rows"] == 1200
    assert state["files_started"] == 1 and state["files_total"] == 17
    page = admin_client.get(job_url(job), headers={"HX-Request": "true"}).text
    assert "Bestand clients.csv (1 van 17), 1200 rijen" in page
    assert '<progress id="job-progress" max="100" value="0">' in page


def test_cancelling_stops_the_job_writes_nothing_and_removes_the_upload(admin_client, tmp_path):
    job = upload(admin_client, tmp_path)
    run_worker()
    admin_client.post(reverse("records:import_confirm", args=[job.token]))
    admin_client.post(reverse("records:import_cancel", args=[job.token]))
    assert "wordt geannuleerd" in admin_client.get(job_url(job)).text

    run_worker()

    job.refresh_from_db()
    assert job.status == UploadedBundle.Status.CANCELLED
    assert not Client.objects.exists()
    assert not Path(job.path).exists()
    assert not jobs.cancel_path(job.token).exists()


def test_one_import_at_a_time_per_organisation(admin_client, tmp_path):
    first = upload(admin_client, tmp_path)
    second = upload(admin_client, tmp_path, name="tweede.zip")
    run_worker()
    admin_client.post(reverse("records:import_confirm", args=[first.token]))
    response = admin_client.post(
        reverse("records:import_confirm", args=[second.token]), follow=True
    )
    assert "Er loopt al een import voor organisatie mechelen" in response.text
    second.refresh_from_db()
    assert second.status == UploadedBundle.Status.PENDING
    run_worker()
    admin_client.post(reverse("records:import_confirm", args=[second.token]))
    second.refresh_from_db()
    assert second.status == UploadedBundle.Status.IMPORTING


def test_an_abandoned_upload_is_removed_a_day_later(admin_client, tmp_path):
    job = upload(admin_client, tmp_path)
    scheduled = DBTaskResult.objects.get(task_path="records.tasks.discard_if_abandoned")
    assert scheduled.run_after >= job.created_at + tasks.ABANDONED_AFTER
    run_worker()  # the check runs; the clean-up is not due yet
    job.refresh_from_db()
    assert job.status == UploadedBundle.Status.PENDING

    tasks.discard_if_abandoned.call(job.pk)  # due, but the upload is young: kept
    job.refresh_from_db()
    assert job.status == UploadedBundle.Status.PENDING
    UploadedBundle.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - tasks.ABANDONED_AFTER - datetime.timedelta(minutes=5)
    )
    tasks.discard_if_abandoned.call(job.pk)
    job.refresh_from_db()
    assert job.status == UploadedBundle.Status.CANCELLED
    assert not Path(job.path).exists()
