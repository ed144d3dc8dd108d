"""The web import of a record bundle: upload a .zip, follow its check in the background,
read the dry run, confirm, follow the import.

The check and the import run as background tasks (`records.tasks`); the job's page
polls its progress (htmx, every second) and offers to cancel. The page stays usable
whatever the bundle's size, and no proxy time-out can cut an import in two.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.rules import organisations_of
from records import tasks
from records.bundle import Problem
from records.forms import BundleUploadForm
from records.jobs import read_progress, request_cancel, upload_dir
from records.models import UploadedBundle

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Problems shown per file on the page; the count of all of them is always shown.
PROBLEMS_SHOWN_PER_FILE = 500
SOURCE = tasks.SOURCE


def _report(result: dict[str, Any]) -> list[dict]:
    """Problems per file (in the order found), at most a few hundred shown per file."""
    by_file: dict[str, list[Problem]] = {}
    for file, line, column, message in result.get("problems", []):
        by_file.setdefault(file, []).append(Problem(file, line, column, message))
    return [
        {
            "file": name,
            "count": len(problems),
            "problems": problems[:PROBLEMS_SHOWN_PER_FILE],
            "hidden": max(0, len(problems) - PROBLEMS_SHOWN_PER_FILE),
        }
        for name, problems in by_file.items()
    ]


def _user_uploads(request: HttpRequest) -> Any:
    """The uploads of the signed-in user (every view here is @login_required)."""
    return UploadedBundle.objects.filter(uploaded_by=cast("User", request.user))


def _recent(user: Any) -> list[UploadedBundle]:
    """The last uploads for the user's own organisation (a superuser: all)."""
    bundles = UploadedBundle.objects.exclude(status=UploadedBundle.Status.CHECKING)
    if not user.is_superuser:
        bundles = bundles.filter(organisation_code__in=organisations_of(user).values("code"))
    return list(bundles[:10])


@login_required
@permission_required("records.import_records", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a bundle: it is stored in a private folder and checked in the background."""
    form = BundleUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        recent = _recent(request.user)
        return render(
            request,
            "records/import.html",
            {
                "form": form,
                "recent": recent,
                "running": _user_uploads(request).filter(status__in=UploadedBundle.RUNNING),
            },
        )
    file = form.cleaned_data["bundle"]
    # @login_required: the user is signed in.
    uploaded_by = cast("User", request.user)
    upload = UploadedBundle(uploaded_by=uploaded_by, file_name=file.name[:255], size=file.size)
    path = upload_dir() / f"{upload.token}.zip"
    with open(path, "wb") as handle:
        for chunk in file.chunks():
            handle.write(chunk)
    upload.path = str(path)
    upload.files = tasks.count_files(upload.path)
    upload.save()
    tasks.schedule_discard(upload)
    tasks.check_upload.enqueue(upload.pk)
    return HttpResponseRedirect(reverse("records:import_job", args=[upload.token]))


@login_required
@permission_required("records.import_records", raise_exception=True)
@require_http_methods(["GET"])
def import_job(request: HttpRequest, token: str) -> HttpResponse:
    """The job's page: its progress while it runs (the htmx poll asks for `#job` only),
    then the dry run's report with the button to confirm, or the import's result."""
    upload = get_object_or_404(_user_uploads(request), token=token)
    result = upload.result or {}
    context = {
        "upload": upload,
        "result": result,
        "report": _report(result),
        "more_problems": max(0, result.get("problem_total", 0) - len(result.get("problems", []))),
        "progress": read_progress(upload.token) if upload.running else {},
        "cancelling": upload.running and Path(upload_dir() / f"{upload.token}.cancel").exists(),
    }
    template = "records/import_job.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#job"
    return render(request, template, context)


@login_required
@permission_required("records.import_records", raise_exception=True)
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Import a bundle whose dry run the same user has seen; it is checked again first.
    One import at a time per organisation."""
    upload = get_object_or_404(
        _user_uploads(request), token=token, status=UploadedBundle.Status.PENDING
    )
    job_url = reverse("records:import_job", args=[upload.token])
    if not Path(upload.path).exists():
        tasks.finish(upload, UploadedBundle.Status.CANCELLED)
        messages.error(
            request, _("Het opgeladen bestand is niet meer beschikbaar. Laad het opnieuw op.")
        )
        return HttpResponseRedirect(job_url)
    try:
        with transaction.atomic():
            started = (
                _user_uploads(request)
                .filter(pk=upload.pk, status=UploadedBundle.Status.PENDING)
                .update(status=UploadedBundle.Status.IMPORTING)
            )
    except IntegrityError:
        messages.error(
            request,
            _(
                "Er loopt al een import voor organisatie %(code)s. Wacht tot die klaar is en "
                "bevestig dan opnieuw."
            )
            % {"code": upload.organisation_code},
        )
        return HttpResponseRedirect(job_url)
    if started:
        tasks.import_upload.enqueue(upload.pk)
    return HttpResponseRedirect(job_url)


@login_required
@permission_required("records.import_records", raise_exception=True)
@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel a running check or import (nothing is written), or a dry run not confirmed."""
    upload = get_object_or_404(_user_uploads(request), token=token)
    if upload.running:
        request_cancel(upload.token)
        messages.info(request, _("De taak wordt geannuleerd; er wordt niets geschreven."))
    elif upload.status == UploadedBundle.Status.PENDING:
        tasks.finish(upload, UploadedBundle.Status.CANCELLED)
        messages.info(request, _("De bundel is verwijderd; er is niets geschreven."))
    return HttpResponseRedirect(reverse("records:import_job", args=[upload.token]))
