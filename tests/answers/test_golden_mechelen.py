"""Golden test: the Mechelen answer (seed 000) written as a Traject answer.

The records are rebuilt from the published figures as in
tests/reporting/test_golden_mechelen.py; the answer's text quotes every figure
by its key path; the published answer, rendered, must give the numbers of the
published sentences (read from the seed by tests/reporting/seed_text.py).
"""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document

from answers.document import build_docx, published_document
from answers.figures import fill
from answers.services import answer_publish, published_report
from tests.factories import OrganisationFactory
from tests.reporting.builders import (
    Records,
    build_article60,
    build_caseload,
    build_income_support,
    build_programmes,
    monthly_series,
    population,
)
from tests.reporting.conftest import params
from tests.reporting.test_golden_mechelen import (
    AS_OF,
    BUCKETS,
    CLIENTS_FOLLOWED,
    ENDED,
    FTE,
    INHABITANTS,
    PERIOD,
    REFERENCE,
    SEED,
    TO_WORK_OR_TRAINING,
    YEAR,
)

pytestmark = pytest.mark.django_db

Y = SEED.article60_year
TEXT = f"""\
1. Cijfers en uitstroom
In januari 2025 waren er {{{{ income_support.leefloon }}}} leefloongerechtigden en \
{{{{ income_support.equivalent }}}} equivalent-leefloongerechtigden in Mechelen. Dit komt \
overeen met {{{{ income_support.leefloon_per_1000 }}}} leefloongerechtigden en \
{{{{ income_support.equivalent_per_1000 }}}} equivalent-leefloongerechtigden per 1.000 inwoners.
{{{{ leefloon_duration.percent.up_to_1y }}}} van onze leefloongerechtigden was bij ons max 1 jaar \
in het leefloon ingeschakeld. {{{{ leefloon_duration.percent.1y_to_2y }}}} tussen 1 en 2 jaar. \
{{{{ leefloon_duration.percent.2y_to_4y }}}} tussen de 2 en 4 jaar. \
{{{{ leefloon_duration.percent.over_4y }}}} was langer dan 4 jaar.
In {Y} hadden we gemiddeld {{{{ article60.average_per_month_by_year.{Y} }}}} \
leefloongerechtigden op maandbasis tewerkgesteld in het systeem van artikel 60. We zitten \
momenteel aan {{{{ article60.employed_in_reference_month }}}} tewerkgestelden in artikel 60. \
De doorstroomgraad naar werk of een opleiding gekoppeld aan werk bedroeg \
{{{{ article60.flow_through_by_year.{Y}.percent }}}}.
2. Huidig beleid
{{{{ caseload.social_workers }}}} van onze maatschappelijk assistenten begeleiden de \
leefloongerechtigden. Hun gemiddelde caseload is {{{{ caseload.clients_per_fte }}}} cliënten \
per voltijdse maatschappelijk assistent.
DUO for a JOB begeleidt zo {{{{ programmes.duo_for_a_job.{Y}.participants }}}} werkzoekende \
jongeren per jaar. {{{{ programmes.duo_for_a_job.{Y}.permanent_job_percent }}}} van deze jongeren \
vindt vast werk. {{{{ programmes.duo_for_a_job.{Y}.broader_result_percent }}}} resulteert in een \
ruimer resultaat. DUO for JOB ontvangt hiervoor een toelage van \
{{{{ programmes.duo_for_a_job.{Y}.funding_eur }}}} euro per jaar.
"""

STATISTICS = ["income_support", "leefloon_duration", "article60", "caseload", "programmes"]


def dutch(text: str) -> Decimal:
    """A number as Traject writes it: 1.494 -> 1494; 16,73 -> 16.73."""
    return Decimal(text.replace(".", "").replace(",", "."))


def found(pattern: str, text: str) -> tuple[Decimal, ...]:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return tuple(dutch(group) for group in match.groups())


N = r"(\d[\d.]*(?:,\d+)?)"


@pytest.fixture
def mechelen_answer(django_user_model):
    organisation = OrganisationFactory(code="mechelen", name="OCMW Mechelen")
    population(organisation, REFERENCE.year, INHABITANTS)
    records = Records(organisation)
    build_income_support(records, REFERENCE, BUCKETS, SEED.equivalent)
    build_article60(
        records,
        YEAR,
        monthly_series(SEED.article60_average, 12, start=150),
        SEED.article60_now,
        ENDED,
        TO_WORK_OR_TRAINING,
    )
    build_caseload(records, REFERENCE.last, SEED.social_workers, FTE, CLIENTS_FOLLOWED)
    build_programmes(records, YEAR, SEED)
    records.save()
    return answer_publish(
        params=params(organisation, *PERIOD, SEED.reference_month, AS_OF),
        statistics=STATISTICS,
        text=TEXT,
        title="Antwoord college: activering van leefloongerechtigden",
        user=django_user_model.objects.create(username="manager"),
    )


def test_the_rendered_answer_gives_the_published_numbers(mechelen_answer):
    text = " ".join(fill(mechelen_answer.text, published_report(mechelen_answer)).split())

    assert found(rf"waren er {N} leefloongerechtigden en {N} equivalent", text) == (
        SEED.leefloon,
        SEED.equivalent,
    )
    assert found(rf"overeen met {N} leefloongerechtigden en {N} equivalent", text) == (
        SEED.leefloon_per_1000,
        SEED.equivalent_per_1000,
    )
    duration = found(
        rf"{N}% van onze leefloongerechtigden .*? {N}% tussen 1 en 2 jaar\. {N}% tussen de 2 en "
        rf"4 jaar\. {N}% was langer",
        text,
    )
    assert duration == tuple(SEED.duration_percent[k] for k in BUCKETS)
    assert found(rf"gemiddeld {N} leefloongerechtigden", text) == (SEED.article60_average,)
    assert found(rf"momenteel aan {N} tewerkgestelden", text) == (SEED.article60_now,)
    assert found(rf"bedroeg {N}%", text) == (SEED.flow_through_percent,)
    assert found(rf"{N} van onze maatschappelijk assistenten", text) == (SEED.social_workers,)
    low, high = SEED.caseload_range
    (per_fte,) = found(rf"caseload is {N} cliënten", text)
    assert low <= per_fte <= high
    assert found(
        rf"begeleidt zo {N} werkzoekende jongeren per jaar\. {N}% van deze jongeren vindt vast "
        rf"werk\. {N}% resulteert",
        text,
    ) == (SEED.duo_participants, SEED.duo_permanent_percent, SEED.duo_broader_percent)
    assert found(rf"toelage van {N} euro", text) == (SEED.duo_funding,)
    # Written the Dutch way, as the contract says.
    assert "1.494 leefloongerechtigden" in text and "16,73 leefloongerechtigden" in text
    assert "70.000 euro" in text and "32% van onze" in text


def test_the_document_of_the_mechelen_answer(mechelen_answer):
    report = published_report(mechelen_answer)
    document = Document(io.BytesIO(build_docx(published_document(mechelen_answer, report))))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "In januari 2025 waren er 1.494 leefloongerechtigden en 379 equivalent" in body
    assert "{{" not in body
    # One table per grid of each picked statistic; the income support table first.
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    values = [cell.text for cell in document.tables[0].rows[1].cells]
    assert header[:2] == ["Leefloon", "Equivalent leefloon"]
    assert values[:5] == ["1.494", "379", "89.300", "16,73", "4,24"]
    # The annex: every picked statistic's definition.
    for key in STATISTICS:
        assert report["definitions"][key] in body
    footer = document.sections[0].footer.paragraphs[0].text
    assert mechelen_answer.sha256 in footer and "referentiemaand 2025-01" in footer


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_document(mechelen_answer, tmp_path):
    """LibreOffice (headless) reads the DOCX and gives back its text and tables."""
    path = tmp_path / "antwoord.docx"
    path.write_bytes(
        build_docx(published_document(mechelen_answer, published_report(mechelen_answer)))
    )
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    text = (tmp_path / "antwoord.txt").read_text(encoding="utf-8-sig")
    assert "In januari 2025 waren er 1.494 leefloongerechtigden en 379 equivalent" in text
    assert "16,73" in text and "Bijlage: definities" in text
