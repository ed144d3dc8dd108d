"""MMPP jobseekers not at work on 31 December, by category of their latest advice.

The stock on a day is defined once here (`stock_rows`, `in_stock_q`) and read by
`mmpp_stock`, `mmpp_stock_by_month` and `mmpp_flow`. Its conditions hold for a
person (`reporting.statistics.persons`): in a region, over the records of all of
that person's client records.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from casework.models import Client
from partners.models import Article60Placement, Employment, MmppScreening, VdabRegistration
from partners.querysets import not_lapsed_q
from reporting.statistics.params import ReportParameters
from reporting.statistics.persons import person_exists, person_key, person_subquery
from reporting.statistics.registry import statistic

CATEGORIES = ("1", "2", "3", "4", "5")


def latest_category(params: ReportParameters, day: datetime.date) -> Coalesce:
    """The category of the outer client's person's latest MMPP advice on or before `day`
    (`latest_first`), 0 when it has lapsed that day (`not_lapsed_q`) or there is none."""

    def current(advices: Any) -> Any:
        return (
            advices.latest_first()
            .annotate(
                current=Case(
                    When(not_lapsed_q(day), then=F("category")),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .values("current")[:1]
        )

    advices = MmppScreening.objects.filter(advised_on__lte=day)
    return Coalesce(person_subquery(params, advices, current, IntegerField()), Value(0))


def at_work_q(params: ReportParameters, day: datetime.date) -> Q:
    """The outer client's person has an employment or an article-60 placement running."""
    return person_exists(params, Employment.objects.active_on(day)) | person_exists(
        params, Article60Placement.objects.active_on(day)
    )


def registered_q(params: ReportParameters, day: datetime.date) -> Q:
    """The outer client's person has a VDAB registration (any category) running."""
    return person_exists(params, VdabRegistration.objects.active_on(day))


def in_stock_q(params: ReportParameters, day: datetime.date) -> Q:
    """The outer client's person is in the MMPP stock on `day`."""
    return (
        registered_q(params, day)
        & ~at_work_q(params, day)
        & Q(GreaterThan(latest_category(params, day), 0))
    )


def candidates(params: ReportParameters, day: datetime.date) -> QuerySet[Client]:
    """The client records of the report that can be in the stock on `day`: with an advice
    of their own on or before it (a person is in the stock through the record that holds
    their latest advice, so counting persons over these misses nobody)."""
    return Client.objects.filter(organisation_id__in=params.organisation_ids).filter(
        Exists(
            MmppScreening.objects.filter(
                organisation_id__in=params.organisation_ids,
                client=OuterRef("pk"),
                advised_on__lte=day,
            )
        )
    )


def stock_rows(params: ReportParameters, day: datetime.date, key: int) -> QuerySet[Any]:
    """Rows (key, latest_category, n) of the MMPP stock on `day`: persons per category of
    their latest advice (0: lapsed, left out by the caller).

    The category comes from one correlated subquery that the outer query refers to once
    (GROUP BY): PostgreSQL evaluates a subquery again for every place it appears in."""
    return (
        candidates(params, day)
        .filter(registered_q(params, day))
        .exclude(at_work_q(params, day))
        .annotate(latest_category=latest_category(params, day))
        .order_by()
        .values("latest_category")
        .annotate(
            n=Count(person_key(params, ""), distinct=True),
            key=Value(key, output_field=IntegerField()),
        )
        .values("key", "latest_category", "n")
    )


def stock_by_key(params: ReportParameters, days: dict[str, datetime.date]) -> dict[str, Any]:
    """The stock on each day of `days` (key -> day), with its split by category. One
    query: the stock of every day, UNION ALL."""
    result: dict[str, Any] = {
        key: {"total": 0, "by_category": dict.fromkeys(CATEGORIES, 0)} for key in days
    }
    if not days:
        return result
    keys = list(days)
    first, *others = (stock_rows(params, days[key], index) for index, key in enumerate(keys))
    for row in first.union(*others, all=True).order_by():
        if not row["latest_category"]:  # the latest advice lapsed
            continue
        entry = result[keys[row["key"]]]
        entry["by_category"][str(row["latest_category"])] += row["n"]
        entry["total"] += row["n"]
    return result


@statistic(
    "mmpp_stock",
    definition_nl="""
        Per jaar van de periode, op 31 december (enkel jaren waarvan 31 december op of vóór
        de opmaakdatum ligt): cliënten die die dag (a) een lopende VDAB-inschrijving hebben
        (elke categorie), (b) geen lopende tewerkstelling en geen lopende tewerkstelling
        artikel 60 hebben, en (c) van wie het laatste MMPP-screeningsadvies op of vóór die dag
        niet vervallen is (geen vervaldatum, of een vervaldatum na die dag; een advies dat op
        31 december vervalt, is vervallen). Een vervallen laatste advies telt niet, ook niet
        als een ouder advies nog loopt. Ook per categorie (1-5) van dat laatste advies (bij
        twee adviezen op dezelfde dag: dat met het hoogste id in de recordbundel, zodat een
        geëxporteerde en opnieuw geïmporteerde bundel hetzelfde cijfer geeft).
    """,
    definition_en="""
        Per year of the period, on 31 December (only years whose 31 December is on or before
        the as-of day): clients who that day (a) have a VDAB registration running (any
        category), (b) have no employment and no article 60 placement running, and (c) whose
        latest MMPP screening advice on or before that day has not lapsed (no lapse date, or
        one after that day; an advice lapsing on 31 December has lapsed). A lapsed latest
        advice does not count, even when an older advice is still current. Also per category
        (1-5) of that latest advice (two advices on one day: the one with the highest id in
        the record bundle, so that an exported and re-imported bundle gives the same figure).
    """,
    reads=(
        "partners.mmppscreening",
        "partners.vdabregistration",
        "partners.employment",
        "partners.article60placement",
    ),
)
def mmpp_stock(params: ReportParameters) -> dict[str, Any]:
    days = {
        span.key: datetime.date(span.year, 12, 31)
        for span in params.years
        if datetime.date(span.year, 12, 31) <= params.as_of
    }
    return stock_by_key(params, days)
