"""The demo organisation (OCMW Mechelen), shaped like the Mechelen answer of 2025."""

from casework.demo.seed import (
    DEMO_LOGINS,
    DemoLogin,
    DemoSummary,
    delete_demo_organisation,
    seed_demo,
)

__all__ = ["DEMO_LOGINS", "DemoLogin", "DemoSummary", "delete_demo_organisation", "seed_demo"]
