"""Who may see which client file: the single place that decides it.

Every view, form, htmx fragment, export and API endpoint that touches one
client goes through `get_client_or_404` (or `get_client_record_or_404` for a
record of a client); lists go through `visible_clients(user)`,
which uses `visible_clients_filter`, and lists of records through
`visible_records_filter`. Observers (the audit log) are told of every read and
every refusal.

Each rule is asked once per request: what a rule needs of the user (their roles,
their social-worker profile) is computed once and kept on the user object, as
Django's `ModelBackend` keeps permissions (`_user_facts`).

The rules (README, "Privacy and security"):
- a social assistant sees the clients currently assigned to them and to the
  colleagues of their team; a team lead sees the team's clients; both only
  while employed and only with their role (group);
- anybody with the break-glass permission also sees the clients of their own
  active break-glass grants (asked with a reason, time-limited, logged);
- managers, administrators and the data protection officer see no client
  file (figures, the admin's reference data, the audit log and the
  art. 15 export respectively); superusers (the technical emergency account,
  second factor required) see everything, and every read is logged;
- health data (MMPP screenings, exemptions and their reasons) only for the
  social assistant assigned today, the team lead of that social assistant's
  team and the data protection officer (`health_data_clients_filter`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access.models import BreakGlassGrant, RegionAssignment, StaffMembership
from access.roles import ANALYST, DPO, SOCIAL_ASSISTANT, TEAM_LEAD, user_roles
from casework.models import Assignment, Client, Organisation, Region, SocialWorker

if TYPE_CHECKING:
    from django.http import HttpRequest

    from casework.querysets import ClientQuerySet

# observer(request, client, allowed): called on every attempt to open a client file;
# `client` is the Client (or its pk) when allowed, the pk that was asked for otherwise.
ClientAccessObserver = Callable[["HttpRequest", Any, bool], None]
client_access_observers: list[ClientAccessObserver] = []

# Records holding health data (GDPR art. 9): "app_label.model_name".
HEALTH_DATA_MODELS = frozenset({"partners.mmppscreening", "casework.exemption"})

NOTHING = Q(pk__in=[])


def _is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@dataclass
class _UserFacts:
    """What the rules need to know of a user, looked up once per request."""

    roles: set[str]
    social_workers: dict[datetime.date, SocialWorker | None]
    organisation: Organisation | None = None
    organisation_known: bool = False
    # (day, roles counted team-wide) -> the caseload's client ids (a lazy subquery: built
    # from the facts above, evaluated by the database in every query that carries it).
    caseloads: dict[tuple[datetime.date, frozenset[str]], QuerySet[Any] | None] = dataclasses.field(
        default_factory=dict
    )


def _user_facts(user: Any) -> _UserFacts:
    facts = getattr(user, "_traject_access_facts", None)
    if facts is None:
        facts = _UserFacts(roles=user_roles(user), social_workers={})
        user._traject_access_facts = facts
    return facts


def roles_of(user: Any) -> set[str]:
    """The user's role codes (cached for the request)."""
    if not _is_active_user(user):
        return set()
    return _user_facts(user).roles


def employed_social_worker(user: Any, day: datetime.date | None = None) -> SocialWorker | None:
    """The user's social-worker profile if they are employed on `day` (default today)."""
    if not _is_active_user(user):
        return None
    day = day or timezone.localdate()
    cache = _user_facts(user).social_workers
    if day not in cache:
        cache[day] = (
            SocialWorker.objects.filter(user_id=user.pk)
            .employed_on(day)
            .select_related("organisation", "team")
            .first()
        )
    return cache[day]


def social_worker_profile(user: Any) -> SocialWorker | None:
    """The user's social-worker profile, employed today or not (None: they have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "social_worker", None)


def user_organisation(user: Any) -> Organisation | None:
    """The organisation a user works for and acts in: the one definition, used by every
    page, report, export, import, admin and the audit trail. The organisation of their
    social-worker profile (employed or not), else of their staff membership (managers,
    administrators, the DPO); None for somebody with neither (a superuser, or an
    account that acts nowhere)."""
    if not getattr(user, "is_authenticated", False):
        return None
    facts = _user_facts(user)
    if not facts.organisation_known:
        facts.organisation_known = True
        profile = social_worker_profile(user)
        if profile is not None:
            facts.organisation = profile.organisation
        else:
            membership = (
                StaffMembership.objects.filter(user_id=user.pk)
                .select_related("organisation")
                .first()
            )
            facts.organisation = membership.organisation if membership is not None else None
    return facts.organisation


def organisations_of(user: Any) -> QuerySet[Organisation]:
    """The organisations whose figures, reference data, imports, users and audit entries
    `user` works with: their own (`user_organisation`); for a regional analyst those of
    their regions (`regions_of`); every organisation for a superuser; none for anybody
    else."""
    own = user_organisation(user)
    if own is not None:
        return Organisation.objects.filter(pk=own.pk)
    if not _is_active_user(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    if ANALYST in roles_of(user):
        return Organisation.objects.filter(region__in=regions_of(user))
    return Organisation.objects.none()


def acts_in(user: Any, organisation_id: Any) -> bool:
    """Whether `user` may act in the organisation `organisation_id` (see organisations_of)."""
    if not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    own = user_organisation(user)
    return own is not None and own.pk == organisation_id


def regions_of(user: Any) -> QuerySet[Region]:
    """The regions whose report `user` may see: every region for a superuser; for a
    regional analyst (the role, active) the regions given to them and every region
    below those; none for anybody else (a manager sees only their own organisation)."""
    if not _is_active_user(user):
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    if ANALYST not in roles_of(user):
        return Region.objects.none()
    given = RegionAssignment.objects.filter(user_id=user.pk).values_list("region_id", flat=True)
    ids: set[int] = set()
    for region_id in given:
        ids |= Region.objects.subtree_ids(region_id)
    return Region.objects.filter(pk__in=ids)


def _caseload_client_ids(
    user: Any, day: datetime.date, *, team_wide: set[str]
) -> QuerySet[Any] | None:
    """The ids of the clients assigned on `day` to the user, or to their team when their
    role is in `team_wide` (None: nobody's). Built once per request (`_UserFacts`): it
    depends only on the user's roles and profile, which are looked up once too."""
    if not _is_active_user(user):
        return None
    caseloads = _user_facts(user).caseloads
    key = (day, frozenset(team_wide))
    if key not in caseloads:
        caseloads[key] = _build_caseload_client_ids(user, day, team_wide=team_wide)
    return caseloads[key]


def _build_caseload_client_ids(
    user: Any, day: datetime.date, *, team_wide: set[str]
) -> QuerySet[Any] | None:
    roles = roles_of(user)
    if not roles & {SOCIAL_ASSISTANT, TEAM_LEAD}:
        return None
    social_worker = employed_social_worker(user, day)
    if social_worker is None:
        return None
    team = social_worker.team if social_worker.team_id and roles & team_wide else None
    # The assignments' clients directly (not a subquery of clients over a subquery of
    # assignments), so that PostgreSQL looks the few clients up by key instead of scanning
    # every client of the organisation, in every query that carries this filter.
    assigned = Assignment.objects.assigned_on(day, social_worker=social_worker, team=team)
    return assigned.filter(client__organisation_id=social_worker.organisation_id).values(
        "client_id"
    )


def _caseload_clients(user: Any, day: datetime.date, *, team_wide: set[str]) -> Q:
    """Clients assigned on `day` to the user, or to their team when their role is in `team_wide`."""
    ids = _caseload_client_ids(user, day, team_wide=team_wide)
    return NOTHING if ids is None else Q(pk__in=ids)


def visible_clients(user: Any, day: datetime.date | None = None) -> ClientQuerySet[Client]:
    """The clients whose file `user` may open on `day`: the one definition of access.

    A social worker sees the clients currently assigned to them or to a
    colleague of their team; a team lead sees their team's clients.
    Superusers see every client. Everybody else (managers included) sees
    no client file: they read aggregated figures only.
    """
    return Client.objects.filter(visible_clients_filter(user, day))


def visible_clients_filter(user: Any, day: datetime.date | None = None) -> Q:
    """A Q on Client selecting the files `user` may open on `day` (default today)."""
    if not _is_active_user(user):
        return NOTHING
    if user.is_superuser:
        return Q()
    day = day or timezone.localdate()
    if not user.has_perm("casework.break_glass"):
        return _own_clients(user, day)
    grants = BreakGlassGrant.objects.active().filter(user_id=user.pk).values("client_id")
    own = _caseload_client_ids(user, day, team_wide={SOCIAL_ASSISTANT, TEAM_LEAD})
    # One set of ids (a UNION), not two ORed subqueries: an OR makes PostgreSQL test
    # every client of every organisation against both.
    return Q(pk__in=grants if own is None else own.union(grants, all=True))


def _own_clients(user: Any, day: datetime.date) -> Q:
    """The clients of the user's caseload and, for a social assistant or team lead, team."""
    return _caseload_clients(user, day, team_wide={SOCIAL_ASSISTANT, TEAM_LEAD})


def break_glass_grant(user: Any, client: Client) -> BreakGlassGrant | None:
    """The active grant through which `user` opens `client`'s file, when that is the only
    way in (not the caseload or the team): the file then says so."""
    if not _is_active_user(user) or user.is_superuser:
        return None
    if not user.has_perm("casework.break_glass"):
        return None
    if Client.objects.filter(_own_clients(user, timezone.localdate()), pk=client.pk).exists():
        return None
    grants = BreakGlassGrant.objects.active().filter(user_id=user.pk, client_id=client.pk)
    return grants.order_by("-expires_at").first()


def health_data_clients_filter(user: Any, day: datetime.date | None = None) -> Q:
    """A Q on Client selecting the clients whose health data `user` may see on `day`.

    The social assistant assigned to the client, a team lead of that social
    assistant's team, the data protection officer (or a superuser). A
    colleague of the team, or somebody with a break-glass grant, sees the file
    but not its health data.
    """
    if not _is_active_user(user):
        return NOTHING
    if user.is_superuser or DPO in roles_of(user):
        return Q()
    return _caseload_clients(user, day or timezone.localdate(), team_wide={TEAM_LEAD})


def can_see_health_data(user: Any, client: Client) -> bool:
    """Health data (MMPP advices, exemption reasons; GDPR art. 9) of `client`."""
    return Client.objects.filter(health_data_clients_filter(user), pk=client.pk).exists()


def can_export_client_data(user: Any, client: Client) -> bool:
    """The art. 15 export of everything about `client` (the data protection officer's task).

    Needs the export permission; besides the DPO of the client's organisation (and
    superusers), somebody given that permission may only export a client whose file
    they may open.
    """
    if not _is_active_user(user) or not user.has_perm("casework.export_client_data"):
        return False
    if user.is_superuser:
        return True
    if DPO in roles_of(user):
        return acts_in(user, client.organisation_id)  # the DPO of that organisation only
    return Client.objects.filter(visible_clients_filter(user), pk=client.pk).exists()


def client_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its client ("" for Client itself), None if it has none."""
    if issubclass(model, Client):
        return ""
    names = {field.name: field for field in model._meta.get_fields()}
    client = names.get("client")
    if client is not None and getattr(client, "related_model", None) is Client:
        return "client"
    for field in names.values():
        if field.many_to_one and field.related_model is not None:
            inner = client_path(field.related_model) if field.related_model is not model else None
            if inner:
                return f"{field.name}__{inner}"
    return None


def is_health_data(model: type[models.Model]) -> bool:
    return model._meta.label_lower in HEALTH_DATA_MODELS


def visible_records_filter(model: type[models.Model], user: Any) -> Q:
    """A Q on `model` (Client or any record of a client) selecting what `user` may see.

    Records of health-data models also need the health-data right. Models not
    tied to a client raise ValueError: they are not client data.
    """
    path = client_path(model)
    if path is None:
        raise ValueError(f"{model._meta.label} is not a record of a client.")
    clients = Client.objects.filter(visible_clients_filter(user))
    if is_health_data(model):
        clients = clients.filter(health_data_clients_filter(user))
    if path == "":
        return Q(pk__in=clients.values("pk"))
    return Q(**{f"{path}__in": clients.values("pk")})


def notify_client_access(request: HttpRequest, client: Any, allowed: bool) -> None:
    """Tell the observers (the audit log) about one attempt to open a client file."""
    for observer in client_access_observers:
        observer(request, client, allowed)


def get_client_or_404(request: HttpRequest, pk: Any, *, health_data: bool = False) -> Client:
    """The client file `pk` if the user may open it; otherwise 404. With `health_data`,
    also its health data: 403 when the file is visible but its health data is not.
    Every attempt is observed once: a read when allowed, a refusal otherwise."""
    client = visible_clients(request.user).filter(pk=pk).first()
    if client is None:
        notify_client_access(request, pk, False)
        raise Http404
    if health_data and not can_see_health_data(request.user, client):
        notify_client_access(request, client.pk, False)
        raise PermissionDenied
    notify_client_access(request, client, True)
    return client


def get_client_record_or_404[M: models.Model](
    request: HttpRequest, model: type[M], pk: Any, queryset: models.QuerySet[M] | None = None
) -> M:
    """A record of a client the user may open (a read of that client's file, observed once).

    404 when the record does not exist or its client is not visible; 403 when
    the record holds health data the user may not see.
    """
    path = client_path(model)
    if path is None:
        raise ValueError(f"{model._meta.label} is not a record of a client.")
    queryset = queryset if queryset is not None else model._default_manager.all()
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    get_client_or_404(request, _resolve_client_pk(record, path), health_data=is_health_data(model))
    return record


def _resolve_client_pk(record: models.Model, path: str) -> Any:
    """Follow `path` ("client", "trajectory__client", "") from a record to its client's pk."""
    if path == "":
        return record.pk
    parts = path.split("__")
    owner: Any = record
    for part in parts[:-1]:
        owner = getattr(owner, part)
    return getattr(owner, f"{parts[-1]}_id")
