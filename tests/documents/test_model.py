"""What the database keeps true of a document, whatever writes it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import DocumentFactory, ExemptionFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def test_a_medical_certificate_without_the_health_data_flag_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(kind="medical_certificate", health_data=False)


def test_a_document_of_an_exemption_without_the_health_data_flag_is_refused_with_a_message():
    exemption = ExemptionFactory()
    document = DocumentFactory.build(
        client=exemption.client, exemption=exemption, health_data=False
    )
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert "is gezondheidsgegevens" in str(refused.value)


def test_a_document_belongs_to_at_most_one_record_of_its_own_client():
    gpmi = TrajectoryFactory()
    exemption = ExemptionFactory(client=gpmi.client)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(client=gpmi.client, trajectory=gpmi, exemption=exemption, health_data=True)
    foreign = DocumentFactory.build(client=ExemptionFactory().client, trajectory=gpmi)
    with pytest.raises(ValidationError) as refused:
        foreign.full_clean()
    assert refused.value.message_dict["trajectory"] == ["Dit record hoort bij een andere cliënt."]
