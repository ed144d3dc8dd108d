"""A written question about a region (answers.md: "Organisation or region"): the figures
of every OCMW of the region read as one population, as the regional report gives them.
A regional analyst registers, drafts and publishes it; the staff of one OCMW never see
it, and the analyst never sees an OCMW's own questions."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document

from answers.models import PublishedAnswer, Question
from answers.services import canonical_sha256, question_create
from casework.models import Region
from core.writes import record_update, writes_by
from tests.factories import (
    ClientFactory,
    IncomeRightFactory,
    OrganisationFactory,
    PopulationFactory,
    RegionFactory,
)
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NATIONAL_NUMBER = "85073003328"  # one person, known to both OCMWs
DRAFT = {
    "period_from": "2024-01",
    "period_to": "2024-12",
    "reference_month": "2025-01",
    "as_of": "2025-06-30",
    "statistics": ["income_support", "by_organisation"],
    "text": "In januari 2025 telde de provincie {{ income_support.leefloon }} leefloners.",
}


@pytest.fixture
def world(db):
    world = build_world()
    province = world.organisation.region
    lier = OrganisationFactory(
        code="lier", name="OCMW Lier", region=RegionFactory(code="regio-lier", parent=province)
    )
    OrganisationFactory(code="genk", name="OCMW Genk", region=RegionFactory(code="limburg"))
    world.rights = []
    for organisation in (world.organisation, lier):
        PopulationFactory(organisation=organisation, year=2025, inhabitants=1000)
        for national_number in (NATIONAL_NUMBER, None):
            if national_number:
                client = ClientFactory(
                    organisation=organisation,
                    national_number=national_number,
                    birth_date=datetime.date(1985, 7, 30),
                )
            else:
                client = ClientFactory(organisation=organisation)
            world.rights.append(
                IncomeRightFactory(client=client, start_date=datetime.date(2024, 9, 1))
            )
    world.lier = lier
    return world


def register(client, user, **scope):
    client.force_login(user)
    return client.post(
        reverse("answers:question_create"),
        {
            **scope,
            "reference": "VR-2025/7",
            "asked_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
            "asked_by": "Vlaams Parlementslid Janssens",
            "text": "Hoeveel leefloongerechtigden telde de provincie Antwerpen?",
            "due_on": (TODAY + datetime.timedelta(days=20)).isoformat(),
        },
    )


def test_an_analyst_answers_a_question_about_their_region_with_its_figures(client, world, capsys):
    analyst = world.user("analyst")
    province = world.organisation.region
    client.force_login(analyst)
    page = client.get(reverse("answers:question_create")).content.decode()
    assert 'name="region"' in page and 'name="organisation"' not in page

    response = register(client, analyst, region=province.pk)
    question = Question.objects.get(reference="VR-2025/7")
    assert response.status_code == 302
    assert question.region == province and question.organisation is None

    page = client.post(question.get_absolute_url(), DRAFT).content.decode()
    # The person known to both OCMWs counts once: 3 persons, not 4 clients.
    assert "In januari 2025 telde de provincie 3 leefloners." in page
    assert client.post(reverse("answers:publish", args=[question.pk])).status_code == 302

    published = PublishedAnswer.objects.get(question=question)
    report = json.loads(published.report_json)
    assert published.region == province and published.organisation is None
    assert report["region"] == province.code
    assert report["organisations"] == ["lier", "mechelen"]
    by_organisation = report["statistics"]["by_organisation"]
    assert {code: row["leefloon"] for code, row in by_organisation.items()} == {
        "lier": 2,
        "mechelen": 2,
    }
    assert published.sha256 == canonical_sha256(report)
    call_command(
        "council_report",
        province.code,
        "--from",
        "2024-01",
        "--to",
        "2024-12",
        "--reference-month",
        "2025-01",
        "--as-of",
        "2025-06-30",
    )
    assert published.report_json == capsys.readouterr().out

    docx = client.get(reverse("answers:answer_docx", args=[published.pk])).content
    document = Document(io.BytesIO(docx))
    footer = document.sections[0].footer.paragraphs[0].text
    assert f"Regio {province.code} (lier, mechelen)" in footer

    # A correction in one OCMW of the region: verify names the figure and the record.
    lier_only = world.rights[3]
    with writes_by(user=None, source="test"):
        record_update(instance=lier_only, end_date=datetime.date(2024, 12, 31))
    with pytest.raises(SystemExit):
        call_command("answers", "verify", str(published.pk))
    out = capsys.readouterr().out
    assert "income_support.leefloon: gepubliceerd 3, vandaag 2" in out
    assert f"casework.incomeright {lier_only.external_id}: update" in out


def test_the_staff_of_one_ocmw_never_see_a_region_question_nor_the_analyst_theirs(client, world):
    province = world.organisation.region
    regional = question_create(
        region=province,
        reference="VR-1",
        asked_on=TODAY,
        asked_by="x",
        text="?",
        due_on=TODAY,
    )
    own = question_create(
        organisation=world.organisation,
        reference="2025/1",
        asked_on=TODAY,
        asked_by="y",
        text="?",
        due_on=TODAY,
    )
    assert list(Question.objects.visible_to(world.user("manager"))) == [own]
    assert list(Question.objects.visible_to(world.user("analyst"))) == [regional]
    client.force_login(world.user("manager"))
    assert client.get(regional.get_absolute_url()).status_code == 404
    client.force_login(world.user("analyst"))
    assert client.get(own.get_absolute_url()).status_code == 404
    # Not a region of theirs.
    limburg = question_create(
        region=Region.objects.get(code="limburg"),
        reference="VR-2",
        asked_on=TODAY,
        asked_by="z",
        text="?",
        due_on=TODAY,
    )
    assert client.get(limburg.get_absolute_url()).status_code == 404


def test_a_manager_cannot_register_a_question_about_a_region(client, world):
    manager = world.user("manager")
    response = register(
        client, manager, organisation=world.organisation.pk, region=world.organisation.region.pk
    )
    # The form has no region field for a manager (the posted one is ignored): the
    # question is about their OCMW.
    assert response.status_code == 302
    question = Question.objects.get(reference="VR-2025/7")
    assert question.organisation == world.organisation and question.region is None


def test_a_question_has_exactly_one_scope(world):
    with pytest.raises(Exception, match="precies een van beide"):
        question_create(reference="X", asked_on=TODAY, asked_by="x", text="?", due_on=TODAY)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Question.objects.create(
            organisation=world.organisation,
            region=world.organisation.region,
            reference="Y",
            asked_on=TODAY,
            asked_by="x",
            text="?",
            due_on=TODAY,
        )


def test_the_publish_command_takes_a_region_code(world, capsys):
    call_command(
        "answers",
        "publish",
        world.organisation.region.code,
        "--from",
        "2024-01",
        "--to",
        "2024-12",
        "--reference-month",
        "2025-01",
        "--as-of",
        "2025-06-30",
        "--title",
        "Provincie",
        "--statistics",
        "income_support,by_organisation",
    )
    answer_id, sha = capsys.readouterr().out.split()
    published = PublishedAnswer.objects.get(pk=answer_id)
    assert published.region == world.organisation.region and published.sha256 == sha
    assert published.statistics == ["income_support", "by_organisation"]
    assert json.loads(published.report_json)["statistics"]["income_support"]["leefloon"] == 3


def test_by_organisation_is_refused_for_an_organisation_answer(world):
    from answers.services import answer_publish, report_parameters

    params = report_parameters(
        scope=world.organisation,
        period_from="2024-01",
        period_to="2024-12",
        reference_month="2025-01",
        as_of=datetime.date(2025, 6, 30),
    )
    with pytest.raises(Exception, match="Onbekende statistiek: by_organisation"):
        answer_publish(params=params, statistics=["by_organisation"], text="", title="t")
