"""Casework models: organisations, clients, social workers and trajectories."""

from casework.models.appointments import Appointment, AppointmentKind, AppointmentStatus
from casework.models.base import OrganisationRecord, new_external_id
from casework.models.client import (
    Client,
    ClientRecord,
    Gender,
    Household,
    age_on,
    language_name,
)
from casework.models.household import HouseholdMember, HouseholdRelation
from casework.models.organisation import (
    IncomeCategory,
    LeefloonAmount,
    Organisation,
    Population,
    Region,
    SocialWorker,
    Team,
)
from casework.models.records import (
    Assignment,
    ClientNote,
    Exemption,
    ExemptionKind,
    ExemptionReason,
    IncomeKind,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
    TrajectoryKind,
)

__all__ = [
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "Assignment",
    "Client",
    "ClientNote",
    "ClientRecord",
    "Exemption",
    "ExemptionKind",
    "ExemptionReason",
    "Gender",
    "Household",
    "HouseholdMember",
    "HouseholdRelation",
    "IncomeCategory",
    "IncomeKind",
    "IncomeRight",
    "LeefloonAmount",
    "Organisation",
    "OrganisationRecord",
    "Population",
    "Region",
    "SocialWorker",
    "Team",
    "Trajectory",
    "TrajectoryEvaluation",
    "TrajectoryKind",
    "age_on",
    "language_name",
    "new_external_id",
]
