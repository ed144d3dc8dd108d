"""manage.py council_report: JSON to stdout, --output, --format csv/xlsx, clear errors."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import ClientFactory, IncomeRightFactory, PopulationFactory

pytestmark = pytest.mark.django_db

ARGS = ["--from", "2024-01", "--to", "2025-06", "--reference-month", "2025-01"]


@pytest.fixture
def data(organisation):
    PopulationFactory(organisation=organisation, year=2025, inhabitants=1000)
    for _i in range(3):
        IncomeRightFactory(
            client=ClientFactory(organisation=organisation), start_date=datetime.date(2024, 5, 1)
        )
    return organisation


def run(*args):
    out = io.StringIO()
    call_command("council_report", *args, stdout=out)
    return out.getvalue()


def test_json_goes_to_standard_output(data):
    report = json.loads(run("mechelen", *ARGS, "--as-of", "2025-06-30"))
    assert report["organisation"] == "mechelen"
    assert report["period"] == {"from": "2024-01", "to": "2025-06"}
    assert report["reference_month"] == "2025-01"
    assert report["as_of"] == "2025-06-30"
    assert report["statistics"]["income_support"]["leefloon"] == 3
    assert report["statistics"]["income_support"]["leefloon_per_1000"] == 3.0
    assert set(report["definitions"]) == set(report["statistics"])


def test_the_as_of_day_defaults_to_today(data):
    report = json.loads(run("mechelen", *ARGS))
    assert report["as_of"] == timezone.localdate().isoformat()


def test_the_same_parameters_give_the_same_bytes(data):
    assert run("mechelen", *ARGS, "--as-of", "2025-06-30") == run(
        "mechelen", *ARGS, "--as-of", "2025-06-30"
    )


def test_output_file_json(data, tmp_path):
    target = tmp_path / "rapport.json"
    assert run("mechelen", *ARGS, "--as-of", "2025-06-30", "--output", str(target)) == ""
    assert (
        json.loads(target.read_text(encoding="utf-8"))["statistics"]["income_support"]["leefloon"]
        == 3
    )
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.json"]  # no temporary file left


def test_csv_is_a_flat_table_with_definitions(data):
    rows = list(
        csv.reader(io.StringIO(run("mechelen", *ARGS, "--as-of", "2025-06-30", "--format", "csv")))
    )
    assert rows[0] == ["statistic", "key", "value"]
    assert ["report", "organisation", "mechelen"] in rows
    assert ["income_support", "leefloon", "3"] in rows
    assert ["income_support", "unique_by_year.2024.leefloon", "3"] in rows
    assert ["income_support", "equivalent_per_1000", "0.0"] in rows
    assert ["leefloon_duration", "percent.up_to_1y", "100"] in rows
    assert ["leefloon_duration", "percent.over_4y", "0"] in rows
    assert ["caseload", "clients_per_fte", ""] in rows  # null
    definitions = [row for row in rows if row[1] == "definition"]
    assert len(definitions) == 13
    assert all(len(row[2]) > 100 for row in definitions)


def test_xlsx_has_a_sheet_per_statistic_and_the_definitions(data, tmp_path):
    target = tmp_path / "rapport.xlsx"
    run("mechelen", *ARGS, "--as-of", "2025-06-30", "--format", "xlsx", "--output", str(target))
    workbook = load_workbook(target)
    # Dutch sheet names, like the rest of the report.
    assert workbook.sheetnames[0] == "Raadsrapport"
    assert "Leefloon" in workbook.sheetnames
    assert "Activering en VDAB" in workbook.sheetnames
    assert workbook.sheetnames[-1] == "Definities"
    rows = list(workbook["Leefloon"].iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Leefloon")
    values = rows[rows.index(header) + 1]
    assert values[:3] == (3, 0, 1000)
    definitions = list(workbook["Definities"].iter_rows(values_only=True))
    assert len(definitions) == 14


def test_xlsx_is_not_written_to_a_text_stream(data):
    with pytest.raises(CommandError, match="--output"):
        run("mechelen", *ARGS, "--format", "xlsx")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["onbekend", *ARGS], "Onbekende organisatie"),
        (
            ["mechelen", "--from", "2024-13", "--to", "2025-06", "--reference-month", "2025-01"],
            "Ongeldige maand",
        ),
        (
            ["mechelen", "--from", "2025-07", "--to", "2025-06", "--reference-month", "2025-01"],
            "na haar einde",
        ),
        (["mechelen", *ARGS, "--as-of", "30/06/2025"], "Ongeldige datum"),
        (["mechelen", "--to", "2025-06", "--reference-month", "2025-01"], "Geef ook --from op"),
        (["mechelen", "--from", "2024-01"], "Geef ook --to, --reference-month op"),
        (["mechelen", *ARGS, "--format", "pdf"], "Onbekend formaat 'pdf'"),
    ],
)
def test_invalid_parameters_give_a_clear_error(data, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_an_unwritable_output_is_a_clear_error(data, tmp_path):
    with pytest.raises(CommandError, match="Kan"):
        run("mechelen", *ARGS, "--output", str(tmp_path / "missing" / "rapport.json"))
