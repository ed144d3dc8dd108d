"""Mijn caseload (/clients/): the clients a user may open, with what runs and what is due.

The filter is sent with POST and kept in the session, so that a national number
typed in the search box never ends up in a URL (browser history, server logs);
sorting, paging and export are ordinary GET links. Every page shown leaves one
`listed` entry per client on it; every export (CSV, XLSX) one `export` entry with
its format and number of rows, and one per client in the file.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin
from django_tables2.paginators import LazyPaginator

from access.rules import health_data_clients_filter, visible_clients
from audit.models import AuditAction
from audit.services import audit_list_read, audit_log
from casework.models import Client
from core.spreadsheets import csv_dialect
from desk import workqueue
from desk.filters import CaseloadFilter, default_filter_data
from desk.selectors import clients_with_status
from desk.tables import CaseloadTable, SafeTableExport
from desk.views.base import RoleRequiredMixin, today

SESSION_KEY = "caseload_filter"


class CaseloadView(RoleRequiredMixin, ExportMixin, SingleTableMixin, TemplateView):
    permission_required = "casework.view_client"
    template_name = "desk/caseload.html"
    table_class = CaseloadTable
    # No COUNT(*) of the whole list on every page: one row more than the page tells
    # whether there is a next page.
    paginator_class = LazyPaginator
    paginate_by = 25
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    export_trigger_param = "export"

    def filter_data(self) -> dict[str, Any]:
        data = self.request.session.get(SESSION_KEY)
        return dict(data) if data is not None else default_filter_data(self.request.user)

    def get_filterset(self) -> CaseloadFilter:
        if not hasattr(self, "_filterset"):
            self.day = today()
            clients = clients_with_status(visible_clients(self.request.user), self.day)
            self._filterset = CaseloadFilter(
                self.filter_data(), clients, request=self.request, today=self.day
            )
        return self._filterset

    def get_table_data(self) -> QuerySet[Client]:
        return self.get_filterset().qs

    def get_table_kwargs(self) -> dict[str, Any]:
        self.get_filterset()
        return {"today": self.day}

    def exporting(self) -> bool:
        return self.export_class.is_valid_format(self.request.GET.get(self.export_trigger_param))

    def get_table(self, **kwargs: Any) -> CaseloadTable:
        table = super().get_table(**kwargs)
        scope: QuerySet[Client] | list[int]
        if self.exporting():
            scope = clients = Client.objects.filter(pk__in=self.get_filterset().qs.values("pk"))
        else:
            shown = [row.record for row in table.page.object_list]
            scope = [client.pk for client in shown]
            clients = Client.objects.filter(pk__in=scope)
            audit_list_read(self.request, shown, "caseload")
        items = workqueue.work_queue(
            clients=scope,
            today=self.day,
            health_clients=clients.filter(health_data_clients_filter(self.request.user)),
        )
        table.next_actions = workqueue.first_item_per_client(items)
        return table

    def create_export(self, export_format: str) -> HttpResponse:
        """The CSV/XLSX file of the whole selection, logged once in the audit log."""
        exporter = self.export_class(
            export_format=export_format,
            table=self.get_table(**self.get_table_kwargs()),
            exclude_columns=self.exclude_columns,
            dataset_kwargs=self.get_dataset_kwargs(),
        )
        exporter.dialect = csv_dialect(self.request.GET)
        response = exporter.response(filename=self.get_export_filename(export_format))
        audit_log(
            action=AuditAction.EXPORT,
            request=self.request,
            object_type="casework.client",
            changes={"format": export_format, "rows": exporter.dataset.height},
        )
        # And every client in the file, by id (one bulk insert).
        audit_list_read(
            self.request,
            self.get_filterset().qs.order_by().values_list("pk", flat=True),
            "caseload_export",
            action=AuditAction.EXPORT,
            details={"format": export_format},
        )
        return response

    def get_export_filename(self, export_format: str) -> str:
        return f"caseload-{self.day:%Y-%m-%d}.{export_format}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        context["filter"] = filterset
        context["filter_active"] = any(
            value not in ("", None) for name, value in filterset.data.items() if name != "caseload"
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "reset" in request.POST:
            data = default_filter_data(request.user)
        else:
            data = {name: request.POST.get(name, "") for name in CaseloadFilter.base_filters}
        request.session[SESSION_KEY] = data
        if request.htmx:  # type: ignore[attr-defined]
            return TemplateResponse(
                request, self.template_name + "#listing", self.get_context_data()
            )
        return redirect("desk:caseload")
