"""Fixtures of the web import's tests: an administrator of the bundles' organisation."""

import pytest

from access import roles
from access.services import staff_membership_set
from tests.factories import OrganisationFactory
from tests.records.test_web import user_with


@pytest.fixture
def mechelen(db):
    """The organisation of the bundles, as it is in them (the administrator's own)."""
    return OrganisationFactory(code="mechelen", name="OCMW Mechelen", nis_code="12025")


@pytest.fixture
def admin_client(client, settings, tmp_path, mechelen):
    settings.RECORDS_UPLOAD_DIR = tmp_path / "uploads"
    administrator = user_with(roles.ADMINISTRATOR, "beheerder")
    staff_membership_set(user=administrator, organisation=mechelen)
    client.force_login(administrator)
    return client
