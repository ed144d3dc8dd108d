"""The GPMI contract as a PDF, made from the GPMI record, for printing and signing.

Always in Dutch, whatever the user's language: it is a document of a Flemish
administration to its client (the language law on administrative matters), so its
text is not in the translation catalogue. Made with reportlab (pure Python, from pip
alone) in the Bitstream Vera font that reportlab ships, so that names such as
"Aydın" or "Şahin" print as written.
"""

from __future__ import annotations

import datetime
import io
import os
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

import reportlab
from django.conf import settings
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from casework.models import Assignment, Client, SocialWorker, Trajectory

LEGAL_BASIS = (
    "Dit geïndividualiseerd project voor maatschappelijke integratie (GPMI) wordt gesloten "
    "op grond van artikel 11 van de wet van 26 mei 2002 betreffende het recht op "
    "maatschappelijke integratie en het koninklijk besluit van 11 juli 2002 tot uitvoering "
    "ervan. Het project is een overeenkomst tussen de cliënt en het OCMW: beide partijen "
    "verbinden zich tot wat hieronder staat. Het kan op vraag van elke partij tijdens de "
    "looptijd worden aangepast, in onderling overleg en schriftelijk."
)
# Printed when the record does not (yet) say what each side commits to.
DEFAULT_CLIENT_COMMITMENTS = (
    "actief meewerken aan de afgesproken stappen om de doelen te bereiken;",
    "aanwezig zijn op de afspraken en evaluatiegesprekken, of tijdig verwittigen;",
    "de maatschappelijk assistent op de hoogte brengen van elke wijziging in de "
    "persoonlijke, gezins- of financiële situatie.",
)
DEFAULT_OCMW_COMMITMENTS = (
    "de cliënt begeleiden en ondersteunen bij de stappen van dit project;",
    "de cliënt informeren over rechten en plichten en over de hulp die het OCMW biedt;",
    "het project regelmatig samen met de cliënt evalueren en bijsturen waar nodig.",
)
FONT = "TrajectVera"
FONT_BOLD = "TrajectVera-Bold"


@cache
def _fonts() -> tuple[TTFont, TTFont]:
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    regular = TTFont(FONT, os.path.join(folder, "Vera.ttf"))
    bold = TTFont(FONT_BOLD, os.path.join(folder, "VeraBd.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    return regular, bold


def printable(text: str) -> str:
    """`text` with every character the font lacks replaced by its base letter (or "?"),
    escaped for reportlab's paragraph markup."""
    glyphs = _fonts()[0].face.charToGlyph
    result = []
    for char in text:
        if ord(char) in glyphs or char in "\n\t":
            result.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        result.append(base if base and all(ord(c) in glyphs for c in base) else "?")
    return escape("".join(result))


def _day(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


@dataclass
class ContractData:
    """What the contract shows, read from the records (also what the tests check)."""

    organisation: str
    organisation_code: str
    client_name: str
    national_number: str
    birth_date: str
    address_lines: list[str]
    social_worker: str
    kind: str
    start_date: str
    end_date: str
    goals: str
    client_commitments: list[str] = field(default_factory=list)
    ocmw_commitments: list[str] = field(default_factory=list)
    evaluation_rhythm: str = ""
    reference: str = ""


def client_address_lines(client: Client) -> list[str]:
    """The client's address as printed under the name: street and number, then postcode
    and municipality (the client's contact details); none known: the contract leaves a
    line to fill in by hand."""
    street = " ".join(part for part in (client.street, client.house_number) if part)
    place = " ".join(part for part in (client.postcode, client.municipality) if part)
    return [line for line in (street, place) if line]


def _social_worker(trajectory: Trajectory, day: datetime.date) -> SocialWorker | None:
    """The social assistant who follows the client on `day`, else on the GPMI's start."""
    for on in (day, trajectory.start_date):
        assignment = (
            Assignment.objects.filter(client_id=trajectory.client_id)
            .active_on(on)
            .select_related("social_worker")
            .order_by("-start_date")
            .first()
        )
        if assignment is not None:
            return assignment.social_worker
    return None


def _lines(text: str, default: tuple[str, ...]) -> list[str]:
    lines = [line.strip(" -•*\t") for line in text.splitlines() if line.strip(" -•*\t")]
    return lines or list(default)


def contract_data(trajectory: Trajectory, day: datetime.date | None = None) -> ContractData:
    day = day or timezone.localdate()
    client = trajectory.client
    organisation = client.organisation
    worker = _social_worker(trajectory, day)
    rules = settings.TRAJECT
    per_year = rules["GPMI_EVALUATIONS_PER_YEAR"]
    face_to_face = rules["GPMI_FACE_TO_FACE_PER_YEAR"]
    with translation.override("nl-be"):
        kind = str(trajectory.get_kind_display())
    return ContractData(
        organisation=organisation.name,
        organisation_code=organisation.nis_code,
        client_name=client.full_name,
        national_number=client.national_number_display,
        birth_date=_day(client.birth_date),
        address_lines=client_address_lines(client),
        social_worker=worker.full_name if worker is not None else "",
        kind=kind,
        start_date=_day(trajectory.start_date),
        end_date=_day(trajectory.end_date),
        goals=trajectory.goal.strip(),
        client_commitments=_lines(trajectory.client_commitments, DEFAULT_CLIENT_COMMITMENTS),
        ocmw_commitments=_lines(trajectory.ocmw_commitments, DEFAULT_OCMW_COMMITMENTS),
        evaluation_rhythm=(
            f"Het project wordt minstens {per_year} keer per jaar samen met de cliënt "
            f"geëvalueerd, waarvan minstens {face_to_face} keer in een persoonlijk gesprek. "
            "Bij elke evaluatie bekijken cliënt en maatschappelijk assistent wat bereikt is "
            "en passen zij de doelen of afspraken zo nodig aan."
        ),
        reference=trajectory.external_id,
    )


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER, spaceAfter=10),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=FONT_BOLD, fontSize=11, spaceBefore=8, spaceAfter=3
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "item": ParagraphStyle("item", parent=base, leftIndent=12, bulletIndent=2),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(printable(text).replace("\n", "<br/>"), style)


def _party_table(rows: list[tuple[str, str]], style: ParagraphStyle) -> Table:
    table = Table(
        [[_p(label, style), _p(value or "……………………………………………", style)] for label, value in rows],
        colWidths=[45 * mm, 120 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def render_contract(data: ContractData) -> bytes:
    """The contract as PDF bytes (A4)."""
    styles = _styles()
    body, heading = styles["body"], styles["heading"]
    story: list = [
        _p(data.organisation, styles["subtitle"]),
        _p("Geïndividualiseerd project voor maatschappelijke integratie", styles["title"]),
        _p(
            f"GPMI-contract ({data.kind}) · referentie {data.reference}",
            styles["subtitle"],
        ),
        _p("Wettelijke basis", heading),
        _p(LEGAL_BASIS, body),
        _p("Partijen", heading),
        _p("Tussen", body),
        _party_table(
            [
                ("het OCMW", f"{data.organisation} (NIS {data.organisation_code})"),
                (
                    "vertegenwoordigd door",
                    f"{data.social_worker}, maatschappelijk assistent"
                    if data.social_worker
                    else "",
                ),
            ],
            body,
        ),
        _p("en", body),
        _party_table(
            [
                ("de cliënt", data.client_name),
                ("rijksregisternummer", data.national_number),
                ("geboortedatum", data.birth_date),
                ("adres", "\n".join(data.address_lines)),
            ],
            body,
        ),
        _p("Looptijd", heading),
        _p(
            f"Het project start op {data.start_date}"
            + (
                f" en loopt tot {data.end_date}."
                if data.end_date
                else " en loopt tot het "
                "doel bereikt is of het project in onderling overleg wordt beëindigd."
            ),
            body,
        ),
        _p("Doelen", heading),
        _p(data.goals or "……………………………………………………………………………………………", body),
        _p("Engagementen van de cliënt", heading),
        *[_p(line, styles["item"]) for line in _bulleted(data.client_commitments)],
        _p("Engagementen van het OCMW", heading),
        *[_p(line, styles["item"]) for line in _bulleted(data.ocmw_commitments)],
        _p("Evaluatie", heading),
        _p(data.evaluation_rhythm, body),
        _p(
            "De cliënt kan gehoord worden door het bijzonder comité voor de sociale dienst "
            "en zich laten bijstaan door een persoon naar keuze. Wie de afspraken van dit "
            "project zonder billijke reden niet nakomt, kan een sanctie krijgen (artikel 30 "
            "van de wet van 26 mei 2002).",
            body,
        ),
        Spacer(1, 6 * mm),
        KeepTogether(_signatures(data, body)),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=printable(f"GPMI-contract {data.client_name}"),
        author=printable(data.organisation),
        lang="nl-BE",
    )

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(
            20 * mm, 10 * mm, printable(f"GPMI-contract · {data.client_name} · {data.reference}")
        )
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"pagina {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _bulleted(lines: list[str]) -> list[str]:
    return [f"• {line}" for line in lines]


def _signatures(data: ContractData, body: ParagraphStyle) -> list:
    place = "Opgemaakt in twee exemplaren te ……………………………… op ……/……/…………, "
    place += "waarvan elke partij er één ontvangt."
    box = [
        [
            _p("De cliënt", body),
            _p("Voor het OCMW, de maatschappelijk assistent", body),
        ],
        [_p(data.client_name, body), _p(data.social_worker or "………………………………", body)],
        [_p("Datum: ……/……/…………", body), _p("Datum: ……/……/…………", body)],
        [_p("Handtekening:", body), _p("Handtekening:", body)],
        ["", ""],
    ]
    table = Table(box, colWidths=[82 * mm, 82 * mm], rowHeights=[None, None, None, None, 22 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, -1), 0.5, colors.grey),
                ("BOX", (1, 0), (1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [_p("Ondertekening", _styles()["heading"]), _p(place, body), Spacer(1, 3 * mm), table]


def gpmi_contract_pdf(trajectory: Trajectory, day: datetime.date | None = None) -> bytes:
    """The GPMI contract of `trajectory` as PDF bytes."""
    return render_contract(contract_data(trajectory, day))


def contract_file_name(trajectory: Trajectory) -> str:
    """A file name without the client's name (it ends up in download folders and logs)."""
    return f"gpmi-contract-{trajectory.external_id}.pdf"
