"""Who may see which client file: the single place that decides it.

Every view, form, htmx fragment, export and API endpoint that touches one
client goes through `get_client_or_404` (or `get_client_record_or_404` for a
record of a client); lists go through `Client.objects.visible_to(user)`,
which uses `visible_clients_filter`, and lists of records through
`visible_records_filter`. Observers (the audit log) are told of every read and
every refusal.

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

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest

    from audit.models import BreakGlassGrant
    from casework.models import Client, SocialWorker

# observer(request, client, allowed): called on every attempt to open a client file;
# `client` is the Client (or its pk) when allowed, the pk that was asked for otherwise.
ClientAccessObserver = Callable[["HttpRequest", Any, bool], None]
client_access_observers: list[ClientAccessObserver] = []

# Records holding health data (GDPR art. 9): "app_label.model_name".
HEALTH_DATA_MODELS = frozenset({"partners.mmppscreening", "casework.exemption"})

NOTHING = Q(pk__in=[])


def _is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _employed_social_worker(user: Any, day: datetime.date) -> SocialWorker | None:
    """The user's social-worker profile if they are employed on `day`."""
    from casework.models import SocialWorker

    social_worker = SocialWorker.objects.filter(user_id=user.pk).employed_on(day).first()
    return social_worker


def _caseload_clients(user: Any, day: datetime.date, *, team_wide: set[str]) -> Q:
    """Clients assigned on `day` to the user, or to their team when their role is in `team_wide`."""
    from casework.models import Assignment
    from casework.roles import SOCIAL_ASSISTANT, TEAM_LEAD, user_roles

    roles = user_roles(user)
    if not roles & {SOCIAL_ASSISTANT, TEAM_LEAD}:
        return NOTHING
    social_worker = _employed_social_worker(user, day)
    if social_worker is None:
        return NOTHING
    assignments = Assignment.objects.active_on(day).filter(
        organisation_id=social_worker.organisation_id
    )
    mine = Q(social_worker_id=social_worker.pk)
    if social_worker.team_id is not None and roles & team_wide:
        mine |= Q(social_worker__team_id=social_worker.team_id)
    return Q(pk__in=assignments.filter(mine).values("client_id"))


def visible_clients_filter(user: Any, day: datetime.date | None = None) -> Q:
    """A Q on Client selecting the files `user` may open on `day` (default today)."""
    from audit.models import BreakGlassGrant

    if not _is_active_user(user):
        return NOTHING
    if user.is_superuser:
        return Q()
    visible = _own_clients(user, day or timezone.localdate())
    if user.has_perm("casework.break_glass"):
        grants = BreakGlassGrant.objects.active().filter(user_id=user.pk)
        visible |= Q(pk__in=grants.values("client_id"))
    return visible


def _own_clients(user: Any, day: datetime.date) -> Q:
    """The clients of the user's caseload and, for a social assistant or team lead, team."""
    from casework.roles import SOCIAL_ASSISTANT, TEAM_LEAD

    return _caseload_clients(user, day, team_wide={SOCIAL_ASSISTANT, TEAM_LEAD})


def break_glass_grant(user: Any, client: Client) -> BreakGlassGrant | None:
    """The active grant through which `user` opens `client`'s file, when that is the only
    way in (not the caseload or the team): the file then says so."""
    from audit.models import BreakGlassGrant
    from casework.models import Client

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
    from casework.roles import DPO, TEAM_LEAD, user_roles

    if not _is_active_user(user):
        return NOTHING
    if user.is_superuser or DPO in user_roles(user):
        return Q()
    return _caseload_clients(user, day or timezone.localdate(), team_wide={TEAM_LEAD})


def can_see_health_data(user: Any, client: Client) -> bool:
    """Health data (MMPP advices, exemption reasons; GDPR art. 9) of `client`."""
    from casework.models import Client

    return Client.objects.filter(health_data_clients_filter(user), pk=client.pk).exists()


def can_export_client_data(user: Any, client: Client) -> bool:
    """The art. 15 export of everything about `client` (the data protection officer's task).

    Needs the export permission; besides the DPO (and superusers), somebody
    given that permission may only export a client whose file they may open.
    """
    from casework.models import Client
    from casework.roles import DPO, user_roles

    if not _is_active_user(user) or not user.has_perm("casework.export_client_data"):
        return False
    if user.is_superuser or DPO in user_roles(user):
        return True
    return Client.objects.filter(visible_clients_filter(user), pk=client.pk).exists()


def _client_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its client ("" for Client itself), None if it has none."""
    from casework.models import Client

    if issubclass(model, Client):
        return ""
    names = {field.name: field for field in model._meta.get_fields()}
    client = names.get("client")
    if client is not None and getattr(client, "related_model", None) is Client:
        return "client"
    for field in names.values():
        if field.many_to_one and field.related_model is not None:
            inner = _client_path(field.related_model) if field.related_model is not model else None
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
    from casework.models import Client

    path = _client_path(model)
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


def get_client_or_404(request: HttpRequest, pk: Any) -> Client:
    """The client file `pk` if the user may open it; otherwise 404. Both are observed."""
    from casework.models import Client

    client = Client.objects.visible_to(request.user).filter(pk=pk).first()
    allowed = client is not None
    notify_client_access(request, client if allowed else pk, allowed)
    if client is None:
        raise Http404
    return client


def get_client_record_or_404[M: models.Model](
    request: HttpRequest, model: type[M], pk: Any, queryset: models.QuerySet[M] | None = None
) -> M:
    """A record of a client the user may open (a read of that client's file, observed once).

    404 when the record does not exist or its client is not visible; 403 when
    the record holds health data the user may not see.
    """
    path = _client_path(model)
    if path is None:
        raise ValueError(f"{model._meta.label} is not a record of a client.")
    queryset = queryset if queryset is not None else model._default_manager.all()
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    client = get_client_or_404(request, _resolve_client_pk(record, path))
    if is_health_data(model) and not can_see_health_data(request.user, client):
        raise PermissionDenied
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
