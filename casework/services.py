"""Writes. Views, the importer and the admin all go through these functions, so a
record is valid by one definition: the model's `full_clean()` (field rules,
constraints and `clean()`) inside a transaction.

Every write is one of three generic operations (`record_create`,
`record_update`, `record_delete`) so that cross-cutting duties (the version
check against lost updates, the audit trail) live in one place; the typed
`<entity>_<verb>` functions below name the domain operations on top of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

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


class ConflictError(ValidationError):
    """Somebody else saved the record since it was read: the edit is refused."""


# Observers of every write (the audit log registers one). Each is called inside the
# write's transaction as observer(action, items) where action is "create", "update"
# or "delete" and items is a list of (instance, changes), changes mapping a field
# name to (old, new). Bulk writes (the importer) pass many items in one call.
Change = dict[str, tuple[Any, Any]]
WriteObserver = Callable[[str, list[tuple[models.Model, Change]]], None]
write_observers: list[WriteObserver] = []


@dataclass(frozen=True)
class WriteSource:
    """Who or what is writing: a user on a page, a command, the admin."""

    user: Any = None
    source: str = ""  # e.g. "page:/clients/12/", "admin", "command:import_records"
    address: str = ""


_write_source: ContextVar[WriteSource] = ContextVar(
    "write_source",
    default=WriteSource(),  # noqa: B039 (frozen: never mutated)
)


@contextmanager
def writes_by(*, user: Any = None, source: str = "", address: str = "") -> Iterator[WriteSource]:
    """Attribute the writes inside the block (audit trail) to a user, page or command."""
    current = WriteSource(user=user, source=source, address=address)
    token = _write_source.set(current)
    try:
        yield current
    finally:
        _write_source.reset(token)


def current_write_source() -> WriteSource:
    return _write_source.get()


def notify_writes(action: str, items: list[tuple[models.Model, Change]]) -> None:
    """Tell the observers about written records (bulk writers call this themselves)."""
    if items:
        for observer in write_observers:
            observer(action, items)


def _notify(action: str, instance: models.Model, changes: Change) -> None:
    notify_writes(action, [(instance, changes)])


def _field_values(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _inherit_organisation(instance: models.Model) -> None:
    """Records of a client (or trajectory, or programme) belong to its organisation."""
    if getattr(instance, "organisation_id", "absent") is not None:
        return
    for parent in ("client", "trajectory", "programme", "social_worker"):
        if getattr(instance, f"{parent}_id", None):
            instance.organisation_id = getattr(instance, parent).organisation_id  # type: ignore[attr-defined]
            return


@transaction.atomic
def record_create[M: models.Model](*, model: type[M], **fields: Any) -> M:
    """Create a record after full validation; the organisation follows its client."""
    if fields.get("external_id") in (None, ""):
        fields.pop("external_id", None)
    instance = model(**fields)
    _inherit_organisation(instance)
    instance.full_clean()
    instance.save()
    _notify("create", instance, {k: (None, v) for k, v in _field_values(instance).items()})
    return instance


@transaction.atomic
def record_update[M: models.Model](
    *, instance: M, expected_version: int | None = None, **fields: Any
) -> M:
    """Change fields of a record after full validation.

    With `expected_version` (the version the editor read), a record that was
    saved by somebody else in the meantime raises ConflictError instead of
    being silently overwritten.
    """
    model = type(instance)
    locked = model._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and getattr(locked, "version", None) != expected_version:
        raise ConflictError(
            _(
                "Iemand anders heeft dit record intussen gewijzigd. "
                "Herlaad de pagina en voer je wijziging opnieuw in."
            ),
            code="conflict",
        )
    before = _field_values(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    if hasattr(locked, "version"):
        locked.version = F("version") + 1  # type: ignore[attr-defined]
    locked.save()
    locked.refresh_from_db()
    after = _field_values(locked)
    changes = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    changes.pop("updated_at", None)
    _notify("update", locked, changes)
    for name in after:
        setattr(instance, name, getattr(locked, name))
    return instance


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    _notify("delete", instance, {k: (v, None) for k, v in _field_values(instance).items()})
    instance.delete()


# --- Organisations ----------------------------------------------------------------------


@transaction.atomic
def organisation_get_or_create(*, code: str, name: str, nis_code: str = "") -> Organisation:
    """The organisation with this code, created (with the standard programmes) if new."""
    from partners.services import programme_ensure_defaults

    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        organisation = Organisation(code=code, name=name, nis_code=nis_code)
        organisation.full_clean()
        organisation.save()
        _notify("create", organisation, {})
    elif (organisation.name, organisation.nis_code) != (name, nis_code):
        organisation.name, organisation.nis_code = name, nis_code
        organisation.full_clean()
        organisation.save()
    programme_ensure_defaults(organisation=organisation)
    return organisation


@transaction.atomic
def population_set(*, organisation: Organisation, year: int, inhabitants: int) -> Population:
    population = Population.objects.filter(organisation=organisation, year=year).first()
    population = population or Population(organisation=organisation, year=year)
    population.inhabitants = inhabitants
    population.full_clean()
    population.save()
    return population


def team_get_or_create(*, organisation: Organisation, name: str) -> Team:
    team, _created = Team.objects.get_or_create(organisation=organisation, name=name)
    return team


# --- Social workers and clients ---------------------------------------------------------


def social_worker_create(
    *,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    fte: Any,
    team: Team | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    user: Any = None,
    external_id: str | None = None,
) -> SocialWorker:
    return record_create(
        model=SocialWorker,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        fte=fte,
        team=team,
        start_date=start_date,
        end_date=end_date,
        user=user,
        external_id=external_id,
    )


def client_create(
    *,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    birth_date: datetime.date,
    gender: str,
    national_number: str = "",
    household: str = "",
    migration_background: bool | None = None,
    external_id: str | None = None,
) -> Client:
    return record_create(
        model=Client,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        gender=gender,
        national_number=national_number,
        household=household,
        migration_background=migration_background,
        external_id=external_id,
    )


def client_update(*, client: Client, expected_version: int | None = None, **fields: Any) -> Client:
    return record_update(instance=client, expected_version=expected_version, **fields)


def assignment_create(
    *,
    client: Client,
    social_worker: SocialWorker,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    external_id: str | None = None,
) -> Assignment:
    return record_create(
        model=Assignment,
        client=client,
        social_worker=social_worker,
        start_date=start_date,
        end_date=end_date,
        external_id=external_id,
    )


@transaction.atomic
def assignment_transfer(
    *,
    from_social_worker: SocialWorker,
    to_social_worker: SocialWorker,
    day: datetime.date,
    clients: models.QuerySet[Client] | None = None,
) -> list[Assignment]:
    """Move the caseload of one social worker to another from `day` on.

    Each running assignment of `from_social_worker` ends the day before `day`
    (or is moved whole when it starts on `day` or later) and a new one starts
    on `day` for `to_social_worker`. Returns the new assignments.
    """
    if from_social_worker.pk == to_social_worker.pk:
        raise ValidationError(_("Kies een andere maatschappelijk assistent."))
    if from_social_worker.organisation_id != to_social_worker.organisation_id:
        raise ValidationError(
            _("Beide maatschappelijk assistenten moeten in dezelfde organisatie werken.")
        )
    running = Assignment.objects.filter(social_worker=from_social_worker).filter(
        models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
    )
    if clients is not None:
        running = running.filter(client__in=clients)
    moved = []
    for assignment in running.select_related("client").order_by("client__last_name", "pk"):
        if assignment.start_date >= day:
            record_update(instance=assignment, social_worker=to_social_worker)
            moved.append(assignment)
            continue
        end = assignment.end_date
        record_update(instance=assignment, end_date=day - datetime.timedelta(days=1))
        moved.append(
            assignment_create(
                client=assignment.client,
                social_worker=to_social_worker,
                start_date=day,
                end_date=end,
            )
        )
    return moved


# --- The trajectory of a client ---------------------------------------------------------


def income_right_create(
    *,
    client: Client,
    kind: str,
    category: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    external_id: str | None = None,
) -> IncomeRight:
    return record_create(
        model=IncomeRight,
        client=client,
        kind=kind,
        category=category,
        start_date=start_date,
        end_date=end_date,
        external_id=external_id,
    )


def trajectory_create(
    *,
    client: Client,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    goal: str = "",
    external_id: str | None = None,
) -> Trajectory:
    return record_create(
        model=Trajectory,
        client=client,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        goal=goal,
        external_id=external_id,
    )


def trajectory_evaluation_create(
    *,
    trajectory: Trajectory,
    date: datetime.date,
    face_to_face: bool | None = None,
    notes: str = "",
    external_id: str | None = None,
) -> TrajectoryEvaluation:
    return record_create(
        model=TrajectoryEvaluation,
        trajectory=trajectory,
        date=date,
        face_to_face=face_to_face,
        notes=notes,
        external_id=external_id,
    )


def exemption_create(
    *,
    client: Client,
    kind: str,
    reason: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    external_id: str | None = None,
) -> Exemption:
    return record_create(
        model=Exemption,
        client=client,
        kind=kind,
        reason=reason,
        start_date=start_date,
        end_date=end_date,
        external_id=external_id,
    )


def client_note_create(
    *, client: Client, date: datetime.date, text: str, author: Any = None
) -> ClientNote:
    return record_create(model=ClientNote, client=client, date=date, text=text, author=author)
