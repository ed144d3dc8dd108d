"""Hand-written PostgreSQL for the slowest statistics: the yardstick of their speed.

Each function computes, for one organisation, the same figures as the registered
statistic of the same name (`bench_council_report.py --statistics` asserts that they
are equal) with the fastest SQL we could write for it: months as integer indexes
(year * 12 + month - 1) expanded with `generate_series`, `DISTINCT` and `INTERSECT`
instead of a `COUNT(DISTINCT ...) FILTER` per month, hash joins instead of
correlated `EXISTS`. They are PostgreSQL only and not part of the application: the
statistics themselves must stay portable (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime
from typing import Any

from reporting.statistics.activation_registered import HOUSEHOLDS
from reporting.statistics.common import closed_months, empty_inflow, window_end
from reporting.statistics.params import ReportParameters


# The month index of a date column (PostgreSQL).
def _mi(column: str) -> str:
    return f"(date_part('year', {column})::int * 12 + date_part('month', {column})::int - 1)"


def _period(params: ReportParameters) -> dict[str, Any]:
    return {
        "organisation": params.organisation_ids[0],
        "first_index": params.period_from.index,
        "last_index": params.period_to.index,
        "first_day": params.first_day,
        "known_last": params.known(params.last_day),
    }


def article60(cursor: Any, params: ReportParameters) -> dict[str, Any]:
    values = _period(params)
    reference = params.reference_month
    # Each placement adds the months from its start (or after the latest end of the
    # client's earlier placements) to its end: disjoint per client; +1/-1 and a running sum.
    cursor.execute(
        f"""
        WITH added AS (
            SELECT GREATEST({_mi("start_date")},
                            COALESCE(max(COALESCE({_mi("end_date")}, 999999)) OVER (
                                PARTITION BY client_id ORDER BY start_date, id
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1, 0))
                       AS first,
                   COALESCE({_mi("end_date")}, 999999) AS last
            FROM partners_article60placement
            WHERE organisation_id = %(organisation)s AND start_date <= %(known_last)s
              AND (end_date IS NULL OR end_date >= %(first_day)s)
        ),
        events AS (
            SELECT GREATEST(first, %(first_index)s) AS m, 1 AS delta FROM added
            WHERE first <= last AND first <= %(last_index)s
            UNION ALL
            SELECT last + 1, -1 FROM added WHERE first <= last AND last < %(last_index)s
        )
        SELECT m, sum(sum(delta)) OVER (ORDER BY m) FROM events GROUP BY m
        """,
        values,
    )
    running = cursor.fetchall()
    by_index: dict[int, int] = {}
    for index in range(params.period_from.index, params.period_to.index + 1):
        before = [n for m, n in running if m <= index]
        by_index[index] = int(before[-1]) if before else 0
    employed = {str(month): by_index.get(month.index, 0) for month in params.months}
    cursor.execute(
        """
        SELECT count(DISTINCT client_id) FROM partners_article60placement
        WHERE organisation_id = %(organisation)s AND start_date <= %(ref_known)s
          AND (end_date IS NULL OR end_date >= %(ref_first)s)
        """,
        {**values, "ref_known": params.known(reference.last), "ref_first": reference.first},
    )
    (reference_count,) = cursor.fetchone()
    cursor.execute(
        """
        SELECT date_part('year', end_date)::int, count(*),
               count(*) FILTER (WHERE outcome IN ('work', 'work_linked_training'))
        FROM partners_article60placement
        WHERE organisation_id = %(organisation)s AND start_date <= %(as_of)s
          AND end_date BETWEEN %(years_first)s AND %(years_known)s
        GROUP BY 1
        """,
        {
            **values,
            "years_first": params.calendar_years[0].first,
            "years_known": params.known(params.calendar_years[-1].last),
            "as_of": params.as_of,
        },
    )
    ended = {year: (n_ended, n_to_work) for year, n_ended, n_to_work in cursor.fetchall()}
    return {
        "employed_by_month": employed,
        "employed_in_reference_month": reference_count,
        "flow_through_by_year": {
            span.key: ended.get(span.year, (0, 0)) for span in params.calendar_years
        },
    }


def _clipped(table: str, start: str, end: str, where: str = "") -> str:
    """(client_id, lo, hi) of each record of `table` overlapping the period: the month
    indexes (from the period's first, 0) it covers, [lo, hi), clipped to the period."""
    return f"""
        SELECT client_id,
               GREATEST({_mi(start)} - %(first_index)s, 0) AS lo,
               LEAST(COALESCE({_mi(end)} + 1, %(end_index)s), %(end_index)s) - %(first_index)s
                   AS hi
        FROM {table}
        WHERE organisation_id = %(organisation)s AND {start} <= %(known_last)s
          AND ({end} IS NULL OR {end} >= %(first_day)s) {where}
    """


def activation_registered(cursor: Any, params: ReportParameters) -> dict[str, Any]:
    # Per client, the months covered by a trajectory, an income right and a registration
    # together are the pieces where one of each overlaps (a join per client on the
    # intervals); the pieces merged per client (each adds the months after the latest end
    # of the client's earlier pieces), then +1/-1 per household and a running sum.
    cursor.execute(
        f"""
        WITH t AS ({
            _clipped(
                "casework_trajectory",
                "start_date",
                "end_date",
                "AND kind IN ('gpmi', 'activation')",
            )
        }),
        i AS ({_clipped("casework_incomeright", "start_date", "end_date")}),
        r AS ({_clipped("partners_vdabregistration", "registered_on", "ended_on")}),
        pieces AS (
            SELECT t.client_id, GREATEST(t.lo, i.lo, r.lo) AS lo, LEAST(t.hi, i.hi, r.hi) AS hi
            FROM t JOIN i ON i.client_id = t.client_id JOIN r ON r.client_id = t.client_id
            WHERE GREATEST(t.lo, i.lo, r.lo) < LEAST(t.hi, i.hi, r.hi)
        ),
        added AS (
            SELECT client_id, hi,
                   GREATEST(lo, COALESCE(max(hi) OVER (
                       PARTITION BY client_id ORDER BY lo, hi
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)) AS lo
            FROM pieces
        ),
        events AS (
            SELECT client_id, lo AS m, 1 AS delta FROM added WHERE lo < hi
            UNION ALL
            SELECT client_id, hi, -1 FROM added WHERE lo < hi
        )
        SELECT COALESCE(NULLIF(c.household, ''), 'unknown'), e.m, sum(e.delta)
        FROM events e JOIN casework_client c ON c.id = e.client_id
        GROUP BY 1, 2
        """,
        {**_period(params), "end_index": params.period_to.index + 1},
    )
    months = [str(month) for month in params.months]
    changes: dict[str, dict[int, int]] = {}
    for household, index, delta in cursor.fetchall():
        name = household if household in HOUSEHOLDS else "unknown"
        by_month = changes.setdefault(name, {})
        by_month[index] = by_month.get(index, 0) + int(delta)
    result: dict[str, Any] = {month: dict.fromkeys((*HOUSEHOLDS, "total"), 0) for month in months}
    for household, by_month in changes.items():
        running = 0
        for index, month in enumerate(months):
            running += by_month.get(index, 0)
            result[month][household] += running
            result[month]["total"] += running
    return result


def vdab_outflow_12m(cursor: Any, params: ReportParameters) -> dict[str, Any]:
    months = closed_months(params)
    if not months:
        return {}
    cursor.execute(
        """
        WITH r AS (
            SELECT id, client_id, registered_on, to_char(registered_on, 'YYYY-MM') AS month,
                   (date_trunc('month', registered_on) + interval '13 months'
                    - interval '1 day')::date AS window_end
            FROM partners_vdabregistration
            WHERE organisation_id = %(organisation)s AND category = 'ocmw'
              AND registered_on BETWEEN %(first)s AND %(last)s
        ),
        work AS (
            SELECT client_id, start_date FROM partners_employment
            WHERE organisation_id = %(organisation)s
              AND start_date BETWEEN %(first)s AND %(work_last)s
            UNION ALL
            SELECT client_id, start_date FROM partners_article60placement
            WHERE organisation_id = %(organisation)s
              AND start_date BETWEEN %(first)s AND %(work_last)s
        ),
        followed AS (
            SELECT DISTINCT r.id FROM r JOIN work w ON w.client_id = r.client_id
            AND w.start_date BETWEEN r.registered_on AND r.window_end
        )
        SELECT r.month, count(*), count(followed.id)
        FROM r LEFT JOIN followed ON followed.id = r.id
        GROUP BY r.month
        """,
        {
            "organisation": params.organisation_ids[0],
            "first": months[0].first,
            "last": months[-1].last,
            "work_last": window_end(months[-1]),
        },
    )
    rows = {month: (inflow, to_work) for month, inflow, to_work in cursor.fetchall()}
    return {str(month): rows.get(str(month), (0, 0)) for month in months}


def mmpp_stock(cursor: Any, params: ReportParameters) -> dict[str, Any]:
    days = {
        str(span.year): datetime.date(span.year, 12, 31)
        for span in params.years
        if datetime.date(span.year, 12, 31) <= params.as_of
    }
    return stock_on_days(cursor, params, days)


def mmpp_stock_by_month(cursor: Any, params: ReportParameters) -> dict[str, Any]:
    days = {str(month): month.last for month in params.months if month.last <= params.as_of}
    return stock_on_days(cursor, params, days)


def stock_on_days(
    cursor: Any, params: ReportParameters, days: dict[str, datetime.date]
) -> dict[str, Any]:
    """The MMPP stock on each day of `days` (key -> day): the current advice per client
    (lead over latest_first's order), registered, not at work, in one statement."""
    if not days:
        return {}
    cursor.execute(
        """
        WITH d AS (SELECT unnest(%(days)s::date[]) AS day),
        a AS (
            SELECT client_id, category, advised_on, ended_on,
                   lead(advised_on) OVER (PARTITION BY client_id
                                          ORDER BY advised_on, external_id COLLATE "C", id)
                       AS next_on
            FROM partners_mmppscreening WHERE organisation_id = %(organisation)s
        ),
        current AS (
            SELECT d.day, a.client_id, a.category FROM d JOIN a
              ON a.advised_on <= d.day AND (a.next_on IS NULL OR a.next_on > d.day)
             AND (a.ended_on IS NULL OR a.ended_on > d.day)
        ),
        registered AS (
            SELECT DISTINCT d.day, r.client_id FROM d JOIN partners_vdabregistration r
              ON r.registered_on <= d.day AND (r.ended_on IS NULL OR r.ended_on >= d.day)
            WHERE r.organisation_id = %(organisation)s
        ),
        working AS (
            SELECT d.day, w.client_id FROM d JOIN (
                SELECT client_id, start_date, end_date FROM partners_employment
                WHERE organisation_id = %(organisation)s
                UNION ALL
                SELECT client_id, start_date, end_date FROM partners_article60placement
                WHERE organisation_id = %(organisation)s
            ) w ON w.start_date <= d.day AND (w.end_date IS NULL OR w.end_date >= d.day)
        )
        SELECT c.day, c.category, count(*) FROM current c
        JOIN registered r ON r.day = c.day AND r.client_id = c.client_id
        WHERE NOT EXISTS (SELECT 1 FROM working w WHERE w.day = c.day AND w.client_id = c.client_id)
        GROUP BY c.day, c.category
        """,
        {"days": list(days.values()), "organisation": params.organisation_ids[0]},
    )
    result: dict[str, Any] = {
        key: {"total": 0, "by_category": dict.fromkeys("12345", 0)} for key in days
    }
    key_of = {day: key for key, day in days.items()}
    for day, category, n in cursor.fetchall():
        entry = result[key_of[day]]
        entry["by_category"][str(category)] += n
        entry["total"] += n
    return result


def comparable(key: str, figures: dict[str, Any]) -> Any:
    """The part of a statistic's figures that its yardstick computes (in its shape)."""
    if key == "article60":
        return {
            "employed_by_month": figures["employed_by_month"],
            "employed_in_reference_month": figures["employed_in_reference_month"],
            "flow_through_by_year": {
                year: (entry["ended"], entry["to_work_or_training"])
                for year, entry in figures["flow_through_by_year"].items()
            },
        }
    if key == "vdab_outflow_12m":
        return {month: (entry["inflow"], entry["to_work"]) for month, entry in figures.items()}
    return figures


YARDSTICKS = {
    "vdab_outflow_12m": vdab_outflow_12m,
    "article60": article60,
    "activation_registered": activation_registered,
    "mmpp_stock": mmpp_stock,
    "mmpp_stock_by_month": mmpp_stock_by_month,
}

__all__ = ["YARDSTICKS", "comparable", "empty_inflow"]
