"""The answer as a DOCX document (python-docx): opens in Word and LibreOffice.

Heading with the question's reference, date and text; the answer's text with
the figures filled in; each picked statistic as a table (the grids of the
report page); an annex with each statistic's definition; a footer with the
parameters and the SHA-256. A draft says so in its title and its footer.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from answers.figures import fill
from reporting.presentation import build_sections
from reporting.tables import cell_text


@dataclass(frozen=True)
class AnswerDocument:
    """What the document shows, for a draft and a published answer alike."""

    title: str
    reference: str
    asked_on: datetime.date | None
    asked_by: str
    question_text: str
    text: str  # with the key paths, filled in here
    statistics: list[str]
    report: dict[str, Any]
    sha256: str  # "" for a draft
    draft: bool
    published_at: datetime.datetime | None = None
    published_by: str = ""
    corrects: str = ""  # "Antwoord 12 van 01/07/2025"


def parameters_line(report: dict[str, Any]) -> str:
    if "region" in report:
        scope = _("Regio %(region)s (%(organisations)s)") % {
            "region": report["region"],
            "organisations": ", ".join(report.get("organisations", [])),
        }
    else:
        scope = _("Organisatie %(organisation)s") % {"organisation": report.get("organisation", "")}
    return _(
        "%(scope)s · periode %(start)s tot en met %(end)s · "
        "referentiemaand %(month)s · opgemaakt op %(as_of)s"
    ) % {
        "scope": scope,
        "start": report["period"]["from"],
        "end": report["period"]["to"],
        "month": report["reference_month"],
        "as_of": report["as_of"],
    }


def build_docx(doc: AnswerDocument) -> bytes:
    document = Document()
    document.core_properties.title = doc.title
    heading = doc.title + (" — " + _("ONTWERP") if doc.draft else "")
    document.add_heading(heading, level=0)
    if doc.draft:
        document.add_paragraph(_("Ontwerp: niet gepubliceerd, de cijfers kunnen nog wijzigen."))
    elif doc.published_at is not None:
        document.add_paragraph(
            _("Gepubliceerd op %(date)s door %(by)s.")
            % {
                "date": timezone.localtime(doc.published_at).strftime("%d/%m/%Y"),
                "by": doc.published_by,
            }
        )
    if doc.reference:
        asked = doc.asked_on.strftime("%d/%m/%Y") if doc.asked_on else ""
        document.add_paragraph(
            _("Vraag %(reference)s van %(date)s, gesteld door %(by)s")
            % {"reference": doc.reference, "date": asked, "by": doc.asked_by}
        )
        document.add_heading(_("Vraag"), level=1)
        for line in doc.question_text.splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
    if doc.corrects:
        document.add_paragraph(_("Dit antwoord verbetert %(answer)s.") % {"answer": doc.corrects})

    document.add_heading(_("Antwoord"), level=1)
    for line in fill(doc.text, doc.report).splitlines():
        if line.strip():
            document.add_paragraph(line.strip())

    sections = {s.key: s for s in build_sections(_picked(doc.report, doc.statistics))}
    if sections:
        document.add_heading(_("Cijfers"), level=1)
    for key in doc.statistics:
        section = sections[key]
        document.add_heading(section.title, level=2)
        for grid in section.grids:
            document.add_paragraph(grid.caption).runs[0].bold = True
            table = document.add_table(rows=1, cols=len(grid.columns))
            table.style = "Table Grid"
            for cell, (_key, header) in zip(table.rows[0].cells, grid.columns, strict=True):
                cell.text = header
            for row in grid.rows:
                cells = table.add_row().cells
                for cell, (column, _header) in zip(cells, grid.columns, strict=True):
                    cell.text = cell_text(row.get(column))

    document.add_heading(_("Bijlage: definities"), level=1)
    for key in doc.statistics:
        section = sections[key]
        paragraph = document.add_paragraph()
        paragraph.add_run(section.title + ": ").bold = True
        paragraph.add_run(doc.report["definitions"][key])

    footer = document.sections[0].footer.paragraphs[0]
    footer.text = (
        parameters_line(doc.report)
        + " · "
        + (_("ONTWERP, niet gepubliceerd") if doc.draft else "SHA-256 " + doc.sha256)
    )
    for run in footer.runs:
        run.font.size = Pt(7)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _picked(report: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """The report with only the picked statistics (the sections to draw)."""
    return report | {"statistics": {key: report["statistics"][key] for key in keys}}


def published_document(published: Any, report: dict[str, Any]) -> AnswerDocument:
    """The document of a published answer (`report`: its stored report)."""
    question = published.question
    corrects = ""
    if published.corrects_id:
        corrects = _("antwoord %(id)s van %(date)s") % {
            "id": published.corrects_id,
            "date": published.corrects.published_at.strftime("%d/%m/%Y"),
        }
    return AnswerDocument(
        title=published.title,
        reference=question.reference if question else "",
        asked_on=question.asked_on if question else None,
        asked_by=question.asked_by if question else "",
        question_text=question.text if question else "",
        text=published.text,
        statistics=list(published.statistics),
        report=report,
        sha256=published.sha256,
        draft=False,
        published_at=published.published_at,
        published_by=published.published_by_username,
        corrects=corrects,
    )


def draft_document(answer: Any, report: dict[str, Any]) -> AnswerDocument:
    """The document of a draft (`report`: computed now for its parameters)."""
    question = answer.question
    return AnswerDocument(
        title=_("Antwoord op schriftelijke vraag %(reference)s")
        % {"reference": question.reference},
        reference=question.reference,
        asked_on=question.asked_on,
        asked_by=question.asked_by,
        question_text=question.text,
        text=answer.text,
        statistics=list(answer.statistics),
        report=report,
        sha256="",
        draft=True,
    )
