"""The work queue that flows: each item's form opens in place and saving returns to the
queue (with htmx: the queue reloads its items; without: a redirect), per-rule counts,
and for a team lead the overdue items per social assistant with their age."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import TrajectoryEvaluation
from desk.workqueue import AGE_BANDS, WorkItem, overdue_by_worker
from partners.models import VdabRegistration
from tests.factories import IncomeRightFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("desk:workqueue")
HTMX = {"HX-Request": "true"}


def login(client, staff, name):
    client.force_login(staff.users[name])
    return client


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def due(staff):
    """A client of `sa` with an overdue GPMI evaluation and a missing VDAB registration."""
    today = timezone.localdate()
    person = staff.client_of("sa", last_name="Peeters", first_name="An")
    IncomeRightFactory(client=person, start_date=today - days(200))
    gpmi = TrajectoryFactory(client=person, start_date=today - days(190))
    return {"person": person, "gpmi": gpmi, "today": today}


def evaluation_url(person):
    return reverse("desk:record_add", kwargs={"pk": person.pk, "kind": "evaluation"})


def test_each_item_opens_its_form_in_place_and_carries_the_way_back(client, staff, due):
    login(client, staff, "sa")
    html = client.get(QUEUE).content.decode()
    back = quote(QUEUE, safe="")
    url = f"{evaluation_url(due['person'])}?trajectory={due['gpmi'].pk}&amp;next={back}"
    # The link works without JavaScript (href) and with htmx (into the item's own panel).
    assert f'href="{url}"' in html
    assert f'hx-get="{url}"' in html
    assert 'hx-target="#queue-panel-1"' in html
    assert 'id="queue-panel-1"' in html
    assert 'hx-trigger="traject:item-resolved from:body"' in html


def test_the_form_opened_from_the_queue_returns_there(client, staff, due):
    login(client, staff, "sa")
    response = client.get(f"{evaluation_url(due['person'])}?next={quote(QUEUE)}")
    assert response.context["cancel_url"] == QUEUE
    html = response.content.decode()
    assert f'<input type="hidden" name="next" value="{QUEUE}">' in html
    assert "Terug naar de werkbak" in html


def test_saving_without_javascript_goes_back_to_the_queue(client, staff, due):
    login(client, staff, "sa")
    response = client.post(
        evaluation_url(due["person"]),
        {
            "trajectory": due["gpmi"].pk,
            "date": due["today"].isoformat(),
            "face_to_face": "true",
            "next": QUEUE + "?rule=gpmi_evaluation",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?rule=gpmi_evaluation"
    assert TrajectoryEvaluation.objects.get().trajectory == due["gpmi"]


@pytest.mark.parametrize(
    "unsafe", ["https://elders.example/queue/", "//elders.example/", "javascript:alert(1)"]
)
def test_a_next_to_another_site_is_ignored(client, staff, due, unsafe):
    login(client, staff, "sa")
    response = client.post(
        evaluation_url(due["person"]),
        {"trajectory": due["gpmi"].pk, "date": due["today"].isoformat(), "next": unsafe},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:client_detail", kwargs={"pk": due["person"].pk})


def test_saving_with_htmx_resolves_the_item_and_the_queue_reloads_without_it(client, staff, due):
    login(client, staff, "sa")
    before = client.get(QUEUE).context["items"]
    assert [item.rule for item in before] == ["vdab_missing", "gpmi_evaluation"]
    response = client.post(
        reverse("desk:record_add", kwargs={"pk": due["person"].pk, "kind": "vdab"}),
        {"registered_on": due["today"].isoformat(), "category": "ocmw", "next": QUEUE},
        headers=HTMX,
    )
    assert response.status_code == 204
    assert response["HX-Trigger"] == "traject:item-resolved"
    assert VdabRegistration.objects.get().client == due["person"]
    # The reload (htmx) gets the queue's body only: the next item first, the message,
    # the counts.
    body = client.get(QUEUE, headers=HTMX)
    html = body.content.decode()
    assert "<html" not in html
    assert 'id="queue-body"' in html
    assert [item.rule for item in body.context["items"]] == ["gpmi_evaluation"]
    assert "VDAB-inschrijving toegevoegd." in html
    counts = {rule: n for rule, _label, n in body.context["counts"]}
    assert (counts["vdab_missing"], counts["gpmi_evaluation"]) == (0, 1)


def test_an_invalid_save_from_the_queue_shows_the_form_again_in_its_panel(client, staff, due):
    login(client, staff, "sa")
    response = client.post(
        evaluation_url(due["person"]),
        {"trajectory": due["gpmi"].pk, "date": "", "next": QUEUE},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-target="closest .record-panel"' in html
    assert "Er is niets opgeslagen." in html
    assert f'name="next" value="{QUEUE}"' in html
    assert "Volgende item" in html
    assert not TrajectoryEvaluation.objects.exists()


def test_per_rule_counts_link_to_the_rule(client, staff, due):
    login(client, staff, "sa")
    html = client.get(QUEUE).content.decode()
    assert '<a href="?rule=gpmi_evaluation">GPMI-evaluatie (1)</a>' in html
    assert '<a href="?rule=vdab_missing">VDAB-inschrijving ontbreekt (1)</a>' in html


def item(today, due_days_ago, worker="Sa Sa"):
    return WorkItem(
        rule="vdab_missing",
        title="x",
        due_date=today - days(due_days_ago),
        today=today,
        url="/",
        client_id=1,
        social_worker_name=worker,
    )


def test_overdue_items_per_social_assistant_with_the_oldest_age_and_age_bands():
    today = datetime.date(2025, 6, 1)
    items = [
        item(today, 0),  # due today: not overdue
        item(today, 1),
        item(today, 7),
        item(today, 8),
        item(today, 91),
        item(today, 40, worker="Colleague Colleague"),
        item(today, -5, worker="Colleague Colleague"),  # not yet due
    ]
    summaries = overdue_by_worker(items)
    assert [s.social_worker_name for s in summaries] == ["Sa Sa", "Colleague Colleague"]
    mine, theirs = summaries
    assert (mine.count, mine.oldest_days, mine.per_band) == (4, 91, (2, 1, 0, 1))
    assert (theirs.count, theirs.oldest_days, theirs.per_band) == (1, 40, (0, 0, 1, 0))
    assert AGE_BANDS[0] == (1, 7)


def test_team_lead_sees_overdue_items_per_social_assistant_on_the_team_queue(client, staff, due):
    today = due["today"]
    IncomeRightFactory(client=staff.client_of("colleague"), start_date=today - days(10))
    login(client, staff, "lead")
    response = client.get(QUEUE)
    rows = {s.social_worker_name: (s, pk) for s, pk in response.context["overdue"]}
    # An's VDAB registration is missing since the right started 200 days ago, her GPMI
    # evaluation is 69 days overdue (190 - 121); the colleague's client 10 days.
    sa, sa_pk = rows[staff.workers["sa"].full_name]
    assert (sa.count, sa.oldest_days, sa.per_band) == (2, 200, (0, 0, 1, 1))
    assert sa_pk == staff.workers["sa"].pk
    colleague, _pk = rows[staff.workers["colleague"].full_name]
    # Missing VDAB registration since 10 days; the GPMI is not due to be signed yet.
    assert (colleague.count, colleague.oldest_days) == (1, 10)
    html = response.content.decode()
    assert "Te laat per maatschappelijk assistent" in html
    assert f'href="?scope=team&amp;worker={sa_pk}"' in html
    # Not on a social assistant's own queue.
    assert "overdue" not in client.get(QUEUE + "?scope=mine").context
