"""Documents of a client file: upload (to the file or one of its records), download,
delete, and the GPMI contract as a PDF.

Every file goes out through these views only: the client file is opened through
the gate (`access.rules.get_client_or_404`, with `health_data` for a health-data
document), the response is an attachment with `nosniff`, and every download is a
read entry in the audit trail (`audit.services.audit_file_read`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from access.rules import can_see_health_data, get_client_or_404, get_client_record_or_404
from audit.services import audit_file_read
from casework.models import Client, Trajectory, TrajectoryKind
from desk.document_forms import DocumentUploadForm, linkable_kinds, record_choice
from desk.forms import add_service_errors
from desk.record_kinds import visible_kinds
from desk.selectors.timeline import TimelineEntry
from desk.views.base import RoleRequiredMixin, today
from documents.gpmi_contract import contract_file_name, gpmi_contract_pdf
from documents.models import LINK_FIELDS, Document, DocumentKind
from documents.services import document_create, document_delete, document_open


def _attachment[R: HttpResponseBase](response: R) -> R:
    # Never rendered by the browser as something else than what it says it is.
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_url(document: Document) -> str:
    return reverse(
        "desk:document_download", kwargs={"pk": document.client_id, "document_pk": document.pk}
    )


@dataclass
class DocumentRow:
    document: Document
    download_url: str
    delete_url: str
    record_text: str


def file_documents(
    user: Any, client: Client, entries: list[TimelineEntry], *, health: bool
) -> list[DocumentRow]:
    """The documents of the client file that `user` may see (health-data documents only
    with the health-data right), and on each timeline entry its documents and buttons:
    "Document toevoegen", for a GPMI "Contract afdrukken (PDF)" and "Ondertekend contract
    toevoegen".

    `client` is a file the access rules just let `user` open (`get_client_or_404`) and
    `health` what they said of its health data (`can_see_health_data`): the documents are
    those of `Document.objects.visible_to(user)` for this client, without asking the
    rules again in a subquery."""
    rows: list[DocumentRow] = []
    if user.has_perm("documents.view_document"):
        documents = Document.objects.filter(client=client)
        if not health:
            documents = documents.filter(health_data=False)
        documents = documents.select_related("uploaded_by", *LINK_FIELDS)
        may_delete = user.has_perm("documents.delete_document")
        for document in documents:
            record = document.record
            rows.append(
                DocumentRow(
                    document=document,
                    download_url=document_url(document),
                    delete_url=reverse(
                        "desk:document_delete",
                        kwargs={"pk": client.pk, "document_pk": document.pk},
                    )
                    if may_delete
                    else "",
                    record_text=str(record) if record is not None else "",
                )
            )
    by_record: dict[tuple[str, Any], list[DocumentRow]] = {}
    for row in rows:
        record = row.document.record
        if record is not None:
            by_record.setdefault((record._meta.label_lower, record.pk), []).append(row)
    may_add = user.has_perm("documents.add_document")
    add_url = reverse("desk:document_add", kwargs={"pk": client.pk})
    linkable = {kind.slug for kind in linkable_kinds([entry.kind for entry in entries])}
    for entry in entries:
        if entry.kind.slug not in linkable:
            continue
        entry.documents = by_record.get((entry.record._meta.label_lower, entry.record.pk), [])
        choice = urlencode({"record": record_choice(entry.kind, entry.record)})
        is_gpmi = isinstance(entry.record, Trajectory) and entry.record.kind == TrajectoryKind.GPMI
        if is_gpmi:
            contract = reverse(
                "desk:gpmi_contract", kwargs={"pk": client.pk, "record_pk": entry.record.pk}
            )
            entry.actions.append((_("Contract afdrukken (PDF)"), contract))
            if may_add:
                signed = urlencode({"kind": DocumentKind.GPMI_CONTRACT})
                entry.actions.append(
                    (_("Ondertekend contract toevoegen"), f"{add_url}?{choice}&{signed}")
                )
        elif may_add:
            entry.actions.append((_("Document toevoegen"), f"{add_url}?{choice}"))
    return rows


class DocumentUploadView(RoleRequiredMixin, View):
    """GET/POST /clients/<pk>/documents/new/ (?record=<kind>:<pk>, ?kind=<document kind>)."""

    permission_required = "documents.add_document"
    template_name = "desk/document_form.html"

    def make_form(self, request: HttpRequest, client: Client, data: Any = None, files: Any = None):
        health = can_see_health_data(request.user, client)
        initial = {name: request.GET[name] for name in ("record", "kind") if name in request.GET}
        return DocumentUploadForm(
            data,
            files,
            client=client,
            kinds=visible_kinds(request.user, client, health),
            health=health,
            initial=initial,
        )

    def render(self, request: HttpRequest, client: Client, form: DocumentUploadForm):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "client": client,
                "form": form,
                "cancel_url": reverse("desk:client_detail", kwargs={"pk": client.pk}),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_client_or_404(request, pk)
        return self.render(request, client, self.make_form(request, client))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = get_client_or_404(request, pk)
        form = self.make_form(request, client, request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                document = document_create(
                    client=client,
                    file=upload,
                    file_name=upload.name or "",
                    size=upload.size or 0,
                    kind=form.cleaned_data["kind"],
                    date=form.cleaned_data["date"],
                    title=form.cleaned_data["title"],
                    record=form.cleaned_data["record"],
                    uploaded_by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Document „%(title)s” toegevoegd.") % {"title": document.title}
                )
                return redirect(reverse("desk:client_detail", kwargs={"pk": client.pk}))
        return self.render(request, client, form)


def _document_of(request: HttpRequest, pk: int, document_pk: int) -> tuple[Client, Document]:
    """The document `document_pk` of client `pk`, through the gate (404 outside the file,
    403 for a health-data document without the health-data right)."""
    document = Document.objects.filter(client_id=pk, pk=document_pk).first()
    if document is None:
        get_client_or_404(request, pk)  # an attempt on the file all the same (audited)
        raise Http404
    client = get_client_or_404(request, pk, health_data=document.health_data)
    return client, document


class DocumentDownloadView(RoleRequiredMixin, View):
    """GET /clients/<pk>/documents/<document_pk>/: the file, as an attachment (audited)."""

    permission_required = "documents.view_document"

    def get(self, request: HttpRequest, pk: int, document_pk: int) -> HttpResponseBase:
        client, document = _document_of(request, pk, document_pk)
        try:
            handle = document_open(document)
        except OSError as exc:
            raise Http404(_("Het bestand van dit document is niet meer beschikbaar.")) from exc
        audit_file_read(
            request,
            obj=document,
            client=client,
            details={"download": document.kind, "sha256": document.sha256},
        )
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.file_name,
            content_type=document.content_type,
        )
        return _attachment(response)


class DocumentDeleteView(RoleRequiredMixin, View):
    """GET (confirm) / POST /clients/<pk>/documents/<document_pk>/delete/."""

    permission_required = "documents.delete_document"

    def get(self, request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
        client, document = _document_of(request, pk, document_pk)
        return TemplateResponse(
            request,
            "desk/document_delete.html",
            {
                "client": client,
                "document": document,
                "cancel_url": reverse("desk:client_detail", kwargs={"pk": client.pk}),
            },
        )

    def post(self, request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
        client, document = _document_of(request, pk, document_pk)
        document_delete(document=document)
        messages.success(request, _("Document „%(title)s” verwijderd.") % {"title": document.title})
        return redirect(reverse("desk:client_detail", kwargs={"pk": client.pk}))


class GpmiContractView(RoleRequiredMixin, View):
    """GET /clients/<pk>/gpmi/<record_pk>/contract/: the GPMI contract as a PDF (audited)."""

    permission_required = "casework.view_trajectory"

    def get(self, request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
        gpmis = Trajectory.objects.filter(client_id=pk, kind=TrajectoryKind.GPMI)
        trajectory = get_client_record_or_404(
            request, Trajectory, record_pk, gpmis.select_related("client__organisation")
        )
        content = gpmi_contract_pdf(trajectory, today())
        audit_file_read(
            request,
            obj=trajectory,
            client=trajectory.client,
            details={"download": "gpmi_contract_pdf"},
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{contract_file_name(trajectory)}"'
        return _attachment(response)
