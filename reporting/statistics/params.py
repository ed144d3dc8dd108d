"""The parameters of a council report: organisation, period, reference month, as-of day.

Parsing lives here too, so that the management command, the page and the API
refuse the same bad input with the same (Dutch) message.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casework.models import Organisation, Region
from core.periods import month_bounds

# A period longer than this is refused: every month is a column of some queries.
MAX_PERIOD_MONTHS = 300

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written `YYYY-MM`."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9998:
            raise ValueError(f"invalid month {self.year}-{self.month}")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> Month:
        """`YYYY-MM` -> Month; a clear Dutch ValidationError otherwise."""
        match = _MONTH_RE.match((text or "").strip())
        if match:
            try:
                return cls(int(match.group(1)), int(match.group(2)))
            except ValueError:
                pass
        raise ValidationError(
            _("Ongeldige maand %(value)s: schrijf ze als JJJJ-MM (bv. 2025-01).")
            % {"value": repr(text)},
            code="invalid_month",
        )

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first(self) -> datetime.date:
        return month_bounds(self.year, self.month)[0]

    @property
    def last(self) -> datetime.date:
        return month_bounds(self.year, self.month)[1]

    @property
    def label(self) -> str:
        """How a month is shown to people: 01/2025."""
        return f"{self.month:02d}/{self.year:04d}"

    @property
    def index(self) -> int:
        """year * 12 + month - 1: consecutive months are consecutive integers (as
        `common.MonthIndex` computes it in the database)."""
        return self.year * 12 + self.month - 1

    @classmethod
    def of_index(cls, index: int) -> Month:
        """The month whose `index` is `index`."""
        return cls(index // 12, index % 12 + 1)

    def plus(self, months: int) -> Month:
        return Month.of_index(self.index + months)

    def months_until(self, other: Month) -> Iterator[Month]:
        """This month up to and including `other`."""
        current = self
        while current <= other:
            yield current
            current = current.plus(1)


def parse_day(text: str) -> datetime.date:
    """`YYYY-MM-DD` -> date; a clear Dutch ValidationError otherwise."""
    value = (text or "").strip()
    if _DAY_RE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(
        _("Ongeldige datum %(value)s: schrijf ze als JJJJ-MM-DD (bv. 2025-06-30).")
        % {"value": repr(text)},
        code="invalid_day",
    )


def minus_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class YearSpan:
    """A year of the report: the whole calendar year or the part inside the period."""

    year: int
    first: datetime.date
    last: datetime.date

    @property
    def key(self) -> str:
        return f"{self.year:04d}"


def scope_by_code(code: str) -> Organisation | Region | None:
    """The organisation with `code`, else the region with `code` (a report's CODE)."""
    return (
        Organisation.objects.filter(code=code).first() or Region.objects.filter(code=code).first()
    )


@dataclass(frozen=True)
class ReportParameters:
    """What a council report is computed for: one organisation, or a region (every
    organisation of the region and its sub-regions, read as one population: see
    `reporting.statistics.persons`); build the latter with `for_region`.

    `as_of` is the day the figures are drawn up: no statistic looks at today's
    date; the caller (command, page) chooses the default.
    """

    organisation: Organisation | None
    period_from: Month
    period_to: Month
    reference_month: Month
    as_of: datetime.date
    region: Region | None = None
    organisations: tuple[Organisation, ...] = ()
    # What several statistics of one report read alike (`persons.region_person_ids`),
    # read once per parameters object: a report builds its own (page, API, command).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_region(
        cls,
        region: Region,
        *,
        period_from: Month,
        period_to: Month,
        reference_month: Month,
        as_of: datetime.date,
    ) -> ReportParameters:
        """The parameters of the report of `region`: its organisations and those of every
        region below it (sorted by code)."""
        organisations = tuple(
            Organisation.objects.filter(
                region_id__in=Region.objects.subtree_ids(region.pk)
            ).order_by("code")
        )
        if not organisations:
            raise ValidationError(
                _("De regio %(code)s telt geen organisaties.") % {"code": region.code},
                code="empty_region",
            )
        return cls(
            organisation=None,
            period_from=period_from,
            period_to=period_to,
            reference_month=reference_month,
            as_of=as_of,
            region=region,
            organisations=organisations,
        )

    @classmethod
    def for_scope(
        cls,
        scope: Organisation | Region,
        *,
        period_from: Month,
        period_to: Month,
        reference_month: Month,
        as_of: datetime.date,
    ) -> ReportParameters:
        """The parameters of the report of an organisation or of a region."""
        if isinstance(scope, Region):
            return cls.for_region(
                scope,
                period_from=period_from,
                period_to=period_to,
                reference_month=reference_month,
                as_of=as_of,
            )
        return cls(
            organisation=scope,
            period_from=period_from,
            period_to=period_to,
            reference_month=reference_month,
            as_of=as_of,
        )

    def __post_init__(self) -> None:
        if self.region is None and self.organisation is not None:
            object.__setattr__(self, "organisations", (self.organisation,))
        if self.period_from > self.period_to:
            raise ValidationError(
                _("De periode begint (%(start)s) na haar einde (%(end)s).")
                % {"start": self.period_from, "end": self.period_to},
                code="period_order",
            )
        if len(self.months) > MAX_PERIOD_MONTHS:
            raise ValidationError(
                _("De periode is te lang: hoogstens %(max)s maanden.") % {"max": MAX_PERIOD_MONTHS},
                code="period_length",
            )

    @property
    def is_region(self) -> bool:
        """A region's report counts persons across its organisations (see .persons)."""
        return self.region is not None

    @property
    def code(self) -> str:
        """The code of the organisation or the region."""
        if self.region is not None:
            return self.region.code
        assert self.organisation is not None
        return self.organisation.code

    @property
    def organisation_ids(self) -> list[int]:
        """Every query of a report filters on these (`organisation_id IN (...)`)."""
        return [organisation.pk for organisation in self.organisations]

    def for_organisation(self, organisation: Organisation) -> ReportParameters:
        """The same parameters for one organisation (the organisation-level definitions)."""
        return ReportParameters(
            organisation=organisation,
            period_from=self.period_from,
            period_to=self.period_to,
            reference_month=self.reference_month,
            as_of=self.as_of,
        )

    @property
    def months(self) -> list[Month]:
        return list(self.period_from.months_until(self.period_to))

    @property
    def first_day(self) -> datetime.date:
        return self.period_from.first

    @property
    def last_day(self) -> datetime.date:
        return self.period_to.last

    @property
    def years(self) -> list[YearSpan]:
        """Every calendar year touched by the period, limited to the period."""
        return [
            YearSpan(
                year,
                max(datetime.date(year, 1, 1), self.first_day),
                min(datetime.date(year, 12, 31), self.last_day),
            )
            for year in range(self.period_from.year, self.period_to.year + 1)
        ]

    @property
    def calendar_years(self) -> list[YearSpan]:
        """Every calendar year touched by the period, whole (1 January to 31 December)."""
        return [
            YearSpan(year, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            for year in range(self.period_from.year, self.period_to.year + 1)
        ]

    def known(self, last: datetime.date) -> datetime.date:
        """`last`, but not after as_of: a record that starts after as_of is not yet known."""
        return min(last, self.as_of)

    def running_from(self, day: datetime.date) -> datetime.date:
        """The earliest end that keeps a record running on `day` as known on as_of: `day`
        itself, or the day after as_of when `day` is later. An end dated after as_of is a
        fact after the as-of day, so it does not count yet: as of that day the record
        runs on (council-report.md, `--as-of`: "Facts dated after it do not count"), and a
        report drawn up on as_of does not change when that end is recorded later."""
        return min(day, self.as_of + datetime.timedelta(days=1))
