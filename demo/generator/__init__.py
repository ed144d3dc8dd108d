"""The demo organisation (OCMW Mechelen), shaped like the Mechelen answer of 2025."""

from demo.generator.logins import DEMO_LOGINS, DemoLogin
from demo.generator.seed import DemoRefused, DemoSummary, delete_demo_organisation, seed_demo

__all__ = [
    "DEMO_LOGINS",
    "DemoLogin",
    "DemoRefused",
    "DemoSummary",
    "delete_demo_organisation",
    "seed_demo",
]
