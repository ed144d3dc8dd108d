"""Golden test: the tables of the Flemish minister's answer of 2015 (seed 004), rebuilt.

Records are generated from the published numbers (read from the document by
`seed_text`), and the council report must give exactly those numbers back:
tables 1-3 (monthly VDAB inflow of OCMW jobseekers by gender and age band,
2012-2014), the 12-month outflow table, the MMPP screening table and the
year-end MMPP stock.
"""

import pytest

from reporting.statistics import Month
from tests.factories import OrganisationFactory
from tests.reporting.builders import (
    Records,
    build_mmpp_screenings,
    build_mmpp_stock,
    build_vdab_inflow,
    build_vdab_outflow,
)
from tests.reporting.conftest import params
from tests.reporting.seed_text import ministerial

# The records are built by the module-scoped `built_report`, which cannot ask for `db`:
# the mark is what makes pytest-django create the test database for this module.
pytestmark = pytest.mark.django_db

SEED = ministerial()
PERIOD = (SEED.inflow[0].month, SEED.inflow[-1].month)
# The answer gives the outflow up to the last month whose window had closed:
# it was drawn up on that window's last day.
AS_OF = Month.parse(SEED.outflow[-1].month).plus(12).last.isoformat()


def zeros():
    return {"under_25": 0, "25_to_49": 0, "50_plus": 0, "total": 0}


@pytest.fixture(scope="module")
def vdab_report(built_report):
    def build():
        organisation = OrganisationFactory(code="ocmw-vlaanderen-vdab")
        records = Records(organisation)
        registrations = build_vdab_inflow(records, SEED.inflow)
        build_vdab_outflow(records, registrations, SEED.outflow)
        records.save()
        return params(organisation, *PERIOD, PERIOD[1], AS_OF), None

    return built_report(build)[0]


@pytest.fixture(scope="module")
def screening_report(built_report):
    def build():
        organisation = OrganisationFactory(code="ocmw-vlaanderen-screenings")
        records = Records(organisation)
        parameters = params(organisation, *PERIOD, PERIOD[1], AS_OF)
        build_mmpp_screenings(
            records, SEED.screenings_before, SEED.screenings_by_month, parameters.first_day
        )
        records.save()
        return parameters, None

    return built_report(build)[0]


@pytest.fixture(scope="module")
def stock_report(built_report):
    def build():
        organisation = OrganisationFactory(code="ocmw-vlaanderen-mmpp")
        records = Records(organisation)
        tally = build_mmpp_stock(records, SEED.stock)
        records.save()
        return params(organisation, *PERIOD, PERIOD[1], AS_OF), tally

    return built_report(build)


def test_the_seed_has_the_three_tables_and_the_outflow_table():
    assert len(SEED.inflow) == 36
    assert len(SEED.outflow) == 25
    assert AS_OF == "2015-01-31"


@pytest.mark.parametrize("row", SEED.inflow, ids=[row.month for row in SEED.inflow])
def test_monthly_inflow_by_gender_and_age_band_is_the_published_row(vdab_report, row):
    def gender(counts, total):
        return {"under_25": counts[0], "25_to_49": counts[1], "50_plus": counts[2], "total": total}

    assert vdab_report["statistics"]["vdab_inflow"][row.month] == {
        "m": gender(row.m, row.m_total),
        "f": gender(row.f, row.f_total),
        "x": zeros(),
        "total": row.m_total + row.f_total,
    }


def test_inflow_has_every_month_of_the_period_and_no_other(vdab_report):
    assert list(vdab_report["statistics"]["vdab_inflow"]) == [row.month for row in SEED.inflow]


def test_12_month_outflow_is_the_published_table(vdab_report):
    outflow = vdab_report["statistics"]["vdab_outflow_12m"]
    assert outflow == {
        row.month: {"inflow": row.inflow, "to_work": row.to_work, "percent": row.percent}
        for row in SEED.outflow
    }


def test_outflow_months_whose_window_had_not_closed_are_left_out(vdab_report):
    outflow = vdab_report["statistics"]["vdab_outflow_12m"]
    assert "2014-01" in outflow
    assert "2014-02" not in outflow  # its window ends 28/02/2015, after the as-of day


def test_no_warm_handovers_in_a_dataset_without_them(vdab_report):
    handover = vdab_report["statistics"]["vdab_handover"]
    assert all(month["total"] == 0 for month in handover["by_month"].values())
    assert all(month["handovers"] == 0 for month in handover["outflow_12m"].values())


def test_mmpp_screenings_are_the_published_table(screening_report):
    screenings = screening_report["statistics"]["mmpp_screenings"]
    assert screenings["before_period"] == SEED.screenings_before == 6886
    assert screenings["by_month"] == SEED.screenings_by_month
    assert screenings["by_year"] == SEED.screenings_by_year
    assert screenings["total"] == SEED.screenings_total == 19331


def test_year_end_mmpp_stock_is_the_published_figure(stock_report):
    report, _tally = stock_report
    stock = report["statistics"]["mmpp_stock"]
    assert {year: entry["total"] for year, entry in stock.items()} == SEED.stock
    assert SEED.stock == {"2012": 8212, "2013": 9183, "2014": 10046}


def test_year_end_mmpp_stock_per_category_of_the_latest_advice(stock_report):
    report, tally = stock_report
    stock = report["statistics"]["mmpp_stock"]
    for year, entry in stock.items():
        expected = {category: tally.by_year[year][category] for category in "12345"}
        assert entry["by_category"] == expected
        assert sum(entry["by_category"].values()) == entry["total"]
