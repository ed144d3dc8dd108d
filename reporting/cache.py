"""The report cache: a report for an as-of day before today is kept until a record of
one of its organisations is written.

Such a report is deterministic: facts dated after the as-of day do not count, so
only a write can change it. Every write of a record goes through the write
services or the bulk writer, which tell the observers of `core.writes`
(`on_writes`, registered by `ReportingConfig.ready`); the observer replaces the
`DataVersion` token of the record's organisation inside the write's transaction.
A cached report is stored (Django's cache `reports`, a database table shared by
every worker process) under a key made of its parameters and the tokens of its
organisations: after a write commits, the next request reads the new token and
computes the report again. A region's report
holds the tokens of every organisation of the region, so a write in any of them
invalidates it too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction

from casework.models import Organisation
from core.writes import Change
from partners.models import Programme, ProgrammeFunding
from reporting.models import DataVersion
from reporting.statistics import ReportParameters
from reporting.statistics.report import compute_report, report_snapshot

CACHE_ALIAS = "reports"


def _enabled() -> bool:
    return bool(getattr(settings, "TRAJECT_REPORT_CACHE_SECONDS", 0))


def _new_token() -> str:
    return secrets.token_hex(16)


def _organisation_ids(items: Iterable[tuple[models.Model, Change]]) -> set[int]:
    """The organisations whose records `items` are (a programme's funding: the
    programme's; an organisation itself: its own). Only what the instances hold is read
    (the importer's stand-ins hold only some fields): what is missing is looked up with
    one query per model, never one per record."""
    ids: set[int] = set()
    missing: dict[type[models.Model], set[Any]] = {}
    for instance, _changes in items:
        loaded = instance.__dict__
        if isinstance(instance, Organisation):
            ids.add(instance.pk)
        elif isinstance(instance, ProgrammeFunding):
            missing.setdefault(Programme, set()).add(loaded.get("programme_id"))
        elif loaded.get("organisation_id") is not None:
            ids.add(loaded["organisation_id"])
        elif any(f.attname == "organisation_id" for f in instance._meta.concrete_fields):
            missing.setdefault(type(instance), set()).add(instance.pk)
    for model, pks in missing.items():
        ids.update(
            model._default_manager.filter(pk__in=pks - {None}).values_list(
                "organisation_id", flat=True
            )
        )
    ids.discard(None)  # type: ignore[arg-type]
    return ids


def on_writes(action: str, items: list[tuple[models.Model, Change]]) -> None:
    """Write observer: a write of a record of an organisation makes its cached reports
    unreachable (a new token, in the write's own transaction)."""
    ids = _organisation_ids(items)
    if ids:
        # An upsert, not an update: a report that gives the organisation its first token
        # meanwhile then waits for this write to commit (the same row), and reads the
        # token this write leaves.
        token = _new_token()
        DataVersion.objects.bulk_create(
            [DataVersion(organisation_id=pk, token=token) for pk in sorted(ids)],
            update_conflicts=True,
            update_fields=["token"],
            unique_fields=["organisation"],
        )


def _ensure_versions(organisation_ids: list[int]) -> None:
    """Give every organisation a token before its report is cached (a missing row would
    otherwise leave nothing for a write to replace)."""
    with transaction.atomic():
        DataVersion.objects.bulk_create(
            [DataVersion(organisation_id=pk, token=_new_token()) for pk in organisation_ids],
            ignore_conflicts=True,
        )


def _tokens(organisation_ids: list[int]) -> dict[int, str]:
    return dict(
        DataVersion.objects.filter(organisation_id__in=organisation_ids).values_list(
            "organisation_id", "token"
        )
    )


def _key(params: ReportParameters, tokens: dict[int, str]) -> str:
    described = json.dumps(
        {
            "code": params.code,
            "region": params.is_region,
            "organisations": params.organisation_ids,
            "tokens": [tokens.get(pk, "") for pk in params.organisation_ids],
            "from": str(params.period_from),
            "to": str(params.period_to),
            "reference_month": str(params.reference_month),
            "as_of": params.as_of.isoformat(),
        },
        sort_keys=True,
    )
    return "council-report:" + hashlib.sha256(described.encode()).hexdigest()


def cached_report(params: ReportParameters, *, today: datetime.date) -> dict[str, Any]:
    """The report of `params` (`build_report`), from the cache when the as-of day is before
    `today` and no record of its organisations was written since it was computed."""
    if not _enabled() or params.as_of >= today:
        with report_snapshot(params.as_of):
            return compute_report(params)
    ids = params.organisation_ids
    if len(_tokens(ids)) < len(ids):
        _ensure_versions(ids)
    cache = caches[CACHE_ALIAS]
    # The tokens are read in the report's own snapshot, from the database its figures
    # come from (the replica when it serves the report, core/replica.py): the key then
    # names exactly the writes the figures include. A write committed after the snapshot
    # replaced a token, so nobody reads this key once that write is visible.
    with report_snapshot(params.as_of):
        tokens = _tokens(ids)
        if len(tokens) < len(ids):  # a replica that has not replayed the first tokens yet
            return compute_report(params)
        key = _key(params, tokens)
        report = cache.get(key)
        if report is None:
            report = compute_report(params)
            cache.set(key, report, timeout=settings.TRAJECT_REPORT_CACHE_SECONDS)
    return report  # type: ignore[no-any-return]
