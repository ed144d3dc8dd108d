"""The background tasks of the web import (Django's tasks framework; in production and in
the demo the database-backed worker `manage.py db_worker` runs them).

A web upload is checked (the dry run) by `check_upload`, imported after the
administrator's confirmation by `import_upload`, and its file is removed when the job
is done, cancelled, or abandoned for a day (`discard_if_abandoned`, enqueued with the
upload to run a day later: the periodic clean-up needs no scheduler of its own).
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from records.bundle import Bundle, BundleError
from records.importer import ImportResult, import_bundle
from records.jobs import Cancelled, JobProgress, remove_files
from records.models import UploadedBundle

logger = logging.getLogger(__name__)
SOURCE = "page:/records/import/"
ABANDONED_AFTER = datetime.timedelta(days=1)
# Problems kept with the job for the page (the count of all of them is kept too).
PROBLEMS_KEPT = 1_000


def count_files(path: str) -> int:
    """How many files of the spec the bundle holds (0 when it cannot be opened)."""
    try:
        with Bundle(path) as bundle:
            return len(bundle.members)
    except BundleError:
        return 0


def result_json(result: ImportResult) -> dict[str, Any]:
    return {
        "organisation_code": result.organisation_code,
        "rows": result.rows,
        "seconds": round(result.seconds, 1),
        "counts": {name: vars(counts) for name, counts in result.counts.items()},
        "problems": [
            [p.file, p.line, p.column, p.message] for p in result.problems[:PROBLEMS_KEPT]
        ],
        "problem_total": result.problems.total,
    }


def finish(upload: UploadedBundle, status: str) -> None:
    """The job's end: its bundle and progress files go, its status and result stay."""
    Path(upload.path).unlink(missing_ok=True)
    remove_files(upload.token)
    upload.status = status
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "finished_at", "result"])


def _run(upload: UploadedBundle, *, dry_run: bool) -> ImportResult | None:
    """The check or the import of an upload; None when it was cancelled."""
    progress = JobProgress(
        upload.token,
        phase="check" if dry_run else "import",
        files_total=upload.files,
        rows_expected=0 if dry_run else upload.rows,
    )
    try:
        return import_bundle(
            upload.path, dry_run=dry_run, user=upload.uploaded_by, source=SOURCE, progress=progress
        )
    except Cancelled:
        return None


@task()
def check_upload(upload_id: int) -> None:
    """The dry run of an upload: waiting for confirmation when it has no problem."""
    upload = UploadedBundle.objects.select_related("uploaded_by").get(pk=upload_id)
    if upload.status != UploadedBundle.Status.CHECKING:
        return  # cancelled before the worker got to it
    try:
        result = _run(upload, dry_run=True)
    except Exception:
        logger.exception("Check of uploaded bundle %s failed", upload.pk)
        finish(upload, UploadedBundle.Status.FAILED)
        raise
    if result is None:
        finish(upload, UploadedBundle.Status.CANCELLED)
        return
    upload.organisation_code = result.organisation_code[:50]
    upload.rows = result.rows
    upload.result = result_json(result)
    upload.save(update_fields=["organisation_code", "rows", "result"])
    if not result.ok:
        finish(upload, UploadedBundle.Status.REFUSED)
        return
    with transaction.atomic():
        updated = UploadedBundle.objects.filter(
            pk=upload.pk, status=UploadedBundle.Status.CHECKING
        ).update(status=UploadedBundle.Status.PENDING)
    remove_files(upload.token)
    if not updated:  # cancelled while the check ran its last rows
        finish(upload, UploadedBundle.Status.CANCELLED)


@task()
def import_upload(upload_id: int) -> None:
    """The import of a confirmed upload, checked again first (all or nothing)."""
    upload = UploadedBundle.objects.select_related("uploaded_by").get(pk=upload_id)
    if upload.status != UploadedBundle.Status.IMPORTING:
        return
    if not Path(upload.path).exists():
        finish(upload, UploadedBundle.Status.FAILED)
        return
    try:
        result = _run(upload, dry_run=False)
    except Exception:
        logger.exception("Import of uploaded bundle %s failed", upload.pk)
        finish(upload, UploadedBundle.Status.FAILED)
        raise
    if result is None:
        finish(upload, UploadedBundle.Status.CANCELLED)
        return
    upload.result = result_json(result)
    finish(upload, UploadedBundle.Status.IMPORTED if result.ok else UploadedBundle.Status.REFUSED)


def schedule_discard(upload: UploadedBundle) -> None:
    """Remove the upload a day from now unless it was imported or cancelled by then (a
    backend that runs tasks at once, as in tests, cannot wait: nothing is scheduled)."""
    if discard_if_abandoned.get_backend().supports_defer:
        run_after = upload.created_at + ABANDONED_AFTER + datetime.timedelta(minutes=1)
        discard_if_abandoned.using(run_after=run_after).enqueue(upload.pk)


@task()
def discard_if_abandoned(upload_id: int) -> None:
    """A day after its upload, a bundle nobody confirmed is removed (it holds client data)."""
    upload = UploadedBundle.objects.filter(pk=upload_id).first()
    if upload is None or upload.status not in (
        UploadedBundle.Status.PENDING,
        UploadedBundle.Status.CHECKING,
    ):
        return
    if timezone.now() - upload.created_at < ABANDONED_AFTER:
        return
    finish(upload, UploadedBundle.Status.CANCELLED)
