"""The client file: what it shows, and adding and editing every kind of record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import (
    Client,
    ClientNote,
    Exemption,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
)
from core import writes
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Referral,
    VdabRegistration,
)
from tests.factories import (
    Article60PlacementFactory,
    ExemptionFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    ProgrammeFactory,
    ProgrammeSessionFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

VALID_NN = "85073003328"  # born 30/07/1985


def add_url(client, kind):
    return reverse("desk:record_add", kwargs={"pk": client.pk, "kind": kind})


def edit_url(client, kind, record):
    return reverse(
        "desk:record_edit", kwargs={"pk": client.pk, "kind": kind, "record_pk": record.pk}
    )


def file_url(client):
    return reverse("desk:client_detail", kwargs={"pk": client.pk})


@pytest.fixture
def sa(client, staff):
    client.force_login(staff.users["sa"])
    return client


@pytest.fixture
def person(staff):
    return staff.client_of(
        "sa",
        first_name="An",
        last_name="Peeters",
        birth_date=datetime.date(1985, 7, 30),
        national_number=VALID_NN,
        household="cohabiting",
    )


# --- Reading the file -------------------------------------------------------------------


def test_file_shows_identity_with_formatted_national_number_and_the_timeline(sa, person):
    IncomeRightFactory(client=person, start_date=datetime.date(2024, 1, 1))
    gpmi = TrajectoryFactory(client=person, start_date=datetime.date(2024, 2, 1))
    services.trajectory_evaluation_create(
        trajectory=gpmi, date=datetime.date(2024, 5, 1), face_to_face=True, notes="Goed gesprek"
    )
    Article60PlacementFactory(client=person, employer_name="Groendienst")
    response = sa.get(file_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "85.07.30-033.28" in html
    assert "30/07/1985" in html
    assert "samenwonend" in html
    assert "Leefloon (alleenstaande)" in html
    assert "Evaluatie van GPMI 01/02/2024" in html
    assert "Goed gesprek" in html
    assert "Artikel 60 bij Groendienst" in html
    # The timeline is newest first: the evaluation (05/2024) before the GPMI (02/2024).
    assert html.index("Evaluatie van GPMI") < html.index("Doel: Werk in de logistiek")


def test_national_number_never_appears_in_a_link(sa, person):
    html = sa.get(file_url(person)).content.decode()
    for href in html.split('href="')[1:]:
        assert VALID_NN not in href.split('"')[0]


def test_a_client_of_another_team_is_404(client, staff):
    other = staff.client_of("other_sa")
    client.force_login(staff.users["sa"])
    assert client.get(file_url(other)).status_code == 404
    assert client.get(add_url(other, "note")).status_code == 404
    response = client.post(add_url(other, "note"), {"date": "2025-01-10", "text": "x"})
    assert response.status_code == 404
    assert not ClientNote.objects.exists()


def test_a_manager_sees_no_client_file(client, staff, person):
    client.force_login(staff.users["manager"])
    assert client.get(file_url(person)).status_code == 403


def test_anonymous_goes_to_login(client, person):
    response = client.get(file_url(person))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_health_data_is_hidden_from_a_team_colleague(client, staff, person):
    MmppScreeningFactory(client=person, category=5)
    ExemptionFactory(client=person, kind="gpmi", reason="health")
    client.force_login(staff.users["colleague"])
    html = client.get(file_url(person)).content.decode()
    assert "MMPP-advies" not in html
    assert "gezondheidsredenen" not in html
    assert client.get(add_url(person, "mmpp")).status_code == 403
    screening = MmppScreening.objects.get()
    response = client.post(
        edit_url(person, "mmpp", screening),
        {"advised_on": "2024-04-01", "category": "1", "version": screening.version},
    )
    assert response.status_code == 403
    screening.refresh_from_db()
    assert screening.category == 5


HIDDEN_ITEM = "Er is een item dat je niet mag zien"


def test_a_colleague_is_told_an_item_is_hidden_not_that_nothing_is_due(client, staff, person):
    """A GPMI exemption (health data) cancels the GPMI item: a colleague who may not see
    health data must neither read "GPMI laten ondertekenen" nor "Niets te doen" (which
    reveals the exemption)."""
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    VdabRegistrationFactory(client=person, registered_on=datetime.date(2025, 1, 1))
    ExemptionFactory(
        client=person,
        kind="gpmi",
        reason="health",
        start_date=datetime.date(2025, 1, 1),
    )
    client.force_login(staff.users["colleague"])
    html = client.get(file_url(person)).content.decode()
    assert "Niets te doen" not in html
    assert HIDDEN_ITEM in html
    assert "GPMI laten ondertekenen" not in html


def test_a_vdab_exemption_is_hidden_from_a_colleague_shown_to_the_assistant(
    client, sa, staff, person
):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    ExemptionFactory(
        client=person,
        kind="vdab_registration",
        reason="health",
        start_date=datetime.date(2025, 1, 1),
        end_date=None,
    )
    html = sa.get(file_url(person)).content.decode()
    assert HIDDEN_ITEM not in html
    assert "Inschrijven bij VDAB" not in html  # the exemption resolves it
    client.force_login(staff.users["colleague"])
    html = client.get(file_url(person)).content.decode()
    assert HIDDEN_ITEM in html
    assert "Inschrijven bij VDAB" not in html
    assert "Niets te doen" not in html


def test_a_colleague_sees_that_an_mmpp_item_is_hidden_not_which(client, staff, person):
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2020, 1, 1))
    client.force_login(staff.users["colleague"])
    html = client.get(file_url(person)).content.decode()
    assert HIDDEN_ITEM in html
    assert "Niets te doen" not in html
    assert "Uitleidgesprek" not in html
    assert "/mmpp/" not in html


def test_health_data_is_shown_to_the_assigned_social_assistant(sa, person):
    MmppScreeningFactory(client=person, category=4)
    ExemptionFactory(client=person, kind="gpmi", reason="health")
    html = sa.get(file_url(person)).content.decode()
    assert "MMPP-advies: 4. activeringsbegeleiding" in html
    assert "Reden: gezondheidsredenen" in html


def test_the_file_shows_what_is_due_with_a_link_to_the_form(sa, person):
    IncomeRightFactory(client=person, start_date=timezone.localdate())
    html = sa.get(file_url(person)).content.decode()
    assert "GPMI laten ondertekenen" in html
    assert add_url(person, "trajectory") + "?kind=gpmi" in html


def test_htmx_get_of_the_file_returns_only_its_body(sa, person):
    response = sa.get(file_url(person), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="file-body">')
    assert "<html" not in html


# --- Adding records ---------------------------------------------------------------------


RECORDS = [
    (
        "income-right",
        {"kind": "leefloon", "category": "single", "start_date": "2025-01-01"},
        IncomeRight,
    ),
    (
        "trajectory",
        {"kind": "gpmi", "start_date": "2025-02-01", "goal": "Werk als chauffeur"},
        Trajectory,
    ),
    (
        "article60",
        {
            "employer_kind": "non_profit",
            "employer_name": "Kringwinkel",
            "start_date": "2025-03-01",
            "planned_end_date": "2026-02-28",
        },
        Article60Placement,
    ),
    ("vdab", {"registered_on": "2025-01-15", "category": "ocmw"}, VdabRegistration),
    ("employment", {"start_date": "2025-06-01", "contract": "temporary"}, Employment),
    ("mmpp", {"advised_on": "2025-01-20", "category": "3"}, MmppScreening),
    (
        "exemption",
        {"kind": "vdab_registration", "reason": "equity", "start_date": "2025-01-01"},
        Exemption,
    ),
    ("note", {"date": "15/01/2025", "text": "Telefoon: komt volgende week langs."}, ClientNote),
]


@pytest.mark.parametrize(("kind", "data", "model"), RECORDS, ids=[r[0] for r in RECORDS])
def test_add_every_kind_of_record(sa, person, kind, data, model):
    assert sa.get(add_url(person, kind)).status_code == 200
    response = sa.post(add_url(person, kind), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == file_url(person)
    record = model.objects.get()
    assert record.client == person
    assert record.organisation_id == person.organisation_id
    assert record.external_id.startswith("t-")


def test_a_saved_record_is_attributed_to_the_user_page_and_proxied_address(sa, person, settings):
    """No view wraps its writes: the audit middleware does it for every request."""
    from audit.models import AuditAction, AuditEntry

    settings.TRAJECT_PROXY_COUNT = 1
    response = sa.post(
        add_url(person, "note"),
        {"date": "2025-01-15", "text": "Gesprek"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="casework.clientnote"
    )
    assert (entry.username, entry.source, entry.address, entry.client_id) == (
        "sa",
        f"page:{add_url(person, 'note')}",
        "198.51.100.4",
        person.pk,
    )


def test_a_note_records_its_author(sa, person, staff):
    sa.post(add_url(person, "note"), {"date": "2025-01-15", "text": "Gesprek"})
    assert ClientNote.objects.get().author == staff.users["sa"]


def test_add_an_evaluation_to_the_clients_gpmi(sa, person):
    gpmi = TrajectoryFactory(client=person, start_date=datetime.date(2024, 2, 1))
    url = add_url(person, "evaluation") + f"?trajectory={gpmi.pk}"
    form = sa.get(url).context["form"]
    assert form.initial["trajectory"] == str(gpmi.pk)
    response = sa.post(
        add_url(person, "evaluation"),
        {"trajectory": gpmi.pk, "date": "2024-06-01", "face_to_face": "true", "notes": "Ok"},
    )
    assert response.status_code == 302
    evaluation = TrajectoryEvaluation.objects.get()
    assert evaluation.trajectory == gpmi
    assert evaluation.face_to_face is True


def test_an_evaluation_cannot_point_to_another_clients_trajectory(sa, person, staff):
    foreign = TrajectoryFactory(client=staff.client_of("other_sa"))
    response = sa.post(
        add_url(person, "evaluation"), {"trajectory": foreign.pk, "date": "2024-06-01"}
    )
    assert response.status_code == 200
    assert "trajectory" in response.context["form"].errors
    assert not TrajectoryEvaluation.objects.exists()


def test_refer_to_a_jobroad_screening(sa, person):
    programme = ProgrammeFactory(organisation=person.organisation, code="jobroad")
    session = ProgrammeSessionFactory(
        programme=programme, date=timezone.localdate() + datetime.timedelta(days=20)
    )
    response = sa.post(
        add_url(person, "referral"),
        {
            "programme": programme.pk,
            "session": session.pk,
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().session == session


def test_a_full_session_is_refused_with_a_clear_message(sa, person, staff):
    programme = ProgrammeFactory(organisation=person.organisation, code="jobroad")
    session = ProgrammeSessionFactory(
        programme=programme, date=timezone.localdate() + datetime.timedelta(days=20), capacity=1
    )
    services_client = staff.client_of("sa")
    Referral.objects.create(
        client=services_client,
        organisation=person.organisation,
        programme=programme,
        session=session,
        start_date=timezone.localdate(),
    )
    response = sa.post(
        add_url(person, "referral"),
        {
            "programme": programme.pk,
            "session": session.pk,
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "volzet" in response.content.decode()
    assert Referral.objects.count() == 1


# --- Bad input: a clear Dutch message, nothing saved --------------------------------------


def test_end_before_start_is_refused(sa, person):
    response = sa.post(
        add_url(person, "income-right"),
        {
            "kind": "leefloon",
            "category": "single",
            "start_date": "2025-03-01",
            "end_date": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()
    assert "Er is niets opgeslagen." in response.content.decode()
    assert not IncomeRight.objects.exists()


def test_an_overlapping_income_right_is_refused(sa, person):
    IncomeRightFactory(client=person, start_date=datetime.date(2024, 1, 1))
    response = sa.post(
        add_url(person, "income-right"),
        {"kind": "equivalent", "category": "single", "start_date": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "al een recht op maatschappelijke integratie" in response.content.decode()
    assert IncomeRight.objects.count() == 1


def test_an_overlapping_article60_placement_is_refused(sa, person):
    Article60PlacementFactory(client=person, start_date=datetime.date(2024, 1, 1))
    response = sa.post(
        add_url(person, "article60"),
        {"employer_kind": "public", "start_date": "2024-06-01"},
    )
    assert response.status_code == 200
    assert "al een tewerkstelling artikel 60" in response.content.decode()
    assert Article60Placement.objects.count() == 1


def test_missing_and_malformed_fields_are_refused(sa, person):
    response = sa.post(
        add_url(person, "vdab"), {"registered_on": "31/02/2025", "category": "nonsense"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "registered_on" in errors
    assert "category" in errors
    assert not VdabRegistration.objects.exists()


def test_a_date_before_birth_is_refused(sa, person):
    response = sa.post(add_url(person, "note"), {"date": "1980-01-01", "text": "x"})
    assert response.status_code == 200
    assert "vóór de geboortedatum" in response.content.decode()
    assert not ClientNote.objects.exists()


def test_an_unknown_kind_is_404(sa, person):
    assert sa.get(add_url(person, "nonsense")).status_code == 404


def test_script_in_a_note_is_shown_escaped(sa, person):
    sa.post(add_url(person, "note"), {"date": "2025-01-15", "text": "<script>alert(1)</script>"})
    html = sa.get(file_url(person)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Editing, and the stale edit ----------------------------------------------------------


def test_edit_a_record_with_its_version(sa, person):
    right = IncomeRightFactory(client=person, start_date=datetime.date(2024, 1, 1))
    form = sa.get(edit_url(person, "income-right", right)).context["form"]
    assert form.initial["version"] == 1
    response = sa.post(
        edit_url(person, "income-right", right),
        {
            "kind": "leefloon",
            "category": "family",
            "start_date": "2024-01-01",
            "end_date": "2024-12-31",
            "version": 1,
        },
    )
    assert response.status_code == 302
    right.refresh_from_db()
    assert (right.category, right.end_date, right.version) == (
        "family",
        datetime.date(2024, 12, 31),
        2,
    )


def test_a_stale_edit_gets_a_conflict_message_and_overwrites_nothing(sa, person):
    placement = Article60PlacementFactory(client=person, employer_name="Groendienst")
    # Somebody else saves first.
    writes.record_update(instance=placement, employer_name="Bibliotheek")
    response = sa.post(
        edit_url(person, "article60", placement),
        {
            "employer_kind": "own_service",
            "employer_name": "Zwembad",
            "start_date": "2024-01-01",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit record intussen gewijzigd" in response.content.decode()
    placement.refresh_from_db()
    assert placement.employer_name == "Bibliotheek"
    assert placement.version == 2


def test_an_edit_without_version_is_refused(sa, person):
    right = IncomeRightFactory(client=person)
    response = sa.post(
        edit_url(person, "income-right", right),
        {"kind": "leefloon", "category": "family", "start_date": "2024-01-01"},
    )
    assert response.status_code == 200
    right.refresh_from_db()
    assert right.category == "single"


def test_a_record_of_another_client_cannot_be_edited_through_this_file(sa, person, staff):
    mine_too = staff.client_of("sa")
    right = IncomeRightFactory(client=mine_too)
    response = sa.get(edit_url(person, "income-right", right))
    assert response.status_code == 404


def test_edit_identity_with_a_formatted_national_number(sa, person):
    url = reverse("desk:client_edit", kwargs={"pk": person.pk})
    form = sa.get(url).context["form"]
    assert form.initial["national_number"] == "85.07.30-033.28"
    response = sa.post(
        url,
        {
            "first_name": "Anna",
            "last_name": "Peeters",
            "birth_date": "1985-07-30",
            "gender": "f",
            "national_number": "85.07.30-033.28",
            "household": "single",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.household, person.national_number) == (
        "Anna",
        "single",
        VALID_NN,
    )


def test_an_invalid_national_number_is_refused(sa, person):
    url = reverse("desk:client_edit", kwargs={"pk": person.pk})
    response = sa.post(
        url,
        {
            "first_name": "Anna",
            "last_name": "Peeters",
            "birth_date": "1985-07-30",
            "gender": "f",
            "national_number": "85.07.30-033.29",
            "household": "single",
            "version": person.version,
        },
    )
    assert response.status_code == 200
    assert "controlegetal" in response.content.decode()
    # The page header keeps the saved name while the form shows the input.
    person.refresh_from_db()
    assert person.first_name == "An"


# --- htmx: inline forms without page reloads ------------------------------------------------


def test_htmx_get_returns_only_the_form(sa, person):
    response = sa.get(add_url(person, "note"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-post="' + add_url(person, "note") + '"' in html
    assert 'hx-target="closest .record-panel"' in html


def test_htmx_save_swaps_the_file_body_back_in(sa, person):
    response = sa.post(
        add_url(person, "note"),
        {"date": "2025-01-15", "text": "Ingeschreven in de wachtlijst"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#file-body"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="file-body">')
    assert "Ingeschreven in de wachtlijst" in html
    assert "Notitie toegevoegd." in html


def test_htmx_bad_input_returns_the_form_with_errors(sa, person):
    response = sa.post(
        add_url(person, "note"), {"date": "", "text": ""}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "HX-Retarget" not in response
    assert "form-errors" in html
    assert "Dit veld is verplicht." in html
    assert not ClientNote.objects.exists()


def test_every_read_goes_through_the_access_check(sa, person, monkeypatch):
    from access import rules as access

    seen = []
    monkeypatch.setattr(
        access, "client_access_observers", [lambda request, c, allowed: seen.append(allowed)]
    )
    sa.get(file_url(person))
    sa.get(add_url(person, "note"), headers={"HX-Request": "true"})
    sa.post(add_url(person, "note"), {"date": "2025-01-15", "text": "x"})
    assert seen == [True, True, True]


def test_writes_are_attributed_to_the_user_and_page(sa, person, staff, monkeypatch):
    sources = []

    def observer(action, items):
        sources.append(writes.current_write_source())

    monkeypatch.setattr(writes, "write_observers", [observer])
    sa.post(add_url(person, "note"), {"date": "2025-01-15", "text": "x"})
    assert sources
    assert sources[0].user == staff.users["sa"]
    assert sources[0].source == "page:" + add_url(person, "note")


def test_vdab_link_from_the_queue_prefills_warm_handover(sa, person):
    form = sa.get(add_url(person, "vdab") + "?warm_handover=1").context["form"]
    assert form.initial["warm_handover"] == "1"


def test_client_count_unchanged_by_a_bad_identity_edit(sa, person):
    url = reverse("desk:client_edit", kwargs={"pk": person.pk})
    sa.post(url, {"first_name": "", "version": person.version})
    assert Client.objects.count() == 1
    person.refresh_from_db()
    assert person.first_name == "An"


def test_an_evaluation_without_any_trajectory_explains_what_to_do_first(sa, person):
    html = sa.get(add_url(person, "evaluation")).content.decode()
    assert "nog geen GPMI of traject" in html
    response = sa.post(add_url(person, "evaluation"), {"date": "2025-01-10"})
    assert "trajectory" in response.context["form"].errors
    assert not TrajectoryEvaluation.objects.exists()
