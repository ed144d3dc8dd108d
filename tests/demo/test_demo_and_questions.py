"""The demo does not replace an organisation with written questions (user data; a
published answer can never be deleted)."""

import datetime

import pytest

from demo.generator import DemoRefused, seed_demo
from demo.generator.seed import is_demo_organisation
from tests.factories import OrganisationFactory, PublishedAnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_with_a_question_or_a_published_answer_is_not_the_demos():
    with_question = OrganisationFactory(code="a")
    with_answer = OrganisationFactory(code="b")
    assert is_demo_organisation(with_question) and is_demo_organisation(with_answer)
    QuestionFactory(organisation=with_question)
    PublishedAnswerFactory(organisation=with_answer)
    assert not is_demo_organisation(with_question)
    assert not is_demo_organisation(with_answer)


def test_seed_demo_refuses_instead_of_failing_on_a_published_answer():
    PublishedAnswerFactory(organisation=OrganisationFactory(code="mechelen"))
    with pytest.raises(DemoRefused, match="niet van de demo"):
        seed_demo(today=datetime.date(2025, 6, 30))
