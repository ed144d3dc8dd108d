"""Absurd page numbers, page sizes and NUL bytes never give a server error, on any list
page (core/middleware.py): a NUL byte is a 400 with a Dutch page, a page number the
database cannot hold is the first page, a page size is capped."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from core.middleware import MAX_PER_PAGE
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 30

# (user, list page) for every list of the app; the admin's changelists are added below.
LIST_PAGES = [
    ("sa", "/"),
    ("sa", "/clients/"),
    ("sa", "/queue/"),
    ("lead", "/queue/?scope=team"),
    ("lead", "/team/"),
    ("lead", "/team/transfer/"),
    ("sa", "/programmes/"),
    ("dpo", "/audit/"),
    ("dpo", "/audit/clients/"),
    ("lead", "/reports/council/"),
    ("administrator", "/records/import/"),
]
ADMIN_PAGES = [
    ("superuser", reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist"))
    for m in admin.site._registry
]
HOSTILE_QUERIES = [
    f"page={HUGE}",
    "page=1e20",
    "page=-1",
    f"p={HUGE}",
    "p=1e20",
    "per_page=1000000",
    f"per_page={HUGE}",
    "per_page=abc",
    "per_page=0",
    "page=0",
]


def with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


@pytest.fixture
def as_user(world, client, settings):
    settings.TRAJECT_ADMIN_OTP_REQUIRED = False
    client.raise_request_exception = False

    def login(name):
        client.force_login(world.user(name))
        return client

    return login


@pytest.mark.parametrize("who,url", LIST_PAGES + ADMIN_PAGES)
def test_absurd_page_numbers_and_sizes_never_give_a_server_error(as_user, who, url):
    client = as_user(who)
    for query in HOSTILE_QUERIES:
        response = client.get(with_query(url, query))
        assert response.status_code < 500, (url, query, response.status_code)


@pytest.mark.parametrize("who,url", LIST_PAGES + ADMIN_PAGES)
def test_a_nul_byte_in_a_parameter_is_a_bad_request_with_a_dutch_page(as_user, who, url):
    client = as_user(who)
    for query in ("q=a%00b", "national_number__startswith=85%00", "page=1%00", "x%00=1"):
        response = client.get(with_query(url, query))
        assert response.status_code == 400, (url, query)
        assert "Ongeldige aanvraag" in response.content.decode()


def test_a_nul_byte_in_a_form_is_a_bad_request(as_user, world):
    client = as_user("sa")
    response = client.post(reverse("desk:caseload"), {"q": "Pee\x00ters"})
    assert response.status_code == 400
    client = as_user("dpo")
    response = client.post(reverse("audit:client_search"), {"national_number": "85\x00"})
    assert response.status_code == 400


def test_a_huge_page_number_shows_the_first_page(as_user, world):
    for n in range(3):
        world.clients["own"] if n == 0 else ClientFactory(organisation=world.organisation)
    client = as_user("sa")
    response = client.get(f"/clients/?page={HUGE}")
    assert response.status_code == 200
    assert response.context["table"].page.number == 1


def test_the_page_size_is_capped(as_user, world):
    client = as_user("sa")
    response = client.get("/clients/?per_page=1000000")
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == MAX_PER_PAGE
