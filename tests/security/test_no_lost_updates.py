"""No lost updates: two people edit the same record at once; the second save gets a clear
conflict message instead of silently overwriting the first (service, web form, admin)."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from casework import services
from casework.models import Client, IncomeRight
from core.writes import ConflictError
from tests.factories import IncomeRightFactory

CONFLICT = "Iemand anders heeft dit record intussen gewijzigd"


@pytest.mark.django_db
def test_the_second_of_two_edits_from_the_same_version_is_refused(world):
    read_by_a = Client.objects.get(pk=world.clients["own"].pk)
    read_by_b = Client.objects.get(pk=world.clients["own"].pk)
    services.client_update(
        client=read_by_a, expected_version=read_by_a.version, household="married"
    )
    with pytest.raises(ConflictError, match=CONFLICT):
        services.client_update(
            client=read_by_b, expected_version=read_by_b.version, household="cohabiting"
        )
    client = Client.objects.get(pk=read_by_a.pk)
    assert (client.household, client.version) == ("married", 2)


def _form_data(response) -> dict:
    from tests.security.test_hostile_input import record_form

    return dict(record_form(response.content.decode())["fields"])


@pytest.mark.django_db
def test_two_social_assistants_editing_one_record_in_the_web_form(world, client):
    own = world.clients["own"]
    right = IncomeRightFactory(client=own, category="single")
    url = reverse(
        "desk:record_edit", kwargs={"pk": own.pk, "kind": "income-right", "record_pk": right.pk}
    )
    client.force_login(world.user("sa"))
    form_a = _form_data(client.get(url))
    client.force_login(world.user("lead"))
    form_b = _form_data(client.get(url))
    client.force_login(world.user("sa"))
    response = client.post(url, form_a | {"category": "cohabiting"})
    assert response.status_code in (200, 302)
    assert IncomeRight.objects.get(pk=right.pk).category == "cohabiting"
    client.force_login(world.user("lead"))
    response = client.post(url, form_b | {"category": "family"})
    # The form names who saved first (the lead's view of the other assistant's save).
    sa = world.user("sa")
    who = sa.get_full_name() or sa.get_username()
    html = response.content.decode()
    assert "Niet opgeslagen: dit record is intussen gewijzigd." in html
    assert f"{who} heeft dit record intussen gewijzigd" in html
    assert IncomeRight.objects.get(pk=right.pk).category == "cohabiting"


@pytest.mark.django_db
def test_two_administrators_editing_one_record_in_the_admin(world, client):
    team = world.team_a  # reference data: an administrator edits social workers in the admin
    worker = world.social_workers["sa"]
    url = reverse("admin:casework_socialworker_change", args=[worker.pk])
    client.force_login(world.user("superuser"))
    form_a = _admin_form(client.get(url))
    form_b = dict(form_a)
    response = client.post(url, form_a | {"fte": "0.8"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(url, form_b | {"fte": "0.5"})
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    worker.refresh_from_db()
    assert str(worker.fte) == "0.800"
    assert worker.team == team


def _admin_form(response) -> dict:
    from tests.security.test_hostile_input import FormReader

    reader = FormReader()
    reader.feed(response.content.decode())
    form = next(f for f in reader.forms if "expected_version" in f["fields"])
    return {k: v for k, v in form["fields"].items() if not k.startswith("_")}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two real connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_save_that_waits_for_a_concurrent_one_sees_the_new_version(world):
    """B starts saving while A holds the row; when A commits, B is refused, not applied."""
    pk = world.clients["own"].pk
    a_holds_the_row, b_started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def editor_a():
        with transaction.atomic():
            locked = Client.objects.select_for_update().get(pk=pk)
            a_holds_the_row.set()
            b_started.wait(5)
            services.client_update(client=locked, expected_version=1, household="married")
        connection.close()

    def editor_b():
        a_holds_the_row.wait(5)
        read = Client.objects.get(pk=pk)
        b_started.set()
        try:
            services.client_update(client=read, expected_version=1, household="cohabiting")
            outcome["b"] = "saved"
        except ConflictError:
            outcome["b"] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=editor_a), threading.Thread(target=editor_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcome == {"b": "conflict"}
    assert Client.objects.get(pk=pk).household == "married"
