"""The council report (page, JSON API, CSV, XLSX, command) shows counts only: never a
client's name or national number."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from casework import services
from tests.factories import (
    IncomeRightFactory,
    MmppScreeningFactory,
    PopulationFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

NAMES = {
    "own": ("Zyxwarda", "Qubelstein"),
    "team": ("Vromkeline", "Xantippo"),
    "other": ("Jorvald", "Wexmoor"),
}
NUMBERS = {"own": "90061500126", "team": "90061500225", "other": "90061500324"}
QUERY = {"from": "2024-01", "to": "2024-12", "reference_month": "2024-06", "as_of": "2025-01-31"}


@pytest.fixture
def identities(world):
    PopulationFactory(organisation=world.organisation, year=2024, inhabitants=80000)
    for key, client in world.clients.items():
        first, last = NAMES[key]
        services.client_update(
            client=client, first_name=first, last_name=last, national_number=NUMBERS[key]
        )
        IncomeRightFactory(client=client, start_date=datetime.date(2024, 1, 1))
        VdabRegistrationFactory(client=client, registered_on=datetime.date(2024, 3, 1))
        MmppScreeningFactory(client=client, advised_on=datetime.date(2024, 4, 1), category=5)
    return [*[n for pair in NAMES.values() for n in pair], *NUMBERS.values()]


def leaks(text: str, identities: list[str]) -> list[str]:
    flat = text.replace(".", "").replace("-", "")
    return [value for value in identities if value in text or value in flat]


def test_the_report_page_and_its_downloads_name_nobody(world, client, identities):
    client.force_login(world.user("manager"))
    url = reverse("reporting:council_report")
    page = client.get(url, QUERY)
    assert page.status_code == 200
    assert ">3<" in page.content.decode() or '"3"' in page.content.decode()
    assert not leaks(page.content.decode(), identities)
    for fmt in ("csv", "json"):
        response = client.get(url, QUERY | {"format": fmt})
        assert response.status_code == 200
        assert not leaks(response.content.decode(), identities), fmt
    xlsx = client.get(url, QUERY | {"format": "xlsx"}).content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        text = "".join(archive.read(name).decode(errors="replace") for name in archive.namelist())
    assert not leaks(text, identities)
    api = client.get(reverse("reporting:council_report_api"), QUERY)
    data = json.loads(api.content)
    assert data["statistics"]["income_support"]["leefloon"] == 3
    assert not leaks(api.content.decode(), identities)


def test_the_report_command_names_nobody(world, identities):
    out = io.StringIO()
    call_command(
        "council_report",
        world.organisation.code,
        "--from",
        "2024-01",
        "--to",
        "2024-12",
        "--reference-month",
        "2024-06",
        "--as-of",
        "2025-01-31",
        stdout=out,
    )
    assert json.loads(out.getvalue())["statistics"]["income_support"]["leefloon"] == 3
    assert not leaks(out.getvalue(), identities)
