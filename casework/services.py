"""Writes of casework records: typed, keyword-only `<entity>_<verb>` functions on top
of the generic write services of `core.writes` (`record_create`, `record_update`,
`record_delete`), which validate with the model's `full_clean()` inside a
transaction, check the version and tell the observers (the audit trail).
Views, the importer and the admin all go through these."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from casework.models import (
    Appointment,
    AppointmentStatus,
    Assignment,
    Client,
    ClientNote,
    Exemption,
    HouseholdMember,
    IncomeRight,
    Organisation,
    Population,
    Region,
    SocialWorker,
    Team,
    Trajectory,
    TrajectoryEvaluation,
)
from core.writes import record_create, record_update

# --- Regions and organisations -----------------------------------------------------------


@transaction.atomic
def region_set(*, code: str, name: str, parent: Region | None = None) -> Region:
    """The region with this code, created if new, with this name and parent."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        return record_create(model=Region, code=code, name=name, parent=parent)
    if (region.name, region.parent_id) == (name, parent.pk if parent else None):
        return region
    return record_update(instance=region, name=name, parent=parent)


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
    **contact: Any,
) -> Client:
    """A new client; `contact`: any of the contact details (street, house_number,
    postcode, municipality, phone, email, language, interpreter_needed)."""
    return record_create(
        model=Client,
        **contact,
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


def household_member_create(
    *,
    client: Client,
    relation: str,
    first_name: str,
    last_name: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    birth_date: datetime.date | None = None,
    national_number: str = "",
    lives_with_client: bool = True,
    dependant: bool = False,
    external_id: str | None = None,
) -> HouseholdMember:
    return record_create(
        model=HouseholdMember,
        client=client,
        relation=relation,
        first_name=first_name,
        last_name=last_name,
        start_date=start_date,
        end_date=end_date,
        birth_date=birth_date,
        national_number=national_number,
        lives_with_client=lives_with_client,
        dependant=dependant,
        external_id=external_id,
    )


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
    running = Assignment.objects.filter(social_worker=from_social_worker).not_ended_before(day)
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
    client_commitments: str = "",
    ocmw_commitments: str = "",
    external_id: str | None = None,
) -> Trajectory:
    return record_create(
        model=Trajectory,
        client=client,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        goal=goal,
        client_commitments=client_commitments,
        ocmw_commitments=ocmw_commitments,
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


# --- Appointments -----------------------------------------------------------------------


def appointment_create(
    *,
    client: Client,
    social_worker: SocialWorker,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    note: str = "",
    status: str = AppointmentStatus.PLANNED,
    trajectory: Trajectory | None = None,
    external_id: str | None = None,
) -> Appointment:
    return record_create(
        model=Appointment,
        client=client,
        social_worker=social_worker,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        note=note,
        status=status,
        trajectory=trajectory,
        external_id=external_id,
    )


def appointment_update(
    *, appointment: Appointment, expected_version: int | None = None, **fields: Any
) -> Appointment:
    return record_update(instance=appointment, expected_version=expected_version, **fields)


def appointment_set_status(
    *, appointment: Appointment, status: str, expected_version: int | None = None
) -> Appointment:
    """Record how a planned appointment went: held, cancelled or a no-show."""
    return record_update(instance=appointment, expected_version=expected_version, status=status)
