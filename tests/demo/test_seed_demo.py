"""seed_demo: the demo organisation has the shape of the Mechelen answer (computed from
its records, by the definitions of council-report.md), every record is valid by the
models' rules, the work queue has current items, and a re-run gives the same records."""

import datetime
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum
from django.test import RequestFactory
from django.urls import reverse

from access.roles import ADMINISTRATOR, DPO, MANAGER, SOCIAL_ASSISTANT, TEAM_LEAD, user_roles
from access.rules import user_organisation, visible_clients
from casework.models import (
    Assignment,
    Client,
    ClientNote,
    Exemption,
    IncomeRight,
    Organisation,
    Population,
    SocialWorker,
    Team,
    Trajectory,
    TrajectoryEvaluation,
)
from casework.national_number import validate_national_number
from demo.generator import DEMO_LOGINS, delete_demo_organisation, seed_demo
from demo.generator.logins import SUPERUSER
from demo.generator.names import (
    FLEMISH_FIRST_NAMES,
    FLEMISH_LAST_NAMES,
    MIGRATION_FIRST_NAMES,
    MIGRATION_LAST_NAMES,
)
from demo.generator.seed import CREATE_ORDER, record_counts
from desk.selectors.data_quality import data_quality
from partners.integrity import RULES as INTEGRITY_RULES
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    ProgrammeFunding,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)
from tests.factories import ClientFactory, OrganisationFactory

TODAY = datetime.date(2025, 6, 30)
REFERENCE_LAST = datetime.date(2025, 1, 31)
CLIENT_RECORDS = (
    Assignment,
    IncomeRight,
    Trajectory,
    Exemption,
    ClientNote,
    Referral,
    Article60Placement,
    VdabRegistration,
    Employment,
    MmppScreening,
)
# (start field, end field) of the dated records.
PERIODS = {
    Assignment: ("start_date", "end_date"),
    IncomeRight: ("start_date", "end_date"),
    Trajectory: ("start_date", "end_date"),
    Exemption: ("start_date", "end_date"),
    Referral: ("start_date", "end_date"),
    Article60Placement: ("start_date", "end_date"),
    Employment: ("start_date", "end_date"),
    VdabRegistration: ("registered_on", "ended_on"),
    MmppScreening: ("advised_on", "ended_on"),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (committed; removed afterwards)."""
    with django_db_blocker.unblock():
        summary = seed_demo(today=TODAY)
        yield summary.organisation
        delete_demo_organisation()
        get_user_model().objects.filter(username__in=[d.username for d in DEMO_LOGINS]).delete()


pytestmark = pytest.mark.django_db

STAFF = ("beheerder", "superuser")


@pytest.fixture(autouse=True)
def demo_debug(settings):
    """seed_demo runs only with DEBUG on (make demo asks for it)."""
    settings.DEBUG = True


def of(model, organisation):
    return model._default_manager.filter(organisation=organisation)


def clients_in_month(organisation, kind: str, year: int, month: int) -> int:
    rights = of(IncomeRight, organisation).filter(kind=kind).in_month(year, month)
    return rights.values("client").distinct().count()


def within(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance


# --- The shape of the Mechelen answer --------------------------------------------------


def test_organisation_and_population(demo):
    assert (demo.code, demo.name, demo.nis_code) == ("mechelen", "OCMW Mechelen", "12025")
    populations = dict(of(Population, demo).values_list("year", "inhabitants"))
    assert populations[2025] == 89_300
    assert set(range(2015, 2026)) <= set(populations)
    assert 2026 not in populations  # nothing after the demo's today


def test_leefloon_and_equivalent_recipients_in_january_2025(demo):
    leefloon = clients_in_month(demo, "leefloon", 2025, 1)
    equivalent = clients_in_month(demo, "equivalent", 2025, 1)
    assert within(leefloon, 1494, 0.02 * 1494)
    assert within(equivalent, 379, 0.02 * 379)
    inhabitants = of(Population, demo).get(year=2025).inhabitants
    assert within(1000 * leefloon / inhabitants, 16.73, 0.35)
    assert within(1000 * equivalent / inhabitants, 4.24, 0.1)


def test_stock_is_steady_around_the_reference_month(demo):
    """The demo is a living organisation, not a spike in January 2025."""
    for year, month in ((2023, 1), (2024, 1), (2024, 7), (2025, 6)):
        assert within(clients_in_month(demo, "leefloon", year, month), 1494, 0.1 * 1494)


def spell_starts(rights: list[tuple]) -> datetime.date:
    """The first start of the uninterrupted spell (gaps of at most 30 days continue it)
    that runs on the reference day, built from the rights of either kind."""
    start = end = None
    for right_start, right_end in sorted(rights):
        if right_start > REFERENCE_LAST:
            break
        if end is not None and right_start <= end + datetime.timedelta(days=30):
            end = max(end, right_end or datetime.date.max)
        else:
            start, end = right_start, right_end or datetime.date.max
    return start


def years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years)


def test_duration_in_income_support_spread_like_mechelen(demo):
    counted = set(
        of(IncomeRight, demo)
        .filter(kind="leefloon")
        .in_month(2025, 1)
        .values_list("client_id", flat=True)
    )
    rights = defaultdict(list)
    for client_id, start, end in of(IncomeRight, demo).values_list(
        "client_id", "start_date", "end_date"
    ):
        if client_id in counted:
            rights[client_id].append((start, end))
    buckets = Counter()
    for client_id in counted:
        start = spell_starts(rights[client_id])
        if start >= years_before(REFERENCE_LAST, 1):
            buckets["up_to_1y"] += 1
        elif start >= years_before(REFERENCE_LAST, 2):
            buckets["1y_to_2y"] += 1
        elif start >= years_before(REFERENCE_LAST, 4):
            buckets["2y_to_4y"] += 1
        else:
            buckets["over_4y"] += 1
    percent = {k: 100 * v / len(counted) for k, v in buckets.items()}
    assert within(percent["up_to_1y"], 32, 1)
    assert within(percent["1y_to_2y"], 20, 1)
    assert within(percent["2y_to_4y"], 25, 1)
    assert within(percent["over_4y"], 23, 1)


def test_forty_social_assistants_at_70_to_75_clients_per_fte(demo):
    for day in (REFERENCE_LAST, TODAY):
        employed = SocialWorker.objects.filter(organisation=demo).employed_on(day)
        assert employed.count() == 40
        fte = employed.aggregate(total=Sum("fte"))["total"]
        ftes = Counter(employed.values_list("fte", flat=True))
        assert ftes[Decimal("1.000")] > ftes[Decimal("0.800")] > ftes[Decimal("0.500")] > 0
        clients = of(Assignment, demo).active_on(day).values("client").distinct().count()
        assert 70 <= clients / float(fte) <= 75, (day, clients, fte)
    assert of(Team, demo).count() == 5
    assert (
        SocialWorker.objects.filter(organisation=demo, team__isnull=True).count() == 0
    )  # every social assistant is in a team
    # Some left over the years; their clients went to a colleague the next day.
    assert SocialWorker.objects.filter(organisation=demo, end_date__lt=TODAY).count() >= 3


def test_every_client_is_followed_by_one_social_assistant_at_a_time(demo):
    rows = defaultdict(list)
    for client_id, start, end in of(Assignment, demo).values_list(
        "client_id", "start_date", "end_date"
    ):
        rows[client_id].append((start, end or datetime.date.max))
    for periods in rows.values():
        periods.sort()
        for (_s1, e1), (s2, _e2) in zip(periods, periods[1:], strict=False):
            assert s2 > e1
    assert set(rows) == set(of(Client, demo).values_list("pk", flat=True))


def article60_in_month(organisation, year: int, month: int) -> int:
    placements = of(Article60Placement, organisation).in_month(year, month)
    return placements.values("client").distinct().count()


def test_article60_workers_per_month(demo):
    monthly_2024 = [article60_in_month(demo, 2024, m) for m in range(1, 13)]
    assert within(sum(monthly_2024) / 12, 157, 4)
    assert within(article60_in_month(demo, 2025, 6), 195, 6)
    assert article60_in_month(demo, 2025, 6) > article60_in_month(demo, 2025, 1) + 20


def test_flow_through_after_article60_is_65_percent(demo):
    for year in (2022, 2023, 2024):
        ended = of(Article60Placement, demo).filter(end_date__year=year)
        to_work = ended.filter(outcome__in=["work", "work_linked_training"]).count()
        assert ended.count() > 50
        assert round(100 * to_work / ended.count()) == 65
    # Running placements have no outcome yet; ended ones all have one.
    assert not of(Article60Placement, demo).filter(end_date__isnull=True).exclude(outcome="")
    assert not of(Article60Placement, demo).filter(end_date__isnull=False, outcome="")


def test_warm_handover_to_vdab_after_article60(demo):
    handovers = of(VdabRegistration, demo).filter(warm_handover=True)
    assert handovers.count() > 300
    registrations = of(VdabRegistration, demo)
    assert registrations.filter(category="ocmw").count() > 0.8 * registrations.count()


def test_jobroad_four_screenings_a_year_of_at_most_35(demo):
    sessions = ProgrammeSession.objects.filter(organisation=demo, programme__code="jobroad")
    by_year = Counter(sessions.values_list("date__year", flat=True))
    assert by_year == {2021: 4, 2022: 4, 2023: 4, 2024: 4, 2025: 4}
    sizes = sessions.annotate(n=Count("referrals")).values_list("date", "n")
    assert all(n <= 35 for _date, n in sizes)
    assert all(n >= 20 for date, n in sizes if date <= TODAY)
    funding = ProgrammeFunding.objects.filter(programme__organisation=demo)
    assert funding.get(programme__code="jobroad", year=2024).amount_eur == 37_500
    past = of(Referral, demo).filter(programme__code="jobroad", end_date__lte=TODAY)
    to_work = past.filter(outcome__in=["permanent_job", "temporary_job"]).count()
    assert within(100 * to_work / past.count(), 30, 2)


def test_duo_for_a_job_fifty_young_people_a_year(demo):
    duo = of(Referral, demo).filter(programme__code="duo_for_a_job")
    for year in range(2019, 2025):
        of_year = duo.filter(start_date__year=year)
        assert of_year.count() == 50
        assert of_year.filter(outcome="permanent_job").count() == 15  # 30%
        broader = of_year.filter(
            outcome__in=["permanent_job", "temporary_job", "training", "internship"]
        )
        assert broader.count() == 35  # 70%
    for referral in duo.select_related("client"):
        assert referral.client.migration_background
        assert 18 <= referral.client.age_on(referral.start_date) < 30
    funding = ProgrammeFunding.objects.filter(programme__organisation=demo)
    assert funding.get(programme__code="duo_for_a_job", year=2024).amount_eur == 70_000


def test_wijkwerken_and_social_economy_referrals(demo):
    referrals = of(Referral, demo)
    assert referrals.filter(programme__code="wijkwerken").count() > 100
    assert referrals.filter(programme__code="social_economy").count() > 100


def test_gpmi_evaluations_exemptions_and_mmpp(demo):
    gpmis = of(Trajectory, demo).filter(kind="gpmi")
    assert gpmis.count() > 3000
    evaluations = TrajectoryEvaluation.objects.filter(organisation=demo)
    assert evaluations.count() > 2 * gpmis.count()
    assert evaluations.filter(face_to_face=True).count() > 0.6 * evaluations.count()
    assert of(Exemption, demo).filter(reason="health").count() > 0
    assert of(Exemption, demo).filter(reason="equity").count() > 0
    categories = set(of(MmppScreening, demo).values_list("category", flat=True))
    assert categories == {1, 2, 3, 4, 5}
    assert of(Employment, demo).count() > 1000
    assert 0 < of(ClientNote, demo).count() < 0.05 * of(Client, demo).count()


# --- Current work for the work queue ------------------------------------------------------


def test_the_work_queue_has_current_items(demo):
    today = TODAY
    running_leefloon = of(IncomeRight, demo).filter(kind="leefloon").active_on(today)
    # A GPMI to sign: a recent leefloon right without a GPMI (nor an exemption).
    gpmi_clients = of(Trajectory, demo).filter(kind="gpmi").values("client")
    exempt = of(Exemption, demo).filter(kind="gpmi").values("client")
    to_sign = running_leefloon.exclude(client__in=gpmi_clients).exclude(client__in=exempt)
    assert to_sign.filter(start_date__gte=today - datetime.timedelta(days=91)).exists()
    assert to_sign.filter(start_date__lt=today - datetime.timedelta(days=91)).exists()
    # A GPMI evaluation due: no evaluation in the last 121 days of a running GPMI.
    recent = TrajectoryEvaluation.objects.filter(
        date__gt=today - datetime.timedelta(days=121)
    ).values("trajectory")
    due = (
        of(Trajectory, demo)
        .filter(kind="gpmi", start_date__lte=today - datetime.timedelta(days=121))
        .active_on(today)
        .exclude(pk__in=recent)
    )
    assert due.count() > 10
    # Article 60 ending within 60 days.
    soon = today + datetime.timedelta(days=60)
    ending = of(Article60Placement, demo).active_on(today).filter(planned_end_date__lte=soon)
    assert ending.count() > 5
    # Income support without VDAB registration (nor exemption).
    registered = of(VdabRegistration, demo).active_on(today).values("client")
    vdab_exempt = (
        of(Exemption, demo).filter(kind="vdab_registration").active_on(today).values("client")
    )
    missing = (
        of(IncomeRight, demo)
        .active_on(today)
        .exclude(client__in=registered)
        .exclude(client__in=vdab_exempt)
    )
    assert missing.count() > 10
    # Referrals without outcome 90 days after their start.
    old = of(Referral, demo).filter(outcome="", start_date__lte=today - datetime.timedelta(days=90))
    assert old.count() > 5
    # The next JobRoad screening still has free places.
    upcoming = (
        ProgrammeSession.objects.filter(
            organisation=demo, programme__code="jobroad", date__gt=today
        )
        .annotate(n=Count("referrals"))
        .order_by("date")
        .first()
    )
    assert 0 < upcoming.n < upcoming.capacity
    # MMPP category 5 for two years: exit conversation.
    assert (
        of(MmppScreening, demo)
        .filter(category=5, advised_on__lte=datetime.date(2023, 6, 30))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .exists()
    )


def test_the_demo_assistants_work_queue_shows_every_kind_of_item(demo):
    from desk.workqueue import social_worker_queue

    user = get_user_model().objects.get(username="assistent")
    queue = social_worker_queue(user.social_worker, viewer=user, today=TODAY)
    rules = Counter(item.rule for item in queue)
    assert set(rules) >= {
        "gpmi_to_sign",
        "gpmi_evaluation",
        "article60_ending",
        "vdab_missing",
        "mmpp_exit_conversation",
        "referral_outcome",
        "jobroad_free_places",
    }
    assert sum(rules.values()) < 40  # a day's work, not a wall of red


# --- Every record is valid by the models' rules --------------------------------------------


@pytest.mark.parametrize("model", [*CREATE_ORDER, SocialWorker], ids=lambda m: m.__name__)
def test_a_sample_of_every_model_passes_full_clean(demo, model):
    manager = model._default_manager
    if model is ProgrammeFunding:
        rows = manager.filter(programme__organisation=demo)
    else:
        rows = manager.filter(organisation=demo)
    total = rows.count()
    assert total > 0
    step = max(1, total // 150)
    sample = list(rows.order_by("pk")[::step])
    errors = {}
    for record in sample:
        try:
            record.full_clean()
        except ValidationError as exc:
            errors[record.pk] = exc.message_dict
    assert errors == {}


def test_no_record_ends_before_it_starts_or_starts_before_birth(demo):
    for model, (start, end) in PERIODS.items():
        rows = of(model, demo)
        assert not rows.filter(**{f"{end}__lt": F(start)}).exists(), model
        assert not rows.filter(**{f"{start}__lt": F("client__birth_date")}).exists(), model
        assert not rows.filter(**{f"{start}__gt": TODAY}).exists(), model
        assert not rows.filter(**{f"{end}__gt": TODAY}).exists(), model
    assert not of(Client, demo).filter(birth_date__gt=TODAY - datetime.timedelta(days=18 * 365))
    assert not TrajectoryEvaluation.objects.filter(
        organisation=demo, date__lt=F("trajectory__start_date")
    ).exists()


@pytest.mark.parametrize("rule", INTEGRITY_RULES, ids=lambda rule: rule.code)
def test_the_whole_demo_keeps_every_rule_of_a_valid_record(demo, rule):
    """`check_integrity`'s rules (overlaps, one a day, no future, not before birth) on
    every record of the demo, not a sample."""
    breaking = rule.breaking(TODAY).filter(organisation=demo)
    assert list(breaking.values_list("external_id", flat=True)[:5]) == []


def test_the_data_quality_page_shows_the_demos_doubtful_cases(demo):
    lead = get_user_model().objects.get(username="teamlead")
    found = {rule.code: rule for rule in data_quality(lead, TODAY)}
    # The demo's current work: clients without VDAB registration, referrals left
    # without outcome; nothing that a rule of a valid record would refuse.
    assert found["vdab_missing"].count > 0
    assert found["gpmi_not_signed"].count > 0
    assert found["refused_today"].count == 0
    assert all(record.fix_url for rule in found.values() for record in rule.records)


@pytest.mark.parametrize("model", [IncomeRight, Article60Placement], ids=lambda m: m.__name__)
def test_no_overlapping_income_rights_or_placements(demo, model):
    periods = defaultdict(list)
    for client_id, start, end in of(model, demo).values_list("client_id", "start_date", "end_date"):
        periods[client_id].append((start, end or datetime.date.max))
    for rows in periods.values():
        rows.sort()
        for (_s1, e1), (s2, _e2) in zip(rows, rows[1:], strict=False):
            assert s2 > e1


def test_national_numbers_are_valid_unique_and_match_the_birth_date(demo):
    rows = list(of(Client, demo).values_list("national_number", "birth_date", "gender"))
    numbers = [n for n, _b, _g in rows if n]
    assert len(numbers) > 0.99 * len(rows)
    assert len(set(numbers)) == len(numbers)
    bis = 0
    for number, birth, gender in rows:
        if not number:
            continue
        assert validate_national_number(number, birth) == number
        month = int(number[2:4])
        bis += month > 12
        if month <= 12 and gender != "x":
            assert int(number[6:9]) % 2 == (gender == "m")  # odd serials for men
    assert bis > 10


def test_names_are_flemish_or_of_mechelen_communities(demo):
    first_names = {n for names in FLEMISH_FIRST_NAMES.values() for n in names}
    first_names |= {n for names in MIGRATION_FIRST_NAMES.values() for n in names}
    last_names = set(FLEMISH_LAST_NAMES) | set(MIGRATION_LAST_NAMES)
    for first, last in of(Client, demo).values_list("first_name", "last_name")[:2000]:
        assert first in first_names
        assert last in last_names
    assert "Van den Broeck" in last_names and "Van" not in last_names
    peeters = of(Client, demo).filter(last_name__in=FLEMISH_LAST_NAMES).count()
    assert peeters > 0.4 * of(Client, demo).count()


# --- Logins ------------------------------------------------------------------------------


def test_one_demo_login_per_role(demo):
    User = get_user_model()
    users = {
        u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_LOGINS])
    }
    roles = {d.username: d.role for d in DEMO_LOGINS}
    assert sorted(roles.values()) == sorted(
        [SOCIAL_ASSISTANT, TEAM_LEAD, MANAGER, ADMINISTRATOR, DPO, SUPERUSER]
    )
    for username, role in roles.items():
        assert user_roles(users[username]) == ({role} if role != SUPERUSER else set())
    assistant = users["assistent"].social_worker
    clients = Client.objects.assigned_on(TODAY, social_worker=assistant).count()
    assert 65 <= clients <= 80
    lead = users["teamlead"].social_worker
    assert lead.team == assistant.team and lead != assistant
    # The beheerder is an administrator of the demo OCMW, not a superuser: no client file.
    admin_user = users["beheerder"]
    assert admin_user.is_staff and not admin_user.is_superuser
    assert user_organisation(admin_user) == demo
    assert not visible_clients(admin_user).exists()
    for name in ("manager", "dpo"):
        assert user_organisation(users[name]) == demo
    # One technical superuser, and only one.
    assert [u.username for u in users.values() if u.is_superuser] == ["superuser"]
    assert not any(u.is_staff for name, u in users.items() if name not in STAFF)
    # The assistant sees their caseload (and their team's) through the access rule.
    visible = visible_clients(users["assistent"])
    assert visible.count() >= clients
    assert not visible_clients(users["manager"]).exists()


def test_demo_passwords_pass_the_validators_and_log_in(demo):
    User = get_user_model()
    request = RequestFactory().post("/accounts/login/")
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        validate_password(login.password, user)
        assert authenticate(request, username=login.username, password=login.password) == user


def test_every_admin_list_of_the_demo_loads_with_few_queries(demo, client):
    from django.contrib import admin
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(get_user_model().objects.get(username="superuser"))
    for model in admin.site._registry:
        if model._meta.app_label not in ("casework", "partners"):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        # 50 rows a page: a query per row would show here (the audit of the listed
        # clients adds a fixed few: the chain head, their organisations, one insert).
        assert len(queries.captured_queries) <= 22, (url, len(queries.captured_queries))


def test_the_admin_shows_the_demo_records(demo, client):
    client.force_login(get_user_model().objects.get(username="superuser"))
    response = client.get(
        reverse("admin:casework_client_changelist"), {"organisation__id__exact": demo.pk}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == of(Client, demo).count()
    busy = of(Client, demo).annotate(n=Count("income_rights")).order_by("-n", "pk").first()
    assert client.get(reverse("admin:casework_client_change", args=[busy.pk])).status_code == 200


# --- Re-running ----------------------------------------------------------------------------


def fingerprint(organisation) -> list[tuple]:
    return list(
        of(Client, organisation)
        .order_by("external_id")
        .values_list("external_id", "first_name", "last_name", "birth_date", "national_number")
    )


def test_running_it_again_replaces_the_demo_with_the_same_records(demo):
    counts = record_counts(demo)
    clients = fingerprint(demo)
    placements = list(
        of(Article60Placement, demo)
        .order_by("external_id")
        .values_list("external_id", "start_date", "end_date", "outcome")
    )
    out = io.StringIO()
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=out)
    again = Organisation.objects.get(code="mechelen")
    assert again.pk != demo.pk  # replaced as a whole
    assert Organisation.objects.filter(code="mechelen").count() == 1
    assert record_counts(again) == counts
    assert fingerprint(again) == clients
    assert (
        list(
            of(Article60Placement, again)
            .order_by("external_id")
            .values_list("external_id", "start_date", "end_date", "outcome")
        )
        == placements
    )
    assert get_user_model().objects.filter(username="assistent").count() == 1
    printed = out.getvalue()
    for login in DEMO_LOGINS:
        assert login.username in printed and login.password in printed
    assert "Demo-logins" in printed


def test_a_different_today_moves_the_present(demo):
    """Another today: history up to that day (nothing after it)."""
    stock = clients_in_month(demo, "leefloon", 2025, 1)
    call_command("seed_demo", "--today", "2025-03-31", stdout=io.StringIO())
    other = Organisation.objects.get(code="mechelen")
    assert not of(IncomeRight, other).filter(start_date__gt=datetime.date(2025, 3, 31)).exists()
    assert clients_in_month(other, "leefloon", 2025, 1) == stock


@pytest.mark.parametrize("value", ["2024-12-31", "31/12/2025", "morgen"])
def test_a_today_before_february_2025_or_not_a_date_is_refused(value):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--today", value, stdout=io.StringIO())


def test_an_organisation_with_records_not_from_the_demo_is_not_replaced(demo):
    ClientFactory(organisation=demo, external_id="c-42", last_name="Echt")
    with pytest.raises(CommandError, match="niet van de demo"):
        call_command("seed_demo", "--today", TODAY.isoformat(), stdout=io.StringIO())
    assert Client.objects.filter(organisation=demo, external_id="c-42").exists()
    assert of(IncomeRight, demo).exists()


def test_seed_demo_refuses_to_run_without_debug(settings, monkeypatch):
    settings.DEBUG = False
    ran = []
    monkeypatch.setattr("demo.management.commands.seed_demo.seed_demo", ran.append)
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--today", TODAY.isoformat(), stdout=io.StringIO())
    assert ran == []  # nothing made, no login with a known password


def test_the_beheerder_sees_only_the_reference_data_of_the_demo_organisation(demo, client):
    other = OrganisationFactory(code="gent", name="OCMW Gent")
    client.force_login(get_user_model().objects.get(username="beheerder"))
    response = client.get(reverse("admin:casework_organisation_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [demo]
    assert client.get(reverse("admin:casework_client_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:casework_organisation_change", args=[other.pk])).status_code
        == 302
    )


def test_a_re_run_never_reuses_an_id(demo):
    """New ids lie above every id the tables have had, so that nothing that still refers
    to an old id (a log line, another transaction) can point at a new record."""
    highest = Client.objects.order_by("-pk").values_list("pk", flat=True).first()
    call_command("seed_demo", "--today", "2025-03-31", stdout=io.StringIO())
    again = Organisation.objects.get(code="mechelen")
    assert of(Client, again).order_by("pk").values_list("pk", flat=True).first() > highest
    # The database hands out ids above the demo's too.
    assert ClientFactory(organisation=again).pk > highest
