"""The audit log as a data protection officer reads it: the record's kind by its name
("toewijzing #12983", not "casework.assignment #12983"), the client by name, each
change with the field's label and values as the app shows them ("geslacht: man →
vrouw", "cliënt: — → Peeters, An"), in Dutch. The entries themselves stay as stored
(the hash chain covers them); this only reads them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction, AuditEntry
from audit.services import audit_entries_for
from casework.models import Client

# Keys of `changes` that are no field of the record (roles, exports, retention, ...).
CHANGE_LABELS = {
    "added": gettext_lazy("toegevoegd"),
    "removed": gettext_lazy("verwijderd"),
    "permissions_added": gettext_lazy("rechten toegevoegd"),
    "permissions_removed": gettext_lazy("rechten verwijderd"),
    "free_text": gettext_lazy("vrije tekst"),
    "filters": gettext_lazy("filters"),
    "format": gettext_lazy("formaat"),
    "rows": gettext_lazy("rijen"),
    "list": gettext_lazy("lijst"),
    "clients": gettext_lazy("cliënten"),
    "password": gettext_lazy("wachtwoord"),
}
EMPTY = "—"


@dataclass
class ChangeLine:
    label: str
    old: str = ""
    new: str = ""
    value: str = ""  # a change that is no old/new pair (roles added, export filters)


@dataclass
class ReadableEntry:
    entry: AuditEntry
    record: str
    client: str
    changes: list[ChangeLine] = field(default_factory=list)


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if "." in label else None
    except LookupError:
        return None


def _fields(model: type[models.Model] | None) -> dict[str, models.Field]:
    """The model's concrete fields by name and by attname (`client_id`)."""
    if model is None:
        return {}
    found: dict[str, models.Field] = {}
    for f in model._meta.concrete_fields:
        found[f.name] = f
        found[f.attname] = f
    return found


def _record(entry: AuditEntry, model: type[models.Model] | None) -> str:
    name = str(model._meta.verbose_name) if model is not None else entry.object_type
    return f"{name} #{entry.object_id}" if entry.object_id and name else name


def _plain(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


def _value(f: models.Field | None, value: Any, clients: dict[int, str]) -> str:
    """One stored value as the app shows it."""
    if value is None or value == "" or f is None:
        return _plain(value)
    if f.is_relation and f.related_model is Client and isinstance(value, int):
        return clients.get(value, f"#{value}")
    if f.is_relation:
        return f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
        try:
            return date_format(datetime.date.fromisoformat(str(value)), "d/m/Y")
        except ValueError:
            return str(value)
    return _plain(value)


def _client_ids(entries: list[AuditEntry]) -> set[int]:
    ids = {entry.client_id for entry in entries if entry.client_id}
    for entry in entries:
        for key, values in (entry.changes or {}).items():
            if key in ("client", "client_id") and isinstance(values, list):
                ids.update(v for v in values if isinstance(v, int))
    return ids


def readable_entries(entries: list[AuditEntry]) -> list[ReadableEntry]:
    """The entries with names and labels (one query for the names of their clients)."""
    clients = {
        pk: str(client) for pk, client in Client.objects.in_bulk(list(_client_ids(entries))).items()
    }
    result = []
    for entry in entries:
        model = _model(entry.object_type)
        fields = _fields(model)
        lines = []
        for key, values in (entry.changes or {}).items():
            f = fields.get(key)
            if f is not None:
                label = str(f.verbose_name)
            else:
                label = str(CHANGE_LABELS.get(key, key.replace("_", " ")))
            if f is not None and isinstance(values, list) and len(values) == 2:
                old, new = (_value(f, v, clients) for v in values)
                lines.append(ChangeLine(label, old=old, new=new))
            else:
                lines.append(ChangeLine(label, value=_plain(values)))
        client = ""
        if entry.client_id:
            client = clients.get(entry.client_id, f"#{entry.client_id}")
        result.append(ReadableEntry(entry, _record(entry, model), client, lines))
    return result


# What the DPO's start page shows first: (heading, actions), the latest of each.
DPO_OVERVIEW = (
    (
        gettext_lazy("Geweigerde en mislukte toegang"),
        (
            AuditAction.DENIED,
            AuditAction.LOGIN_FAILED,
            AuditAction.LOCKED_OUT,
            AuditAction.OTP_FAILED,
        ),
    ),
    (gettext_lazy("Noodtoegang (break glass)"), (AuditAction.BREAK_GLASS,)),
    (gettext_lazy("Exports"), (AuditAction.EXPORT,)),
)
DPO_OVERVIEW_ROWS = 10


@dataclass
class OverviewSection:
    heading: str
    actions: tuple[str, ...]
    entries: list[ReadableEntry]


def dpo_overview(user: Any, rows: int = DPO_OVERVIEW_ROWS) -> list[OverviewSection]:
    """The latest access attempts, break-glass grants and exports the user may read."""
    readable = audit_entries_for(user).order_by("-at", "-pk")
    return [
        OverviewSection(
            str(heading),
            tuple(str(action) for action in actions),
            readable_entries(list(readable.filter(action__in=actions)[:rows])),
        )
        for heading, actions in DPO_OVERVIEW
    ]
