"""The web import of a record bundle: upload a .zip, read the dry run, confirm."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.rules import organisations_of
from core.writes import current_write_source
from records.forms import BundleUploadForm
from records.importer import ImportResult, import_bundle
from records.models import UploadedBundle

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Problems shown per file on the page; the count of all of them is always shown.
PROBLEMS_SHOWN_PER_FILE = 500
PENDING_FOR = datetime.timedelta(days=1)
SOURCE = "page:/records/import/"


def upload_dir() -> Path:
    """A private folder for uploaded bundles waiting for confirmation."""
    default = Path(tempfile.gettempdir()) / "traject-record-bundles"
    folder = Path(getattr(settings, "RECORDS_UPLOAD_DIR", default))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _discard(upload: UploadedBundle, status: str) -> None:
    Path(upload.path).unlink(missing_ok=True)
    upload.status = status
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "finished_at"])


def _discard_stale() -> None:
    cutoff = timezone.now() - PENDING_FOR
    for upload in UploadedBundle.objects.filter(
        status=UploadedBundle.Status.PENDING, created_at__lt=cutoff
    ):
        _discard(upload, UploadedBundle.Status.REFUSED)


def _report(result: ImportResult) -> list[dict]:
    """Problems per file (in the order of the bundle), at most a few hundred shown per file."""
    return [
        {
            "file": name,
            "count": len(problems),
            "problems": problems[:PROBLEMS_SHOWN_PER_FILE],
            "hidden": max(0, len(problems) - PROBLEMS_SHOWN_PER_FILE),
        }
        for name, problems in result.problems_by_file().items()
    ]


def _recent(user) -> list[UploadedBundle]:
    """The last uploads for the user's own organisation (a superuser: all)."""
    bundles = UploadedBundle.objects.exclude(status=UploadedBundle.Status.PENDING)
    if not user.is_superuser:
        bundles = bundles.filter(organisation_code__in=organisations_of(user).values("code"))
    return list(bundles[:10])


def _render(request: HttpRequest, form: BundleUploadForm, **context) -> HttpResponse:
    result = context.get("result")
    return render(
        request,
        "records/import.html",
        {
            "form": form,
            "report": _report(result) if result is not None else [],
            "recent": _recent(request.user),
            **context,
        },
    )


@login_required
@permission_required("records.import_records", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a bundle and see the dry run: every problem per file and line, or a summary
    of what the import will create and change, with a button to confirm."""
    if request.method != "POST":
        return _render(request, BundleUploadForm())
    form = BundleUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    _discard_stale()
    file = form.cleaned_data["bundle"]
    # @login_required: the user is signed in.
    uploaded_by = cast("User", request.user)
    upload = UploadedBundle(uploaded_by=uploaded_by, file_name=file.name[:255], size=file.size)
    path = upload_dir() / f"{upload.token}.zip"
    with open(path, "wb") as handle:
        for chunk in file.chunks():
            handle.write(chunk)
    upload.path = str(path)
    upload.save()
    result = import_bundle(path, dry_run=True, user=request.user, source=SOURCE)
    upload.organisation_code = result.organisation_code[:50]
    upload.rows = result.rows
    upload.save(update_fields=["organisation_code", "rows"])
    if not result.ok:
        _discard(upload, UploadedBundle.Status.REFUSED)
        return _render(request, BundleUploadForm(), result=result, upload=upload)
    return _render(request, BundleUploadForm(), result=result, upload=upload, confirm=True)


@login_required
@permission_required("records.import_records", raise_exception=True)
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Import a bundle whose dry run the same user has seen; it is validated again first."""
    upload = get_object_or_404(
        UploadedBundle,
        token=token,
        uploaded_by=request.user,
        status=UploadedBundle.Status.PENDING,
    )
    if not Path(upload.path).exists():
        _discard(upload, UploadedBundle.Status.REFUSED)
        messages.error(
            request, _("Het opgeladen bestand is niet meer beschikbaar. Laad het opnieuw op.")
        )
        return HttpResponseRedirect(reverse("records:import"))
    result = import_bundle(
        upload.path,
        user=request.user,
        source=SOURCE,
        address=current_write_source().address,
    )
    if not result.ok:
        _discard(upload, UploadedBundle.Status.REFUSED)
        return _render(request, BundleUploadForm(), result=result, upload=upload)
    _discard(upload, UploadedBundle.Status.IMPORTED)
    messages.success(
        request,
        _("De bundel %(file)s is geïmporteerd: %(rows)s rijen voor organisatie %(code)s.")
        % {"file": upload.file_name, "rows": result.rows, "code": result.organisation_code},
    )
    return HttpResponseRedirect(reverse("records:import"))
