"""Reproducing a published answer: what moved, and the records that explain it."""

import datetime

import pytest

from answers.services import answer_publish, report_parameters
from answers.verify import verify
from casework.models import IncomeRight
from core.writes import record_create, record_delete, writes_by
from partners.models import VdabRegistration
from tests.factories import (
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def publish(organisation, statistics=("income_support", "leefloon_duration")):
    return answer_publish(
        params=report_parameters(
            scope=organisation,
            period_from="2024-01",
            period_to="2024-12",
            reference_month="2025-01",
            as_of=datetime.date(2025, 6, 30),
        ),
        statistics=list(statistics),
        text="{{ income_support.leefloon }}",
        title="Vraag",
    )


def test_nothing_changed_means_identical(organisation):
    IncomeRightFactory(client=ClientFactory(organisation=organisation))
    result = verify(publish(organisation))
    assert result.identical and result.explanations == {}


def test_a_deleted_right_is_named_with_its_external_id(organisation, django_user_model):
    right = IncomeRightFactory(client=ClientFactory(organisation=organisation))
    IncomeRightFactory(client=ClientFactory(organisation=organisation))
    answer = publish(organisation)
    user = django_user_model.objects.create(username="an")
    external_id = right.external_id
    with writes_by(user=user, source="test"):
        record_delete(instance=right)
    result = verify(answer)
    paths = {d.path: (d.published, d.today) for d in result.differences}
    assert paths["income_support.leefloon"] == (2, 1)
    assert paths["leefloon_duration.counts.1y_to_2y"] == (2, 1)
    assert set(result.explanations) == {"income_support", "leefloon_duration"}
    (change,) = result.explanations["income_support"]
    assert (change.kind, change.external_id, change.action, change.by) == (
        "casework.incomeright",
        external_id,
        "delete",
        "an",
    )


def test_changes_to_records_the_statistic_does_not_read_or_of_another_organisation_are_left_out(
    organisation,
):
    IncomeRightFactory(client=ClientFactory(organisation=organisation))
    answer = publish(organisation, statistics=("income_support",))
    # Another organisation's right, and a VDAB registration of this one: not listed.
    elsewhere = OrganisationFactory(code="gent")
    with writes_by(source="test"):
        record_create(
            model=IncomeRight,
            client=ClientFactory(organisation=elsewhere),
            kind="leefloon",
            category="single",
            start_date=datetime.date(2024, 1, 1),
        )
        registration = record_create(
            model=VdabRegistration,
            client=ClientFactory(organisation=organisation),
            registered_on=datetime.date(2024, 3, 1),
            category="ocmw",
        )
        added = record_create(
            model=IncomeRight,
            client=ClientFactory(organisation=organisation),
            kind="equivalent",
            category="single",
            start_date=datetime.date(2024, 6, 1),
        )
    result = verify(answer)
    # Every figure of the stored report is compared, picked or not.
    assert [d.path for d in result.differences_of("income_support")] == [
        "income_support.equivalent",
        "income_support.unique_by_year.2024.equivalent",
    ]
    assert set(result.explanations) == {"income_support", "vdab_inflow", "vdab_outflow_12m"}
    changes = result.explanations["income_support"]
    assert [(c.external_id, c.action) for c in changes] == [(added.external_id, "create")]
    changes = result.explanations["vdab_inflow"]
    assert [(c.kind, c.external_id) for c in changes] == [
        ("partners.vdabregistration", registration.external_id)
    ]
