"""Reproducing a published answer: the same parameters on today's records.

Every figure of the stored report is compared with today's; for each figure
that differs: its key path, the published and today's value. For each
statistic with a difference, the records of the kinds that statistic reads
(`@statistic(reads=...)`) created, changed or deleted since the publication,
from the audit log: the reason a figure moved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from answers.models import PublishedAnswer
from answers.services import parameters_of, published_report
from audit.models import AuditAction, AuditEntry
from casework.models import Client, Organisation
from reporting.exports import flatten
from reporting.statistics import REGISTRY, build_report

WRITE_ACTIONS = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
MISSING = object()


@dataclass(frozen=True)
class Difference:
    path: str  # "income_support.leefloon"
    published: Any
    today: Any


@dataclass(frozen=True)
class RecordChange:
    kind: str  # "casework.incomeright"
    kind_label: str
    external_id: str
    action: str
    action_label: str
    changes: dict[str, Any]
    at: datetime.datetime
    by: str


@dataclass
class Verification:
    answer: PublishedAnswer
    differences: list[Difference] = field(default_factory=list)
    # statistic key -> the record changes since publication that it reads
    explanations: dict[str, list[RecordChange]] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return not self.differences

    def differences_of(self, key: str) -> list[Difference]:
        return [d for d in self.differences if d.path.split(".", 1)[0] == key]


def _leaves(statistics: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{key}.{path}": value for key, data in statistics.items() for path, value in flatten(data)
    }


def compare(published: dict[str, Any], today: dict[str, Any]) -> list[Difference]:
    """Every figure whose value differs (a figure on one side only differs too)."""
    before, after = _leaves(published["statistics"]), _leaves(today["statistics"])
    paths = list(before) + [path for path in after if path not in before]
    return [
        Difference(path, before.get(path), after.get(path))
        for path in paths
        if before.get(path, MISSING) != after.get(path, MISSING)
    ]


def _of_organisations(kind: str, organisations: list[Organisation]) -> Q:
    """Audit entries about records of `kind` of `organisations` (live records by their id;
    client records also by their client; deleted ones by the organisation they had)."""
    model = apps.get_model(kind)
    pks = [organisation.pk for organisation in organisations]
    condition = Q(client_id__in=Client.objects.filter(organisation__in=pks).values("pk"))
    if any(f.name == "organisation" for f in model._meta.get_fields()):
        live = model._default_manager.filter(organisation__in=pks).annotate(
            key=Cast("pk", CharField())
        )
        condition |= Q(object_id__in=live.values("key"))
        condition |= Q(action=AuditAction.DELETE, changes__organisation__0__in=pks)
    elif model is Organisation:
        condition |= Q(object_id__in=[str(pk) for pk in pks])
    return Q(object_type=kind) & condition


# Records keyed otherwise than by an external id (import-format.md): their key instead.
NATURAL_KEYS = {
    "casework.organisation": "code",
    "casework.population": "year",
    "partners.programme": "code",
    "partners.programmefunding": "year",
}


def _external_ids(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """(kind, object id) -> the record's external id: from the record, or for a deleted
    record from what the audit log kept of it."""
    result: dict[tuple[str, str], str] = {}
    by_kind: dict[str, set[str]] = {}
    for entry in entries:
        before = (entry.changes or {}).get("external_id")
        if isinstance(before, list) and (before[0] or before[1]):
            result[(entry.object_type, entry.object_id)] = str(before[1] or before[0])
        by_kind.setdefault(entry.object_type, set()).add(entry.object_id)
    for kind, ids in by_kind.items():
        model = apps.get_model(kind)
        key = NATURAL_KEYS.get(kind, "external_id")
        if not any(f.name == key for f in model._meta.get_fields()):
            continue
        pks = [int(i) for i in ids if i.isdigit()]
        for pk, external_id in model._default_manager.filter(pk__in=pks).values_list("pk", key):
            result[(kind, str(pk))] = str(external_id)
    return result


def record_changes(
    kinds: tuple[str, ...], organisations: list[Organisation], since: datetime.datetime
) -> list[RecordChange]:
    """What was written to records of `kinds` of `organisations` after `since`, oldest
    first."""
    if not kinds:
        return []
    condition = Q()
    for kind in kinds:
        condition |= _of_organisations(kind, organisations)
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        condition, at__gt=since, action__in=WRITE_ACTIONS
    ).order_by("at", "pk")
    rows = list(entries)
    external = _external_ids(rows)
    labels = dict(AuditAction.choices)
    return [
        RecordChange(
            kind=entry.object_type,
            kind_label=str(apps.get_model(entry.object_type)._meta.verbose_name),
            external_id=external.get((entry.object_type, entry.object_id), entry.object_id),
            action=entry.action,
            action_label=str(labels.get(entry.action, entry.action)),
            changes=dict(entry.changes or {}),
            at=entry.at,
            by=entry.username or "",
        )
        for entry in rows
    ]


def verify(answer: PublishedAnswer) -> Verification:
    """Recompute the report of `answer` with its stored parameters on today's records."""
    published = published_report(answer)
    params = parameters_of(answer, answer.scope)
    today = build_report(params)
    result = Verification(answer, compare(published, today))
    # A region's organisations then and now (an OCMW may have joined or left it since).
    organisations = {organisation.pk: organisation for organisation in params.organisations}
    for organisation in Organisation.objects.filter(code__in=published.get("organisations", [])):
        organisations.setdefault(organisation.pk, organisation)
    moved = dict.fromkeys(d.path.split(".", 1)[0] for d in result.differences)
    for key in moved:
        registered = REGISTRY.get(key)
        reads = registered.reads if registered is not None else ()
        result.explanations[key] = record_changes(
            reads, list(organisations.values()), answer.published_at
        )
    return result
