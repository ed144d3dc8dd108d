"""What is possible but probably mistyped: warned about, never refused.

A birth year 1895 or an end date ten years after the start of a 6-month DUO
for a JOB mentorship is almost surely a typo, but refusing it would be wrong
(a client may really be 101; a mentorship may really be extended). The form
asks to confirm, the admin warns after saving, and the data-quality page lists
the stored records concerned. Each rule is one predicate on a record (the one
definition), with a query narrowing the stored records it can concern. The
limits are the `TRAJECT` settings `PLAUSIBLE_MAX_AGE` and `PLAUSIBLE_MAX_DAYS`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import Client, age_on
from core.periods import day_text
from partners.models import Article60Placement, Referral


def _limit(name: str) -> Any:
    return settings.TRAJECT[name]


@dataclass(frozen=True)
class PlausibilityRule:
    code: str
    label: Promise
    model: type[models.Model]
    # The stored records it may concern (narrowed in the database) ...
    candidates: Callable[[datetime.date], models.QuerySet]
    # ... and, for one record, the warning (or None): the rule itself.
    warning: Callable[[Any, datetime.date], str | None]
    client_path: str = "client"


def _old_client(client: Client, today: datetime.date) -> str | None:
    if client.birth_date and age_on(client.birth_date, today) > _limit("PLAUSIBLE_MAX_AGE"):
        return _(
            "Volgens de geboortedatum (%(date)s) is deze cliënt ouder dan %(age)s jaar: "
            "is het geboortejaar juist?"
        ) % {"date": day_text(client.birth_date), "age": _limit("PLAUSIBLE_MAX_AGE")}
    return None


def _too_long(start: Any, end: Any, days: int | None, what: str) -> str | None:
    if days is None or not (start and end) or (end - start).days <= days:
        return None
    return _(
        "%(what)s duurt van %(start)s tot %(end)s, langer dan %(days)s dagen: is de "
        "einddatum juist?"
    ) % {"what": what, "start": day_text(start), "end": day_text(end), "days": days}


def _long_placement(placement: Article60Placement, today: datetime.date) -> str | None:
    end = placement.end_date or placement.planned_end_date
    days = _limit("PLAUSIBLE_MAX_DAYS").get("article60")
    return _too_long(placement.start_date, end, days, _("Deze tewerkstelling artikel 60"))


def _long_referral(referral: Referral, today: datetime.date) -> str | None:
    if not referral.programme_id:
        return None
    days = _limit("PLAUSIBLE_MAX_DAYS").get(referral.programme.code)
    what = _("Deze toeleiding naar %(programme)s") % {"programme": referral.programme}
    return _too_long(referral.start_date, referral.end_date, days, what)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


RULES: list[PlausibilityRule] = [
    PlausibilityRule(
        "old_client",
        gettext_lazy("Cliënten met een ongewoon oude geboortedatum"),
        Client,
        lambda today: Client.objects.filter(
            birth_date__lt=_years_before(today, _limit("PLAUSIBLE_MAX_AGE"))
        ),
        _old_client,
        client_path="pk",
    ),
    PlausibilityRule(
        "long_article60",
        gettext_lazy("Tewerkstellingen artikel 60 die ongewoon lang duren"),
        Article60Placement,
        lambda today: Article60Placement.objects.filter(
            Q(end_date__isnull=False) | Q(planned_end_date__isnull=False)
        ),
        _long_placement,
    ),
    PlausibilityRule(
        "long_referral",
        gettext_lazy("Toeleidingen die ongewoon lang duren voor hun programma"),
        Referral,
        lambda today: Referral.objects.filter(
            end_date__isnull=False, programme__code__in=list(_limit("PLAUSIBLE_MAX_DAYS"))
        ).select_related("programme"),
        _long_referral,
    ),
]


def record_warnings(record: models.Model, today: datetime.date) -> list[str]:
    """The warnings about one record (before it is saved, or after)."""
    return [
        message
        for rule in RULES
        if isinstance(record, rule.model) and (message := rule.warning(record, today))
    ]
