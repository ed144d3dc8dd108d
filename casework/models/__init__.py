"""Casework models: organisations, clients, social workers and trajectories."""

from casework.models.base import OrganisationRecord, new_external_id
from casework.models.client import (
    Assignment,
    Client,
    ClientNote,
    ClientRecord,
    Exemption,
    ExemptionKind,
    ExemptionReason,
    Gender,
    Household,
    IncomeKind,
    IncomeRight,
    Trajectory,
    TrajectoryEvaluation,
    TrajectoryKind,
    age_on,
)
from casework.models.organisation import (
    IncomeCategory,
    LeefloonAmount,
    Organisation,
    Population,
    SocialWorker,
    Team,
)

__all__ = [
    "Assignment",
    "Client",
    "ClientNote",
    "ClientRecord",
    "Exemption",
    "ExemptionKind",
    "ExemptionReason",
    "Gender",
    "Household",
    "IncomeCategory",
    "IncomeKind",
    "IncomeRight",
    "LeefloonAmount",
    "Organisation",
    "OrganisationRecord",
    "Population",
    "SocialWorker",
    "Team",
    "Trajectory",
    "TrajectoryEvaluation",
    "TrajectoryKind",
    "age_on",
    "new_external_id",
]
