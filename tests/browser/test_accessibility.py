"""axe-core on every page a user reaches, per role: no WCAG 2.1 A/AA violation.

axe.min.js comes from the pip package axe-playwright-python (no network at run time).
The rules run are those of WCAG 2.0 and 2.1, levels A and AA: what a Flemish public
sector web application must meet (EN 301 549).
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from access import roles
from access.services import staff_membership_set
from audit.models import AuditAction, AuditEntry
from casework.models import Client
from desk.record_kinds import RECORD_KINDS
from partners.models import Programme
from partners.services import programme_ensure_defaults
from tests.browser.test_daily_work import log_in, with_password
from tests.factories import (
    HouseholdMemberFactory,
    IncomeRightFactory,
    ProgrammeSessionFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AXE = Axe()


def violations(page) -> list[str]:
    """Each violation as "rule: help (the first nodes)"."""
    results = AXE.run(page, options=WCAG_AA).response
    return [
        f"{v['id']}: {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
    ]


@pytest.fixture
def pages_world(staff, fast_passwords):
    today = timezone.localdate()
    for name in ("sa", "lead", "manager", "administrator"):
        with_password(staff.users[name])
    dpo = get_user_model().objects.create(username="dpo", first_name="Dora")
    dpo.groups.add(Group.objects.get(name=roles.group_name(roles.DPO)))
    staff_membership_set(user=dpo, organisation=staff.organisation)
    with_password(dpo)
    person = staff.client_of(
        "sa",
        first_name="Aydın",
        last_name="Yılmaz",
        birth_date=datetime.date(1988, 3, 14),
        street="Bruul",
        house_number="12",
        postcode="2800",
        municipality="Mechelen",
        language="tr",
        interpreter_needed=True,
    )
    IncomeRightFactory(client=person, start_date=today - datetime.timedelta(days=400))
    TrajectoryFactory(client=person, start_date=today - datetime.timedelta(days=380))
    VdabRegistrationFactory(client=person, registered_on=today - datetime.timedelta(days=390))
    HouseholdMemberFactory(client=person, birth_date=datetime.date(2015, 1, 2))
    programme_ensure_defaults(organisation=staff.organisation)
    jobroad = Programme.objects.get(organisation=staff.organisation, code="jobroad")
    ProgrammeSessionFactory(programme=jobroad, date=today + datetime.timedelta(days=12))
    AuditEntry.objects.create(
        action=AuditAction.LOGIN_FAILED, username="indringer", organisation_id=staff.organisation.pk
    )
    return {"person": person, "jobroad": jobroad}


def check(page, url, found):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    for line in violations(page):
        found.append(f"{url}: {line}")
    return page


def test_the_check_finds_what_axe_calls_a_violation(page):
    # An input and a select without a label, as the admin's inline rows had them.
    page.set_content(
        '<html lang="nl"><head><title>t</title></head><body><main><input type="text">'
        "<select><option>a</option></select></main></body></html>"
    )
    rules = {line.split(":")[0] for line in violations(page)}
    assert {"label", "select-name"} <= rules


def test_no_page_of_any_role_has_an_accessibility_violation(page, live_server, pages_world):
    person: Client = pages_world["person"]
    base = live_server.url
    found: list[str] = []

    check(page, base + reverse("login"), found)
    check(page, base + reverse("accessibility"), found)

    log_in(page, live_server, "sa")
    for url in (
        reverse("desk:home"),
        reverse("desk:caseload"),
        reverse("desk:client_detail", args=[person.pk]),
        reverse("desk:client_edit", kwargs={"pk": person.pk}),
        *(
            reverse("desk:record_add", kwargs={"pk": person.pk, "kind": kind})
            for kind in RECORD_KINDS
        ),
        reverse("desk:workqueue"),
        reverse("programmes:programme_list"),
        reverse("programmes:programme_detail", args=[pages_world["jobroad"].pk]),
    ):
        check(page, base + url, found)
    # A form opened inside the client file (htmx), as a social assistant works.
    page.goto(base + reverse("desk:client_detail", args=[person.pk]))
    page.get_by_role("link", name="+ Gezinslid").click()
    page.locator("#record-panel form").wait_for()
    found += [f"client file with a form open: {line}" for line in violations(page)]

    for username, urls in (
        ("lead", ["desk:home", "desk:team", "desk:data_quality", "answers:question_list"]),
        ("manager", ["desk:home", "reporting:council_report", "answers:question_list"]),
        ("dpo", ["desk:home", "audit:log", "audit:client_search"]),
        ("administrator", ["desk:home", "admin:index", "admin:casework_client_changelist"]),
    ):
        page.context.clear_cookies()
        log_in(page, live_server, username)
        for name in urls:
            check(page, base + reverse(name), found)
            if name == "reporting:council_report":
                # The report's tables, each in a scroll region the keyboard reaches.
                regions = page.locator("div.table-container[role=region][tabindex='0']")
                assert regions.count() >= 11
        if username == "administrator":
            check(page, base + reverse("admin:casework_client_change", args=[person.pk]), found)

    assert found == [], "\n".join(found)
