"""Helpers for regional reports: a region tree and records spread over its OCMWs, some
persons with client records in two OCMWs (the same national number)."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from typing import Any

from casework.models import Client, Organisation
from partners.models import VdabRegistration
from reporting.statistics import Month, ReportParameters
from tests.factories import OrganisationFactory, RegionFactory
from tests.records.bundles import nn_for
from tests.reporting.builders import Records

_SERIALS: dict[datetime.date, itertools.count] = defaultdict(lambda: itertools.count(1))


def national_number(birth: datetime.date) -> str:
    """A valid national number for `birth` not handed out before (serials 1-997)."""
    serial = next(_SERIALS[birth])
    if serial > 997:
        raise ValueError(f"no national numbers left for {birth}")
    return nn_for(birth, serial)


def free_birth_date(birth: datetime.date) -> datetime.date:
    """`birth`, or the first later day that still has national numbers left."""
    while _peek(birth) > 997:
        birth += datetime.timedelta(days=1)
    return birth


def _peek(birth: datetime.date) -> int:
    counter = _SERIALS[birth]
    value = next(counter)
    _SERIALS[birth] = itertools.count(value)
    return value


def flanders(prefix: str) -> tuple[Any, Any, list[Organisation]]:
    """Vlaanderen > provincie > regio: two OCMWs in the regio, one directly in the
    province, one in another province. Returns (flanders, province, [its OCMWs])."""
    top = RegionFactory(code=f"{prefix}-vlaanderen", name="Vlaanderen")
    province = RegionFactory(code=f"{prefix}-provincie", name="Provincie", parent=top)
    regio = RegionFactory(code=f"{prefix}-regio", name="Regio", parent=province)
    other = RegionFactory(code=f"{prefix}-andere", name="Andere provincie", parent=top)
    organisations = [
        OrganisationFactory(code=f"{prefix}-a", region=regio),
        OrganisationFactory(code=f"{prefix}-b", region=regio),
        OrganisationFactory(code=f"{prefix}-c", region=province),
    ]
    OrganisationFactory(code=f"{prefix}-elders", region=other)
    return top, province, organisations


def spread(records: Records, organisations: list[Organisation], twin_every: int) -> int:
    """Move the clients of `records` (unsaved) round-robin over `organisations`, each
    record with its client. Every `twin_every`-th client with records other than VDAB
    registrations becomes a person with two client records: a twin in the next OCMW with
    the same national number takes those other records. Returns the number of twins."""
    by_client: dict[int, list[Any]] = defaultdict(list)
    for model_records in records.records.values():
        for record in model_records:
            by_client[id(record.client)].append(record)
    twins = 0
    candidates = 0
    for index, client in enumerate(list(records.clients)):
        home = organisations[index % len(organisations)]
        client.organisation_id = home.pk
        own = by_client[id(client)]
        others = [r for r in own if not isinstance(r, VdabRegistration)]
        for record in own:
            record.organisation_id = home.pk
        if not others or len(own) == len(others):
            continue
        candidates += 1
        if candidates % twin_every:
            continue
        # Where one birth date is shared by thousands (the stock's clients), move on a
        # day: those figures do not depend on age.
        client.birth_date = free_birth_date(client.birth_date)
        client.national_number = national_number(client.birth_date)
        away = organisations[(index + 1) % len(organisations)]
        twin = Client(
            organisation_id=away.pk,
            external_id=f"twin-{client.external_id}",
            first_name=client.first_name,
            last_name=client.last_name,
            birth_date=client.birth_date,
            gender=client.gender,
            household=client.household,
            national_number=client.national_number,
        )
        records.clients.append(twin)
        for record in others:
            record.client = twin
            record.organisation_id = away.pk
        twins += 1
    return twins


def region_params(region, period_from, period_to, reference_month, as_of) -> ReportParameters:
    return ReportParameters.for_region(
        region,
        period_from=Month.parse(period_from),
        period_to=Month.parse(period_to),
        reference_month=Month.parse(reference_month),
        as_of=datetime.date.fromisoformat(as_of),
    )
