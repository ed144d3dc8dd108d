"""Which files may be stored as a document: the type is read from the content (magic
bytes), and the file name's extension must agree with it.

PDF, JPEG, PNG, DOCX and ODT only: what a scan, a photo of an attestation or an
office document is. Anything else (an executable renamed to .pdf, a macro-enabled
.docm, HTML) is refused with a Dutch message before a byte is stored.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", ("pdf",))
JPEG = FileType("JPEG", "image/jpeg", ("jpg", "jpeg"))
PNG = FileType("PNG", "image/png", ("png",))
DOCX = FileType(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
ODT = FileType("ODT", ODT_MIMETYPE.decode(), ("odt",))
FILE_TYPES = (PDF, JPEG, PNG, DOCX, ODT)


def max_document_bytes() -> int:
    return int(settings.TRAJECT_DOCUMENT_MAX_MB * 1024 * 1024)


def megabytes(size: float) -> str:
    """A size in MB as a Belgian reads it: "20", "0,5", "20,3"."""
    value = round(size / 1024 / 1024, 1)
    return f"{value:g}".replace(".", ",")


def sniff(file: IO[bytes]) -> FileType | None:
    """The type of `file` from its content, or None when it is none of FILE_TYPES."""
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            return _office_type(file)
        finally:
            file.seek(0)
    return None


def _office_type(file: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                content_types = archive.read("[Content_Types].xml")
                # A macro-enabled document (.docm) declares itself so: refused.
                if b"macroEnabled" in content_types or "word/vbaProject.bin" in names:
                    return None
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return None
    return None


def allowed_types_text() -> str:
    return ", ".join(file_type.label for file_type in FILE_TYPES)


def check_upload(file: IO[bytes], name: str, size: int) -> FileType:
    """The type of an uploaded file, or a ValidationError in Dutch saying why it is refused."""
    limit = max_document_bytes()
    if size <= 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > limit:
        raise ValidationError(
            _("Het bestand is te groot (%(size)s MB); het maximum is %(limit)s MB.")
            % {"size": megabytes(size), "limit": megabytes(limit)},
            code="too_large",
        )
    file_type = sniff(file)
    if file_type is None:
        raise ValidationError(
            _("Dit soort bestand kan niet bewaard worden. Toegelaten: %(types)s.")
            % {"types": allowed_types_text()},
            code="type",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in file_type.extensions:
        raise ValidationError(
            _(
                "De extensie van het bestand (.%(extension)s) past niet bij de inhoud "
                "(%(type)s). Geef het bestand de juiste extensie."
            )
            % {"extension": extension or "?", "type": file_type.label},
            code="extension",
        )
    return file_type
