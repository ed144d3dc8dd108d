"""The permission matrix, generated from the URL configuration.

Every URL pattern of the project is requested by every role (anonymous, social
assistant, team lead, manager, administrator, DPO, superuser) for a client of
the social assistant's own caseload, of their team and of another team, and
the status must be the one its *kind* prescribes. A URL added later is covered
automatically once its name is in URL_KINDS; a URL that is not classified
FAILS `test_every_url_is_classified` with the names to add, so nothing is
silently skipped.

To classify a new URL: add `"namespace:name": KIND` to URL_KINDS below (reuse
a kind when its rule fits, or write a new Kind with its expectations).

Everybody logs in with a verified second factor (TRAJECT_OTP_REQUIRED=all, as
in production). Every 200 HTML page is also checked for what the Content
Security Policy would block: inline scripts without the nonce, inline event
handlers and style attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY

from access.rules import client_path, is_health_data
from audit.otp import totp_device_ensure
from tests import factories
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "sa", "lead", "manager", "administrator", "dpo", "analyst", "superuser")
RELATIONS = ("own", "team", "other")
LOGIN = "login"  # expected: a redirect to the login page
ADMIN_LOGIN = "admin_login"  # expected: a redirect to the admin's login page
ADMIN_INDEX = "admin_index"  # expected: a redirect to the admin's index ("does not exist")
NO_ACCESS = (403, ADMIN_INDEX)  # either refusal: 403, or "this object does not exist"
CASEWORK = {"sa", "lead", "superuser"}  # roles that open client files


# --- The URL patterns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "(unnamed) <route>"
    route: str
    params: tuple[str, ...]
    defaults: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def _params(pattern: Any) -> tuple[str, ...]:
    regex = pattern.pattern.regex
    return tuple(regex.groupindex)


def walk(patterns: list[Any], prefix: str = "", namespace: str = "", params=()) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, route, inner, params + _params(pattern))
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                name = f"(unnamed) {route}"
            yield Route(name, route, params + _params(pattern), dict(pattern.default_args))


ROUTES = sorted(set(walk(get_resolver().url_patterns)), key=lambda r: r.name)


# --- Kinds: how to fill a URL and what each role must get -------------------------------------


@dataclass
class Case:
    """One request: the URL kwargs (or a path), the relation to the client and the expectation."""

    label: str
    kwargs: dict[str, Any] | None = None
    path: str | None = None
    expect: Callable[[str], Any] | None = None  # role -> status (overrides the kind)


@dataclass(frozen=True)
class Kind:
    """What a family of URLs does. `expect(role, relation)` gives the status, LOGIN or
    ADMIN_LOGIN; `cases(world, route)` fills the URL for each relation (or once)."""

    expect: Callable[[str, str], Any]
    cases: Callable[[World, Route], list[Case]]
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)


def once(world: World, route: Route) -> list[Case]:
    return [Case("-", kwargs={})]


def per_client(world: World, route: Route) -> list[Case]:
    return [Case(relation, kwargs={"pk": world.clients[relation].pk}) for relation in RELATIONS]


def client_file(role: str, relation: str) -> Any:
    """A page of one client file: 404 outside the caseload, 403 without the role."""
    if role == "anonymous":
        return LOGIN
    if role not in CASEWORK:
        return 403
    if role == "superuser":
        return 200
    return 404 if relation == "other" else 200


def by_roles(allowed: set[str], *, others: int = 403, anonymous: Any = LOGIN):
    def expect(role: str, relation: str) -> Any:
        if role == "anonymous":
            return anonymous
        return 200 if role in allowed else others

    return expect


def health_aware(role: str, relation: str) -> Any:
    """Health data: only the assigned social assistant (`sa` for `own`) and the team lead."""
    base = client_file(role, relation)
    if base != 200:
        return base
    if role == "sa" and relation == "team":
        return 403
    return 200


FACTORIES = {
    name.removesuffix("Factory"): value
    for name, value in vars(factories).items()
    if name.endswith("Factory") and isinstance(value, type)
}


def make_record(model: type, client: Any) -> Any:
    """A record of `model` for `client`, made with the factory of the same name."""
    factory = FACTORIES.get(model.__name__)
    if factory is None:
        raise AssertionError(f"No factory {model.__name__}Factory in tests/factories.py")
    path = client_path(model)
    if path == "client":
        return factory(client=client)
    if path == "trajectory__client":
        # The client's GPMI if it has one: two running GPMIs of a client are refused.
        trajectory = model._meta.get_field("trajectory").related_model.objects.filter(
            client=client, kind="gpmi"
        ).first() or factories.TrajectoryFactory(client=client)
        return factory(trajectory=trajectory)
    raise AssertionError(f"Cannot make a {model.__name__} for a client (path {path!r})")


def record_kinds() -> dict[str, Any]:
    from desk.record_kinds import RECORD_KINDS

    return RECORD_KINDS


def record_add_cases(world: World, route: Route) -> list[Case]:
    cases = []
    for slug, kind in record_kinds().items():
        for relation in RELATIONS:
            cases.append(
                Case(
                    f"{slug}/{relation}",
                    kwargs={"pk": world.clients[relation].pk, "kind": slug},
                    expect=_record_expect(kind.model, relation),
                )
            )
    return cases


def record_edit_cases(world: World, route: Route) -> list[Case]:
    cases = []
    for slug, kind in record_kinds().items():
        records = {}
        for relation in RELATIONS:
            client = world.clients[relation]
            records[relation] = make_record(kind.model, client)
            cases.append(
                Case(
                    f"{slug}/{relation}",
                    kwargs={"pk": client.pk, "kind": slug, "record_pk": records[relation].pk},
                    expect=_record_expect(kind.model, relation),
                )
            )
        # A record of another client under the own client's URL: never found.
        foreign = records["other"]
        cases.append(
            Case(
                f"{slug}/foreign-record",
                kwargs={"pk": world.clients["own"].pk, "kind": slug, "record_pk": foreign.pk},
                expect=lambda role, m=kind.model: _foreign_expect(role, m),
            )
        )
    return cases


def _record_expect(model: type, relation: str) -> Callable[[str], Any]:
    if is_health_data(model):
        return lambda role: health_aware(role, relation)
    return lambda role: client_file(role, relation)


def _foreign_expect(role: str, model: type) -> Any:
    expected = client_file(role, "own")
    return 404 if expected == 200 else expected


def programme_cases(world: World, route: Route) -> list[Case]:
    programme = factories.ProgrammeFactory(organisation=world.organisation)
    return [Case("programme", kwargs={"pk": programme.pk})]


def session_cases(world: World, route: Route) -> list[Case]:
    session = factories.ProgrammeSessionFactory(
        programme=factories.ProgrammeFactory(organisation=world.organisation)
    )
    factories.ReferralFactory(
        client=world.clients["other"], programme=session.programme, session=session
    )
    return [Case("session", kwargs={"pk": session.pk})]


def import_token_cases(world: World, route: Route) -> list[Case]:
    from records.models import UploadedBundle

    upload = UploadedBundle.objects.create(
        uploaded_by=world.user("administrator"), file_name="x.zip", path="/nonexistent", size=1
    )
    return [Case("token", kwargs={"token": upload.token})]


def _other_organisation(route: Route, pk: int) -> Case:
    """What is allowed on the own organisation's object is not found on another's for a
    team lead and a manager (each belongs to one organisation); the superuser sees all."""
    expect = SPECIAL.get(route.name, KINDS[URL_KINDS[route.name]].expect)

    def other(role: str) -> Any:
        status = expect(role, "other")
        return 404 if role in {"lead", "manager"} and status == 200 else status

    return Case("other", kwargs={"pk": pk}, expect=other)


def question_cases(world: World, route: Route) -> list[Case]:
    """A question of the world's organisation and one of another organisation (a team
    lead and a manager see only their own organisation's: `access.rules.organisations_of`)."""
    own = factories.QuestionFactory(organisation=world.organisation)
    other = factories.QuestionFactory(organisation=factories.OrganisationFactory())
    for question in (own, other):
        factories.AnswerFactory(question=question)
    return [Case("own", kwargs={"pk": own.pk}), _other_organisation(route, other.pk)]


def published_answer_cases(world: World, route: Route) -> list[Case]:
    own = factories.PublishedAnswerFactory(organisation=world.organisation)
    other = factories.PublishedAnswerFactory(organisation=factories.OrganisationFactory())
    return [Case("own", kwargs={"pk": own.pk}), _other_organisation(route, other.pk)]


def language_expect(role: str, relation: str) -> Any:
    return 302  # a GET changes nothing and goes back (the switch itself is a POST)


def otp_setup_expect(role: str, relation: str) -> Any:
    # Everybody in the matrix already has a device: they are sent to give a code instead.
    return LOGIN if role == "anonymous" else 302


def otp_verify_expect(role: str, relation: str) -> Any:
    return LOGIN if role == "anonymous" else 200


def password_link_cases(world: World, route: Route) -> list[Case]:
    # A link that is not (or no longer) valid: the page says so, to anybody.
    return [Case("-", kwargs={"uidb64": "MQ", "token": "ongeldig-token"})]


FIGURES = {"lead", "manager", "superuser"}
ANSWER_WRITERS = {"manager", "analyst", "superuser"}


def analyst_not_found(rule: Callable[[str, str], Any]) -> Callable[[str, str], Any]:
    """`rule`, but 404 for the regional analyst: an organisation's question is not theirs."""

    def expect(role: str, relation: str) -> Any:
        return 404 if role == "analyst" else rule(role, relation)

    return expect


KINDS: dict[str, Kind] = {
    "public": Kind(lambda role, relation: 200, once),
    "post_only_public": Kind(lambda role, relation: 405, once),
    "language": Kind(language_expect, once),
    "logged_in": Kind(by_roles(set(ROLES) - {"anonymous"}), once),
    "casework_list": Kind(by_roles(CASEWORK), once),
    "client_page": Kind(client_file, per_client),
    "record_add": Kind(client_file, record_add_cases),
    "record_edit": Kind(client_file, record_edit_cases),
    "team_figures": Kind(by_roles(FIGURES), once),
    "transfer": Kind(by_roles({"lead", "superuser"}), once),
    "programmes": Kind(by_roles(CASEWORK | FIGURES), once),
    "programme": Kind(by_roles(CASEWORK | FIGURES), programme_cases),
    "programme_session": Kind(by_roles(CASEWORK | FIGURES), session_cases),
    # A regional analyst: the figures of the organisations of their region, no client file.
    "council_report": Kind(by_roles(FIGURES | {"analyst"}), once),
    "import": Kind(by_roles({"administrator", "superuser"}), once),
    # POST only: with the permission a GET is refused as such (405).
    "import_confirm": Kind(by_roles(set(), others=403), import_token_cases),
    # A job's page: only the administrator who uploaded it (anybody else's is not found).
    "import_job": Kind(
        lambda role, relation: (
            LOGIN
            if role == "anonymous"
            else 200
            if role == "administrator"
            else 404
            if role == "superuser"
            else 403
        ),
        import_token_cases,
    ),
    "audit_log": Kind(by_roles({"dpo", "superuser"}), once),
    "dpo_client_search": Kind(by_roles({"dpo", "superuser"}), once),
    "client_export": Kind(
        by_roles({"dpo", "superuser"}), per_client, method="post", data={"format": "json"}
    ),
    "break_glass": Kind(by_roles(CASEWORK), once),
    "otp_setup": Kind(otp_setup_expect, once),
    "otp_verify": Kind(otp_verify_expect, once),
    # Written questions: the team lead and the manager read, the manager writes. A
    # regional analyst has the pages (for their regions' questions) but an organisation's
    # question or answer is not found for them.
    "questions": Kind(by_roles(FIGURES | {"analyst"}), once),
    "question_new": Kind(by_roles(ANSWER_WRITERS), once),
    "question": Kind(analyst_not_found(by_roles(FIGURES)), question_cases),
    "question_edit": Kind(analyst_not_found(by_roles(ANSWER_WRITERS)), question_cases),
    # POST only: with the permission a GET is refused as such (405).
    "question_publish": Kind(by_roles(set(), others=403), question_cases),
    "published_answer": Kind(analyst_not_found(by_roles(FIGURES)), published_answer_cases),
    "published_answer_post": Kind(by_roles(set(), others=403), published_answer_cases),
    "password_link": Kind(lambda role, relation: 200, password_link_cases),
}
# Overrides of a kind's rule for one URL (role -> status).
SPECIAL: dict[str, Callable[[str, str], Any]] = {
    "records:import_confirm": lambda role, relation: (
        LOGIN if role == "anonymous" else 405 if role in {"administrator", "superuser"} else 403
    ),
    "records:import_cancel": lambda role, relation: (
        LOGIN if role == "anonymous" else 405 if role in {"administrator", "superuser"} else 403
    ),
    # A regional analyst writes answers too (about their regions: a question of an
    # organisation is not found for them, see "question_analyst").
    "answers:publish": lambda role, relation: (
        LOGIN if role == "anonymous" else 405 if role in ANSWER_WRITERS else 403
    ),
    "answers:answer_correct": lambda role, relation: (
        LOGIN if role == "anonymous" else 405 if role in ANSWER_WRITERS else 403
    ),
    "answers:answer_verify": lambda role, relation: (
        LOGIN if role == "anonymous" else 405 if role in FIGURES | {"analyst"} else 403
    ),
}

# Every URL name of the project -> its kind. The admin's URLs are classified by rule
# (see `admin_expect`); everything else must be listed here.
URL_KINDS: dict[str, str] = {
    "login": "public",
    "accessibility": "public",
    "logout": "post_only_public",
    "set_language": "language",
    "desk:home": "logged_in",
    "desk:caseload": "casework_list",
    "desk:workqueue": "casework_list",
    "desk:client_detail": "client_page",
    "desk:client_edit": "client_page",
    "desk:record_add": "record_add",
    "desk:record_edit": "record_edit",
    "desk:team": "team_figures",
    "desk:data_quality": "team_figures",
    "desk:transfer": "transfer",
    "desk:transfer_done": "transfer",
    "programmes:programme_list": "programmes",
    "programmes:programme_detail": "programme",
    "programmes:session_detail": "programme_session",
    "reporting:council_report": "council_report",
    "reporting:council_report_api": "council_report",
    "records:import": "import",
    "records:import_confirm": "import_confirm",
    "records:import_job": "import_job",
    "records:import_cancel": "import_confirm",
    "audit:log": "audit_log",
    "audit:log_export": "audit_log",
    "audit:client_search": "dpo_client_search",
    "audit:client_export": "client_export",
    "audit:break_glass": "break_glass",
    "audit:otp_setup": "otp_setup",
    "audit:otp_verify": "otp_verify",
    "answers:question_list": "questions",
    "answers:question_create": "question_new",
    "answers:question_detail": "question",
    "answers:question_edit": "question_edit",
    "answers:draft_docx": "question",
    "answers:publish": "question_publish",
    "answers:answer_detail": "published_answer",
    "answers:answer_docx": "published_answer",
    "answers:answer_verify": "published_answer_post",
    "answers:answer_correct": "published_answer_post",
    "password_reset_confirm": "password_link",
    "password_reset_complete": "public",
}


# --- The admin, classified by rule ------------------------------------------------------------

ADMIN_VIEWS = {"changelist", "add", "change", "delete", "history"}
# Admin views that exist whatever the model: name -> (needs staff only, status for staff).
ADMIN_SITE_URLS = {
    "admin:index": 200,
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:jsi18n": 200,
    "admin:autocomplete": 403,  # without its query parameters
    "admin:app_list": 200,
    "admin:view_on_site": 302,
    # Nobody sets another person's password (a reset link is mailed instead).
    "admin:auth_user_password_change": 403,
    # Somebody's TOTP key as a QR code: refused to everybody (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "admin:otp_totp_totpdevice_config": 403,
    "admin:otp_totp_totpdevice_qrcode": 403,
}
# Models whose admin never adds, changes or deletes (audit trail, lockout records).
READ_ONLY_MODELS = {
    "audit.auditentry": {"add", "change", "delete"},
    "access.breakglassgrant": {"add", "change", "delete"},
    "audit.pseudonymisation": {"add", "change", "delete"},
    "axes.accessattempt": {"add", "change"},
    "axes.accesslog": {"add", "change"},
    "axes.accessfailurelog": {"add", "change"},
    "records.uploadedbundle": {"add", "change", "delete"},
    # The background worker's task results: read-only, for superusers only.
    "django_tasks_database.dbtaskresult": {"add", "change", "delete"},
    "answers.publishedanswer": {"add", "change", "delete"},
}
STAFF_ROLES = {"administrator", "superuser"}
# Admin views only a superuser reaches, whatever a role's permissions say: a new
# organisation (a new boundary) and the national leefloon amounts.
SUPERUSER_ONLY = {("casework.organisation", "add"), ("casework.leefloonamount", "add")}


def role_permissions(role: str) -> set[str]:
    from access.roles import ROLES as ROLE_TABLE

    return set(ROLE_TABLE[role][1]) if role in ROLE_TABLE else set()


def admin_model_expect(model_label: str, view: str, role: str, relation: str) -> Any:
    """The admin of one model: staff only; what a role may do is its permissions in
    access/roles.py (the specification); client data by caseload (none for staff)."""
    if role == "anonymous" or role not in STAFF_ROLES:
        return ADMIN_LOGIN
    app_label, model = model_label.split(".")
    read_only = READ_ONLY_MODELS.get(model_label, set())
    if role == "superuser":
        if view in read_only and view != "change":
            return 403
        return 200
    if (model_label, view) in SUPERUSER_ONLY:
        return 403
    perms = role_permissions(role)
    action = {"changelist": "view", "history": "view"}.get(view, view)
    has = {a for a in ("view", "add", "change", "delete") if f"{app_label}.{a}_{model}" in perms}
    if view in read_only and view != "change":
        return 403
    if action == "view" or view == "change":
        allowed = bool(has & {"view", "change"})
    else:
        allowed = action in has
    if allowed:
        return 200
    # A page of one object: the admin may first find that the object is not visible.
    return NO_ACCESS if relation != "-" else 403


# Models tied to a client that are not client data (made by make_object).
NOT_CLIENT_DATA = {"access.breakglassgrant", "audit.pseudonymisation"}


def admin_model_cases(world: World, route: Route, model: type) -> list[Case]:
    if "object_id" not in route.params:
        return [Case("-", kwargs={})]
    if model._meta.label_lower in NOT_CLIENT_DATA:
        return [Case("-", kwargs={"object_id": make_object(world, model).pk})]
    path = client_path(model)
    if path in ("", "client", "trajectory__client"):
        cases = []
        for relation in RELATIONS:
            client = world.clients[relation]
            obj = client if path == "" else make_record(model, client)
            cases.append(Case(relation, kwargs={"object_id": obj.pk}))
        return cases
    return [Case("-", kwargs={"object_id": make_object(world, model).pk})]


def make_object(world: World, model: type) -> Any:
    """One instance of a model that is not client data."""
    label = model._meta.label_lower
    if label == "auth.user":
        return world.user("manager")
    if label == "auth.group":
        return Group.objects.first()
    if label == "otp_totp.totpdevice":
        return totp_device_ensure(world.user("manager"))
    if label == "otp_static.staticdevice":
        from audit.otp import recovery_codes_create

        recovery_codes_create(world.user("manager"))
        return model.objects.get(user=world.user("manager"))
    if label == "audit.auditentry":
        from audit.models import AuditEntry

        return AuditEntry.objects.create(
            action="read",
            client_id=world.clients["own"].pk,
            organisation_id=world.organisation.pk,
        )
    if label == "access.breakglassgrant":
        from audit.services import break_glass_grant_create

        return break_glass_grant_create(
            user=world.user("sa"), client=world.clients["other"], reason="x" * 25
        )
    if label == "audit.pseudonymisation":
        return model.objects.create(
            client=world.clients["other"], last_record_ended_on="2010-01-01", retention_years=10
        )
    if label == "records.uploadedbundle":
        return model.objects.create(
            uploaded_by=world.user("administrator"),
            file_name="x.zip",
            path="/none",
            size=1,
            organisation_code=world.organisation.code,  # uploads are listed per organisation
        )
    if label == "django_tasks_database.dbtaskresult":
        from django.test import override_settings

        from records.tasks import discard_if_abandoned

        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            return model.objects.get(id=discard_if_abandoned.enqueue(0).id)
    if label == "casework.leefloonamount":
        return model.objects.create(category="single", valid_from="2030-01-01", monthly_amount=1)
    if label.startswith("axes."):
        return model.objects.create(
            username="someone", ip_address="10.0.0.1", user_agent="test", **_axes_fields(model)
        )
    if label == "casework.organisation":
        return world.organisation
    if label == "access.regionassignment":
        return model.objects.get(user=world.user("analyst"))
    if label == "casework.team":
        return world.team_a
    if label == "casework.socialworker":
        return world.social_workers["sa"]
    factory = FACTORIES.get(model.__name__)
    if factory is None:
        raise AssertionError(f"Add a factory or a rule in make_object() for {label}")
    if "organisation" in {f.name for f in model._meta.fields}:
        return factory(organisation=world.organisation)
    if "programme" in {f.name for f in model._meta.fields}:
        return factory(programme=factories.ProgrammeFactory(organisation=world.organisation))
    return factory()


def _axes_fields(model: type) -> dict[str, Any]:
    names = {f.name for f in model._meta.fields}
    extra: dict[str, Any] = {}
    if "failures_since_start" in names:
        extra["failures_since_start"] = 1
    if "get_data" in names:
        extra.update(get_data="", post_data="", http_accept="", path_info="/")
    if "http_accept" in names and "http_accept" not in extra:
        extra.update(http_accept="", path_info="/")
    return extra


def admin_site_cases(world: World, route: Route) -> list[Case]:
    name = route.name
    if name == "admin:app_list":
        return [Case("casework", kwargs={"app_label": "casework"})]
    if name == "admin:view_on_site":
        ct = ContentType.objects.get_for_model(world.clients["own"])
        return [
            Case(r, kwargs={"content_type_id": ct.pk, "object_id": world.clients[r].pk})
            for r in RELATIONS
        ]
    if name == "admin:auth_user_password_change":
        return [Case("-", kwargs={"id": world.user("manager").pk})]
    if name.startswith("admin:otp_totp_totpdevice_"):
        return [Case("-", kwargs={"pk": totp_device_ensure(world.user("manager")).pk})]
    return [Case("-", kwargs={})]


def admin_site_expect(name: str, role: str, relation: str) -> Any:
    if role not in STAFF_ROLES:
        return ADMIN_LOGIN
    # view_on_site only redirects to the page (which checks access itself).
    return ADMIN_SITE_URLS[name]


def admin_model_for(name: str) -> tuple[type, str] | None:
    """(model, view) when `name` is a model URL of the admin ("admin:app_model_view")."""
    from django.contrib import admin

    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix) and name[len(prefix) :] in ADMIN_VIEWS:
            return model, name[len(prefix) :]
    return None


def classify(route: Route) -> tuple[Callable[[World, Route], list[Case]], Callable, str]:
    """(cases, expect(role, relation), method) of a route, or raise LookupError."""
    name = route.name
    if name in URL_KINDS:
        kind = KINDS[URL_KINDS[name]]
        return kind.cases, SPECIAL.get(name, kind.expect), kind.method
    if name in ADMIN_SITE_URLS:
        return admin_site_cases, lambda role, rel: admin_site_expect(name, role, rel), "get"
    found = admin_model_for(name)
    if found is not None:
        model, view = found
        label = model._meta.label_lower
        return (
            lambda world, route: admin_model_cases(world, route, model),
            lambda role, relation: admin_model_expect(label, view, role, relation),
            "get",
        )
    if name == "admin:login":
        return once, lambda role, relation: 302 if role in STAFF_ROLES else 200, "get"
    if name == "admin:logout":
        # POST only for staff; Django sends anybody else to the admin's index.
        return once, lambda role, relation: 405 if role in STAFF_ROLES else ADMIN_INDEX, "get"
    if name.startswith("(unnamed) admin/"):
        return _admin_unnamed(route)
    raise LookupError(name)


def _admin_unnamed(route: Route):
    if route.params == ("url",):  # the catch-all: an unknown admin URL
        return (
            lambda world, r: [Case("-", path="/admin/no-such-page/")],
            lambda role, relation: 404 if role in STAFF_ROLES else ADMIN_LOGIN,
            "get",
        )
    # <app>/<model>/<object_id>/ redirects to the change page (for staff).
    model_path = route.route.split("/")[1:3]
    model = apps.get_model(*model_path)
    base = f"/admin/{model_path[0]}/{model_path[1]}"
    return (
        lambda world, r: [Case("-", path=f"{base}/{make_object_or_client(world, model).pk}/")],
        lambda role, relation: 302 if role in STAFF_ROLES else ADMIN_LOGIN,
        "get",
    )


def make_object_or_client(world: World, model: type) -> Any:
    if model._meta.label_lower in NOT_CLIENT_DATA:
        return make_object(world, model)
    path = client_path(model)
    if path == "":
        return world.clients["own"]
    if path in ("client", "trajectory__client"):
        return make_record(model, world.clients["own"])
    return make_object(world, model)


# --- Running the matrix ---------------------------------------------------------------------


def login_as(world: World, role: str) -> HttpClient:
    http = HttpClient()
    if role == "anonymous":
        return http
    user = world.user(role)
    http.force_login(user)
    # Everybody passes the second factor, as in production.
    device = totp_device_ensure(user)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return http


CSP_BLOCKED = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I),
        "inline <script> without nonce",
    ),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "inline event handler (on...=)"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "style attribute"),
]


def csp_problems(response) -> list[str]:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    html = response.content.decode(errors="replace")
    return [what for pattern, what in CSP_BLOCKED if pattern.search(html)]


def check(response, expected: Any) -> bool:
    if isinstance(expected, tuple):
        return any(check(response, one) for one in expected)
    if expected == ADMIN_INDEX:
        return response.status_code == 302 and response["Location"] == reverse("admin:index")
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("login"))
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse("admin:login")
        )
    return response.status_code == expected


def test_every_url_is_classified():
    unknown = []
    for route in ROUTES:
        try:
            classify(route)
        except LookupError:
            unknown.append(f"{route.name}  ({route.route})")
    assert not unknown, (
        "These URLs are not in the permission matrix. Add each to URL_KINDS in "
        "tests/security/test_permission_matrix.py with its kind (who may open it):\n  "
        + "\n  ".join(unknown)
    )


@pytest.fixture
def matrix_world(db, settings):
    settings.TRAJECT_OTP_REQUIRED = "all"
    return build_world()


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_permission_matrix(matrix_world, route):
    try:
        cases_of, expect, method = classify(route)
    except LookupError:
        pytest.fail(f"{route.name} is not classified: add it to URL_KINDS")
    world = matrix_world
    data = KINDS[URL_KINDS[route.name]].data if route.name in URL_KINDS else {}
    cases = cases_of(world, route)
    clients = {role: login_as(world, role) for role in ROLES}
    wrong, blocked = [], []
    for case in cases:
        url = case.path or reverse(route.name, kwargs=case.kwargs)
        for role in ROLES:
            expected = case.expect(role) if case.expect else expect(role, case.label)
            response = getattr(clients[role], method)(url, data)
            if not check(response, expected):
                got = response.status_code
                where = response.get("Location", "")
                wrong.append(f"{role:>13} {case.label:<24} expected {expected}, got {got} {where}")
            for problem in csp_problems(response):
                blocked.append(f"{role} {url}: {problem}")
    assert not wrong, f"{route.name} ({route.route}):\n" + "\n".join(wrong)
    assert not blocked, "The Content Security Policy would block:\n" + "\n".join(
        sorted(set(blocked))
    )


def test_the_matrix_covers_the_admin_of_every_registered_model():
    from django.contrib import admin

    covered = {found[0] for route in ROUTES if (found := admin_model_for(route.name))}
    assert set(admin.site._registry) <= covered
    assert get_user_model() in covered
