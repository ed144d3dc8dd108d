"""The client file's timeline: every record of a client, the newest first."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from casework.models import Client
from desk.record_kinds import RecordKind, record_url


@dataclass
class TimelineEntry:
    kind: RecordKind
    record: Any
    start: datetime.date
    end: datetime.date | None
    title: str
    details: list[str] = field(default_factory=list)
    running: bool = False
    edit_url: str = ""
    # Buttons beside the record (add a document to it, print a GPMI contract) and the
    # documents that belong to it: filled in by the client file (`file_documents`).
    actions: list[tuple[str, str]] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)


def timeline(
    client: Client, kinds: list[RecordKind], day: datetime.date, can_change: Callable[..., bool]
) -> list[TimelineEntry]:
    """Every record of the client (one query per kind), the newest first."""
    entries = []
    for kind in kinds:
        runs = kind.running_test(client, day)
        records = list(kind.records(client))
        later = kind.series_details(records) if kind.series_details else {}
        for record in records:
            title, details = kind.describe(record)
            details = details + later.get(record.pk, [])
            start, end = kind.start(record), kind.end(record)
            entries.append(
                TimelineEntry(
                    kind=kind,
                    record=record,
                    start=start,
                    end=end,
                    title=title,
                    details=details,
                    running=runs(record),
                    edit_url=record_url(client, kind, record) if can_change(kind) else "",
                )
            )
    entries.sort(key=lambda e: (e.start, e.record.created_at), reverse=True)
    return entries
