"""Building blocks shared by several statistics.

Everything here builds database expressions or querysets; nothing loops over
records in Python. "Overlapping a month" is `casework.querysets.overlap_q` /
`PeriodQuerySet.overlapping`, as known on as_of: a record that starts after the
as-of day is not yet known, so it does not count (`ReportParameters.known`), and an
end dated after the as-of day is not yet known either, so the record runs on
(`ReportParameters.running_from`, `known_end`).
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import LessThan, LessThanOrEqual

from core.periods import overlap_q
from core.rounding import percent
from partners.models import Article60Placement, Employment, VdabRegistration
from reporting.statistics.kept import DateValue, KeptParameters, QueryParameters, kept_rows
from reporting.statistics.params import Month, ReportParameters
from reporting.statistics.persons import person_key, region_person_ids

GENDERS = ("m", "f", "x")
AGE_BANDS = ("under_25", "25_to_49", "50_plus")


def known_overlap_q(
    params: QueryParameters,
    first: DateValue,
    last: DateValue,
    start: str = "start_date",
    end: str = "end_date",
    prefix: str = "",
) -> Q:
    """Records overlapping [first, last] as known on as_of (see the module docstring): not
    starting after as_of, and not ended before `first` by an end dated on or before as_of
    (`ReportParameters.running_from`). With `KeptParameters`, dates are placeholders."""
    return overlap_q(params.running_from(first), params.known(last), start, end, prefix)


def known_end(params: QueryParameters, end: str = "end_date") -> Any:
    """The end date field `end` as known on as_of: empty (still running) when it is dated
    after as_of (`ReportParameters.running_from`)."""
    return Case(
        When(**{f"{end}__lte": params.as_of}, then=F(end)),
        default=Value(None),
        output_field=DateField(),
    )


def month_alias(month: Month) -> str:
    """A column alias for a month in a conditional aggregate."""
    return f"m{month.year:04d}_{month.month:02d}"


class DateParts(Func):
    """A function of one date whose templates name the date more than once: the date's
    parameters (an expression of the as-of day, say) are passed once per place."""

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        template = extra_context.pop("template", None) or self.template
        sql, params = super().as_sql(compiler, connection, template=template, **extra_context)
        return sql, tuple(params) * template.count("%(expressions)s")


class DateNumber(DateParts):
    """A date as the integer YYYYMMDD (31/01/2025 -> 20250131).

    The difference of two such numbers, divided by 10,000 (whole division), is
    the age in whole years: one year more on the birthday itself, and someone
    born on 29 February turns a year older on 1 March in other years, exactly
    like `casework.models.age_on`. Dividing by 100 gives the month as YYYYMM.
    SQLite keeps a date as text 'YYYY-MM-DD'; other databases extract the parts.
    """

    output_field = IntegerField()
    arity = 1
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 10000"
        " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER) * 100"
        " + CAST(EXTRACT(DAY FROM %(expressions)s) AS INTEGER))"
    )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)",
            **extra_context,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # date_part (double precision) is about twice as fast as EXTRACT (numeric).
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(date_part('year', %(expressions)s)::integer * 10000"
                " + date_part('month', %(expressions)s)::integer * 100"
                " + date_part('day', %(expressions)s)::integer)"
            ),
            **extra_context,
        )


class MonthIndex(DateParts):
    """The month of a date as `Month.index` (year * 12 + month - 1): consecutive months
    are consecutive integers. Two date parts, where YYYYMM from `DateNumber` needs
    three and a division to reach the same."""

    output_field = IntegerField()
    arity = 1
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 12"
        " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER) - 1)"
    )

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12"
                " + CAST(substr(%(expressions)s, 6, 2) AS INTEGER) - 1)"
            ),
            **extra_context,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(date_part('year', %(expressions)s)::integer * 12"
                " + date_part('month', %(expressions)s)::integer - 1)"
            ),
            **extra_context,
        )


def age_expression(birth: str, day: str) -> Any:
    """Age in whole years of `birth` on `day` (see DateNumber)."""
    return (DateNumber(day) - DateNumber(birth)) / Value(10000)


def age_band_expression(birth: str, day: str) -> Case:
    """`under_25` (< 25), `25_to_49` (25 up to 49) or `50_plus` on `day`."""
    age = age_expression(birth, day)
    return Case(
        When(LessThan(age, 25), then=Value("under_25")),
        When(LessThan(age, 50), then=Value("25_to_49")),
        default=Value("50_plus"),
    )


def month_number(day: str) -> Any:
    """The month of a date field as the integer YYYYMM."""
    return DateNumber(day) / Value(100)


# A month index (`MonthIndex`) after every real month: the end of a record that has not
# ended (December 9999).
OPEN_END = 9999 * 12 + 11  # Month.index of 9999-12 (Month refuses such a year)


def with_new_months(params: QueryParameters, records: QuerySet[Any]) -> QuerySet[Any]:
    """`records` (with start_date and end_date) annotated with the months (`MonthIndex`)
    each adds to the months its person already had covered: `new_from` up to `new_to`.

    Taken in order of start, a record adds the months from its start, or from the month
    after the latest end of the person's earlier records if that is later, up to its
    end: the record that ends latest among the earlier ones started no later than this
    one, so it covers every month in between. The months added are disjoint per person
    and together exactly the months the person has a record in, so counting the
    records that add a month counts distinct persons without a `COUNT(DISTINCT ...)`
    (one sort per month): `persons_by_month`. Records starting after as_of must be
    filtered out by the caller (they are not yet known)."""
    end = Coalesce(MonthIndex(known_end(params)), Value(OPEN_END))
    return records.alias(
        covered_before=Window(
            Max(end),
            partition_by=[person_key(params)],
            order_by=[F("start_date").asc(), F("pk").asc()],
            frame=RowRange(start=None, end=-1),
        ),
    ).annotate(
        new_to=end,
        new_from=Greatest(
            MonthIndex("start_date"),
            Coalesce(F("covered_before") + Value(1), Value(0)),
        ),
    )


def new_months(params: QueryParameters, records: QuerySet[Any]) -> QuerySet[Any]:
    """The first and last month each of `records` adds (`with_new_months`), as rows."""
    return with_new_months(params, records).order_by().values_list("new_from", "new_to")


def persons_by_month(rows: Iterable[tuple[int, int]], months: Iterable[Month]) -> dict[Month, int]:
    """Per month of `months`: the distinct persons with a record in that month, from the
    `rows` of `new_months` (of the records).

    The database merges each person's records (`with_new_months`) and returns one row
    per record (its first and last month added); this tallies them: a person is counted
    in month m when a row has first <= m <= last, i.e. the rows that start on or before
    m minus those that ended before m (rows are disjoint per person). Django cannot group
    by a window function's result, and 120 filtered counts over the windowed subquery
    cost more to build than to run, hence the tally here over the rows' bounds (two
    integers per record). The rows that add no month are left out here too: a filter on
    the window makes Django wrap the query in another and compile it twice."""
    bounds = [(first, last) for first, last in rows if first <= last]
    starts = sorted(first for first, _last in bounds)
    ends = sorted(last for _first, last in bounds)
    result = {}
    for month in months:
        result[month] = bisect_right(starts, month.index) - bisect_left(ends, month.index)
    return result


def plain_rows(
    rows: QuerySet[Any], chunk: int = 10_000, *, stream: bool = True
) -> Iterator[tuple[Any, ...]]:
    """The rows of `rows` (a values_list of plain values: integers, text) as the database
    driver gives them, `chunk` at a time (a server-side cursor on PostgreSQL), without
    Django's converters per value: a tenth of a second per 100,000 rows of expressions
    (docs/benchmarks.md, "Regions at Flemish scale"). `stream=False` for rows the caller
    keeps anyway: one round trip instead of a server-side cursor's three or more."""
    sql, values = rows.query.sql_with_params()
    connection = connections[rows.db]
    # Behind PgBouncer in transaction mode no server-side cursor (README, "Scaling").
    chunked = stream and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if chunked else connection.cursor() as cursor:
        cursor.execute(sql, values)
        while block := cursor.fetchmany(chunk):
            yield from block


def month_of_number(number: int) -> Month:
    return Month(number // 100, number % 100)


def empty_inflow() -> dict[str, Any]:
    month: dict[str, Any] = {gender: dict.fromkeys((*AGE_BANDS, "total"), 0) for gender in GENDERS}
    month["total"] = 0
    return month


def inflow_by_month(
    params: ReportParameters, registrations: QuerySet[VdabRegistration]
) -> dict[str, Any]:
    """Registrations by month of `registered_on`, gender and age band on `registered_on`.

    Every month of the period is present. One query.
    """
    result = {str(month): empty_inflow() for month in params.months}
    rows = (
        registrations.filter(
            registered_on__range=(params.first_day, params.known(params.last_day)),
            # The join to the clients reads only the report's organisations (without it,
            # PostgreSQL hashes the registrations and scans every organisation's clients).
            client__organisation_id__in=params.organisation_ids,
        )
        .annotate(
            month=month_number("registered_on"),
            gender=F("client__gender"),
            band=age_band_expression("client__birth_date", "registered_on"),
        )
        .order_by()
        .values("month", "gender", "band")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        month = result[str(month_of_number(row["month"]))]
        # A gender outside m/f/x cannot be stored (choices); count it in the total anyway.
        gender = month.setdefault(row["gender"], dict.fromkeys((*AGE_BANDS, "total"), 0))
        gender[row["band"]] += row["n"]
        gender["total"] += row["n"]
        month["total"] += row["n"]
    return result


def inflow_totals_by_organisation(
    params: ReportParameters, registrations: QuerySet[VdabRegistration]
) -> dict[int, int]:
    """Per organisation of the report (id) with any: the sum of `inflow_by_month`'s totals
    over the period as in its own report (its registrations of its own clients). One
    query."""
    rows = (
        registrations.filter(
            registered_on__range=(params.first_day, params.known(params.last_day)),
            client__organisation_id=F("organisation_id"),
        )
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
    )
    return {row["organisation_id"]: row["n"] for row in rows}


def window_end(month: Month) -> datetime.date:
    """The last day of the 12th month after `month` (2012-01 -> 2013-01-31)."""
    return month.plus(12).last


def closed_months(params: ReportParameters) -> list[Month]:
    """The months of the period whose 12-month window has closed on or before as_of."""
    return [month for month in params.months if window_end(month) <= params.as_of]


def followed_by_work(
    params: QueryParameters,
    registrations: QuerySet[VdabRegistration],
    starts: tuple[DateValue, DateValue],
) -> Q:
    """In an organisation: the registrations (of `registrations`) followed by work, an
    employment or article-60 placement of the registration's client starting on or
    after `registered_on` and on or before the last day of the 12th month after the
    registration's month (`window_end`: a start whose `MonthIndex` is at most the
    registration's plus 12). One uncorrelated subquery per kind of work that the
    database evaluates once (a hash semi-join) instead of a lookup per registration;
    both sides carry the organisation's predicate, and the work only the starts within
    `starts` (the first registration day up to the last window's end: one year's work,
    not every year's, in the hash). A region reads the same over persons in
    `_region_outflow`."""
    followed = Q()
    for path in ("client__employments", "client__article60_placements"):
        # One filter() call: its conditions share the one join to the work records.
        work = registrations.filter(
            LessThanOrEqual(
                MonthIndex(f"{path}__start_date"), MonthIndex("registered_on") + Value(12)
            ),
            **{
                f"{path}__organisation_id__in": params.organisation_ids,
                f"{path}__start_date__range": starts,
                f"{path}__start_date__gte": F("registered_on"),
            },
        )
        followed |= Q(pk__in=work.values("pk"))
    return followed


Registrations = Callable[[QueryParameters], QuerySet[VdabRegistration]]


def outflow_by_month(
    params: ReportParameters, registrations: Registrations, count_key: str
) -> dict[str, Any]:
    """For every month M whose window has closed: the registrations of M (`count_key`), how
    many were followed by work within the window, and the percent. `registrations` gives
    the registrations counted (of the report's organisations: `ocmw_registrations`). One
    query, kept (`kept_rows`) in an organisation's report."""
    months = closed_months(params)
    if not months:
        return {}
    result: dict[str, Any] = {
        str(month): {count_key: 0, "to_work": 0, "percent": None} for month in months
    }
    if params.is_region:
        in_months = registrations(params).filter(
            registered_on__range=(months[0].first, months[-1].last)
        )
        for month, (registered, to_work) in _region_outflow(params, in_months).items():
            entry = result[str(month)]
            entry[count_key] = registered
            entry["to_work"] = to_work
            entry["percent"] = percent(to_work, registered)
        return result

    def by_month(kept: KeptParameters) -> QuerySet[Any]:
        first = kept.value(lambda p: closed_months(p)[0].first)
        in_months = registrations(kept).filter(
            registered_on__range=(first, kept.value(lambda p: closed_months(p)[-1].last))
        )
        starts = (first, kept.value(lambda p: window_end(closed_months(p)[-1])))
        return (
            in_months.annotate(month=MonthIndex("registered_on"))
            .order_by()
            .values("month")
            .annotate(
                registrations=Count("pk"),
                to_work=Count("pk", filter=followed_by_work(kept, in_months, starts)),
            )
            .values_list("month", "registrations", "to_work")
        )

    name = f"outflow_by_month:{registrations.__module__}.{registrations.__qualname__}"
    rows = kept_rows(params, name, VdabRegistration, by_month)
    for index, registered, to_work in rows:
        entry = result[str(Month.of_index(index))]
        entry[count_key] = registered
        entry["to_work"] = to_work
    for entry in result.values():
        entry["percent"] = percent(entry["to_work"], entry[count_key])
    return result


def _region_outflow(
    params: ReportParameters, registrations: QuerySet[VdabRegistration]
) -> dict[Month, tuple[int, int]]:
    """In a region, per month of `registered_on`: `registrations` and how many of them were
    followed by work (`followed_by_work`: an employment or article-60 placement of any
    client record of the same person starting from the registration day up to the window
    end). Three queries, each filtered on the region's organisations and without a join
    to the clients: the client records sharing a national number (`person_ids`), the
    work that starts in the registrations' windows, the registrations; per person the
    sorted start days of their work, and per registration a binary search in them."""
    ids = region_person_ids(params)
    bounds = (params.first_day, window_end(params.period_to))
    starts: dict[int, list[datetime.date]] = {}
    work = (
        Employment.objects.filter(
            organisation_id__in=params.organisation_ids, start_date__range=bounds
        )
        .order_by()
        .values_list("client_id", "start_date")
        .union(
            Article60Placement.objects.filter(
                organisation_id__in=params.organisation_ids, start_date__range=bounds
            )
            .order_by()
            .values_list("client_id", "start_date"),
            all=True,
        )
        .order_by()
    )
    for client, start in work.iterator(chunk_size=10_000):
        starts.setdefault(ids.get(client, client), []).append(start)
    for days in starts.values():
        days.sort()
    counts: dict[Month, list[int]] = {}
    nothing: list[datetime.date] = []
    rows = registrations.order_by().values_list("client_id", "registered_on")
    ends: dict[Month, datetime.date] = {}
    for client, registered_on in rows.iterator(chunk_size=10_000):
        month = Month.of(registered_on)
        tally = counts.setdefault(month, [0, 0])
        tally[0] += 1
        days = starts.get(ids.get(client, client), nothing)
        index = bisect_left(days, registered_on)
        if index < len(days):
            end = ends.get(month) or ends.setdefault(month, window_end(month))
            if days[index] <= end:
                tally[1] += 1
    return {month: (tally[0], tally[1]) for month, tally in counts.items()}


def ocmw_registrations(params: QueryParameters) -> QuerySet[VdabRegistration]:
    return VdabRegistration.objects.filter(
        organisation_id__in=params.organisation_ids, category="ocmw"
    )


__all__ = [
    "AGE_BANDS",
    "GENDERS",
    "age_band_expression",
    "age_expression",
    "closed_months",
    "empty_inflow",
    "followed_by_work",
    "inflow_by_month",
    "known_overlap_q",
    "MonthIndex",
    "month_alias",
    "outflow_by_month",
    "window_end",
]
