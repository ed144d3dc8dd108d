"""Pages of the audit app: the audit log (DPO), the art. 15 export, break glass, second factor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from access.rules import can_export_client_data, visible_clients
from audit import otp
from audit.exports import FORMATS, client_data_export
from audit.forms import AuditSearchForm, BreakGlassForm, ClientLookupForm, TokenForm
from audit.models import AuditAction, AuditEntry
from audit.presentation import readable_entries
from audit.services import (
    audit_entries_for,
    audit_list_read,
    audit_log,
    break_glass_grant_create,
    break_glass_scope,
)
from casework.models import Client
from core.spreadsheets import CsvDialect, csv_dialect, safe_cell

PAGE_SIZE = 50
# The values of one audit entry in the CSV export, in this order.
CSV_COLUMNS = (
    "at",
    "username",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "changes",
    "reason",
    "source",
    "address",
)


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


# --- The audit log (data protection officer) ------------------------------------------


@login_required
@permission_required("audit.view_auditentry", raise_exception=True)
def audit_log_list(request: HttpRequest) -> HttpResponse:
    """Search the audit log by user, client, action and date range."""
    form = AuditSearchForm(request.GET or None)
    entries = audit_entries_for(request.user)
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    # No COUNT over the whole log: one row more than a page tells whether there is a next.
    rows = list(entries.order_by("-at", "-pk")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/auditentry_list.html",
        {
            "form": form,
            "entries": rows[:PAGE_SIZE],
            "readable": readable_entries(rows[:PAGE_SIZE]),
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
            "query": query.urlencode(),
            "can_export": request.user.has_perm("audit.export_auditentry"),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(entries: Any, dialect: CsvDialect) -> Iterator[str]:
    import json

    writer = dialect.writer(_Echo())
    yield dialect.prefix + writer.writerow(CSV_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        values = {
            "at": timezone.localtime(entry.at).isoformat(),
            "username": entry.username,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "client_id": entry.client_id if entry.client_id is not None else "",
            "changes": json.dumps(entry.changes, ensure_ascii=False) if entry.changes else "",
            "reason": entry.reason,
            "source": entry.source,
            "address": entry.address or "",
        }
        yield writer.writerow([safe_cell(values[column]) for column in CSV_COLUMNS])


@login_required
@permission_required("audit.export_auditentry", raise_exception=True)
def audit_log_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The (filtered) audit log as CSV; the export itself is logged."""
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Controleer de filters van het auditlogboek."))
        return HttpResponseRedirect(reverse("audit:log"))
    entries = audit_entries_for(request.user).order_by("at", "pk")
    filters: dict[str, Any] = {}
    if form.is_bound:
        entries = form.filter(entries)
        filters = form.as_filters()
    audit_log(
        action=AuditAction.EXPORT,
        request=request,
        object_type=AuditEntry._meta.label_lower,
        changes={"filters": filters},
    )
    response = StreamingHttpResponse(
        _csv_rows(entries, csv_dialect(request.GET)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="auditlog-{stamp}.csv"'
    return response


# --- Art. 15 export -------------------------------------------------------------------


@login_required
@permission_required("casework.export_client_data", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_search(request: HttpRequest) -> HttpResponse:
    """Find a client (POST: national number or exact name and birth date) to export or audit."""
    form = ClientLookupForm(request.POST or None)
    found: list[Client] = []
    if request.method == "POST" and form.is_valid():
        found = [
            client
            for client in form.matches(Client.objects.select_related("organisation"))[:20]
            if can_export_client_data(request.user, client)
        ]
        if not found:
            form.add_error(None, _("Geen cliënt gevonden met deze gegevens."))
        audit_list_read(request, found, "dpo_client_lookup")
    return render(
        request,
        "audit/client_search.html",
        {"form": form, "found": found, "formats": list(FORMATS)},
    )


@login_required
@require_POST
def client_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one client as a file (GDPR art. 15)."""
    client = get_object_or_404(Client, pk=pk)
    if not can_export_client_data(request.user, client):
        audit_log(
            action=AuditAction.DENIED,
            request=request,
            object_type=Client._meta.label_lower,
            object_id=client.pk,
            client_id=client.pk,
            reason=_("Inzageverzoek (AVG art. 15) geweigerd"),
        )
        raise PermissionDenied
    file_format = request.POST.get("format", "json")
    if file_format not in FORMATS:
        messages.error(request, _("Kies JSON of XLSX."))
        return HttpResponseRedirect(reverse("audit:client_search"))
    content, content_type, filename = client_data_export(
        client=client, file_format=file_format, request=request
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Break glass ----------------------------------------------------------------------


@login_required
@permission_required("casework.break_glass", raise_exception=True)
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """Open a file outside one's caseload: find the client exactly and give a reason."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        matches = list(form.matches(break_glass_scope(request.user))[:2])
        if len(matches) == 1:
            client = matches[0]
            if visible_clients(request.user).filter(pk=client.pk).exists():
                messages.info(request, _("Je hebt al toegang tot dit dossier."))
            else:
                grant = break_glass_grant_create(
                    user=request.user,
                    client=client,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
                messages.warning(
                    request,
                    _("Noodtoegang tot %(until)s. Je reden staat in het auditlogboek.")
                    % {"until": timezone.localtime(grant.expires_at).strftime("%d/%m/%Y %H:%M")},
                )
            return HttpResponseRedirect(client.get_absolute_url())
        if matches:
            form.add_error(
                None,
                _("Er zijn meerdere cliënten met deze gegevens: geef het rijksregisternummer."),
            )
        else:
            form.add_error(None, _("Geen cliënt gevonden met deze gegevens."))
        audit_log(
            action=AuditAction.DENIED,
            request=request,
            object_type=Client._meta.label_lower,
            reason=_("Noodtoegang gevraagd zonder eenduidige cliënt: %(reason)s")
            % {"reason": form.cleaned_data["reason"]},
        )
    return render(
        request,
        "audit/break_glass.html",
        {"form": form, "hours": _hours()},
    )


def _hours() -> int:
    from django.conf import settings

    return settings.TRAJECT_BREAK_GLASS_HOURS


# --- Second factor --------------------------------------------------------------------


def _after_second_factor(request: HttpRequest) -> str:
    return _next_url(request, resolve_url(settings.LOGIN_REDIRECT_URL))


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, confirm with a first code; then the
    recovery codes for a lost phone are shown, once."""
    if otp.has_second_factor(request.user):
        return HttpResponseRedirect(
            reverse("audit:otp_verify") + "?" + request.GET.urlencode()
            if request.GET
            else reverse("audit:otp_verify")
        )
    device = otp.enrolment_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = otp.verify(device, form.cleaned_data["token"])
        if verified is not None:
            verified.confirmed = True
            verified.save(update_fields=["confirmed"])
            otp_login(request, verified)
            codes = otp.recovery_codes_create(request.user)
            audit_log(action=AuditAction.OTP_ENROLLED, request=request)
            return render(
                request,
                "audit/otp_recovery_codes.html",
                {"codes": codes, "next": _after_second_factor(request)},
            )
        audit_log(action=AuditAction.OTP_FAILED, request=request, reason="enrolment")
        form.add_error("token", _("Deze code klopt niet. Probeer de volgende code."))
    return render(
        request,
        "audit/otp_setup.html",
        {
            "form": form,
            "qr_svg": otp.qr_svg(device.config_url),
            "secret": otp.secret_base32(device),
            "next": _next_url(request, ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Give the code of the authenticator app, or one recovery code (once per session)."""
    devices = otp.confirmed_devices(request.user)
    if not devices:
        return HttpResponseRedirect(reverse("audit:otp_setup"))
    form = TokenForm(request.POST or None, allow_recovery=True)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if token.isdigit():
            for device in devices:
                verified = otp.verify(device, token)
                if verified is not None:
                    otp_login(request, verified)
                    return HttpResponseRedirect(_after_second_factor(request))
        else:
            recovery = otp.verify_recovery_code(request.user, token)
            if recovery is not None:
                otp_login(request, recovery)
                left = otp.recovery_codes_left(request.user)
                audit_log(
                    action=AuditAction.OTP_RECOVERY,
                    request=request,
                    changes={"codes_left": [None, left]},
                )
                messages.warning(
                    request,
                    _(
                        "Je gebruikte een herstelcode (nog %(left)s over). Verloren telefoon? "
                        "Vraag een beheerder je authenticator-app te verwijderen en stel een "
                        "nieuwe in."
                    )
                    % {"left": left},
                )
                return HttpResponseRedirect(_after_second_factor(request))
        audit_log(action=AuditAction.OTP_FAILED, request=request)
        form.add_error("token", _("Deze code klopt niet of je probeerde te vaak. Wacht even."))
    return render(request, "audit/otp_verify.html", {"form": form, "next": _next_url(request, "")})
