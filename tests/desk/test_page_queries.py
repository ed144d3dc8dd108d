"""The daily pages ask the database a fixed, small number of queries (issue 15): the
work queue's rules run as one query, the caseload's next action for the rows shown only,
and what the access rules need of the user (roles, profile) is looked up once a request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    Article60PlacementFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    ReferralFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

# Per page: the most queries it may ask, whatever the number of clients (before issue 15
# each work queue took one query per rule: 5 more per queue shown). Of these, every page
# spends 7 on the session, the user, their permissions (2), groups and social-worker
# profile (2), and about 5 on the audit trail of what it showed (its own transaction, the
# chain's lock and head). The session is written only when its end is due to move
# (core.sessions), not on every request: 2 fewer than before (its UPDATE and transaction).
MAX_QUERIES = {
    "client list": 14,
    # + the planned appointments, the household (members, a dependant), the documents;
    # one more on PostgreSQL, which locks the audit chain for the read.
    "client file": 35,
    "work queue": 16,
    # + today's appointments and the day's digest ("Vandaag"); the assistant's clients read
    # once for the queue and the counts (one query fewer).
    "home": 19,
    "home (team lead)": 21,
    "work queue (team lead)": 18,
}


def busy_client(staff, owner):
    """A client with an item of most rules: a leefloon without GPMI and VDAB, a placement
    ending soon, a referral without outcome, an old MMPP category 5."""
    person = staff.client_of(owner)
    IncomeRightFactory(client=person, start_date=datetime.date(2024, 1, 1))
    Article60PlacementFactory(client=person, start_date=datetime.date(2024, 3, 1))
    ReferralFactory(client=person, start_date=datetime.date(2024, 3, 1))
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2020, 1, 1))
    TrajectoryFactory(client=person, kind="duo", start_date=datetime.date(2024, 2, 1))
    return person


def pages(staff, person):
    return {
        "client list": ("sa", reverse("desk:caseload")),
        "client file": ("sa", reverse("desk:client_detail", kwargs={"pk": person.pk})),
        "work queue": ("sa", reverse("desk:workqueue")),
        "home": ("sa", reverse("desk:home")),
        "home (team lead)": ("lead", reverse("desk:home")),
        "work queue (team lead)": ("lead", reverse("desk:workqueue")),
    }


def count_queries(client, staff, who, url):
    client.force_login(staff.users[who])
    assert client.get(url).status_code == 200  # session and caches warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_a_daily_page_asks_a_fixed_number_of_queries(client, staff, page):
    first = busy_client(staff, "sa")
    who, url = pages(staff, first)[page]
    few = count_queries(client, staff, who, url)
    for _ in range(12):
        busy_client(staff, "sa")
        busy_client(staff, "colleague")
    many = count_queries(client, staff, who, url)
    assert many == few
    assert many <= MAX_QUERIES[page]


@pytest.mark.parametrize("page", ["client list", "work queue", "home (team lead)"])
def test_roles_and_profile_are_looked_up_once_a_request(client, staff, page):
    person = busy_client(staff, "sa")
    who, url = pages(staff, person)[page]
    client.force_login(staff.users[who])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    roles = [s for s in sql if s.startswith('SELECT "auth_group"."name"')]
    # The profile (user.social_worker) and the profile employed today: one query each.
    profiles = [
        s
        for s in sql
        if s.startswith('SELECT "casework_socialworker"."id"')
        and '"casework_socialworker"."user_id" =' in s
    ]
    assert len(roles) == 1
    assert len(profiles) == 2
