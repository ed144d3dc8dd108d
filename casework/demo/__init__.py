"""The demo organisation (OCMW Mechelen), shaped like the Mechelen answer of 2025."""

from casework.demo.logins import DEMO_LOGINS, DemoLogin
from casework.demo.seed import DemoRefused, DemoSummary, delete_demo_organisation, seed_demo

__all__ = [
    "DEMO_LOGINS",
    "DemoLogin",
    "DemoRefused",
    "DemoSummary",
    "delete_demo_organisation",
    "seed_demo",
]
