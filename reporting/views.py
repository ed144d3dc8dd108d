"""The council report page, its downloads and its JSON endpoint.

One view serves the page and, with `?format=csv|xlsx`, the whole report as a
download; the API serves the same report as JSON, byte for byte what
`manage.py council_report` writes for the same parameters.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from core.spreadsheets import csv_dialect
from reporting.access import PERMISSION, report_organisation, report_region
from reporting.cache import cached_report
from reporting.exports import CONTENT_TYPES
from reporting.exports import render as render_export
from reporting.forms import ReportForm
from reporting.tables import sections_with_tables


def _form(request: HttpRequest) -> ReportForm:
    # A report the user may not see (another organisation, a region not theirs): 403.
    if request.GET.get("region"):
        report_region(request.user, request.GET["region"])
    else:
        report_organisation(request.user, request.GET.get("organisation"))
    return ReportForm(request.GET.dict(), user=request.user, today=timezone.localdate())


def _filename(form: ReportForm, fmt: str) -> str:
    data = form.cleaned_data
    code = form.parameters.code if form.parameters is not None else data["organisation"]
    return f"raadsrapport-{code}-{data['from']}-{data['to']}.{fmt}"


@login_required
@permission_required(PERMISSION, raise_exception=True)
def council_report(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    fmt = request.GET.get("format", "")
    if not form.is_valid() or form.parameters is None:
        return render(request, "reporting/council_report.html", {"form": form}, status=400)
    report = cached_report(form.parameters, today=timezone.localdate())
    if fmt in ("csv", "xlsx", "json"):
        content = render_export(report, fmt, csv_dialect(request.GET))
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{_filename(form, fmt)}"'
        return response
    sections = sections_with_tables(report)
    context = {
        "form": form,
        "report": report,
        "sections": sections,
        "organisation": form.parameters.organisation,
        "region": form.parameters.region,
        "csv_query": form.query_string(format="csv"),
        "xlsx_query": form.query_string(format="xlsx"),
        "api_query": form.query_string(),
    }
    return render(request, "reporting/council_report.html", context)


@login_required
@permission_required(PERMISSION, raise_exception=True)
def council_report_api(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid() or form.parameters is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return HttpResponse(
        render_export(cached_report(form.parameters, today=timezone.localdate()), "json"),
        content_type=CONTENT_TYPES["json"],
    )
