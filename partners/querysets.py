"""Reads of partner records in domain words (see `casework.querysets`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Self, cast

from django.db.models import OuterRef, Q, Subquery

from core.periods import PeriodQuerySet, code_point_order


class RegistrationQuerySet(PeriodQuerySet):
    start_field = "registered_on"
    end_field = "ended_on"


def not_lapsed_q(day: datetime.date, prefix: str = "") -> Q:
    """An MMPP advice has not lapsed on `day` when it has no lapse date or one after `day`:
    on its `ended_on` day it has lapsed (council-report.md, `mmpp_stock`)."""
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})


class ScreeningQuerySet(PeriodQuerySet):
    """MMPP screening advices. A client's *current* advice on a day is their latest advice
    on or before that day (`latest_first`) when it has not lapsed that day
    (`not_lapsed_q`); an older advice is replaced by it, never a second current one.
    The client file, the work queue and the MMPP statistics all use `current_on`."""

    start_field = "advised_on"
    end_field = "ended_on"

    def latest_first(self) -> Self:
        """The latest advice first: by advice date; of two advices on one day, the one
        with the highest external id (code-point order), so that the same records give
        the same latest advice after an export and import (which keeps ids, not the
        order in which records were made)."""
        return self.order_by("-advised_on", code_point_order("external_id").desc(), "-pk")

    def latest_on(self, day: datetime.date) -> Self:
        """Each client's latest advice on or before `day`, lapsed or not."""
        everything = cast(ScreeningQuerySet, self.model._default_manager.all())
        latest = (
            everything.filter(client=OuterRef("client_id"), advised_on__lte=day)
            .latest_first()
            .values("pk")[:1]
        )
        return self.filter(advised_on__lte=day, pk=Subquery(latest))

    def current_on(self, day: datetime.date) -> Self:
        """Each client's current advice on `day`: the latest on or before it, not lapsed."""
        return self.latest_on(day).filter(not_lapsed_q(day))


def replaced_by(advices: Iterable[Any]) -> dict[Any, Any]:
    """Of one client's advices, the newer advice that replaced each older one (by pk): the
    next one in `ScreeningQuerySet.latest_first` order, unless the older one had already
    lapsed on the newer one's day (then it lapsed, it was not replaced)."""
    ordered = sorted(advices, key=lambda a: (a.advised_on, a.external_id, a.pk))
    found = {}
    for older, newer in zip(ordered, ordered[1:], strict=False):
        if older.ended_on is None or older.ended_on > newer.advised_on:
            found[older.pk] = newer
    return found
