"""The integrity rules over the stored records: which records break a rule of a valid
record (domain.md, "Integrity").

The models refuse a new record that breaks one (clean(), constraints); records
stored before a rule existed may still break it. Each rule here is one query
over the stored records, read by `check_integrity` (so that an OCMW cleans up
before the migration adding a constraint) and by the data-quality page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Assignment,
    ClientNote,
    ClientRecord,
    Exemption,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
)
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Referral,
    VdabRegistration,
)


@dataclass(frozen=True)
class IntegrityRule:
    """A rule of a valid record and the stored records breaking it on a day."""

    code: str
    label: Promise
    model: type[models.Model]
    breaking: Callable[[datetime.date], models.QuerySet]
    client_path: str = "client"


def overlapping(model: Any) -> models.QuerySet:
    """Records overlapping another record of the same client (and scope) that may not
    overlap it (`ClientRecord.check_no_overlap`, the exclusion constraints)."""
    start, end = model.period_fields()
    scope = {name: OuterRef(name) for name in model.overlap_scope_attnames()}
    others = (
        model._default_manager.filter(client_id=OuterRef("client_id"), **scope)
        .filter(**{f"{start}__lte": Coalesce(OuterRef(end), Value(datetime.date.max))})
        .filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": OuterRef(start)}))
        .exclude(pk=OuterRef("pk"))
    )
    records = model._default_manager.all()
    if model.overlap_filter is not None:
        others = others.filter(model.overlap_filter)
        records = records.filter(model.overlap_filter)
    return records.filter(Exists(others))


def duplicated(model: Any, field: str) -> models.QuerySet:
    """Records sharing client and `field` with another record (a unique constraint)."""
    attname = model._meta.get_field(field).attname
    others = model._default_manager.filter(
        client_id=OuterRef("client_id"), **{attname: OuterRef(attname)}
    ).exclude(pk=OuterRef("pk"))
    return model._default_manager.filter(**{f"{attname}__isnull": False}).filter(Exists(others))


def _overlap_rule(code: str, label: Promise, model: Any) -> IntegrityRule:
    return IntegrityRule(code, label, model, lambda today: overlapping(model))


def _duplicate_rule(code: str, label: Promise, model: Any, field: str) -> IntegrityRule:
    return IntegrityRule(code, label, model, lambda today: duplicated(model, field))


def _future_rule(
    code: str, label: Promise, model: Any, field: str, client_path: str = "client"
) -> IntegrityRule:
    return IntegrityRule(
        code,
        label,
        model,
        lambda today: model._default_manager.filter(**{f"{field}__gt": today}),
        client_path,
    )


def _before_birth_rule(model: type[ClientRecord]) -> IntegrityRule:
    def breaking(today: datetime.date) -> models.QuerySet:
        condition = Q()
        for field in model.date_fields:
            condition |= Q(**{f"{field}__lt": F("client__birth_date")})
        return model._default_manager.filter(condition)

    label = format_lazy(
        _("{records} vóór de geboortedatum van de cliënt"),
        records=model._meta.verbose_name_plural,
    )
    return IntegrityRule(f"before_birth_{model._meta.model_name}", label, model, breaking)


RULES: list[IntegrityRule] = [
    _overlap_rule(
        "incomeright_overlap", _("Overlappende rechten op maatschappelijke integratie"), IncomeRight
    ),
    _overlap_rule(
        "article60_overlap", _("Overlappende tewerkstellingen artikel 60"), Article60Placement
    ),
    _overlap_rule("gpmi_overlap", _("Overlappende GPMI's"), Trajectory),
    _overlap_rule("vdab_overlap", _("Overlappende VDAB-inschrijvingen"), VdabRegistration),
    _overlap_rule(
        "referral_overlap", _("Overlappende toeleidingen naar hetzelfde programma"), Referral
    ),
    _duplicate_rule(
        "mmpp_same_day", _("Meer dan één MMPP-advies op één dag"), MmppScreening, "advised_on"
    ),
    _duplicate_rule(
        "employment_same_start",
        _("Meer dan één tewerkstelling die op dezelfde dag begint"),
        Employment,
        "start_date",
    ),
    _duplicate_rule(
        "referral_same_session",
        _("Meer dan één toeleiding naar dezelfde sessie"),
        Referral,
        "session",
    ),
    _future_rule(
        "evaluation_future",
        _("Evaluaties in de toekomst"),
        TrajectoryEvaluation,
        "date",
        "trajectory__client",
    ),
    _future_rule(
        "vdab_future", _("VDAB-inschrijvingen in de toekomst"), VdabRegistration, "registered_on"
    ),
    _future_rule("mmpp_future", _("MMPP-adviezen in de toekomst"), MmppScreening, "advised_on"),
    _future_rule("note_future", _("Notities in de toekomst"), ClientNote, "date"),
    *[
        _before_birth_rule(model)
        for model in (
            Assignment,
            IncomeRight,
            Trajectory,
            Exemption,
            ClientNote,
            Article60Placement,
            Referral,
            VdabRegistration,
            Employment,
            MmppScreening,
        )
    ],
]
