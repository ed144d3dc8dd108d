"""The team view (caseload per social assistant and per FTE) and the caseload transfer."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Assignment
from core import writes
from tests.factories import AssignmentFactory, SocialWorkerFactory

pytestmark = pytest.mark.django_db

TEAM = reverse("desk:team")
TRANSFER = reverse("desk:transfer")


def login(client, staff, name):
    client.force_login(staff.users[name])
    return client


def test_caseload_per_social_assistant_and_per_fte(client, staff):
    staff.workers["colleague"].fte = Decimal("0.800")
    staff.workers["colleague"].save()
    for _ in range(3):
        staff.client_of("sa")
    for _ in range(2):
        staff.client_of("colleague")
    staff.client_of("other_sa")
    # An ended assignment does not count.
    ended = staff.client_of("sa")
    Assignment.objects.filter(client=ended).update(end_date=datetime.date(2024, 6, 30))
    login(client, staff, "manager")
    response = client.get(TEAM)
    assert response.status_code == 200
    figures = response.context["figures"]
    rows = {row.team.name: row for row in figures.teams}
    team_a = rows["Team A"]
    per_worker = {w.social_worker.user.username: w for w in team_a.workers}
    assert per_worker["sa"].clients == 3
    assert per_worker["sa"].clients_per_fte == Decimal("3.00")
    assert per_worker["colleague"].clients == 2
    assert per_worker["colleague"].clients_per_fte == Decimal("2.50")
    assert per_worker["lead"].clients == 0
    assert team_a.fte == Decimal("2.800")
    assert team_a.clients == 5
    assert team_a.clients_per_fte == Decimal("1.79")
    assert rows["Team B"].clients == 1
    assert (figures.social_workers, figures.fte, figures.clients) == (4, Decimal("3.800"), 6)
    assert figures.clients_per_fte == Decimal("1.58")
    html = response.content.decode()
    assert "2,50" in html  # Dutch decimal comma
    assert "Caseload overdragen" not in html  # managers do not transfer


def test_a_social_worker_who_left_is_not_counted(client, staff):
    SocialWorkerFactory(
        organisation=staff.organisation, team=staff.team_a, end_date=datetime.date(2024, 1, 1)
    )
    login(client, staff, "manager")
    assert client.get(TEAM).context["figures"].social_workers == 4


def test_a_team_lead_sees_only_their_team(client, staff):
    staff.client_of("other_sa")
    login(client, staff, "lead")
    response = client.get(TEAM)
    assert [row.team for row in response.context["figures"].teams] == [staff.team_a]
    assert "Caseload overdragen" in response.content.decode()


def test_social_assistants_have_no_team_view(client, staff):
    login(client, staff, "sa")
    assert client.get(TEAM).status_code == 403
    assert client.get(TRANSFER).status_code == 403


def test_managers_cannot_transfer(client, staff):
    login(client, staff, "manager")
    assert client.get(TRANSFER).status_code == 403


def test_transfer_a_whole_caseload_with_a_confirm_step_and_a_summary(client, staff):
    people = [staff.client_of("sa", last_name=f"Klant{i}") for i in range(3)]
    login(client, staff, "lead")
    day = timezone.localdate() + datetime.timedelta(days=7)
    choice = {
        "from_social_worker": staff.workers["sa"].pk,
        "to_social_worker": staff.workers["colleague"].pk,
        "day": day.isoformat(),
    }
    confirm = client.post(TRANSFER, choice)
    assert confirm.status_code == 200
    assert confirm.context["step"] == 2
    assert set(confirm.context["form"].initial["clients"]) == {p.pk for p in people}
    assert Assignment.objects.filter(social_worker=staff.workers["colleague"]).count() == 0

    done = client.post(
        TRANSFER, {**choice, "confirm": "1", "clients": [p.pk for p in people]}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("desk:transfer_done")
    html = done.content.decode()
    assert "3 cliënten gingen over" in html
    for person in people:
        assert person.last_name in html
        old, new = person.assignments.order_by("start_date")
        assert (old.social_worker, old.end_date) == (
            staff.workers["sa"],
            day - datetime.timedelta(days=1),
        )
        assert (new.social_worker, new.start_date, new.end_date) == (
            staff.workers["colleague"],
            day,
            None,
        )


def test_transfer_only_the_ticked_clients(client, staff):
    keep = staff.client_of("sa", last_name="Blijft")
    move = staff.client_of("sa", last_name="Gaat")
    login(client, staff, "lead")
    client.post(
        TRANSFER,
        {
            "from_social_worker": staff.workers["sa"].pk,
            "to_social_worker": staff.workers["colleague"].pk,
            "day": timezone.localdate().isoformat(),
            "confirm": "1",
            "clients": [move.pk],
        },
    )
    assert keep.assignments.get().social_worker == staff.workers["sa"]
    assert (
        move.assignments.filter(end_date__isnull=True).get().social_worker
        == (staff.workers["colleague"])
    )


def test_transfer_needs_two_different_people_and_moves_nothing_otherwise(client, staff):
    staff.client_of("sa")
    login(client, staff, "lead")
    response = client.post(
        TRANSFER,
        {
            "from_social_worker": staff.workers["sa"].pk,
            "to_social_worker": staff.workers["sa"].pk,
            "day": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "twee verschillende" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_transfer_without_ticked_clients_moves_nothing(client, staff):
    staff.client_of("sa")
    login(client, staff, "lead")
    response = client.post(
        TRANSFER,
        {
            "from_social_worker": staff.workers["sa"].pk,
            "to_social_worker": staff.workers["colleague"].pk,
            "day": timezone.localdate().isoformat(),
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert "Kies minstens één cliënt." in response.content.decode()
    assert Assignment.objects.count() == 1


def test_a_team_lead_cannot_move_another_teams_caseload(client, staff):
    person = staff.client_of("other_sa")
    login(client, staff, "lead")
    response = client.post(
        TRANSFER,
        {
            "from_social_worker": staff.workers["other_sa"].pk,
            "to_social_worker": staff.workers["colleague"].pk,
            "day": timezone.localdate().isoformat(),
            "confirm": "1",
            "clients": [person.pk],
        },
    )
    assert response.status_code == 200
    assert "from_social_worker" in response.context["form"].errors
    assert person.assignments.get().social_worker == staff.workers["other_sa"]


def test_a_client_outside_the_selection_cannot_be_slipped_in(client, staff):
    mine = staff.client_of("sa")
    stranger = staff.client_of("other_sa")
    AssignmentFactory(client=stranger, social_worker=staff.workers["sa"], end_date=None)
    Assignment.objects.filter(client=stranger, social_worker=staff.workers["sa"]).update(
        start_date=timezone.localdate() + datetime.timedelta(days=30)
    )
    login(client, staff, "lead")
    response = client.post(
        TRANSFER,
        {
            "from_social_worker": staff.workers["sa"].pk,
            "to_social_worker": staff.workers["colleague"].pk,
            "day": timezone.localdate().isoformat(),
            "confirm": "1",
            "clients": [mine.pk, stranger.pk],
        },
    )
    # The stranger is not visible to the team lead today: refused, nothing moved.
    assert response.status_code == 200
    assert "clients" in response.context["form"].errors
    assert mine.assignments.get().social_worker == staff.workers["sa"]


def test_writes_of_a_transfer_are_attributed_to_the_team_lead(client, staff, monkeypatch):
    seen = []
    monkeypatch.setattr(
        writes,
        "write_observers",
        [lambda action, items: seen.append(writes.current_write_source())],
    )
    person = staff.client_of("sa")
    login(client, staff, "lead")
    client.post(
        TRANSFER,
        {
            "from_social_worker": staff.workers["sa"].pk,
            "to_social_worker": staff.workers["colleague"].pk,
            "day": timezone.localdate().isoformat(),
            "confirm": "1",
            "clients": [person.pk],
        },
    )
    assert seen
    assert {source.user for source in seen} == {staff.users["lead"]}
    assert {source.source for source in seen} == {"page:" + TRANSFER}
