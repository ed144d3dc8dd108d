"""Retention: pseudonymise clients whose last record ended more than N years ago.

What identifies the person goes: first and last name (replaced by a random
pseudonym), the national number, the contact details (address, phone, e-mail),
the names and national numbers of the household members, every free text of
the file (notes, GPMI goals and commitments, evaluation notes), and every
document of the file with its stored file (`documents.services.documents_purge`).
What the statistics need stays: birth date
(age bands), gender, household, migration background and every record with
its dates, codes and outcomes, so every figure of the council report is the
same before and after.

A client is due when none of their records is still running (no record with
an end field left empty) and the latest date of any record lies more than N
years before today. A client without any record counts from the day it was
created in Traject.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from audit.exports import client_record_models
from audit.models import Pseudonymisation
from casework.models import Client, HouseholdMember
from core.writes import notify_writes, writes_by
from documents.services import documents_purge

PSEUDONYM_FIRST_NAME = "Pseudoniem"
REDACTED_TEXT = "[gewist na de bewaartermijn]"
END_FIELDS = ("end_date", "ended_on")
BATCH_SIZE = 500


@dataclass
class RetentionResult:
    years: int
    cutoff: datetime.date
    dry_run: bool
    client_ids: list[int] = field(default_factory=list)
    texts_cleared: int = 0
    documents_removed: int = 0


def _date_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
    ]


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.TextField)]


def last_record_days() -> Iterator[tuple[int, datetime.date | None, bool]]:
    """(client id, latest date of any record, whether a record is still running) per model."""
    for model, path in client_record_models():
        dates = _date_fields(model)
        # A household member is no support of the OCMW: a child living with the client
        # keeps no file open.
        if not dates or model is HouseholdMember:
            continue
        end = next((name for name in END_FIELDS if name in dates), None)
        annotations: dict[str, Any] = {f"max_{name}": Max(name) for name in dates}
        if end is not None:
            annotations["running"] = Count("pk", filter=Q(**{f"{end}__isnull": True}))
        rows = model._default_manager.values(owner_id=F(path)).annotate(**annotations)
        for row in rows.order_by():
            days = [row[f"max_{name}"] for name in dates if row[f"max_{name}"] is not None]
            yield row["owner_id"], max(days) if days else None, bool(row.get("running"))


def retention_due(*, years: int, today: datetime.date | None = None) -> dict[int, datetime.date]:
    """Clients (not yet pseudonymised) whose last record ended before the cutoff: id -> day."""
    today = today or timezone.localdate()
    cutoff = _years_before(today, years)
    last: dict[int, datetime.date] = {}
    running: set[int] = set()
    for client_id, day, is_running in last_record_days():
        if is_running:
            running.add(client_id)
        if day is not None and (client_id not in last or day > last[client_id]):
            last[client_id] = day
    due: dict[int, datetime.date] = {}
    candidates = Client.objects.exclude(pseudonymisation__isnull=False).values_list(
        "pk", "created_at"
    )
    for client_id, created_at in candidates:
        if client_id in running:
            continue
        day = last.get(client_id, timezone.localtime(created_at).date())
        if day < cutoff:
            due[client_id] = day
    return due


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def new_pseudonym() -> str:
    return f"P-{secrets.token_hex(5).upper()}"


def apply_retention(
    *, years: int | None = None, today: datetime.date | None = None, dry_run: bool = False
) -> RetentionResult:
    """Pseudonymise every client due (see the module docstring); audited per client."""
    years = settings.TRAJECT_RETENTION_YEARS if years is None else years
    if years < 1:
        raise ValueError("The retention period is at least one year.")
    today = today or timezone.localdate()
    due = retention_due(years=years, today=today)
    result = RetentionResult(
        years=years, cutoff=_years_before(today, years), dry_run=dry_run, client_ids=sorted(due)
    )
    if dry_run:
        return result
    ids = result.client_ids
    with writes_by(source="command:apply_retention"):
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            cleared, removed = _pseudonymise_batch(batch, due, years)
            result.texts_cleared += cleared
            result.documents_removed += removed
    return result


@transaction.atomic
def _pseudonymise_batch(
    ids: list[int], due: dict[int, datetime.date], years: int
) -> tuple[int, int]:
    clients = list(Client.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    now = timezone.now()
    items: list[tuple[models.Model, dict[str, tuple[Any, Any]]]] = []
    for client in clients:
        changes: dict[str, tuple[Any, Any]] = {
            "first_name": ("***", PSEUDONYM_FIRST_NAME),
            "last_name": ("***", new_pseudonym()),
        }
        if client.national_number:
            changes["national_number"] = (client.national_number, "")
        for name in Client.CONTACT_FIELDS:
            if getattr(client, name):
                changes[name] = ("***", "")
                setattr(client, name, "")
        client.first_name = PSEUDONYM_FIRST_NAME
        client.last_name = changes["last_name"][1]
        client.national_number = ""
        client.version += 1
        client.updated_at = now
        items.append((client, changes))
    Client.objects.bulk_update(
        clients,
        [
            "first_name",
            "last_name",
            "national_number",
            *Client.CONTACT_FIELDS,
            "version",
            "updated_at",
        ],
    )
    # The household's names: relation, birth date and the period stay (they count).
    HouseholdMember.objects.filter(client_id__in=ids).update(
        first_name=PSEUDONYM_FIRST_NAME,
        last_name=REDACTED_TEXT,
        national_number="",
        version=F("version") + 1,
    )
    # Documents are the file itself, not a text to blank: the row and the file go
    # (the file once the batch has committed).
    removed = documents_purge(client_ids=ids)
    cleared = 0
    for model, path in client_record_models():
        texts = _text_fields(model)
        if not texts:
            continue
        values = {f.name: ("" if f.blank else REDACTED_TEXT) for f in texts}
        updates: dict[str, Any] = dict(values)
        if any(f.name == "version" for f in model._meta.concrete_fields):
            updates["version"] = F("version") + 1
        cleared += model._default_manager.filter(**{f"{path}__in": ids}).update(**updates)
    for _record, changes in items:
        changes["free_text"] = ("***", "")
    notify_writes("update", items)
    Pseudonymisation.objects.bulk_create(
        [
            Pseudonymisation(
                client=client, last_record_ended_on=due[client.pk], retention_years=years
            )
            for client in clients
        ]
    )
    return cleared, removed
