import datetime

import pytest
from django.db import transaction

from reporting.statistics import Month, ReportParameters, build_report


def params(organisation, period_from, period_to, reference_month, as_of) -> ReportParameters:
    return ReportParameters(
        organisation=organisation,
        period_from=Month.parse(period_from),
        period_to=Month.parse(period_to),
        reference_month=Month.parse(reference_month),
        as_of=datetime.date.fromisoformat(as_of),
    )


@pytest.fixture(scope="module")
def built_report(django_db_setup, django_db_blocker):
    """Build a dataset once for a module, compute its report(s), roll the data back.

    Usage: `built_report(build)` where `build()` creates records and returns
    (parameters, anything); the report dict and that anything come back.

    A module using it needs `pytestmark = pytest.mark.django_db`: pytest-django
    creates the test database only for the marked tests (or tests asking for `db`,
    which a module-scoped fixture cannot), and without one the data would go to
    the database of the settings (or fail with "no such table").
    """

    def run(build):
        with django_db_blocker.unblock(), transaction.atomic():
            parameters, extra = build()
            report = build_report(parameters)
            transaction.set_rollback(True)
        return report, extra

    return run


def statistic(
    key,
    organisation,
    period_from="2024-01",
    period_to="2025-06",
    reference_month="2025-01",
    as_of="2025-06-30",
):
    """One registered statistic for these parameters (the defaults are the Mechelen report's)."""
    from reporting.statistics import REGISTRY

    return REGISTRY[key](params(organisation, period_from, period_to, reference_month, as_of))
