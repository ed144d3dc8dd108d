"""Each concept has one definition, and every screen, rule and figure agrees on it.

Two former disagreements are pinned here (issue 10):
- an MMPP advice on its lapse day (`ended_on`) has lapsed: the client file no
  longer shows it as running, the work queue and the stock no longer count it;
- a caseload counts distinct clients: a client with two overlapping assignments to
  one social worker counts once in the admin, the team view and the report.
"""

import datetime
from collections import Counter

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from casework.models import Assignment, Client, Organisation, SocialWorker
from desk.record_kinds import RECORD_KINDS
from desk.selectors.team import caseload_figures
from desk.selectors.timeline import timeline
from desk.workqueue import mmpp_exit_conversation
from partners.models import MmppScreening
from reporting.statistics.mmpp_stock import stock_states
from tests.factories import (
    AssignmentFactory,
    ClientFactory,
    MmppScreeningFactory,
    OrganisationFactory,
    SocialWorkerFactory,
    UserFactory,
    VdabRegistrationFactory,
)
from tests.reporting.conftest import params, statistic

pytestmark = pytest.mark.django_db

LAPSE = datetime.date(2024, 12, 31)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def lapsing_advice():
    """A category-5 advice of 2020 that lapses on 31/12/2024, of a registered jobseeker."""
    client = ClientFactory()
    VdabRegistrationFactory(client=client, registered_on=datetime.date(2019, 1, 1))
    advice = MmppScreeningFactory(
        client=client, advised_on=datetime.date(2020, 1, 1), category=5, ended_on=LAPSE
    )
    return advice


def running_in_file(advice, day):
    kind = RECORD_KINDS["mmpp"]
    entries = timeline(advice.client, [kind], day, lambda kind: False)
    return [entry.record for entry in entries if entry.running]


def test_an_advice_is_current_up_to_the_day_before_its_lapse_day(lapsing_advice):
    advice = lapsing_advice
    assert list(MmppScreening.objects.current_on(LAPSE - DAY)) == [advice]
    assert list(MmppScreening.objects.current_on(LAPSE)) == []
    assert list(MmppScreening.objects.latest_on(LAPSE)) == [advice]


def test_the_client_file_agrees_with_the_stock_and_the_queue_on_the_lapse_day(lapsing_advice):
    advice = lapsing_advice
    clients = Client.objects.filter(pk=advice.client_id)
    report = params(advice.organisation, "2024-01", "2024-12", "2024-12", "2025-06-30")

    def stock(day):
        # Category in the stock per person registered with an advice (0: not in it).
        return dict(Counter(state[0] for state, _work in stock_states(report, [day])))

    # The day before: running on screen, in the stock, and due for an exit conversation.
    assert running_in_file(advice, LAPSE - DAY) == [advice]
    assert stock(LAPSE - DAY) == {5: 1}
    assert [i.rule for i in mmpp_exit_conversation(clients, LAPSE - DAY)] == [
        "mmpp_exit_conversation"
    ]
    # On the lapse day: nowhere (category 0 is how the stock marks a lapsed latest advice).
    assert running_in_file(advice, LAPSE) == []
    assert stock(LAPSE) == {0: 1}
    assert mmpp_exit_conversation(clients, LAPSE) == []


def test_only_the_latest_advice_runs_in_the_client_file():
    client = ClientFactory()
    older = MmppScreeningFactory(client=client, advised_on=datetime.date(2024, 1, 1), category=3)
    newer = MmppScreeningFactory(client=client, advised_on=datetime.date(2024, 6, 1), category=2)
    assert running_in_file(older, datetime.date(2024, 5, 31)) == [older]
    assert running_in_file(older, datetime.date(2024, 6, 1)) == [newer]


@pytest.fixture
def doubly_assigned():
    """One client assigned twice, overlapping, to one social worker; a second client once."""
    organisation = OrganisationFactory()
    worker = SocialWorkerFactory(organisation=organisation)
    twice, once = ClientFactory.create_batch(2, organisation=organisation)
    AssignmentFactory(client=twice, social_worker=worker, start_date=datetime.date(2024, 1, 1))
    AssignmentFactory(client=twice, social_worker=worker, start_date=datetime.date(2024, 6, 1))
    AssignmentFactory(client=once, social_worker=worker, start_date=datetime.date(2024, 1, 1))
    return worker


def test_a_caseload_counts_distinct_clients_everywhere(doubly_assigned):
    worker = doubly_assigned
    day = timezone.localdate()
    assert Assignment.objects.assigned_on(day, social_worker=worker).count() == 3
    assert Assignment.objects.filter(social_worker=worker).caseload_on(day) == 2
    assert SocialWorker.objects.with_caseload(day).get(pk=worker.pk).caseload == 2
    assert Client.objects.assigned_on(day, social_worker=worker).count() == 2

    figures = caseload_figures(Organisation.objects.filter(pk=worker.organisation_id), day)
    assert figures.clients == 2
    assert [row.clients for team in figures.teams for row in team.workers] == [2]

    request = RequestFactory().get("/admin/casework/socialworker/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = site._registry[SocialWorker]
    row = model_admin.get_queryset(request).get(pk=worker.pk)
    assert model_admin.caseload_today(row) == 2


def test_the_report_counts_the_same_caseload(doubly_assigned):
    worker = doubly_assigned
    figures = statistic("caseload", worker.organisation, as_of="2025-06-30")
    assert figures["clients"] == 2
