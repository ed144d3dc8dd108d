"""How long the leefloon clients of the reference month have been in income support.

How the spell is found, in SQL that runs the same on SQLite and PostgreSQL:

A right *starts a spell* when no earlier right of the same client (of either
kind) reaches to within 30 days of its start, i.e. there is no right with an
earlier start that is still running or whose `end_date + 30 days` is on or
after this right's start (a NOT EXISTS anti-join). Rights of one client do not
overlap (the model refuses it, and on PostgreSQL an exclusion constraint), so
"the previous right" is the earlier right that ended last, and this is exactly
"a right that starts at most 30 days after the previous one ended continues the
spell": ended 31/03, next starts 30/04 (30 days later) continues; starts 01/05
(31 days later) breaks. The client's current spell starts at the latest
spell-starting right on or before the last day of the reference month; its
bucket is computed in the same subquery and the clients are counted per bucket
(GROUP BY): one query, four rows back.

Why not window functions (LAG over the rights of a client)? Django cannot
aggregate over a filtered window expression without raw SQL, and the date
arithmetic of raw SQL differs between the two databases; the anti-join keeps
one definition, uses the (client, start_date) index, and is one query whose
cost grows with the number of rights of the counted clients, not with a Python
loop.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast

from casework.models import IncomeKind, IncomeRight
from core.rounding import percent
from reporting.statistics.income_support import clients_in_reference_month
from reporting.statistics.params import ReportParameters, minus_years
from reporting.statistics.persons import person_exists, person_key, person_subquery
from reporting.statistics.registry import statistic

# A right starting at most this many days after the previous one ended continues the spell.
CONTINUATION_DAYS = 30
BUCKETS = ("up_to_1y", "1y_to_2y", "2y_to_4y", "over_4y")


def bucket_subquery(params: ReportParameters, last_day: datetime.date, until: datetime.date) -> Any:
    """The duration bucket (an index into BUCKETS) on `last_day` of the uninterrupted spell of
    income support of the client `OuterRef("pk")`; rights starting after `until` are ignored.
    In a region the spell is the person's: built from the rights of all of that person's
    client records in the region (`person_exists`, `person_subquery`).

    The bucket is computed inside the subquery, so that the outer query refers to it once
    (PostgreSQL evaluates a correlated subquery again for every place it appears in)."""
    one, two, four = (minus_years(last_day, years) for years in (1, 2, 4))
    continued_from = (
        IncomeRight.objects.filter(start_date__lt=OuterRef("start_date"))
        .annotate(
            reach=Cast(
                F("end_date") + datetime.timedelta(days=CONTINUATION_DAYS),
                output_field=DateField(),
            )
        )
        .filter(Q(end_date__isnull=True) | Q(reach__gte=OuterRef("start_date")))
    )
    starts = IncomeRight.objects.filter(start_date__lte=until).exclude(
        person_exists(params, continued_from, outer="client")
    )

    def bucket(rights: Any) -> Any:
        return (
            rights.order_by("-start_date")
            .annotate(
                bucket=Case(
                    When(start_date__gte=one, then=Value(0)),
                    When(start_date__gte=two, then=Value(1)),
                    When(start_date__gte=four, then=Value(2)),
                    default=Value(3),
                    output_field=IntegerField(),
                )
            )
            .values("bucket")[:1]
        )

    return person_subquery(params, starts, bucket, IntegerField())


@statistic(
    "leefloon_duration",
    definition_nl="""
        Voor de cliënten die in de referentiemaand meetellen als leefloongerechtigde: hoe lang
        ze op de laatste dag van die maand zonder onderbreking inkomenssteun krijgen van deze
        organisatie. De ononderbroken periode bestaat uit de rechten van beide soorten
        (leefloon en equivalent leefloon): een recht dat ten laatste 30 dagen na het einde van
        het vorige begint, zet de periode voort (einde 31/03, volgende begin 30/04 = 30 dagen:
        voortgezet; 01/05 = 31 dagen: onderbroken). De duur loopt van het eerste begin van die
        periode tot de laatste dag van de referentiemaand. Klassen: tot 1 jaar (begin op of na
        die dag min 1 jaar), 1 tot 2 jaar (op of na min 2 jaar), 2 tot 4 jaar (op of na min 4
        jaar), meer dan 4 jaar. Percent van het totaal, afgerond (half naar boven). Rechten die
        na de opmaakdatum beginnen, tellen niet mee.
    """,
    definition_en="""
        For the clients counted as leefloon recipients in the reference month: how long they
        have been in income support with this organisation without interruption on the last day
        of that month. The uninterrupted spell is built from rights of either kind (leefloon
        and equivalent): a right starting at most 30 days after the previous one ended
        continues the spell (end 31/03, next start 30/04 = 30 days: continued; 01/05 = 31 days:
        broken). Duration runs from the spell's first start to the last day of the reference
        month. Buckets: up to 1 year (started on or after that day minus 1 year), 1 to 2 years
        (on or after minus 2 years), 2 to 4 years (on or after minus 4 years), over 4 years.
        Percent of the total, rounded half up. Rights starting after the as-of day do not
        count.
    """,
    reads=("casework.incomeright",),
)
def leefloon_duration(params: ReportParameters) -> dict[str, Any]:
    last_day = params.reference_month.last
    clients = clients_in_reference_month(params, IncomeKind.LEEFLOON.value)
    rows = (
        clients.annotate(bucket=bucket_subquery(params, last_day, params.known(last_day)))
        .order_by()
        .values("bucket")
        .annotate(n=Count(person_key(params, ""), distinct=True))
    )
    counts = dict.fromkeys(BUCKETS, 0)
    for row in rows:  # at most one row per bucket
        if row["bucket"] is not None:  # (every counted client has a spell)
            counts[BUCKETS[row["bucket"]]] += row["n"]
    total = sum(counts.values())
    return {
        "counts": counts,
        "percent": {bucket: percent(counts[bucket], total) for bucket in BUCKETS},
    }
