"""A person, not a client record: how a region's report counts people across OCMWs.

The same person can be a client of two OCMWs (after a move). Within one
organisation a client record is a person (the national number is unique there),
so an organisation's report counts client records. A region's report
(council-report.md, "Reports over a region") counts persons: client records with
the same national number are one person, a record without one is a person of its
own; and a condition on a person's records (a registration running, no work
running, the latest MMPP advice, an income spell, work after registration) is
read over the records of all of that person's client records in the region.

Both are expressions: `person_key` is what is counted (distinct), `same_person`
selects, inside a correlated subquery, the records of the person of the outer
client. For an organisation they are exactly the client record (the same
queries as before regions existed).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat

from reporting.statistics.params import ReportParameters


def _path(client: str, field: str) -> str:
    return f"{client}__{field}" if client else field


def person_key(params: ReportParameters, client: str = "client") -> Any:
    """What identifies the person of the counted row's client (`client`: the path from the
    counted model to its Client, "" when counting clients): the client's id in an
    organisation's report; in a region's, the national number, or `#<id>` without one."""
    client_id = f"{client}_id" if client else "pk"
    if not params.is_region:
        return F(client_id)
    national_number = _path(client, "national_number")
    return Case(
        When(
            **{national_number: ""},
            then=Concat(Value("#"), Cast(client_id, output_field=CharField())),
        ),
        default=F(national_number),
        output_field=CharField(),
    )


def same_person(
    params: ReportParameters, outer: str = "", client: str = "client", scoped: bool = True
) -> Q:
    """Inside a subquery: records (reaching their Client by `client`; "" for clients
    themselves) of the person of the outer query's client (reached by `outer` from the
    outer row; "" when the outer rows are clients). In a region, of any of that person's
    client records in the region's organisations (`scoped`: filter on them here)."""
    outer_id = OuterRef(f"{outer}_id" if outer else "pk")
    own = Q(**{f"{client}_id" if client else "pk": outer_id})
    if not params.is_region:
        return own
    national_number = _path(client, "national_number")
    same = Q(**{national_number: OuterRef(_path(outer, "national_number"))}) & ~Q(
        **{national_number: ""}
    )
    scope = Q(organisation_id__in=params.organisation_ids) if scoped else Q()
    return scope & (own | same)
