import pytest

from tests.factories import OrganisationFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory(code="mechelen", name="OCMW Mechelen")
