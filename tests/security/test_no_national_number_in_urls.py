"""No national number in any URL: no URL pattern takes one, no page links to one, and
every form that asks for one sends it in a POST body (URLs end up in browser
history, proxy and server logs)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from casework import services
from tests.security.test_permission_matrix import ROUTES, URL_KINDS

pytestmark = pytest.mark.django_db

NUMBERS = {"own": "90061500126", "team": "90061500225", "other": "90061500324"}
SUSPECT_PARAMS = re.compile(r"national|insz|rrn|rijksregister|ssn|^nn$", re.I)


def test_no_url_pattern_takes_a_national_number():
    suspects = [
        f"{route.name}: {param}"
        for route in ROUTES
        for param in route.params
        if SUSPECT_PARAMS.search(param)
    ]
    assert not suspects


class Forms(HTMLParser):
    """Forms with their method and the labels and names of their fields; and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._in_label = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "text": [], "names": []}
            self.forms.append(self._form)
            self.links.append(a.get("action", ""))
        elif self._form is not None and tag in {"input", "select", "textarea"}:
            self._form["names"].append(a.get("name", ""))
            self._form["text"].append(a.get("placeholder", "") + " " + a.get("aria-label", ""))
        elif tag == "label":
            self._in_label = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "label":
            self._in_label = False

    def handle_data(self, data):
        if self._form is not None and self._in_label:
            self._form["text"].append(data)


def asks_for_a_national_number(form: dict) -> bool:
    text = " ".join(form["text"]).lower()
    names = " ".join(form["names"])
    return "rijksregisternummer" in text or bool(SUSPECT_PARAMS.search(names))


PAGES = [
    ("sa", "desk:home", None),
    ("sa", "desk:caseload", None),
    ("sa", "desk:workqueue", None),
    ("sa", "desk:client_detail", "own"),
    ("sa", "desk:client_edit", "own"),
    ("sa", "audit:break_glass", None),
    # The agenda is a social worker's own (a superuser has none: 404).
    ("sa", "desk:agenda", None),
    ("sa", "desk:calendar_feed_settings", None),
    ("lead", "desk:team", None),
    ("lead", "desk:transfer", None),
    ("dpo", "audit:log", None),
    ("dpo", "audit:client_search", None),
    ("administrator", "records:import", None),
]


def test_every_page_sends_a_national_number_only_by_post_and_links_to_none(world, client):
    for name, client_ in world.clients.items():
        services.client_update(client=client_, national_number=NUMBERS[name])
    listed = {page for _role, page, _rel in PAGES}
    # Every other page without parameters, opened by the superuser (who may open all).
    not_pages = {"public", "post_only_public", "language", "otp_setup", "otp_verify"}
    unlisted = {
        route.name
        for route in ROUTES
        if route.name in URL_KINDS
        and not route.params
        and URL_KINDS[route.name] not in not_pages
        and route.name not in listed | {"audit:log_export"}
    }
    problems = []
    for role, page, relation in [*PAGES, *(("superuser", name, None) for name in sorted(unlisted))]:
        client.force_login(world.user(role))
        kwargs = {"pk": world.clients[relation].pk} if relation else {}
        response = client.get(reverse(page, kwargs=kwargs))
        assert response.status_code == 200, page
        parser = Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["method"] != "post" and asks_for_a_national_number(form):
                problems.append(f"{page}: a GET form asks for a national number {form['names']}")
        for link in parser.links:
            digits = re.sub(r"[.\- ]", "", link)
            if any(number in digits for number in NUMBERS.values()):
                problems.append(f"{page}: a link carries a national number: {link}")
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_get_form_that_asks_for_a_national_number():
    parser = Forms()
    parser.feed(
        '<form><label for="q">Naam of rijksregisternummer</label><input name="q"></form>'
        '<form method="post"><input name="national_number"></form>'
        '<a href="/clients/?q=90.06.15-001.26">x</a>'
    )
    get_form, post_form = parser.forms
    assert get_form["method"] == "get" and asks_for_a_national_number(get_form)
    assert post_form["method"] == "post" and asks_for_a_national_number(post_form)
    assert "90061500126" in re.sub(r"[.\- ]", "", parser.links[-1])


# --- The admin's client search ------------------------------------------------------------

ADMIN_NUMBER = "90.06.15-001.26"


@pytest.fixture
def admin_user(world, client, settings):
    settings.TRAJECT_ADMIN_OTP_REQUIRED = False
    for name, client_ in world.clients.items():
        services.client_update(client=client_, national_number=NUMBERS[name])
    client.force_login(world.user("superuser"))
    return client


def no_number(text: str) -> bool:
    digits = re.sub(r"[.\- ]|%2E|%2D|%20", "", text)
    return NUMBERS["own"] not in digits and "900615" not in digits


@pytest.mark.parametrize("model", ["client", "incomeright", "mmppscreening"])
def test_the_admin_search_is_posted_and_the_term_is_in_no_url(admin_user, world, model):
    app = "partners" if model == "mmppscreening" else "casework"
    url = reverse(f"admin:{app}_{model}_changelist")
    page = admin_user.get(url).content.decode()
    parser = Forms()
    parser.feed(page)
    [search] = [f for f in parser.forms if "client_search" in f["names"]]
    assert search["method"] == "post"

    response = admin_user.post(url + "?o=1", {"client_search": ADMIN_NUMBER})
    assert response.status_code == 302
    assert no_number(response["Location"]) and "o=1" in response["Location"]
    response = admin_user.get(response["Location"])
    html = response.content.decode()
    if model == "client":
        assert list(response.context["cl"].result_list) == [world.clients["own"]]
    assert ADMIN_NUMBER in html  # the term stays in the search box ...
    parser = Forms()
    parser.feed(html)
    assert all(no_number(link) for link in parser.links)  # ... and in no link
    # A change link keeps the changelist's filters (_changelist_filters): a token only.
    kept = [link for link in parser.links if "_changelist_filters=" in link]
    assert kept and all("q%3D~" in link for link in kept)


def test_a_search_term_typed_into_the_url_is_moved_out_of_it(admin_user):
    url = reverse("admin:casework_client_changelist")
    response = admin_user.get(url, {"q": ADMIN_NUMBER})
    assert response.status_code == 302
    assert no_number(response["Location"])
    response = admin_user.get(response["Location"])
    assert ADMIN_NUMBER in response.content.decode()


@pytest.mark.parametrize(
    "lookup", ["national_number__startswith", "national_number", "client__national_number"]
)
def test_a_lookup_on_the_national_number_in_the_url_is_refused(admin_user, lookup):
    model = "client" if not lookup.startswith("client__") else "incomeright"
    url = reverse(f"admin:casework_{model}_changelist")
    response = admin_user.get(url, {lookup: "900615"})
    assert response.status_code == 400
