"""Writing the audit trail. Everything that is logged goes through `audit_log` or
`audit_writes` (the write observer), so an entry always has the same shape:
who (user and username), what (action, object, client), how (source page or
command, IP address) and, for changes, the old and new values."""

from __future__ import annotations

import datetime
import json
import os
import sys
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import BreakGlassGrant
from access.rules import employed_social_worker, organisations_of, user_organisation
from audit.chain import CanonicalJson, bulk_entry_hasher, chain_head, entry_hash
from audit.models import AuditAction, AuditEntry
from audit.request_info import client_address
from casework.models import Client, Organisation, Trajectory
from core import bulk
from core.writes import Change, current_write_source

# Fields never written to `changes` in the clear (the audit trail is sensitive itself).
MASKED_FIELDS = frozenset({"national_number"})
# Bookkeeping that says nothing about what changed.
SKIPPED_FIELDS = frozenset({"created_at", "updated_at"})


def mask_national_number(value: Any) -> Any:
    """Keep the birth-date part (already in the file), hide serial and checksum."""
    if not value:
        return value
    text = str(value)
    return text[:6] + "*" * max(len(text) - 6, 0)


_PLAIN_TYPES = frozenset({type(None), bool, int, float, str})


def json_value(value: Any) -> Any:
    if type(value) in _PLAIN_TYPES:  # most values: one set lookup (bulk imports)
        return value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return str(value)


def serialise_changes(changes: Change) -> dict[str, list[Any]]:
    """{field: (old, new)} as JSON-ready {field: [old, new]}, national numbers masked."""
    result: dict[str, list[Any]] = {}
    for field, (old, new) in changes.items():
        if field in SKIPPED_FIELDS:
            continue
        if field in MASKED_FIELDS:
            old, new = mask_national_number(old), mask_national_number(new)
        result[field] = [json_value(old), json_value(new)]
    return result


_SCALARS = (
    type(None),
    bool,
    int,
    float,
    str,
    datetime.date,
    datetime.datetime,
    datetime.time,
    Decimal,
    uuid.UUID,
)


_SCALAR_TYPES = frozenset(_SCALARS)


def _is_scalar(value: Any) -> bool:
    return type(value) in _SCALAR_TYPES or isinstance(value, _SCALARS)


def _json_default(value: Any) -> Any:
    """What json.dumps cannot encode itself, encoded as `json_value` does."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def changes_json(changes: Change) -> CanonicalJson:
    """`serialise_changes(changes)` as JSON text in the hash chain's canonical form
    (sorted keys, no spaces), in one pass of json's C encoder (the bulk observer writes
    one per imported record). Values that are not plain (lists, dicts, ...) take the
    general path; either way the text is the same."""
    plain: dict[str, tuple[Any, Any]] = {}
    for field, (old, new) in changes.items():
        if field in SKIPPED_FIELDS:
            continue
        if field in MASKED_FIELDS:
            old, new = mask_national_number(old), mask_national_number(new)
        # Most values (None, text, numbers) go to the encoder as they are: one set lookup.
        if type(old) not in _PLAIN_TYPES:
            # A date (or decimal, ...) as the encoder's `default` would give it, without
            # the call back from the encoder.
            if (convert := _AS_TEXT.get(type(old))) is not None:
                old = convert(old)
            elif not _is_scalar(old):
                return _general_changes_json(changes)
        if type(new) not in _PLAIN_TYPES:
            if (convert := _AS_TEXT.get(type(new))) is not None:
                new = convert(new)
            elif not _is_scalar(new):
                return _general_changes_json(changes)
        plain[field] = (old, new)
    return CanonicalJson(_CHANGES_JSON.encode(plain))


def _general_changes_json(changes: Change) -> CanonicalJson:
    """`changes_json` of changes holding values that are not plain (lists, dicts, ...)."""
    return CanonicalJson(
        json.dumps(serialise_changes(changes), sort_keys=True, separators=(",", ":"))
    )


# Values that JSON cannot encode itself, by exact type: what `_json_default` makes of them.
_AS_TEXT: dict[type, Any] = {
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
    datetime.time: datetime.time.isoformat,
    Decimal: str,
    uuid.UUID: str,
}


# As json.dumps(..., default=_json_default, sort_keys=True, separators=(",", ":")), made
# once: the bulk observer encodes one per imported record.
_CHANGES_JSON = json.JSONEncoder(default=_json_default, sort_keys=True, separators=(",", ":"))


def command_source() -> str:
    """What runs outside a request: `command:<name>` for manage.py, else the program."""
    argv = sys.argv or [""]
    program = os.path.basename(argv[0])
    if program == "manage.py" and len(argv) > 1:
        return f"command:{argv[1]}"
    return f"process:{program}" if program else ""


def _user_fields(user: Any) -> dict[str, Any]:
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user_id": user.pk, "username": user.get_username()}
    return {"user_id": None, "username": ""}


def request_source(request: Any) -> str:
    return f"page:{request.path}"[:255] if request is not None else ""


def audit_log(
    *,
    action: str,
    user: Any = None,
    request: Any = None,
    username: str = "",
    object_type: str = "",
    object_id: Any = "",
    client_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    source: str = "",
    organisation_id: int | None = None,
) -> AuditEntry:
    """Add one entry. With a request, the user, page and address come from it. The
    organisation is `organisation_id`, else the client's (an entry about a client, also a
    refused read of another organisation's client, belongs to that client's DPO), else
    the user's (`user_organisation`)."""
    written_by = current_write_source()
    if request is not None:
        user = user if user is not None else getattr(request, "user", None)
        source = source or request_source(request)
        address = client_address(request)
    else:
        user = user if user is not None else written_by.user
        source = source or written_by.source or command_source()
        address = written_by.address or None
    fields = _user_fields(user)
    if username and not fields["username"]:
        fields["username"] = username[:150]
    if organisation_id is None and client_id is not None:
        organisation_id = (
            Client.objects.filter(pk=client_id).values_list("organisation_id", flat=True).first()
        )
    if organisation_id is None:
        organisation_id = _organisation_of(user)
    return AuditEntry.objects.create(
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64] if object_id not in (None, "") else "",
        client_id=client_id,
        changes=json_value(changes or {}),
        reason=reason,
        source=source[:255],
        address=address,
        **fields,
    )


def audit_entries_for(user: Any) -> Any:
    """The audit entries `user` may read: a superuser all of them, a DPO (or anybody
    given the permission) those of their own organisation (`organisations_of`)."""
    if getattr(user, "is_superuser", False):
        return AuditEntry.objects.all()
    return AuditEntry.objects.of_organisations(organisations_of(user).values("pk"))


def last_write(instance: models.Model, *, client_id: int | None = None) -> AuditEntry | None:
    """The audit entry of the latest save (create or update) of `instance`: who saved
    it last and when (records do not store their last editor; the audit trail does).
    `client_id` (the record's client) lets the lookup use the per-client index."""
    entries = AuditEntry.objects.filter(
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        action__in=[AuditAction.CREATE, AuditAction.UPDATE],
    )
    if client_id is not None:
        entries = entries.filter(client_id=client_id)
    return entries.select_related("user").order_by("-at", "-pk").first()


def _organisation_of(user: Any) -> int | None:
    organisation = user_organisation(user) if user is not None else None
    return organisation.pk if organisation is not None else None


def _client_ids(instances: Iterable[models.Model]) -> dict[int, int | None]:
    """id(instance) -> the client the record belongs to (one query for evaluations)."""
    result: dict[int, int | None] = {}
    missing_trajectories: dict[int, list[int]] = {}
    for instance in instances:
        if isinstance(instance, Client):
            result[id(instance)] = instance.pk
        elif hasattr(instance, "client_id"):
            result[id(instance)] = instance.client_id
        elif trajectory_id := getattr(instance, "trajectory_id", None):
            cached = instance._state.fields_cache.get("trajectory")
            if cached is not None:
                result[id(instance)] = cached.client_id
            else:
                missing_trajectories.setdefault(trajectory_id, []).append(id(instance))
        else:
            result[id(instance)] = None
    if missing_trajectories:
        owners = dict(
            Trajectory.objects.filter(pk__in=missing_trajectories).values_list("pk", "client_id")
        )
        for trajectory_id, keys in missing_trajectories.items():
            for key in keys:
                result[key] = owners.get(trajectory_id)
    return result


# The columns an entry of the write observer fills, in the order of its rows.
WRITE_COLUMNS = (
    "at",
    "user_id",
    "username",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "organisation_id",
    "changes",
    "reason",
    "source",
    "address",
    "previous_hash",
    "entry_hash",
)


def audit_writes(action: str, items: list[tuple[models.Model, Change]]) -> None:
    """The write observer: one entry per written record, inserted in bulk.

    Runs inside the write's transaction, so a write that is rolled back leaves
    no entry and an entry that cannot be written stops the write. The entries
    of one batch share their time stamp.
    """
    written_by = current_write_source()
    user = _user_fields(written_by.user)
    source = (written_by.source or command_source())[:255]
    address = written_by.address or None
    at = timezone.now()
    clients = _client_ids(instance for instance, _changes in items)
    writer_organisation = _organisation_of(written_by.user)
    with transaction.atomic():
        head = chain_head(AuditEntry)
        bulk.insert(
            AuditEntry,
            WRITE_COLUMNS,
            _chained_writes(
                head,
                {
                    "at": at,
                    "user_id": user["user_id"],
                    "username": user["username"],
                    "action": action,
                    "reason": "",
                    "source": source,
                    "address": address,
                },
                (
                    (
                        instance._meta.label_lower,
                        str(instance.pk),
                        clients.get(id(instance)),
                        _record_organisation(instance, writer_organisation),
                        changes_json(changes),
                    )
                    for instance, changes in items
                ),
            ),
        )


def _chained_writes(
    head: str, shared: dict[str, Any], entries: Iterable[tuple[str, str, Any, Any, str]]
) -> Iterator[tuple[Any, ...]]:
    """The rows (WRITE_COLUMNS) of a write observer's entries, each chained to the one
    before it: as `_chained` would make them, with the content they share (time,
    writer, action, source) encoded for the hash once per kind of record instead of
    once per entry (`chain.bulk_entry_hasher`)."""
    hashers: dict[str, Any] = {}
    at, user_id, username = shared["at"], shared["user_id"], shared["username"]
    action, reason, source, address = (
        shared["action"],
        shared["reason"],
        shared["source"],
        shared["address"],
    )
    previous = head
    for object_type, object_id, client_id, organisation_id, changes in entries:
        hasher = hashers.get(object_type)
        if hasher is None:
            hasher = hashers[object_type] = bulk_entry_hasher(
                {**shared, "object_type": object_type}
            )
        own = hasher(previous, object_id, client_id, organisation_id, changes)
        yield (
            at,
            user_id,
            username,
            action,
            object_type,
            object_id,
            client_id,
            organisation_id,
            changes,
            reason,
            source,
            address,
            previous,
            own,
        )
        previous = own


def _record_organisation(instance: models.Model, default: int | None) -> int | None:
    if isinstance(instance, Organisation):
        return instance.pk
    # Read only when loaded (the importer's stand-ins defer it): never a query per record.
    return instance.__dict__.get("organisation_id") or default


def _chained(head: str, entries: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """The rows of `entries` (WRITE_COLUMNS), each chained to the one before it."""
    previous = head
    for values in entries:
        own = entry_hash(previous, values)
        values["previous_hash"], values["entry_hash"] = previous, own
        yield tuple(values[column] for column in WRITE_COLUMNS)
        previous = own


def audit_import(
    *,
    client_ids: Iterable[int],
    dry_run: bool,
    written: bool,
    organisation_id: int | None,
    problems: int,
) -> None:
    """A record bundle checked (dry run) or imported: one entry per stored client it
    touched (what the dry run may have told about them), and one for the bundle."""
    written_by = current_write_source()
    user = _user_fields(written_by.user)
    source = (written_by.source or command_source())[:255]
    reason = "dry_run" if dry_run else "imported" if written else "refused"
    at = timezone.now()
    base = {
        "at": at,
        **user,
        "action": AuditAction.IMPORT,
        "object_type": "records.bundle",
        "object_id": "",
        "organisation_id": organisation_id,
        "reason": reason,
        "source": source,
        "address": written_by.address or None,
    }
    summary = {"problems": (None, problems), "clients": (None, len(set(client_ids)))}
    entries = [base | {"client_id": None, "changes": changes_json(summary)}]
    entries += [
        base | {"client_id": client_id, "changes": CanonicalJson("{}")}
        for client_id in sorted(set(client_ids))
    ]
    with transaction.atomic():
        bulk.insert(AuditEntry, WRITE_COLUMNS, _chained(chain_head(AuditEntry), entries))


def _shown_client_ids(clients: Any) -> list[int]:
    """The ids of the clients behind `clients`: client ids, clients, records of clients,
    or a QuerySet of either (of clients: one query for their ids)."""
    if isinstance(clients, models.QuerySet) and clients.model is Client:
        return sorted(set(clients.values_list("pk", flat=True)))
    items = list(clients)
    ids = {item for item in items if isinstance(item, int)}
    instances = [item for item in items if isinstance(item, models.Model)]
    ids |= {pk for pk in _client_ids(instances).values() if pk is not None}
    return sorted(ids)


def audit_list_read(
    who: Any,
    clients: Any,
    what: str,
    *,
    action: str = AuditAction.LISTED,
    details: dict[str, Any] | None = None,
) -> int:
    """Every list, export and command that shows client data names the clients it showed:
    one entry per client (`action` LISTED, or EXPORT for a file), in one bulk insert.

    `who` is the request (its user, page and address) or, outside a request, the user
    a command runs for (the source is then the command, as for writes). `what` says
    which list (`caseload`, `workqueue`, ...), kept with `details` in `changes`.
    Returns the number of entries.
    """
    if isinstance(clients, list | tuple) and all(isinstance(c, Client) for c in clients):
        # Clients already loaded: their organisations are known (no query for them).
        organisations = {client.pk: client.organisation_id for client in clients}
        ids = sorted(organisations)
    else:
        ids = _shown_client_ids(clients)
        organisations = {}
    if not ids:
        return 0
    if isinstance(who, HttpRequest):
        user, source, address = who.user, request_source(who), client_address(who)
    else:
        written_by = current_write_source()
        user = who if who is not None else written_by.user
        source = written_by.source or command_source()
        address = written_by.address or None
    fields = _user_fields(user)
    changes = bulk.JsonText(json.dumps({"list": what, **json_value(details or {})}))
    at = timezone.now()
    label = Client._meta.label_lower
    if not organisations:
        organisations = dict(Client.objects.filter(pk__in=ids).values_list("pk", "organisation_id"))
    with transaction.atomic():
        head = chain_head(AuditEntry)
        return bulk.insert(
            AuditEntry,
            WRITE_COLUMNS,
            _chained(
                head,
                (
                    {
                        "at": at,
                        "user_id": fields["user_id"],
                        "username": fields["username"],
                        "action": action,
                        "object_type": label,
                        "object_id": str(pk),
                        "client_id": pk,
                        "organisation_id": organisations.get(pk),
                        "changes": changes,
                        "reason": "",
                        "source": source[:255],
                        "address": address,
                    }
                    for pk in ids
                ),
            ),
        )


def command_user(username: str) -> Any:
    """The active user a command that shows client data runs for (`--user`): its entries
    in the audit trail name them. A Dutch CommandError when there is none."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("Gebruiker %s bestaat niet of is niet actief.") % username)
    return user


def audit_client_access(request: Any, client: Any, allowed: bool) -> None:
    """The client-access observer: exactly one entry per attempt to open a file."""
    if allowed:
        client_pk = getattr(client, "pk", client)  # the client, or its pk (the admin)
        grant = (
            BreakGlassGrant.objects.active()
            .filter(user_id=getattr(request.user, "pk", None), client_id=client_pk)
            .order_by("-expires_at")
            .first()
        )
        audit_log(
            action=AuditAction.READ,
            request=request,
            object_type=Client._meta.label_lower,
            object_id=client_pk,
            client_id=client_pk,
            reason=grant.reason if grant is not None else "",
            # The client's organisation when the page gave the client (else the user's).
            organisation_id=getattr(client, "organisation_id", None),
        )
        return
    try:
        client_id: int | None = int(client)
    except (TypeError, ValueError):
        client_id = None
    if client_id is not None and not 0 < client_id < 2**63:
        client_id = None  # a made-up id that no client can have
    audit_log(
        action=AuditAction.DENIED,
        request=request,
        object_type=Client._meta.label_lower,
        object_id=client,
        client_id=client_id,
    )


def audit_file_read(
    request: Any, *, obj: models.Model, client: Client, details: dict[str, Any]
) -> AuditEntry:
    """A file of a client file given to the user (a document downloaded, a GPMI contract
    printed): a read entry naming the object, besides the read of the file itself."""
    return audit_log(
        action=AuditAction.READ,
        request=request,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        client_id=client.pk,
        changes=details,
        organisation_id=client.organisation_id,
    )


# --- Break glass ------------------------------------------------------------------------


def break_glass_scope(user: Any) -> Any:
    """The clients `user` may ask break-glass access to: those of their own organisation."""
    if not user.has_perm("casework.break_glass"):
        return Client.objects.none()
    if user.is_superuser:
        return Client.objects.all()
    if employed_social_worker(user, timezone.localdate()) is None:
        return Client.objects.none()
    return Client.objects.filter(organisation=user_organisation(user))


@transaction.atomic
def break_glass_grant_create(
    *, user: Any, client: Any, reason: str, request: Any = None
) -> BreakGlassGrant:
    """Open one client file outside the caseload for TRAJECT_BREAK_GLASS_HOURS, with a reason.

    The grant and its reason go into the audit trail as a break-glass entry.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Geef een reden."))
    if not break_glass_scope(user).filter(pk=client.pk).exists():
        raise PermissionDenied(_("Je mag voor deze cliënt geen noodtoegang vragen."))
    now = timezone.now()
    grant = BreakGlassGrant(
        user=user,
        client=client,
        reason=reason,
        granted_at=now,
        expires_at=now + datetime.timedelta(hours=settings.TRAJECT_BREAK_GLASS_HOURS),
    )
    grant.full_clean()
    grant.save()
    audit_log(
        action=AuditAction.BREAK_GLASS,
        user=user,
        request=request,
        object_type=client._meta.label_lower,
        object_id=client.pk,
        client_id=client.pk,
        changes={"expires_at": [None, json_value(grant.expires_at)]},
        reason=reason,
        organisation_id=client.organisation_id,
    )
    return grant
