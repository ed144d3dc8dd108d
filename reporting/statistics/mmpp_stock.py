"""MMPP jobseekers not at work on 31 December, by category of their latest advice."""

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
    QuerySet,
    Subquery,
    Value,
    When,
)

from casework.models import Client
from partners.models import Article60Placement, Employment, MmppScreening, VdabRegistration
from partners.querysets import not_lapsed_q
from reporting.statistics.params import ReportParameters
from reporting.statistics.registry import statistic

CATEGORIES = ("1", "2", "3", "4", "5")


def stock_on(params: ReportParameters, day: datetime.date) -> QuerySet[Any]:
    """Rows (year, category, n) of the MMPP stock on `day`; category 0: the latest advice
    has lapsed, None: no advice (both left out by the caller).

    The category and the lapse of the latest advice come from one correlated subquery
    that the outer query refers to once (GROUP BY): PostgreSQL evaluates a subquery again
    for every place it appears in."""
    latest = (
        MmppScreening.objects.filter(client=OuterRef("pk"), advised_on__lte=day)
        .latest_first()
        .annotate(
            current=Case(
                When(not_lapsed_q(day), then=F("category")),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("current")[:1]
    )
    return (
        Client.objects.filter(organisation=params.organisation)
        .filter(Exists(MmppScreening.objects.filter(client=OuterRef("pk"), advised_on__lte=day)))
        .filter(Exists(VdabRegistration.objects.filter(client=OuterRef("pk")).active_on(day)))
        .filter(~Exists(Employment.objects.filter(client=OuterRef("pk")).active_on(day)))
        .filter(~Exists(Article60Placement.objects.filter(client=OuterRef("pk")).active_on(day)))
        .annotate(latest_category=Subquery(latest, output_field=IntegerField()))
        .order_by()
        .values("latest_category")
        .annotate(n=Count("pk"), year=Value(day.year, output_field=IntegerField()))
        .values("year", "latest_category", "n")
    )


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
    days = [
        datetime.date(span.year, 12, 31)
        for span in params.years
        if datetime.date(span.year, 12, 31) <= params.as_of
    ]
    result: dict[str, Any] = {
        str(day.year): {"total": 0, "by_category": dict.fromkeys(CATEGORIES, 0)} for day in days
    }
    if not days:
        return result
    # One query: the stock of every year, UNION ALL.
    first, *others = (stock_on(params, day) for day in days)
    query = first.union(*others, all=True).order_by()
    for row in query:
        if not row["latest_category"]:  # no advice, or the latest one lapsed
            continue
        entry = result[str(row["year"])]
        entry["by_category"][str(row["latest_category"])] += row["n"]
        entry["total"] += row["n"]
    return result
