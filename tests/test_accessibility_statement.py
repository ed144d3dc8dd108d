"""The accessibility statement (WCAG 2.1 AA / EN 301 549) is public and linked from every page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_says_its_standard_and_contact(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.text
    assert "WCAG" in html and "2.1" in html and "EN 301 549" in html
    assert "Niet-toegankelijke inhoud" in html
    assert "Vlaamse Ombudsdienst" in html


def test_every_page_links_to_it(client):
    login = client.get(reverse("login")).text
    assert f'href="{reverse("accessibility")}"' in login
