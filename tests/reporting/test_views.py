"""The council report page, its downloads and its JSON endpoint."""

import csv
import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from reporting.exports import flatten
from reporting.statistics import REGISTRY
from tests.factories import (
    Article60PlacementFactory,
    ClientFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    OrganisationFactory,
    PopulationFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("reporting:council_report")
API = reverse("reporting:council_report_api")
QUERY = {"from": "2024-01", "to": "2025-06", "reference_month": "2025-01", "as_of": "2025-06-30"}
NAME, SURNAME, NATIONAL_NUMBER = "Zoëlla", "Vandersmissen", "85073003328"


@pytest.fixture
def data(organisation):
    PopulationFactory(organisation=organisation, year=2025, inhabitants=89300)
    named = ClientFactory(
        organisation=organisation,
        first_name=NAME,
        last_name=SURNAME,
        national_number=NATIONAL_NUMBER,
        birth_date=datetime.date(1985, 7, 30),
        gender="m",
    )
    IncomeRightFactory(client=named, start_date=datetime.date(2023, 1, 1))
    VdabRegistrationFactory(client=named, registered_on=datetime.date(2024, 3, 5))
    Article60PlacementFactory(
        client=named, start_date=datetime.date(2024, 4, 1), end_date=datetime.date(2024, 10, 31)
    )
    MmppScreeningFactory(client=named, advised_on=datetime.date(2024, 2, 1))
    for _i in range(4):
        client = ClientFactory(organisation=organisation)
        IncomeRightFactory(client=client, kind="equivalent", start_date=datetime.date(2024, 9, 1))
        VdabRegistrationFactory(client=client, registered_on=datetime.date(2024, 5, 5))
    return organisation


def get(client, url=PAGE, **params):
    return client.get(url, {**QUERY, **params})


def test_anonymous_users_are_sent_to_the_login_page(client):
    for url in (PAGE, API):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("name", ["sa", "administrator"])
def test_roles_without_the_permission_get_403(client, staff, name):
    client.force_login(staff.users[name])
    assert get(client).status_code == 403
    assert get(client, API).status_code == 403


@pytest.mark.parametrize("name", ["lead", "manager"])
def test_team_leads_and_managers_have_the_permission(staff, name):
    assert staff.users[name].has_perm("reporting.view_council_report")


def test_the_page_shows_every_statistic_as_tables_with_its_dutch_definition(client, staff, data):
    client.force_login(staff.users["lead"])
    response = get(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "OCMW Mechelen" in html
    for key, stat in REGISTRY.items():
        assert f'id="{key}"' in html
        assert escape(stat.definition_nl) in html
    assert html.count('class="table report-table"') >= 11
    # A figure of the report in its table: 1 leefloon client, 4 equivalent.
    income = re.search(r'id="income_support".*?<tbody[^>]*>(.*?)</tbody>', html, re.S).group(1)
    assert re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", income)[:3] == ["1", "4", "89.300"]


def test_the_definitions_follow_the_active_language(client, staff, data):
    client.force_login(staff.users["lead"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = get(client).content.decode()
    assert escape(REGISTRY["caseload"].definition_en) in html
    assert escape(REGISTRY["caseload"].definition_nl) not in html


def test_charts_are_inline_svg_without_styles_or_scripts(client, staff, data):
    client.force_login(staff.users["lead"])
    html = get(client).content.decode()
    assert html.count('<svg class="chart"') == 5
    for chart in (
        "chart-vdab-inflow",
        "chart-article60",
        "chart-mmpp-stock",
        "chart-mmpp-stock-by-month",
        "chart-mmpp-flow",
    ):
        assert f'aria-labelledby="{chart}-title"' in html
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script


def test_the_parameters_are_in_the_url_and_in_the_download_links(client, staff, data):
    client.force_login(staff.users["lead"])
    html = get(client).content.decode()
    assert "from=2024-01" in html and "reference_month=2025-01" in html
    assert "format=csv" in html and "format=xlsx" in html
    assert 'value="2025-06-30"' in html


def test_without_parameters_the_page_shows_last_year(client, staff, data):
    client.force_login(staff.users["lead"])
    response = client.get(PAGE)
    assert response.status_code == 200
    last_year = timezone.localdate().year - 1
    form = response.context["form"]
    assert str(form.cleaned_data["from"]) == f"{last_year}-01"
    assert str(form.cleaned_data["to"]) == f"{last_year}-12"
    assert response.context["report"]["period"] == {
        "from": f"{last_year}-01",
        "to": f"{last_year}-12",
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-13"}, "Ongeldige maand"),
        ({"from": "2025-07"}, "na haar einde"),
        ({"as_of": "morgen"}, "geldige datum"),
    ],
)
def test_invalid_parameters_give_a_dutch_error_and_no_report(client, staff, data, params, message):
    client.force_login(staff.users["lead"])
    response = get(client, **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "report" not in response.context
    api = get(client, API, **params)
    assert api.status_code == 400
    assert message in json.dumps(api.json(), ensure_ascii=False)


def test_the_api_gives_exactly_the_command_output(client, staff, data):
    client.force_login(staff.users["manager"])
    response = get(client, API, organisation="mechelen")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    out = io.StringIO()
    call_command(
        "council_report",
        "mechelen",
        "--from=2024-01",
        "--to=2025-06",
        "--reference-month=2025-01",
        "--as-of=2025-06-30",
        stdout=out,
    )
    assert response.content.decode() == out.getvalue()
    assert response.json()["statistics"]["income_support"]["equivalent"] == 4


def test_csv_download_has_the_figures_of_the_json(client, staff, data):
    client.force_login(staff.users["lead"])
    report = get(client, API).json()
    response = get(client, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffstatistic;key;value\n")  # for Excel with Belgian settings
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))[1:]
    figures = {(s, k): v for s, k, v in rows if s in report["statistics"]}
    for statistic, data_ in report["statistics"].items():
        for path, value in flatten(data_):
            assert figures[(statistic, path)] == ("" if value is None else str(value))


def test_xlsx_download_has_the_figures_of_the_page(client, staff, data):
    client.force_login(staff.users["lead"])
    report = get(client, API).json()
    response = get(client, format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Instroom VDAB"].iter_rows(values_only=True))
    march = next(row for row in rows if row and row[0] == "03/2024")
    expected = report["statistics"]["vdab_inflow"]["2024-03"]
    assert march[4] == expected["m"]["total"] == 1
    assert march[-1] == expected["total"]
    stock = list(workbook["MMPP op 31 december"].iter_rows(values_only=True))
    assert any(row and row[0] == "31/12/2024" and row[1] == 1 for row in stock)


def test_no_name_or_national_number_in_any_output(client, staff, data):
    client.force_login(staff.users["lead"])
    outputs = [
        get(client).content.decode(),
        get(client, API).content.decode(),
        get(client, format="csv").content.decode(),
    ]
    workbook = load_workbook(io.BytesIO(get(client, format="xlsx").content))
    outputs.append(
        " ".join(
            str(cell)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    )
    for output in outputs:
        assert NAME not in output and SURNAME not in output
        assert NATIONAL_NUMBER not in output and "85.07.30" not in output


def test_a_manager_gets_the_report_of_their_own_organisation_only(client, staff, data):
    """A manager belongs to one organisation (a staff membership): only a superuser picks."""
    other = OrganisationFactory(code="gent", name="OCMW Gent")
    IncomeRightFactory(
        client=ClientFactory(organisation=other), start_date=datetime.date(2024, 1, 1)
    )
    client.force_login(staff.users["manager"])
    assert get(client, API).json()["organisation"] == "mechelen"
    assert get(client, API, organisation="gent").status_code == 403
    superuser = get_user_model().objects.create(username="root", is_superuser=True)
    client.force_login(superuser)
    report = get(client, API, organisation="gent").json()
    assert report["organisation"] == "gent"
    assert report["statistics"]["income_support"]["leefloon"] == 1
    html = get(client, organisation="gent").content.decode()
    assert "OCMW Gent" in html and '<select name="organisation"' in html
    assert get(client, API, organisation="onbekend").status_code == 400


def test_a_social_worker_only_gets_their_own_organisation(client, staff, data):
    OrganisationFactory(code="gent", name="OCMW Gent")
    client.force_login(staff.users["lead"])
    assert get(client, API).json()["organisation"] == "mechelen"
    assert get(client, API, organisation="gent").status_code == 403
    assert get(client, organisation="gent").status_code == 403
