"""A person, not a client record: how a region's report counts people across OCMWs.

The same person can be a client of two OCMWs (after a move). Within one
organisation a client record is a person (the national number is unique there),
so an organisation's report counts client records. A region's report
(council-report.md, "Reports over a region") counts persons: client records with
the same national number are one person, a record without one is a person of its
own; and a condition on a person's records (a registration running, no work
running, the latest MMPP advice, an income spell, work after registration) is
read over the records of all of that person's client records in the region.

All are expressions: `person_key` is what is counted (distinct);
`person_exists` and `person_subquery` read, in a correlated subquery, the records
of the person of the outer client. For an organisation they are exactly the
client record (the same queries as before regions existed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

from casework.models import Client
from reporting.statistics.kept import QueryParameters
from reporting.statistics.params import ReportParameters


def _path(client: str, field: str) -> str:
    return f"{client}__{field}" if client else field


def person_key(params: QueryParameters, client: str = "client") -> Any:
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


def _own_and_namesakes(
    params: ReportParameters, records: QuerySet[Any], outer: str, client: str
) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """`records` of the outer client record itself, and `records` (in the report's
    organisations) of every client record with the outer client's national number.
    Two querysets, each with one indexed condition (an OR of both would not use them)."""
    outer_id = f"{outer}_id" if outer else "pk"
    client_id = f"{client}_id" if client else "pk"
    # The client record's own records are found by its id (the client indexes), which
    # reads no other organisation's records. With an organisation predicate beside it,
    # the golden test of the 2015 answer ran for more than 20 minutes on PostgreSQL
    # (probably the organisation index chosen per client in tables not yet analysed).
    own = records.filter(**{client_id: OuterRef(outer_id)})
    namesakes = records.filter(
        **{
            _path(client, "national_number"): OuterRef(_path(outer, "national_number")),
            # On the client's organisation: the planner then starts from the client's
            # national number (indexed), not from every record of the organisations.
            _path(client, "organisation_id__in"): params.organisation_ids,
        }
    )
    return own, namesakes


def person_exists(
    params: ReportParameters, records: QuerySet[Any], outer: str = "", client: str = "client"
) -> Q:
    """Inside a filter: one of `records` (reaching their Client by `client`; "" for clients
    themselves) belongs to the person of the outer row's client (reached by `outer`; ""
    when the outer rows are clients). In an organisation: to that client record; in a
    region: to any client record of the person in the region."""
    own, namesakes = _own_and_namesakes(params, records, outer, client)
    if not params.is_region:
        return Q(Exists(own))
    no_number = Q(**{_path(outer, "national_number"): ""})
    return (no_number & Q(Exists(own))) | (~no_number & Q(Exists(namesakes)))


def person_subquery(
    params: ReportParameters,
    records: QuerySet[Any],
    finish: Callable[[QuerySet[Any]], QuerySet[Any]],
    output_field: Any,
    outer: str = "",
    client: str = "client",
) -> Any:
    """A one-value subquery over the records of the person of the outer row's client (see
    `person_exists`): `finish` orders, picks the value and slices."""
    own, namesakes = _own_and_namesakes(params, records, outer, client)
    if not params.is_region:
        return Subquery(finish(own), output_field=output_field)
    return Case(
        When(
            **{_path(outer, "national_number"): ""},
            then=Subquery(finish(own), output_field=output_field),
        ),
        default=Subquery(finish(namesakes), output_field=output_field),
        output_field=output_field,
    )


def clients_sharing_a_national_number(params: ReportParameters) -> QuerySet[Client]:
    """The report's client records whose national number another client record of the
    report has too: the only ones whose person is more than their own record (a region
    only; in an organisation the national number is unique)."""
    clients = Client.objects.filter(organisation_id__in=params.organisation_ids)
    namesakes = clients.filter(national_number=OuterRef("national_number")).exclude(
        pk=OuterRef("pk")
    )
    return clients.exclude(national_number="").filter(Exists(namesakes))


def person_ids(numbered: Iterable[tuple[int, str]]) -> dict[int, int]:
    """Client record id -> the id that stands for its person, for the client records
    sharing a national number (`clients_sharing_a_national_number`, as (id, number)):
    the lowest id among those with the same number. Every other client record is a
    person of its own, standing for itself: read a person from a record's client id
    with `ids.get(client_id, client_id)`, in Python, without a join to the clients."""
    lowest: dict[str, int] = {}
    pairs = list(numbered)
    for pk, number in pairs:
        if number not in lowest or pk < lowest[number]:
            lowest[number] = pk
    return {pk: lowest[number] for pk, number in pairs}


def region_person_ids(params: ReportParameters) -> dict[int, int]:
    """`person_ids` of the region's client records that share a national number, read
    once for the parameters object (`ReportParameters.memo`): the statistics of one
    report that need it share one query."""
    if "person_ids" not in params.memo:
        shared = clients_sharing_a_national_number(params)
        params.memo["person_ids"] = person_ids(shared.values_list("pk", "national_number"))
    ids: dict[int, int] = params.memo["person_ids"]
    return ids
