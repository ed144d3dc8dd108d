"""The report's conventions: rounding, months, parameters, the registry of statistics."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from core.rounding import json_amount, percent, ratio, round_half_up
from reporting.statistics import REGISTRY, Month, ReportParameters, in_report_order, parse_day
from reporting.statistics.params import MAX_PERIOD_MONTHS, minus_years

SPEC_KEYS = [
    "income_support",
    "leefloon_duration",
    "article60",
    "caseload",
    "programmes",
    "vdab_inflow",
    "vdab_outflow_12m",
    "mmpp_screenings",
    "mmpp_stock",
    "vdab_handover",
    "activation_registered",
    "mmpp_stock_by_month",
    "mmpp_flow",
]


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(71, 200, 36), (1, 200, 1), (1, 3, 33), (2, 3, 67), (0, 5, 0), (5, 0, None), (228, 641, 36)],
)
def test_percent_is_an_integer_rounded_half_up_and_null_on_zero(numerator, denominator, expected):
    assert percent(numerator, denominator) == expected


def test_ratio_rounds_half_up_to_2_decimals():
    assert ratio(1, 8) == 0.13  # 0.125: half up, not half to even
    assert ratio(1494, 89300, per=1000) == 16.73
    assert ratio(379, 89300, per=1000) == 4.24
    assert ratio(2, 3) == 0.67
    assert ratio(1, 0) is None
    assert ratio(None, 5) is None
    assert ratio(Decimal("70000.00"), 35) == 2000.0


def test_round_half_up_is_exact():
    # 1.005 is not exactly representable as a float; as a fraction it is a tie.
    assert round_half_up(Fraction(1005, 1000), 2) == Decimal("1.01")
    assert round_half_up(Fraction(-1, 8), 2) == Decimal("-0.13")


def test_amounts_are_whole_numbers_when_whole():
    assert json_amount(Decimal("70000.00")) == 70000
    assert isinstance(json_amount(Decimal("70000.00")), int)
    assert json_amount(Decimal("37500.50")) == 37500.5
    assert json_amount(None) is None


def test_months_parse_and_count():
    assert str(Month.parse("2025-01")) == "2025-01"
    assert Month.parse("2024-02").last == datetime.date(2024, 2, 29)
    assert Month.parse("2012-01").plus(12).last == datetime.date(2013, 1, 31)
    assert [str(m) for m in Month(2024, 11).months_until(Month(2025, 2))] == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]
    # A month's index and back: December and January are consecutive integers.
    assert Month(2024, 12).index + 1 == Month(2025, 1).index
    assert Month.of_index(Month(2024, 12).index) == Month(2024, 12)
    assert Month.of_index(Month(2025, 1).index) == Month(2025, 1)


@pytest.mark.parametrize(
    "text", ["2025-13", "2025-1", "25-01", "januari", "", "2025-00", "2025-01-01"]
)
def test_bad_months_are_refused_in_dutch(text):
    with pytest.raises(ValidationError) as exc:
        Month.parse(text)
    assert "JJJJ-MM" in exc.value.messages[0]


@pytest.mark.parametrize("text", ["2025-02-30", "30/06/2025", "2025-6-30", ""])
def test_bad_days_are_refused_in_dutch(text):
    with pytest.raises(ValidationError) as exc:
        parse_day(text)
    assert "JJJJ-MM-DD" in exc.value.messages[0]


def test_minus_years_clips_29_february():
    assert minus_years(datetime.date(2024, 2, 29), 1) == datetime.date(2023, 2, 28)
    assert minus_years(datetime.date(2025, 1, 31), 4) == datetime.date(2021, 1, 31)


def test_parameters_refuse_a_period_ending_before_it_starts():
    with pytest.raises(ValidationError, match="na haar einde"):
        ReportParameters(
            None, Month(2025, 2), Month(2025, 1), Month(2025, 1), datetime.date(2025, 6, 30)
        )


def test_parameters_refuse_an_endless_period():
    with pytest.raises(ValidationError, match="te lang"):
        ReportParameters(
            None,
            Month(1990, 1),
            Month(1990, 1).plus(MAX_PERIOD_MONTHS),
            Month(1990, 1),
            datetime.date(2025, 6, 30),
        )


def test_years_of_the_period_limited_to_it_or_whole():
    params = ReportParameters(
        None, Month(2024, 3), Month(2025, 2), Month(2025, 1), datetime.date(2025, 6, 30)
    )
    spans = params.years
    assert [(s.key, s.first, s.last) for s in spans] == [
        ("2024", datetime.date(2024, 3, 1), datetime.date(2024, 12, 31)),
        ("2025", datetime.date(2025, 1, 1), datetime.date(2025, 2, 28)),
    ]
    assert [(s.key, s.first, s.last) for s in params.calendar_years] == [
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        ("2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    ]


def test_every_statistic_of_the_spec_is_registered_in_its_order_with_both_definitions():
    assert [stat.key for stat in in_report_order()] == SPEC_KEYS
    for key in SPEC_KEYS:
        stat = REGISTRY[key]
        assert len(stat.definition_nl) > 100 and len(stat.definition_en) > 100
        assert stat.definition("en") == stat.definition_en
        assert stat.definition("nl-be") == stat.definition_nl
