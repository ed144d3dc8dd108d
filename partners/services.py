"""Writes of partner records (and of an organisation with its standard programmes), on top
of the generic write services of `core.writes`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from casework.models import Client, Organisation, Region
from core.writes import notify_writes, record_create
from partners.models import (
    Article60Placement,
    Employment,
    MmppScreening,
    Programme,
    ProgrammeFunding,
    ProgrammeSession,
    Referral,
    VdabRegistration,
)


def programme_ensure_defaults(*, organisation: Organisation) -> None:
    """The standard programmes exist in every organisation without being imported."""
    existing = set(
        Programme.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    Programme.objects.bulk_create(
        Programme(organisation=organisation, code=code, name=name)
        for code, name in Programme.DEFAULTS.items()
        if code not in existing
    )


@transaction.atomic
def organisation_get_or_create(
    *, code: str, name: str, nis_code: str = "", region: Region | None = None
) -> Organisation:
    """The organisation with this code, created (with the standard programmes) if new."""
    organisation = Organisation.objects.filter(code=code).first()
    region_id = region.pk if region is not None else None
    if organisation is None:
        organisation = Organisation(code=code, name=name, nis_code=nis_code, region=region)
        organisation.full_clean()
        organisation.save()
        notify_writes("create", [(organisation, {})])
    elif (organisation.name, organisation.nis_code, organisation.region_id) != (
        name,
        nis_code,
        region_id,
    ):
        organisation.name, organisation.nis_code = name, nis_code
        organisation.region = region
        organisation.full_clean()
        organisation.save()
    programme_ensure_defaults(organisation=organisation)
    return organisation


@transaction.atomic
def programme_get_or_create(*, organisation: Organisation, code: str, name: str) -> Programme:
    programme = Programme.objects.filter(organisation=organisation, code=code).first()
    programme = programme or Programme(organisation=organisation, code=code)
    programme.name = name
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_funding_set(
    *, programme: Programme, year: int, amount_eur: Decimal
) -> ProgrammeFunding:
    funding = ProgrammeFunding.objects.filter(programme=programme, year=year).first()
    funding = funding or ProgrammeFunding(programme=programme, year=year)
    funding.amount_eur = amount_eur
    funding.full_clean()
    funding.save()
    return funding


def programme_session_create(
    *,
    programme: Programme,
    date: datetime.date,
    capacity: int | None = None,
    external_id: str | None = None,
) -> ProgrammeSession:
    return record_create(
        model=ProgrammeSession,
        programme=programme,
        date=date,
        capacity=capacity,
        external_id=external_id,
    )


def referral_create(
    *,
    client: Client,
    programme: Programme,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    session: ProgrammeSession | None = None,
    outcome: str = "",
    external_id: str | None = None,
) -> Referral:
    return record_create(
        model=Referral,
        client=client,
        programme=programme,
        start_date=start_date,
        end_date=end_date,
        session=session,
        outcome=outcome,
        external_id=external_id,
    )


def article60_placement_create(
    *,
    client: Client,
    employer_kind: str,
    start_date: datetime.date,
    employer_name: str = "",
    planned_end_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    outcome: str = "",
    external_id: str | None = None,
) -> Article60Placement:
    return record_create(
        model=Article60Placement,
        client=client,
        employer_kind=employer_kind,
        employer_name=employer_name,
        start_date=start_date,
        planned_end_date=planned_end_date,
        end_date=end_date,
        outcome=outcome,
        external_id=external_id,
    )


def vdab_registration_create(
    *,
    client: Client,
    registered_on: datetime.date,
    category: str,
    ended_on: datetime.date | None = None,
    warm_handover: bool = False,
    external_id: str | None = None,
) -> VdabRegistration:
    return record_create(
        model=VdabRegistration,
        client=client,
        registered_on=registered_on,
        category=category,
        ended_on=ended_on,
        warm_handover=warm_handover,
        external_id=external_id,
    )


def employment_create(
    *,
    client: Client,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    contract: str = "",
    external_id: str | None = None,
) -> Employment:
    return record_create(
        model=Employment,
        client=client,
        start_date=start_date,
        end_date=end_date,
        contract=contract,
        external_id=external_id,
    )


def mmpp_screening_create(
    *,
    client: Client,
    advised_on: datetime.date,
    category: int,
    ended_on: datetime.date | None = None,
    external_id: str | None = None,
) -> MmppScreening:
    return record_create(
        model=MmppScreening,
        client=client,
        advised_on=advised_on,
        category=category,
        ended_on=ended_on,
        external_id=external_id,
    )
