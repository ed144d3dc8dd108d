"""The work queue: each rule's items appear and disappear as records are added."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.models import Client
from core import writes
from desk import workqueue
from partners import services as partner_services
from tests.factories import (
    Article60PlacementFactory,
    AssignmentFactory,
    ClientFactory,
    ExemptionFactory,
    IncomeRightFactory,
    MmppScreeningFactory,
    ProgrammeFactory,
    ProgrammeSessionFactory,
    ReferralFactory,
    SocialWorkerFactory,
    TeamFactory,
    TrajectoryFactory,
    VdabRegistrationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)
DAY = datetime.timedelta(days=1)


def days(n):
    return datetime.timedelta(days=n)


def items(rule, *, health=True, organisation=None):
    clients = Client.objects.all()
    found = workqueue.work_queue(
        clients=clients,
        today=TODAY,
        health_clients=clients if health else None,
        organisation_ids=[organisation.pk] if organisation else [],
    )
    return [item for item in found if item.rule == rule]


@pytest.fixture
def person(organisation):
    return ClientFactory(organisation=organisation, birth_date=datetime.date(1990, 6, 15))


# --- GPMI to sign -----------------------------------------------------------------------


def test_gpmi_to_sign_is_due_91_days_after_the_leefloon_decision(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 5, 1))
    [item] = items("gpmi_to_sign")
    assert item.client_id == person.pk
    assert item.due_date == datetime.date(2025, 7, 31)
    assert not item.overdue
    assert item.url == f"/clients/{person.pk}/trajectory/new/?kind=gpmi"


def test_gpmi_to_sign_disappears_when_a_gpmi_is_signed(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    [item] = items("gpmi_to_sign")
    assert item.overdue  # due 02/04/2025
    services.trajectory_create(client=person, kind="gpmi", start_date=datetime.date(2025, 6, 1))
    assert items("gpmi_to_sign") == []


def test_a_planned_gpmi_that_starts_later_also_resolves_it(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 5, 1))
    services.trajectory_create(client=person, kind="gpmi", start_date=TODAY + days(10))
    assert items("gpmi_to_sign") == []


def test_a_gpmi_that_ended_before_the_right_does_not_count(person):
    TrajectoryFactory(
        client=person, start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2024, 12, 31)
    )
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    assert len(items("gpmi_to_sign")) == 1


def test_a_gpmi_that_ran_during_the_right_counts(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    TrajectoryFactory(
        client=person, start_date=datetime.date(2024, 6, 1), end_date=datetime.date(2025, 1, 1)
    )
    assert items("gpmi_to_sign") == []


def test_another_kind_of_trajectory_does_not_count(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    TrajectoryFactory(client=person, kind="activation", start_date=datetime.date(2025, 2, 1))
    assert len(items("gpmi_to_sign")) == 1


def test_a_running_gpmi_exemption_removes_it_an_ended_one_does_not(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    exemption = services.exemption_create(
        client=person, kind="gpmi", reason="health", start_date=datetime.date(2025, 2, 1)
    )
    assert items("gpmi_to_sign") == []
    writes.record_update(instance=exemption, end_date=TODAY - DAY)
    assert len(items("gpmi_to_sign")) == 1


def test_no_gpmi_needed_for_equivalent_leefloon_or_an_ended_right(person, organisation):
    IncomeRightFactory(client=person, kind="equivalent", start_date=datetime.date(2025, 1, 1))
    other = ClientFactory(organisation=organisation)
    IncomeRightFactory(client=other, start_date=datetime.date(2025, 1, 1), end_date=TODAY - DAY)
    assert items("gpmi_to_sign") == []


def test_gpmi_not_mandatory_for_an_old_right_of_someone_25_or_older(organisation):
    older = ClientFactory(organisation=organisation, birth_date=datetime.date(1970, 1, 1))
    IncomeRightFactory(client=older, start_date=datetime.date(2016, 10, 31))
    young = ClientFactory(organisation=organisation, birth_date=datetime.date(1995, 1, 1))
    IncomeRightFactory(client=young, start_date=datetime.date(2016, 10, 31))  # aged 21
    since = ClientFactory(organisation=organisation, birth_date=datetime.date(1970, 1, 1))
    IncomeRightFactory(client=since, start_date=datetime.date(2016, 11, 1))
    assert {item.client_id for item in items("gpmi_to_sign")} == {young.pk, since.pk}


def test_gpmi_sign_delay_is_a_setting(person, settings):
    settings.TRAJECT = {**settings.TRAJECT, "GPMI_SIGN_WITHIN_DAYS": 30}
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 6, 1))
    [item] = items("gpmi_to_sign")
    assert item.due_date == datetime.date(2025, 7, 1)


# --- GPMI evaluations -------------------------------------------------------------------


def test_evaluation_due_121_days_after_the_start_without_evaluation(person):
    gpmi = TrajectoryFactory(client=person, start_date=TODAY - days(121))
    [item] = items("gpmi_evaluation")
    assert item.due_date == TODAY
    assert not item.overdue
    assert item.url.endswith(f"/evaluation/new/?trajectory={gpmi.pk}")


def test_no_evaluation_due_in_the_first_120_days(person):
    TrajectoryFactory(client=person, start_date=TODAY - days(120))
    assert items("gpmi_evaluation") == []


def test_an_evaluation_121_days_ago_is_due_120_days_ago_is_not(person):
    gpmi = TrajectoryFactory(client=person, start_date=datetime.date(2024, 1, 1))
    evaluation = services.trajectory_evaluation_create(trajectory=gpmi, date=TODAY - days(121))
    [item] = items("gpmi_evaluation")
    assert "Laatste evaluatie" in item.detail
    writes.record_update(instance=evaluation, date=TODAY - days(120))
    assert items("gpmi_evaluation") == []


def test_adding_an_evaluation_resolves_it(person):
    gpmi = TrajectoryFactory(client=person, start_date=datetime.date(2024, 1, 1))
    [item] = items("gpmi_evaluation")
    assert item.overdue
    services.trajectory_evaluation_create(trajectory=gpmi, date=TODAY, face_to_face=True)
    assert items("gpmi_evaluation") == []


def test_a_future_evaluation_does_not_count(person):
    gpmi = TrajectoryFactory(client=person, start_date=datetime.date(2024, 1, 1))
    services.trajectory_evaluation_create(trajectory=gpmi, date=TODAY + days(5))
    assert len(items("gpmi_evaluation")) == 1


def test_no_evaluation_for_an_ended_gpmi_or_another_trajectory(person, organisation):
    TrajectoryFactory(client=person, start_date=datetime.date(2024, 1, 1), end_date=TODAY - DAY)
    TrajectoryFactory(
        client=ClientFactory(organisation=organisation),
        kind="activation",
        start_date=datetime.date(2024, 1, 1),
    )
    assert items("gpmi_evaluation") == []


def test_evaluation_rhythm_is_a_setting(person, settings):
    settings.TRAJECT = {**settings.TRAJECT, "GPMI_EVALUATIONS_PER_YEAR": 4}
    TrajectoryFactory(client=person, start_date=TODAY - days(91))
    assert len(items("gpmi_evaluation")) == 1
    assert workqueue.gpmi_evaluation_interval() == days(91)


# --- Article 60 ending: warm handover -----------------------------------------------------


def test_article60_ending_within_60_days_is_listed(person):
    Article60PlacementFactory(
        client=person, start_date=datetime.date(2024, 6, 1), planned_end_date=TODAY + days(60)
    )
    [item] = items("article60_ending")
    assert item.due_date == TODAY + days(60)
    assert item.url == f"/clients/{person.pk}/vdab/new/?warm_handover=1"


def test_article60_ending_in_61_days_is_not_listed_yet(person):
    Article60PlacementFactory(
        client=person, start_date=datetime.date(2024, 6, 1), planned_end_date=TODAY + days(61)
    )
    assert items("article60_ending") == []


def test_the_actual_end_wins_over_the_planned_end(person):
    Article60PlacementFactory(
        client=person,
        start_date=datetime.date(2024, 6, 1),
        planned_end_date=TODAY + days(300),
        end_date=TODAY + days(10),
    )
    [item] = items("article60_ending")
    assert item.due_date == TODAY + days(10)


def test_a_placement_past_its_planned_end_still_running_is_overdue(person):
    Article60PlacementFactory(
        client=person, start_date=datetime.date(2024, 6, 1), planned_end_date=TODAY - days(5)
    )
    [item] = items("article60_ending")
    assert item.overdue


def test_an_ended_placement_is_not_listed(person):
    Article60PlacementFactory(
        client=person, start_date=datetime.date(2024, 6, 1), end_date=TODAY - DAY
    )
    assert items("article60_ending") == []


def test_a_warm_handover_after_the_start_resolves_it(person):
    Article60PlacementFactory(
        client=person, start_date=datetime.date(2024, 6, 1), planned_end_date=TODAY + days(20)
    )
    # An older handover (before this placement) or a plain registration does not count.
    VdabRegistrationFactory(
        client=person,
        registered_on=datetime.date(2023, 1, 1),
        ended_on=datetime.date(2023, 6, 1),
        warm_handover=True,
    )
    VdabRegistrationFactory(
        client=person, registered_on=datetime.date(2024, 7, 1), ended_on=datetime.date(2024, 12, 31)
    )
    assert len(items("article60_ending")) == 1
    # (Registrations of one client do not overlap: the handover follows the plain one.)
    partner_services.vdab_registration_create(
        client=person,
        registered_on=datetime.date(2025, 1, 1),
        category="ocmw",
        warm_handover=True,
    )
    assert items("article60_ending") == []


# --- VDAB registration missing -------------------------------------------------------------


def test_income_without_vdab_registration_is_listed(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    [item] = items("vdab_missing")
    assert item.due_date == datetime.date(2025, 1, 1)
    assert item.url == f"/clients/{person.pk}/vdab/new/"


def test_a_running_registration_resolves_it_an_ended_one_does_not(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    registration = partner_services.vdab_registration_create(
        client=person, registered_on=datetime.date(2025, 2, 1), category="ocmw"
    )
    assert items("vdab_missing") == []
    writes.record_update(instance=registration, ended_on=TODAY - DAY)
    assert len(items("vdab_missing")) == 1


def test_a_vdab_exemption_resolves_it_another_exemption_does_not(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    ExemptionFactory(client=person, kind="gpmi", start_date=datetime.date(2025, 1, 1))
    assert len(items("vdab_missing")) == 1
    ExemptionFactory(client=person, kind="vdab_registration", start_date=datetime.date(2025, 1, 1))
    assert items("vdab_missing") == []


def test_no_vdab_item_without_a_running_income_right(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2024, 1, 1), end_date=TODAY - DAY)
    assert items("vdab_missing") == []


# --- MMPP category 5 for two years: uitleidgesprek -----------------------------------------


def test_category_5_advised_two_years_ago_is_listed(person):
    advice = MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2023, 6, 15))
    [item] = items("mmpp_exit_conversation")
    assert item.due_date == TODAY
    assert item.url == f"/clients/{person.pk}/mmpp/{advice.pk}/"


def test_category_5_one_day_short_of_two_years_is_not(person):
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2023, 6, 16))
    assert items("mmpp_exit_conversation") == []


def test_a_lapsed_advice_is_not_listed(person):
    advice = MmppScreeningFactory(
        client=person, category=5, advised_on=datetime.date(2022, 1, 1), ended_on=TODAY
    )
    assert items("mmpp_exit_conversation") == []
    writes.record_update(instance=advice, ended_on=TODAY + DAY)
    assert len(items("mmpp_exit_conversation")) == 1


def test_only_the_latest_advice_counts(person):
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2022, 1, 1))
    assert len(items("mmpp_exit_conversation")) == 1
    partner_services.mmpp_screening_create(
        client=person, advised_on=datetime.date(2025, 1, 1), category=3
    )
    assert items("mmpp_exit_conversation") == []


def test_a_newer_advice_replaces_the_older_one(person):
    # (Two advices of one client on one day are refused: one MMPP advice a day.)
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2022, 1, 1))
    assert [item.rule for item in items("mmpp_exit_conversation")] == ["mmpp_exit_conversation"]
    MmppScreeningFactory(client=person, category=3, advised_on=datetime.date(2022, 1, 2))
    assert items("mmpp_exit_conversation") == []


def test_a_future_advice_does_not_hide_the_current_one(person):
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2022, 1, 1))
    MmppScreeningFactory(client=person, category=2, advised_on=TODAY + days(30))
    assert len(items("mmpp_exit_conversation")) == 1


def test_mmpp_items_only_for_clients_whose_health_data_the_viewer_sees(person):
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2022, 1, 1))
    assert items("mmpp_exit_conversation", health=False) == []
    [hidden] = items("hidden", health=False)
    assert (hidden.client_id, hidden.due_date, hidden.overdue) == (person.pk, TODAY, False)
    assert hidden.detail.startswith("Alleen de toegewezen")
    assert items("hidden") == []


def test_an_exempt_item_is_hidden_from_who_may_not_see_the_exemption(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    ExemptionFactory(client=person, kind="vdab_registration", start_date=datetime.date(2025, 1, 1))
    ExemptionFactory(client=person, kind="gpmi", start_date=datetime.date(2025, 1, 1))
    assert items("vdab_missing", health=False) == []
    assert items("gpmi_to_sign", health=False) == []
    assert len(items("hidden", health=False)) == 1  # one per client, not one per item
    assert items("hidden") == []
    assert items("vdab_missing") == [] and items("gpmi_to_sign") == []


def test_without_an_exemption_the_item_is_shown_to_everybody(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    assert len(items("vdab_missing", health=False)) == 1
    assert items("hidden", health=False) == []


# --- Referral without outcome after 90 days ---------------------------------------------------


def test_referral_without_outcome_after_90_days(person):
    referral = ReferralFactory(client=person, start_date=TODAY - days(90))
    [item] = items("referral_outcome")
    assert item.due_date == TODAY
    assert item.url == f"/clients/{person.pk}/referral/{referral.pk}/"
    writes.record_update(instance=referral, outcome="training")
    assert items("referral_outcome") == []


def test_referral_of_89_days_is_not_listed(person):
    ReferralFactory(client=person, start_date=TODAY - days(89))
    assert items("referral_outcome") == []


# --- JobRoad screenings with free places ---------------------------------------------------


def test_jobroad_screening_with_free_places(organisation):
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad")
    session = ProgrammeSessionFactory(programme=jobroad, date=TODAY + days(10), capacity=2)
    ReferralFactory(
        client=ClientFactory(organisation=organisation),
        programme=jobroad,
        session=session,
        start_date=TODAY,
    )
    [item] = items("jobroad_free_places", organisation=organisation)
    assert "1 vrije plaatsen" in item.title
    assert item.client_id is None
    assert item.url == f"/programmes/sessions/{session.pk}/"
    partner_services.referral_create(
        client=ClientFactory(organisation=organisation),
        programme=jobroad,
        start_date=TODAY,
        session=session,
    )
    assert items("jobroad_free_places", organisation=organisation) == []


def test_only_future_jobroad_sessions_of_the_organisation(organisation):
    jobroad = ProgrammeFactory(organisation=organisation, code="jobroad")
    ProgrammeSessionFactory(programme=jobroad, date=TODAY)
    duo = ProgrammeFactory(organisation=organisation, code="duo_for_a_job", name="DUO")
    ProgrammeSessionFactory(programme=duo, date=TODAY + days(5))
    elsewhere = ProgrammeFactory(code="jobroad")
    ProgrammeSessionFactory(programme=elsewhere, date=TODAY + days(5))
    open_ended = ProgrammeSessionFactory(programme=jobroad, date=TODAY + DAY, capacity=None)
    [item] = items("jobroad_free_places", organisation=organisation)
    assert item.url.endswith(f"/{open_ended.pk}/")
    assert "geen maximum" in item.title


# --- Queues per social assistant and per team ------------------------------------------------


def test_queues_per_social_assistant_and_per_team(organisation):
    team, other_team = (
        TeamFactory(organisation=organisation),
        TeamFactory(organisation=organisation),
    )
    me = SocialWorkerFactory(organisation=organisation, team=team, first_name="Mia")
    colleague = SocialWorkerFactory(organisation=organisation, team=team)
    stranger = SocialWorkerFactory(organisation=organisation, team=other_team)
    people = {}
    for name, worker in (("mine", me), ("colleague", colleague), ("stranger", stranger)):
        people[name] = ClientFactory(organisation=organisation)
        AssignmentFactory(client=people[name], social_worker=worker)
        IncomeRightFactory(client=people[name], start_date=datetime.date(2025, 1, 1))
    ended = ClientFactory(organisation=organisation)
    AssignmentFactory(client=ended, social_worker=me, end_date=TODAY - DAY)
    IncomeRightFactory(client=ended, start_date=datetime.date(2025, 1, 1))

    mine = workqueue.social_worker_queue(me, today=TODAY)
    assert {item.client_id for item in mine} == {people["mine"].pk}
    team_items = workqueue.team_queue(team, today=TODAY)
    assert {item.client_id for item in team_items} == {people["mine"].pk, people["colleague"].pk}
    assert {
        item.social_worker_name for item in team_items if item.client_id == people["mine"].pk
    } == {me.full_name}


def test_items_are_sorted_by_due_date_and_the_first_per_client_is_the_earliest(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 5, 1))  # vdab: 01/05
    TrajectoryFactory(client=person, start_date=datetime.date(2024, 1, 1))  # eval: 2024
    found = workqueue.work_queue(clients=Client.objects.all(), today=TODAY)
    assert [item.due_date for item in found] == sorted(item.due_date for item in found)
    first = workqueue.first_item_per_client(found)[person.pk]
    assert first.rule == "gpmi_evaluation"


def test_the_number_of_queries_does_not_grow_with_the_number_of_clients(organisation):
    def run(n):
        for _ in range(n):
            person = ClientFactory(organisation=organisation)
            IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
            TrajectoryFactory(client=person, start_date=datetime.date(2024, 1, 1))
            ReferralFactory(client=person, start_date=datetime.date(2024, 1, 1))
            MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2022, 1, 1))
        clients = Client.objects.all()
        with CaptureQueriesContext(connection) as queries:
            found = workqueue.work_queue(
                clients=clients,
                today=TODAY,
                health_clients=clients,
                organisation_ids=[organisation.pk],
            )
        return len(queries), len(found)

    few, few_items = run(2)
    many, many_items = run(20)
    assert many_items > few_items
    assert few == many


def test_count_by_rule_lists_every_rule(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 1, 1))
    counts = dict((rule, n) for rule, _label, n in workqueue.count_by_rule(items("vdab_missing")))
    assert counts["vdab_missing"] == 1
    assert set(counts) == set(workqueue.RULE_LABELS)


def test_a_queue_shows_no_more_than_the_files_its_viewer_may_open(staff):
    """The queue goes through the same gate as the client file: a team lead or assistant
    whose employment ended sees nothing of the team's queue, a manager nothing at all."""
    today = datetime.date.today()
    people = {name: staff.client_of(name) for name in ("sa", "colleague")}
    for person in people.values():
        IncomeRightFactory(client=person, start_date=today - days(30))
    team = staff.team_a
    lead = staff.users["lead"]

    def clients(items):
        return {item.client_id for item in items}

    assert clients(workqueue.team_queue(team, viewer=lead)) == {p.pk for p in people.values()}
    mine = workqueue.social_worker_queue(staff.workers["sa"], viewer=lead)
    assert clients(mine) == {people["sa"].pk}

    staff.workers["lead"].end_date = today - DAY
    staff.workers["lead"].save()
    lead = type(lead).objects.get(pk=lead.pk)  # as in a new request: nothing cached
    assert workqueue.team_queue(team, viewer=lead) == []
    assert workqueue.social_worker_queue(staff.workers["sa"], viewer=lead) == []
    assert workqueue.team_queue(team, viewer=staff.users["manager"]) == []


def test_a_social_assistants_queue_shows_health_items_to_whom_may_see_them(staff):
    """The queue's health data follows the access rules also when the clients come as
    the ids the page has already read (the home page): the assistant assigned and the
    team lead see the MMPP item, a colleague of the team gets a hidden item instead."""
    today = datetime.date.today()
    person = staff.client_of("sa")
    MmppScreeningFactory(client=person, category=5, advised_on=today - days(3 * 365))
    worker = staff.workers["sa"]

    def rules(viewer):
        ids = workqueue.social_worker_clients(worker, viewer=viewer, today=today)
        given = workqueue.social_worker_queue(worker, viewer=viewer, today=today, clients=ids)
        assert given == workqueue.social_worker_queue(worker, viewer=viewer, today=today)
        return ids, [(item.client_id, item.rule) for item in given]

    for who in ("sa", "lead"):
        assert rules(staff.users[who]) == ([person.pk], [(person.pk, "mmpp_exit_conversation")])
    assert rules(staff.users["colleague"]) == ([person.pk], [(person.pk, "hidden")])
    assert rules(staff.users["manager"]) == ([], [])


# --- One query, its SQL kept (core.prepared) --------------------------------------------


def busy(person):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 5, 1))
    Article60PlacementFactory(client=person, start_date=datetime.date(2024, 9, 1))
    ReferralFactory(client=person, start_date=datetime.date(2025, 1, 2))
    MmppScreeningFactory(client=person, category=5, advised_on=datetime.date(2020, 1, 1))


def test_a_queue_from_ids_is_the_queue_from_the_queryset(person):
    busy(person)
    rules = [*workqueue.CLIENT_RULES.values(), *workqueue.HEALTH_RULES.values()]
    from_queryset = workqueue.rules.rule_items(rules, Client.objects.all(), TODAY)
    from_ids = workqueue.rules.rule_items(rules, [person.pk], TODAY)
    again = workqueue.rules.rule_items(rules, [person.pk], TODAY)
    assert len(from_queryset) >= 4
    key = lambda item: (item.rule, item.url)  # noqa: E731
    assert sorted(from_ids, key=key) == sorted(from_queryset, key=key) == sorted(again, key=key)


def test_kept_sql_follows_the_day_and_the_settings(person, settings):
    IncomeRightFactory(client=person, start_date=datetime.date(2025, 5, 1))
    due = [item.due_date for item in items("gpmi_to_sign")]
    assert due == [datetime.date(2025, 5, 1) + days(91)]
    settings.TRAJECT = {**settings.TRAJECT, "GPMI_SIGN_WITHIN_DAYS": 30}
    assert [item.due_date for item in items("gpmi_to_sign")] == [datetime.date(2025, 5, 31)]
    # Another day: its own SQL (the rules compare with the day).
    found = workqueue.work_queue(clients=[person.pk], today=datetime.date(2025, 4, 30))
    assert [item for item in found if item.rule == "gpmi_to_sign"] == []
