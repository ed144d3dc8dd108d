"""The queues: every rule over the clients of a social assistant, a team or one file."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from access.rules import health_data_clients_filter, visible_clients_filter
from casework.models import (
    Client,
)
from desk.workqueue.items import RULE_LABELS, WorkItem, hidden_item
from desk.workqueue.rules import CLIENT_RULES, HEALTH_RULES, jobroad_free_places, rule_items

# --- Queues ---------------------------------------------------------------------------


def work_queue(
    *,
    clients: QuerySet[Client] | list[int],
    today: datetime.date | None = None,
    health_clients: QuerySet[Client] | None = None,
    organisation_ids: Iterable[int] = (),
) -> list[WorkItem]:
    """Every item due for `clients` (a QuerySet, or the clients' ids), earliest first.

    Items that depend on health data (an MMPP item, or an item that a running
    exemption cancels) are shown as they are only for `health_clients` (none when
    omitted): pass the clients whose health data the viewer may see. For the others
    the queue says that there is an item the viewer may not see, without which: it
    neither shows the item nor pretends that nothing is due (both would reveal the
    health data). JobRoad sessions with free places are listed for `organisation_ids`.
    """
    today = today or timezone.localdate()
    # Every rule in one query; the health rules too, hidden below where they must be.
    items = rule_items(
        [*CLIENT_RULES.values(), *HEALTH_RULES.values()], _materialised(clients), today
    )
    items = _health_data_hidden(items, health_clients, today)
    organisation_ids = list(organisation_ids)
    if organisation_ids:
        items += jobroad_free_places(organisation_ids, today)
    return sorted(items, key=lambda item: item.sort_key)


# Up to this many clients, a queue names them by id: one query for the ids instead of
# the scope's subquery (access rules, assignments) planned and run once per rule.
MATERIALISE_UP_TO = 5000


def _materialised(clients: QuerySet[Client] | list[int]) -> QuerySet[Client] | list[int]:
    """`clients` as a list of ids when they are few enough, else as they are."""
    if isinstance(clients, list):
        return clients
    ids = list(clients.order_by().values_list("pk", flat=True)[: MATERIALISE_UP_TO + 1])
    if len(ids) > MATERIALISE_UP_TO:
        return clients
    return ids


def _health_data_hidden(
    items: list[WorkItem], health_clients: QuerySet[Client] | None, today: datetime.date
) -> list[WorkItem]:
    """`items` as a viewer who sees the health data of `health_clients` only may see them:
    for other clients one `hidden_item` replaces every item that depends on health data."""
    flagged = {
        item.client_id
        for item in items
        if (item.exempt or item.health_data) and item.client_id is not None
    }
    may_see: set[int] = set()
    if flagged and health_clients is not None:
        may_see = set(health_clients.filter(pk__in=flagged).values_list("pk", flat=True))
    shown: list[WorkItem] = []
    hidden: dict[int, WorkItem] = {}
    for item in items:
        if not (item.exempt or item.health_data):
            shown.append(item)
        elif item.client_id in may_see:
            if not item.exempt:
                shown.append(item)
        elif item.client_id is not None and item.client_id not in hidden:
            hidden[item.client_id] = hidden_item(item.client_id, item.client_name, today)
    return shown + list(hidden.values())


def social_worker_queue(
    social_worker: Any,
    *,
    viewer: Any = None,
    today: datetime.date | None = None,
    clients: list[int] | None = None,
) -> list[WorkItem]:
    """The queue of one social assistant: the clients assigned to them today.

    A queue shows no more than the files behind it: with a `viewer` (the user
    looking at the queue), only the clients whose file they may open today, and
    items that depend on health data only for those whose health data they may see
    (`access.rules`), a hidden item for the others; without a viewer (a command),
    every client, with a hidden item wherever health data decides. `clients`: those
    clients' ids when the caller has already read them (`social_worker_clients`).
    """
    today = today or timezone.localdate()
    if clients is None:
        clients = social_worker_clients(social_worker, viewer=viewer, today=today)
    return work_queue(
        clients=clients,
        today=today,
        health_clients=_health_clients(clients, viewer, today),
        organisation_ids=[social_worker.organisation_id],
    )


def social_worker_clients(
    social_worker: Any, *, viewer: Any = None, today: datetime.date
) -> list[int]:
    """The ids of the clients of `social_worker`'s queue on `today`: assigned to them,
    and with a `viewer` only those whose file the viewer may open (one query)."""
    clients = _visible(
        Client.objects.assigned_on(today, social_worker=social_worker), viewer, today
    )
    return list(clients.order_by().values_list("pk", flat=True))


def _visible(clients: QuerySet[Client], viewer: Any, today: datetime.date) -> QuerySet[Client]:
    """Those of `clients` whose file `viewer` may open today (all of them: no viewer)."""
    if viewer is None:
        return clients
    return clients.filter(visible_clients_filter(viewer, today))


def _health_clients(
    clients: QuerySet[Client] | list[int], viewer: Any, today: datetime.date
) -> QuerySet[Client] | None:
    """Those of `clients` whose health data `viewer` may see today (None: no viewer).

    Given as ids (already read through the access rules), the ids stand for them: the
    set of files the viewer may open is not asked of the database once more."""
    if viewer is None:
        return None
    if isinstance(clients, list):
        clients = Client.objects.filter(pk__in=clients)
    return clients.filter(health_data_clients_filter(viewer, today))


def team_clients(team: Any, today: datetime.date) -> QuerySet[Client]:
    """Clients assigned today to a member of `team`."""
    return Client.objects.assigned_on(today, team=team)


def team_queue(
    team: Any, *, viewer: Any = None, today: datetime.date | None = None
) -> list[WorkItem]:
    """The queue of a team; what `viewer` sees of it as in `social_worker_queue`."""
    today = today or timezone.localdate()
    clients = _materialised(_visible(team_clients(team, today), viewer, today))
    return work_queue(
        clients=clients,
        today=today,
        health_clients=_health_clients(clients, viewer, today),
        organisation_ids=[team.organisation_id],
    )


def client_ids(items: Iterable[WorkItem]) -> list[int]:
    """The clients named by `items` (for the audit trail of what a queue showed)."""
    return sorted({item.client_id for item in items if item.client_id is not None})


def first_item_per_client(items: Iterable[WorkItem]) -> dict[int, WorkItem]:
    """The earliest item of each client (items must be sorted, as `work_queue` returns)."""
    first: dict[int, WorkItem] = {}
    for item in items:
        if item.client_id is not None and item.client_id not in first:
            first[item.client_id] = item
    return first


def count_by_rule(items: Iterable[WorkItem]) -> list[tuple[str, str, int]]:
    """(rule, label, count) for every rule, in the order of RULE_LABELS."""
    counts = dict.fromkeys(RULE_LABELS, 0)
    for item in items:
        counts[item.rule] += 1
    return [(rule, str(RULE_LABELS[rule]), n) for rule, n in counts.items()]


# Age bands of overdue items (days past the due date): (first, last), last None = open.
AGE_BANDS: tuple[tuple[int, int | None], ...] = ((1, 7), (8, 30), (31, 90), (91, None))


@dataclass(frozen=True)
class OverdueSummary:
    """The overdue items of one social assistant: how many, how old the oldest is (days
    past its due date), and how many per age band (`AGE_BANDS`)."""

    social_worker_name: str
    count: int
    oldest_days: int
    per_band: tuple[int, ...]


def overdue_by_worker(items: Iterable[WorkItem]) -> list[OverdueSummary]:
    """Overdue items per social assistant of the items' clients, the oldest first.

    Items about no client (JobRoad sessions) or whose assistant is hidden (items the
    viewer may not see) are dated today or later, so never overdue."""
    ages: dict[str, list[int]] = {}
    for item in items:
        if item.overdue and item.social_worker_name:
            ages.setdefault(item.social_worker_name, []).append((item.today - item.due_date).days)
    summaries = [
        OverdueSummary(
            social_worker_name=name,
            count=len(days),
            oldest_days=max(days),
            per_band=tuple(
                sum(1 for d in days if first <= d and (last is None or d <= last))
                for first, last in AGE_BANDS
            ),
        )
        for name, days in ages.items()
    ]
    return sorted(summaries, key=lambda s: (-s.oldest_days, -s.count, s.social_worker_name))
