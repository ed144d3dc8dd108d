"""Golden test over a region: the tables of the minister's answer of 2015 (seed 004) come
out of a province whose records are spread over three OCMWs, with persons who are a client
of two of them (the job or the MMPP advice recorded by the other OCMW)."""

import pytest
from django.db import transaction

from reporting.statistics import REGISTRY, Month
from reporting.statistics.by_organisation import BY_ORGANISATION, headlines
from tests.reporting.builders import (
    Records,
    build_mmpp_screenings,
    build_mmpp_stock,
    build_vdab_inflow,
    build_vdab_outflow,
)
from tests.reporting.conftest import params
from tests.reporting.regions import flanders, region_params, spread
from tests.reporting.seed_text import ministerial

pytestmark = pytest.mark.django_db

SEED = ministerial()
PERIOD = (SEED.inflow[0].month, SEED.inflow[-1].month)
AS_OF = Month.parse(SEED.outflow[-1].month).plus(12).last.isoformat()


# The statistics of the answer's tables (the monthly MMPP statistics over 36 months of
# tens of thousands of records take minutes on SQLite: they have their own region tests).
KEYS = ("vdab_inflow", "vdab_outflow_12m", "mmpp_screenings", "mmpp_stock")


def report_of(parameters):
    statistics = {key: REGISTRY[key](parameters) for key in KEYS}
    if parameters.is_region:
        statistics["by_organisation"] = BY_ORGANISATION(parameters)
        return {
            "region": parameters.code,
            "organisations": [o.code for o in parameters.organisations],
            "statistics": statistics,
        }
    return {"organisation": parameters.code, "statistics": statistics}


@pytest.fixture(scope="module")
def region_reports(django_db_setup, django_db_blocker):
    """The province's report, and within the same data each OCMW's own report."""

    def build():
        # Two provinces: the VDAB tables in one, the MMPP tables in the other (as the
        # single-organisation golden test keeps them apart: the stock's registrations
        # would add to the inflow).
        top, province, organisations = flanders("min")
        records = Records(organisations[0])
        registrations = build_vdab_inflow(records, SEED.inflow)
        build_vdab_outflow(records, registrations, SEED.outflow)
        twins = spread(records, organisations, twin_every=4)
        records.save()
        _top, mmpp_province, mmpp_organisations = flanders("mms")
        mmpp = Records(mmpp_organisations[0])
        build_mmpp_screenings(
            mmpp, SEED.screenings_before, SEED.screenings_by_month, Month(2012, 1).first
        )
        tally = build_mmpp_stock(mmpp, SEED.stock)
        twins += spread(mmpp, mmpp_organisations, twin_every=4)
        mmpp.save()
        args = (*PERIOD, PERIOD[1], AS_OF)
        own = {}
        for o in organisations:
            own[o.code] = report_of(params(o, *args))
            mmpp_own = report_of(params(mmpp_organisations[organisations.index(o)], *args))
            for key in ("mmpp_screenings", "mmpp_stock"):
                own[o.code]["statistics"][key] = mmpp_own["statistics"][key]
        flemish = report_of(region_params(top, *args))
        by_org = {o.code: headlines(params(o, *args)) for o in organisations}
        report = report_of(region_params(province, *args))
        mmpp_report = report_of(region_params(mmpp_province, *args))
        for key in ("mmpp_screenings", "mmpp_stock"):
            report["statistics"][key] = mmpp_report["statistics"][key]
        return report, (own, flemish, by_org, tally, twins)

    with django_db_blocker.unblock(), transaction.atomic():
        result = build()
        transaction.set_rollback(True)
    return result


def test_the_data_has_persons_in_two_ocmws(region_reports):
    _report, (_own, _flemish, _by_org, _tally, twins) = region_reports
    assert twins > 1000


def test_the_envelope_names_the_region_and_its_organisations(region_reports):
    report, _extra = region_reports
    assert report["region"] == "min-provincie"
    assert report["organisations"] == ["min-a", "min-b", "min-c"]
    assert "organisation" not in report
    assert list(report["statistics"])[-1] == "by_organisation"


def test_inflow_tables_1_to_3_come_out_of_the_region(region_reports):
    report, _extra = region_reports
    inflow = report["statistics"]["vdab_inflow"]
    for row in SEED.inflow:
        month = inflow[row.month]
        assert (month["m"]["under_25"], month["m"]["25_to_49"], month["m"]["50_plus"]) == row.m
        assert (month["f"]["under_25"], month["f"]["25_to_49"], month["f"]["50_plus"]) == row.f
        assert month["total"] == row.m_total + row.f_total


def test_outflow_counts_work_recorded_by_another_ocmw(region_reports):
    report, (own, _flemish, _by_org, _tally, _twins) = region_reports
    outflow = report["statistics"]["vdab_outflow_12m"]
    assert outflow == {
        row.month: {"inflow": row.inflow, "to_work": row.to_work, "percent": row.percent}
        for row in SEED.outflow
    }
    # Read one OCMW at a time, the jobs recorded elsewhere are missed.
    alone = sum(r["statistics"]["vdab_outflow_12m"]["2012-01"]["to_work"] for r in own.values())
    assert alone < SEED.outflow[0].to_work


def test_screenings_are_records_and_add_up_over_the_ocmws(region_reports):
    report, (own, _flemish, _by_org, _tally, _twins) = region_reports
    screenings = report["statistics"]["mmpp_screenings"]
    # The MMPP province holds the screening table and the stock builder's own advices.
    assert screenings["total"] > SEED.screenings_total
    for key in ("before_period", "total"):
        assert screenings[key] == sum(r["statistics"]["mmpp_screenings"][key] for r in own.values())


def test_the_year_end_stock_counts_persons_over_their_records_in_every_ocmw(region_reports):
    report, (own, _flemish, _by_org, tally, _twins) = region_reports
    stock = report["statistics"]["mmpp_stock"]
    assert {year: entry["total"] for year, entry in stock.items()} == SEED.stock
    for year, entry in stock.items():
        assert entry["by_category"] == {c: tally.by_year[year][c] for c in "12345"}
    alone = sum(r["statistics"]["mmpp_stock"]["2014"]["total"] for r in own.values())
    assert alone < SEED.stock["2014"]  # the advice of a twin is in the other OCMW


def test_flanders_adds_nothing_the_province_does_not_have(region_reports):
    report, (_own, flemish, _by_org, _tally, _twins) = region_reports
    assert flemish["organisations"] == ["min-a", "min-b", "min-c", "min-elders"]
    assert flemish["statistics"].keys() == report["statistics"].keys()
    for key in ("vdab_inflow", "vdab_outflow_12m"):
        assert flemish["statistics"][key] == report["statistics"][key]
    assert list(flemish["statistics"]["by_organisation"]) == flemish["organisations"]


def test_by_organisation_is_each_ocmw_s_own_report(region_reports):
    report, (own, _flemish, by_org, _tally, _twins) = region_reports
    compared = report["statistics"]["by_organisation"]
    assert compared == by_org
    for code, figures in compared.items():
        statistics = own[code]["statistics"]
        assert figures["vdab_inflow"] == sum(m["total"] for m in statistics["vdab_inflow"].values())
    assert sum(f["vdab_inflow"] for f in compared.values()) == sum(
        row.m_total + row.f_total for row in SEED.inflow
    )
