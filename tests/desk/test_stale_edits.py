"""A refused stale edit shows both versions, says who changed the record and when (the
user's own other tab is not "somebody else"), and keeps what the user typed so that
saving once more puts their version on top of the current one."""

import pytest
from django.urls import reverse

from core import writes
from desk.stale_edits import display_value
from tests.factories import Article60PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sa(client, staff):
    client.force_login(staff.users["sa"])
    return client


@pytest.fixture
def placement(staff):
    return Article60PlacementFactory(
        client=staff.client_of("sa", last_name="Peeters"), employer_name="Groendienst"
    )


def edit_url(placement):
    return reverse(
        "desk:record_edit",
        kwargs={"pk": placement.client_id, "kind": "article60", "record_pk": placement.pk},
    )


def typed(placement, version, **changes):
    return {
        "employer_kind": placement.employer_kind,
        "employer_name": "Zwembad",
        "start_date": placement.start_date.isoformat(),
        "planned_end_date": placement.planned_end_date.isoformat(),
        "version": version,
        **changes,
    }


def test_a_stale_edit_shows_both_versions_and_who_changed_it(sa, staff, placement):
    with writes.writes_by(user=staff.users["colleague"]):
        writes.record_update(instance=placement, employer_name="Bibliotheek")
    response = sa.post(edit_url(placement), typed(placement, 1))
    assert response.status_code == 200
    stale = response.context["stale"]
    assert stale.message.startswith("Colleague heeft dit record intussen gewijzigd (op ")
    [row] = [row for row in stale.differing]
    assert (row.label, row.theirs, row.yours) == ("Inlenende werkgever", "Bibliotheek", "Zwembad")
    html = response.content.decode()
    assert "Niet opgeslagen: dit record is intussen gewijzigd." in html
    assert "Bibliotheek" in html and "Mijn versie opslaan" in html
    # The form keeps what was typed, with the version that is stored now.
    form = response.context["form"]
    assert form["employer_name"].value() == "Zwembad"
    assert str(form["version"].value()) == "2"
    placement.refresh_from_db()
    assert (placement.employer_name, placement.version) == ("Bibliotheek", 2)


def test_keeping_my_version_saves_it_on_top_of_the_current_one(sa, staff, placement):
    with writes.writes_by(user=staff.users["colleague"]):
        writes.record_update(instance=placement, employer_name="Bibliotheek")
    again = sa.post(edit_url(placement), typed(placement, 1)).context["form"]
    response = sa.post(edit_url(placement), typed(placement, again["version"].value()))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.employer_name, placement.version) == ("Zwembad", 3)


def test_my_own_change_in_another_tab_is_not_somebody_else(sa, staff, placement):
    with writes.writes_by(user=staff.users["sa"]):
        writes.record_update(instance=placement, employer_name="Bibliotheek")
    response = sa.post(edit_url(placement), typed(placement, 1))
    message = response.context["stale"].message
    assert message.startswith(
        "Je hebt dit record intussen in een ander venster/tabblad gewijzigd (op "
    )
    assert "Iemand anders" not in response.content.decode()


def test_with_htmx_the_refusal_stays_in_the_panel(sa, staff, placement):
    with writes.writes_by(user=staff.users["colleague"]):
        writes.record_update(instance=placement, employer_name="Bibliotheek")
    response = sa.post(edit_url(placement), typed(placement, 1), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-target="closest .record-panel"' in html
    assert 'value="Zwembad"' in html
    assert "data-dirty" in html


def test_values_read_as_a_person_reads_them(placement):
    assert display_value(placement, "start_date") == placement.start_date.strftime("%d/%m/%Y")
    assert display_value(placement, "end_date") == "—"
    assert display_value(placement, "employer_kind") == placement.get_employer_kind_display()


def test_record_forms_warn_before_typed_text_is_lost(sa, placement):
    html = sa.get(edit_url(placement)).content.decode()
    # The form is watched (keep-typed.js, served by the app itself) and the warning is Dutch.
    assert "data-keep-typed" in html
    assert 'src="/static/traject/keep-typed.js"' in html
    assert "Je hebt tekst getypt die nog niet is opgeslagen." in html
    # A fresh form is not "dirty"; one sent back unsaved is.
    assert "data-dirty" not in html
