"""The Django admin: every page loads, search and filters work, writes go through the
services (with Dutch errors instead of crashes), and client data is limited to the
clients a user may see."""

import datetime
import re

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.urls import reverse

from access.roles import SOCIAL_ASSISTANT, group_name
from access.rules import visible_clients
from casework import services
from casework.models import Client, ClientNote, IncomeRight, Population
from core import writes
from tests.factories import (
    AppointmentFactory,
    Article60PlacementFactory,
    AssignmentFactory,
    ClientFactory,
    ClientNoteFactory,
    EmploymentFactory,
    ExemptionFactory,
    HouseholdMemberFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    OrganisationFactory,
    PopulationFactory,
    ProgrammeFactory,
    ProgrammeFundingFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    RegionFactory,
    SocialWorkerFactory,
    TeamFactory,
    TrajectoryEvaluationFactory,
    TrajectoryFactory,
    UserFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

APPS = ("casework", "partners")


def admin_url(model: type[models.Model], view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def records(organisation):
    """One record of every kind, around two clients."""
    organisation.region = RegionFactory(code="regio-mechelen", name="Regio Mechelen")
    organisation.save()
    team = TeamFactory(organisation=organisation, name="Team Noord")
    worker = SocialWorkerFactory(organisation=organisation, team=team, last_name="Janssens")
    an = ClientFactory(
        organisation=organisation,
        first_name="An",
        last_name="Peeters",
        birth_date=datetime.date(1985, 7, 30),
        national_number="85073003328",
    )
    bram = ClientFactory(organisation=organisation, first_name="Bram", last_name="Wouters")
    AssignmentFactory(client=an, social_worker=worker)
    AssignmentFactory(client=bram, social_worker=worker, end_date=datetime.date(2024, 6, 30))
    IncomeRightFactory(client=an, start_date=datetime.date(2024, 1, 1))
    IncomeRightFactory(
        client=bram,
        kind="equivalent",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    trajectory = TrajectoryFactory(client=an)
    TrajectoryEvaluationFactory(trajectory=trajectory)
    ExemptionFactory(client=bram)
    ClientNoteFactory(client=an)
    AppointmentFactory(
        client=an, social_worker=worker, trajectory=trajectory, kind="gpmi_evaluation"
    )
    HouseholdMemberFactory(client=an, birth_date=datetime.date(2010, 3, 4))
    PopulationFactory(organisation=organisation, year=2025)
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad", name="JobRoad")
    ProgrammeFundingFactory(programme=jobroad, year=2024)
    session = ProgrammeSessionFactory(programme=jobroad)
    ReferralFactory(client=an, programme=jobroad, session=session)
    Article60PlacementFactory(client=an, start_date=datetime.date(2024, 9, 1))
    VdabRegistrationFactory(client=an)
    EmploymentFactory(client=bram)
    MmppScreeningFactory(client=bram)
    return {"an": an, "bram": bram, "worker": worker, "organisation": organisation}


def registered_models():
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label in APPS),
        key=lambda m: m._meta.label,
    )


def test_every_casework_and_partners_model_has_an_admin():
    from django.apps import apps

    missing = [
        m._meta.label
        for app in APPS
        for m in apps.get_app_config(app).get_models()
        if m not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_load(admin_client, records, model):
    changelist = admin_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count >= 1
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    change = admin_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    # Labels are Dutch (verbose names), e.g. "cliënt wijzigen".
    assert str(model._meta.verbose_name) in change.content.decode()


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_list_filter_choice_gives_a_page(admin_client, records, model):
    changelist = admin_client.get(admin_url(model, "changelist"))
    for spec in changelist.context["cl"].filter_specs:
        for choice in spec.choices(changelist.context["cl"]):
            response = admin_client.get(admin_url(model, "changelist") + choice["query_string"])
            assert response.status_code == 200, choice["query_string"]


def test_client_list_shows_the_formatted_national_number(admin_client, records):
    response = admin_client.get(admin_url(Client, "changelist"))
    assert "85.07.30-033.28" in response.content.decode()


@pytest.mark.parametrize("term", ["peeters", "85.07.30-033.28", "850730"])
def test_client_search_by_name_or_national_number(admin_client, records, term):
    response = admin_client.post(
        admin_url(Client, "changelist"), {"client_search": term}, follow=True
    )
    assert list(response.context["cl"].result_list) == [records["an"]]


def test_client_records_are_searched_by_their_client(admin_client, records):
    response = admin_client.post(
        admin_url(IncomeRight, "changelist"), {"client_search": "wouters"}, follow=True
    )
    assert [r.client for r in response.context["cl"].result_list] == [records["bram"]]


def test_status_filter_uses_the_period_definition(admin_client, records):
    url = admin_url(IncomeRight, "changelist")
    running = admin_client.get(url, {"status": "running"}).context["cl"].result_list
    ended = admin_client.get(url, {"status": "ended"}).context["cl"].result_list
    assert [r.client for r in running] == [records["an"]]
    assert [r.client for r in ended] == [records["bram"]]


def test_list_filter_by_kind(admin_client, records):
    response = admin_client.get(admin_url(IncomeRight, "changelist"), {"kind__exact": "equivalent"})
    assert [r.kind for r in response.context["cl"].result_list] == ["equivalent"]


def test_changelist_queries_do_not_grow_with_the_rows(
    admin_client, organisation, django_assert_max_num_queries
):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(admin_url(IncomeRight, "changelist")).status_code == 200
        return len(ctx.captured_queries)

    IncomeRightFactory(client=ClientFactory(organisation=organisation))
    few = count_queries()
    for _ in range(10):
        IncomeRightFactory(client=ClientFactory(organisation=organisation))
    assert count_queries() == few


# --- Writes go through the services ------------------------------------------------------


def form_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [form_value(v) for v in value]
    return value


def post_data(response) -> dict:
    """The data the change page would post back unchanged (main form and inlines)."""
    data: dict = {}

    def add_form(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = form_value(value)

    add_form(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.initial_forms:
            add_form(form)
    return data


def inline_prefix(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise AssertionError(f"no inline for {model}")


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> None:
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = start + len(rows)


@pytest.fixture
def observed_writes():
    """Every write the services report, with the source it was attributed to."""
    seen: list[tuple[str, str, object, type]] = []

    def observer(action, items):
        source = writes.current_write_source()
        for instance, _changes in items:
            seen.append((action, source.source, source.user, type(instance)))

    writes.write_observers.append(observer)
    yield seen
    writes.write_observers.remove(observer)


def test_client_added_in_the_admin_is_created_by_the_service(
    admin_client, superuser, organisation, observed_writes
):
    response = admin_client.get(admin_url(Client, "add"))
    data = post_data(response)
    data.update(
        organisation=organisation.pk,
        first_name="Lotte",
        last_name="Maes",
        birth_date="1992-03-04",
        gender="f",
        national_number="92.03.04-002.85",
        household="single",
        migration_background="unknown",
    )
    add_inline_rows(
        data,
        inline_prefix(response, ClientNote),
        [{"date": "2025-01-10", "text": "Eerste gesprek."}],
    )
    response = admin_client.post(admin_url(Client, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client = Client.objects.get(last_name="Maes")
    assert client.national_number == "92030400285"
    assert client.external_id.startswith("t-")
    note = client.notes.get()
    assert note.organisation == organisation
    assert note.author == superuser
    assert ("create", "admin", superuser, Client) in observed_writes
    assert ("create", "admin", superuser, ClientNote) in observed_writes


def test_change_in_the_admin_is_an_update_by_the_service(admin_client, records, observed_writes):
    an = records["an"]
    response = admin_client.get(admin_url(Client, "change", an.pk))
    data = post_data(response)
    assert data["national_number"] == "85.07.30-033.28"
    data["household"] = "cohabiting"
    response = admin_client.post(admin_url(Client, "change", an.pk), data)
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.household == "cohabiting"
    assert an.version == 2
    assert [w[:2] for w in observed_writes] == [("update", "admin")]


def test_overlapping_income_right_added_in_the_admin_shows_the_dutch_error_and_saves_nothing(
    admin_client, records, observed_writes
):
    an = records["an"]
    response = admin_client.get(admin_url(Client, "change", an.pk))
    data = post_data(response)
    data["household"] = "married"
    # Two new rows that overlap each other: only the service sees it, when the first
    # is saved and the second validated against it.
    add_inline_rows(
        data,
        inline_prefix(response, IncomeRight),
        [
            {
                "kind": "leefloon",
                "category": "single",
                "start_date": "2020-01-01",
                "end_date": "2020-12-31",
            },
            {
                "kind": "leefloon",
                "category": "family",
                "start_date": "2020-06-01",
                "end_date": "2021-06-30",
            },
        ],
    )
    response = admin_client.post(admin_url(Client, "change", an.pk), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Deze cliënt heeft in deze periode al een recht op maatschappelijke integratie." in (
        content
    )
    assert IncomeRight.objects.filter(client=an).count() == 1
    an.refresh_from_db()
    assert an.household == "single"
    assert an.version == 1


def test_overlapping_income_right_on_its_own_page_is_a_form_error(admin_client, records):
    an = records["an"]
    response = admin_client.post(
        admin_url(IncomeRight, "add"),
        {
            "client": an.pk,
            "kind": "leefloon",
            "category": "single",
            "start_date": "2024-06-01",
            "end_date": "",
        },
    )
    assert response.status_code == 200
    assert "al een recht op maatschappelijke integratie" in response.content.decode()
    assert IncomeRight.objects.filter(client=an).count() == 1


def test_stale_edit_in_the_admin_is_refused(admin_client, records):
    an = records["an"]
    response = admin_client.get(admin_url(Client, "change", an.pk))
    data = post_data(response)
    services.client_update(client=an, household="married")  # somebody else, meanwhile
    data["first_name"] = "Anneleen"
    response = admin_client.post(admin_url(Client, "change", an.pk), data)
    assert response.status_code == 200
    assert "Iemand anders heeft dit record intussen gewijzigd" in response.content.decode()
    an.refresh_from_db()
    assert (an.first_name, an.household) == ("An", "married")


MISSING_VERSION = "De versie van het record ontbreekt"


def test_change_posted_without_expected_version_is_refused(admin_client, records):
    an = records["an"]
    data = post_data(admin_client.get(admin_url(Client, "change", an.pk)))
    data.pop("expected_version")
    data["first_name"] = "Anneleen"
    response = admin_client.post(admin_url(Client, "change", an.pk), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode()
    an.refresh_from_db()
    assert (an.first_name, an.version) == ("An", 1)


def test_inline_change_posted_without_expected_version_is_refused(admin_client, records):
    an = records["an"]
    response = admin_client.get(admin_url(Client, "change", an.pk))
    data = post_data(response)
    prefix = inline_prefix(response, IncomeRight)
    data.pop(f"{prefix}-0-expected_version")
    data[f"{prefix}-0-category"] = (
        "cohabiting" if data[f"{prefix}-0-category"] != "cohabiting" else "single"
    )
    response = admin_client.post(admin_url(Client, "change", an.pk), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode()
    right = IncomeRight.objects.get(client=an)
    assert right.version == 1


def test_invalid_national_number_is_a_form_error(admin_client, records):
    an = records["an"]
    data = post_data(admin_client.get(admin_url(Client, "change", an.pk)))
    data["national_number"] = "85.07.30-033.29"
    response = admin_client.post(admin_url(Client, "change", an.pk), data)
    assert response.status_code == 200
    assert "Het controlegetal van het rijksregisternummer klopt niet." in (
        response.content.decode()
    )


def test_delete_in_the_admin_goes_through_the_service(admin_client, records, observed_writes):
    population = Population.objects.get()
    response = admin_client.post(admin_url(Population, "delete", population.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Population.objects.exists()
    assert observed_writes == [("delete", "admin", observed_writes[0][2], Population)]


def test_bulk_delete_in_the_admin_goes_through_the_service(admin_client, records, observed_writes):
    notes = list(ClientNote.objects.values_list("pk", flat=True))
    response = admin_client.post(
        admin_url(ClientNote, "changelist"),
        {"action": "delete_selected", "_selected_action": notes, "post": "yes"},
    )
    assert response.status_code == 302
    assert not ClientNote.objects.exists()
    assert [w[:2] for w in observed_writes] == [("delete", "admin")] * len(notes)


def test_new_organisation_in_the_admin_gets_the_standard_programmes(admin_client):
    response = admin_client.get(admin_url(OrganisationFactory._meta.model, "add"))
    data = post_data(response)
    data.update(code="lier", name="OCMW Lier", nis_code="12021")
    response = admin_client.post(admin_url(OrganisationFactory._meta.model, "add"), data)
    assert response.status_code == 302
    organisation = OrganisationFactory._meta.model.objects.get(code="lier")
    assert set(organisation.programmes.values_list("code", flat=True)) >= {
        "jobroad",
        "duo_for_a_job",
        "wijkwerken",
        "social_economy",
        "vdab",
    }


# --- Access: the one definition of visible clients -----------------------------------------


@pytest.fixture
def staff_social_worker(records):
    """A staff user who is a social assistant in the team of An's social worker."""
    user = UserFactory(
        username="ma", is_staff=True, groups=[Group.objects.get(name=group_name(SOCIAL_ASSISTANT))]
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_client", "change_client", "view_incomeright", "view_assignment"]
        )
    )
    SocialWorkerFactory(
        organisation=records["organisation"], team=records["worker"].team, user=user
    )
    return user


def test_staff_user_sees_only_visible_clients(client, records, staff_social_worker):
    client.force_login(staff_social_worker)
    response = client.get(admin_url(Client, "changelist"))
    assert response.status_code == 200
    # An is assigned to a colleague of the user's team today; Bram's assignment has ended.
    assert list(response.context["cl"].result_list) == [records["an"]]
    rights = client.get(admin_url(IncomeRight, "changelist")).context["cl"].result_list
    assert [r.client for r in rights] == [records["an"]]
    hidden = client.get(admin_url(Client, "change", records["bram"].pk))
    assert hidden.status_code == 302
    assert not visible_clients(staff_social_worker).filter(pk=records["bram"].pk)


def test_staff_user_cannot_pick_an_invisible_client(client, records, staff_social_worker):
    staff_social_worker.user_permissions.add(Permission.objects.get(codename="add_incomeright"))
    client.force_login(staff_social_worker)
    response = client.post(
        admin_url(IncomeRight, "add"),
        {
            "client": records["bram"].pk,
            "kind": "leefloon",
            "category": "single",
            "start_date": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "client" in response.context["adminform"].form.errors
    assert not IncomeRight.objects.filter(client=records["bram"], start_date="2025-01-01")


def test_health_data_inlines_need_the_health_data_rule(client, records, staff_social_worker):
    client.force_login(staff_social_worker)
    response = client.get(admin_url(Client, "change", records["an"].pk))
    inline_models = {
        i.formset.model._meta.model_name for i in response.context["inline_admin_formsets"]
    }
    # A team colleague may open An's file, but not An's health data.
    assert "mmppscreening" not in inline_models
    assert "exemption" not in inline_models
    assert "incomeright" in inline_models


def test_superuser_sees_every_client(admin_client, records):
    response = admin_client.get(admin_url(Client, "changelist"))
    assert set(response.context["cl"].result_list) == {records["an"], records["bram"]}


def test_other_organisation_clients_are_listed_for_a_superuser_only(
    client, records, staff_social_worker
):
    ClientFactory(organisation=OrganisationFactory(code="lier"), last_name="Elders")
    client.force_login(staff_social_worker)
    response = client.get(admin_url(Client, "changelist"), {"q": "elders"}, follow=True)
    assert list(response.context["cl"].result_list) == []


def test_the_organisation_filter_offers_only_the_users_own_organisation(client, staff):
    from django.contrib.auth import get_user_model

    from tests.factories import OrganisationFactory

    OrganisationFactory(name="OCMW Elders")
    administrator = get_user_model().objects.get(username="administrator")
    client.force_login(administrator)
    response = client.get("/admin/casework/team/")
    assert response.status_code == 200
    assert staff.organisation.name in response.text
    assert "OCMW Elders" not in response.text


def test_every_input_of_the_client_pages_inlines_carries_its_column_label(admin_client, records):
    page = admin_client.get(admin_url(Client, "change", records["an"].pk)).content.decode()
    # The household member of An, its first row: a screen reader names the input.
    assert 'aria-label="Relatie, rij 1"' in page
    assert 'aria-label="Rijksregisternummer, rij 1"' in page
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
    unlabelled = [
        tag
        for tag in inputs
        if "-" in (re.search(r'name="([^"]*)"', tag) or [None, ""])[1]
        and 'type="hidden"' not in tag
        and "aria-label=" not in tag
    ]
    assert unlabelled == []
