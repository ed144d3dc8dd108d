"""The record bundle, declared: one description per file of `import-format.md`.

Each `FileSpec` names its model, its columns in the order of the spec (the
export writes them in that order), which columns are required, how a cell is
parsed and which columns form the key. The importer and the exporter read
nothing else, so the contract lives here once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from casework.models import (
    Assignment,
    Client,
    Exemption,
    HouseholdMember,
    IncomeRight,
    Organisation,
    Population,
    Region,
    SocialWorker,
    Trajectory,
    TrajectoryEvaluation,
)
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

# How a cell is read (see records.values): plain text, an ISO date, a whole
# number, a decimal number, `true`/`false`, a reference to a record of another
# file (by that file's key), or a team name (teams are created when new).
TEXT, DATE, INT, DECIMAL, BOOL, REF, TEAM = "text", "date", "int", "decimal", "bool", "ref", "team"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    ref: str = ""  # for REF: the file whose key this column holds
    field: str = ""  # model field; default: the column name (`id` is `external_id`)
    # A column Traject adds to a file of import-format.md (README, "Record bundles"):
    # optional on import, and exported only when a record of the organisation has a
    # value in it, so that a bundle of the spec alone exports exactly as it was read.
    extension: bool = False
    field_name: str = dataclasses.field(init=False, compare=False)

    def __post_init__(self) -> None:
        name = self.field or ("external_id" if self.name == "id" else self.name)
        object.__setattr__(self, "field_name", name)


@dataclass(frozen=True)
class FileSpec:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)
    # Attributes of a record that rows of other files referring to it need in
    # order to be validated (a client's birth date, a trajectory's start, ...).
    ref_attrs: tuple[str, ...] = ()
    column_by_name: dict[str, Column] = field(init=False, repr=False, compare=False)
    column_by_field: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_by_name", {c.name: c for c in self.columns})
        object.__setattr__(self, "column_by_field", {c.field_name: c for c in self.columns})

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def key_columns(self) -> tuple[Column, ...]:
        return tuple(self.column_by_name[name] for name in self.key)

    @property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(c.field_name for c in self.key_columns)

    @property
    def has_external_id(self) -> bool:
        return self.key == ("id",)

    @property
    def scope_field(self) -> str:
        """The field that ties a record to its organisation (funding: via the programme)."""
        return "programme__organisation" if self.model is ProgrammeFunding else "organisation"

    def column_for_field(self, field_name: str) -> Column | None:
        return self.column_by_field.get(field_name)


def _id() -> Column:
    return Column("id", required=True)


def _client() -> Column:
    return Column("client", REF, required=True, ref="clients.csv")


ORGANISATION = FileSpec(
    "organisation.csv",
    Organisation,
    (
        Column("code", required=True),
        Column("name", required=True),
        Column("nis_code"),
        Column("region", REF, ref="regions.csv"),
    ),
    key=("code",),
)

# Regions are shared by every organisation of the installation, not records of one:
# read and written apart from FILES (records.importer.regions, records.exporter).
REGIONS = FileSpec(
    "regions.csv",
    Region,
    (
        Column("code", required=True),
        Column("name", required=True),
        Column("parent", REF, ref="regions.csv"),
    ),
    key=("code",),
)

FILES: tuple[FileSpec, ...] = (
    ORGANISATION,
    FileSpec(
        "population.csv",
        Population,
        (Column("year", INT, required=True), Column("inhabitants", INT, required=True)),
        key=("year",),
    ),
    FileSpec(
        "social_workers.csv",
        SocialWorker,
        (
            _id(),
            Column("first_name", required=True),
            Column("last_name", required=True),
            Column("fte", DECIMAL, required=True),
            Column("team", TEAM),
            Column("start_date", DATE),
            Column("end_date", DATE),
        ),
    ),
    FileSpec(
        "clients.csv",
        Client,
        (
            _id(),
            Column("first_name", required=True),
            Column("last_name", required=True),
            Column("birth_date", DATE, required=True),
            Column("gender", required=True),
            Column("national_number"),
            Column("household"),
            Column("migration_background", BOOL),
            Column("street", extension=True),
            Column("house_number", extension=True),
            Column("postcode", extension=True),
            Column("municipality", extension=True),
            Column("phone", extension=True),
            Column("email", extension=True),
            Column("language", extension=True),
            Column("interpreter_needed", BOOL, extension=True),
        ),
        ref_attrs=("birth_date",),
    ),
    FileSpec(
        "assignments.csv",
        Assignment,
        (
            _id(),
            _client(),
            Column("social_worker", REF, required=True, ref="social_workers.csv"),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
        ),
    ),
    FileSpec(
        "income_rights.csv",
        IncomeRight,
        (
            _id(),
            _client(),
            Column("kind", required=True),
            Column("category", required=True),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
        ),
    ),
    FileSpec(
        "trajectories.csv",
        Trajectory,
        (
            _id(),
            _client(),
            Column("kind", required=True),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
            Column("goal"),
        ),
        ref_attrs=("start_date",),
    ),
    FileSpec(
        "trajectory_evaluations.csv",
        TrajectoryEvaluation,
        (
            _id(),
            Column("trajectory", REF, required=True, ref="trajectories.csv"),
            Column("date", DATE, required=True),
            Column("face_to_face", BOOL),
            Column("notes"),
        ),
    ),
    FileSpec(
        "exemptions.csv",
        Exemption,
        (
            _id(),
            _client(),
            Column("kind", required=True),
            Column("reason", required=True),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
        ),
    ),
    FileSpec(
        "article60_placements.csv",
        Article60Placement,
        (
            _id(),
            _client(),
            Column("employer_kind", required=True),
            Column("employer_name"),
            Column("start_date", DATE, required=True),
            Column("planned_end_date", DATE),
            Column("end_date", DATE),
            Column("outcome"),
        ),
    ),
    FileSpec(
        "programmes.csv",
        Programme,
        (Column("code", required=True), Column("name", required=True)),
        key=("code",),
    ),
    FileSpec(
        "programme_funding.csv",
        ProgrammeFunding,
        (
            Column("programme", REF, required=True, ref="programmes.csv"),
            Column("year", INT, required=True),
            Column("amount_eur", DECIMAL, required=True),
        ),
        key=("programme", "year"),
    ),
    FileSpec(
        "programme_sessions.csv",
        ProgrammeSession,
        (
            _id(),
            Column("programme", REF, required=True, ref="programmes.csv"),
            Column("date", DATE, required=True),
            Column("capacity", INT),
        ),
        ref_attrs=("programme_id", "capacity"),
    ),
    FileSpec(
        "referrals.csv",
        Referral,
        (
            _id(),
            _client(),
            Column("programme", REF, required=True, ref="programmes.csv"),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
            Column("session", REF, ref="programme_sessions.csv"),
            Column("outcome"),
        ),
    ),
    FileSpec(
        "vdab_registrations.csv",
        VdabRegistration,
        (
            _id(),
            _client(),
            Column("registered_on", DATE, required=True),
            Column("category", required=True),
            Column("ended_on", DATE),
            Column("warm_handover", BOOL),
        ),
    ),
    FileSpec(
        "employment.csv",
        Employment,
        (
            _id(),
            _client(),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
            Column("contract"),
        ),
    ),
    FileSpec(
        "mmpp_screenings.csv",
        MmppScreening,
        (
            _id(),
            _client(),
            Column("advised_on", DATE, required=True),
            Column("category", INT, required=True),
            Column("ended_on", DATE),
        ),
    ),
    # Not in import-format.md: Traject's own file (README, "Record bundles").
    FileSpec(
        "household_members.csv",
        HouseholdMember,
        (
            _id(),
            _client(),
            Column("relation", required=True),
            Column("first_name", required=True),
            Column("last_name", required=True),
            Column("birth_date", DATE),
            Column("national_number"),
            Column("lives_with_client", BOOL),
            Column("dependant", BOOL),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
        ),
    ),
)

# Every file of a bundle in the order of import-format.md.
ALL_FILES: tuple[FileSpec, ...] = (ORGANISATION, REGIONS, *FILES[1:])
FILES_BY_NAME: dict[str, FileSpec] = {spec.name: spec for spec in ALL_FILES}
FILE_ORDER: dict[str, int] = {spec.name: position for position, spec in enumerate(ALL_FILES)}


def referencing(target: str) -> list[tuple[FileSpec, Column]]:
    """The files (and their columns) that refer to records of `target`."""
    return [(spec, c) for spec in FILES for c in spec.columns if c.kind == REF and c.ref == target]


def empty_value(model_field: Any) -> Any:
    """What an empty cell means for a model field: none, an empty text or the default."""
    if model_field.null:
        return None
    if model_field.has_default():
        return model_field.get_default()
    if model_field.empty_strings_allowed:
        return ""
    return None
