"""The data subject's right of access (GDPR art. 15): everything about one client in a file.

Which records belong to a client is found from the data model itself (every
model with a path to Client, see `casework.access`), so a new kind of record
is exported without a change here.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import client_path
from audit.models import AuditAction, AuditEntry
from audit.services import audit_log, json_value
from casework.models import Client
from core.spreadsheets import safe_cell

# Bookkeeping of the app itself, not data about the person.
INTERNAL_FIELDS = frozenset({"organisation", "client", "version"})
# Models that are about access to the file, listed under "access" instead.
ACCESS_APPS = frozenset({"audit"})
FORMATS = {
    "json": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def client_record_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to the client) for every kind of record of a client."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label in ACCESS_APPS or issubclass(model, Client):
            continue
        path = client_path(model)
        if path:
            found.append((model, path))
    return sorted(found, key=lambda item: item[0]._meta.label_lower)


def _row(instance: models.Model) -> dict[str, Any]:
    row: dict[str, Any] = {"id": instance.pk}
    for field in instance._meta.concrete_fields:
        if field.name in INTERNAL_FIELDS or field.primary_key:
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            row[field.name] = str(related) if related is not None else None
            continue
        value = getattr(instance, field.attname)
        row[field.name] = json_value(value)
        if field.choices and value not in (None, ""):
            row[f"{field.name}_label"] = str(getattr(instance, f"get_{field.name}_display")())
    return row


def client_data(client: Client) -> dict[str, Any]:
    """Every record of `client`, grouped by kind, plus the dates the file was opened."""
    records: dict[str, list[dict[str, Any]]] = {}
    labels: dict[str, str] = {}
    for model, path in client_record_models():
        queryset = model._default_manager.filter(**{path: client}).order_by("pk")
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = [_row(instance) for instance in queryset.select_related(*related)]
        if rows:
            records[model._meta.label_lower] = rows
            labels[model._meta.label_lower] = str(model._meta.verbose_name_plural)
    # Art. 15(1)(c): when the file was consulted or changed. Without the names of
    # the staff (they act for the OCMW, the recipient is the OCMW itself).
    access = [
        {"at": json_value(at), "action": action, "action_label": str(AuditAction(action).label)}
        for at, action in AuditEntry.objects.about_client(client.pk)
        .order_by("at", "pk")
        .values_list("at", "action")
    ]
    return {
        "exported_at": json_value(timezone.now()),
        "organisation": str(client.organisation),
        "client": _row(client),
        "records": records,
        "record_labels": labels,
        "access": access,
    }


def _xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cliënt")[:31]
    for key, value in data["client"].items():
        sheet.append([key, safe_cell(_cell(value))])
    for label, rows in data["records"].items():
        title = "".join(c for c in data["record_labels"][label] if c not in "[]:*?/\\")[:31]
        sheet = workbook.create_sheet(title or label[:31])
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([safe_cell(_cell(row.get(column))) for column in columns])
    sheet = workbook.create_sheet(_("Inzage en wijzigingen")[:31])
    sheet.append(["at", "action", "action_label"])
    for item in data["access"]:
        sheet.append([item["at"], item["action"], item["action_label"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def client_data_export(
    *, client: Client, file_format: str = "json", user: Any = None, request: Any = None
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the art. 15 export; the export is audited."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown format {file_format!r}")
    data = client_data(client)
    if file_format == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode()
    else:
        content = _xlsx(data)
    audit_log(
        action=AuditAction.EXPORT,
        user=user,
        request=request,
        object_type=Client._meta.label_lower,
        object_id=client.pk,
        client_id=client.pk,
        changes={
            "format": file_format,
            "records": sum(len(rows) for rows in data["records"].values()),
        },
        reason=_("Inzageverzoek (AVG art. 15)"),
    )
    content_type, extension = FORMATS[file_format]
    filename = f"traject-client-{client.pk}-{timezone.localdate():%Y%m%d}.{extension}"
    return content, content_type, filename
