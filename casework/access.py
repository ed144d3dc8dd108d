"""Who may see which client file: the single place that decides it.

Every view, form, htmx fragment, export and API endpoint that touches one
client goes through `get_client_or_404`; lists go through
`Client.objects.visible_to(user)`, which uses `visible_clients_filter`.
Observers (the audit log) are told of every read and every refusal.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest

    from casework.models import Client

# observer(request, client, allowed): called on every attempt to open a client file.
ClientAccessObserver = Callable[["HttpRequest", Any, bool], None]
client_access_observers: list[ClientAccessObserver] = []


def visible_clients_filter(user: Any, day: datetime.date | None = None) -> Q:
    """A Q on Client selecting the files `user` may open on `day` (default today)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    social_worker = getattr(user, "social_worker", None)
    if social_worker is None:
        return Q(pk__in=[])
    day = day or timezone.localdate()
    active = Q(assignments__start_date__lte=day) & (
        Q(assignments__end_date__isnull=True) | Q(assignments__end_date__gte=day)
    )
    own = Q(assignments__social_worker=social_worker)
    if social_worker.team_id is not None:
        own |= Q(assignments__social_worker__team_id=social_worker.team_id)
    return active & own & Q(organisation_id=social_worker.organisation_id)


def get_client_or_404(request: HttpRequest, pk: Any) -> Client:
    """The client file `pk` if the user may open it; otherwise 404. Both are observed."""
    from casework.models import Client

    client = Client.objects.visible_to(request.user).filter(pk=pk).first()
    allowed = client is not None
    for observer in client_access_observers:
        observer(request, client if allowed else pk, allowed)
    if client is None:
        raise Http404
    return client


def can_see_health_data(user: Any, client: Client) -> bool:
    """Health data (MMPP advices, exemption reasons; GDPR art. 9) of `client`.

    Only the social worker assigned to the client today, a team lead of that
    social worker's team, and the data protection officer (or a superuser).
    """
    from casework.models import Assignment
    from casework.roles import DPO, TEAM_LEAD, user_roles

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = user_roles(user)
    if DPO in roles:
        return True
    social_worker = getattr(user, "social_worker", None)
    if social_worker is None or social_worker.organisation_id != client.organisation_id:
        return False
    running = Assignment.objects.filter(client=client).active_on(timezone.localdate())
    if running.filter(social_worker=social_worker).exists():
        return True
    return (
        TEAM_LEAD in roles
        and social_worker.team_id is not None
        and running.filter(social_worker__team_id=social_worker.team_id).exists()
    )
