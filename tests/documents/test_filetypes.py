"""Which files may be stored: the type from the content, the extension agreeing with it."""

import io

import pytest
from django.core.exceptions import ValidationError

from documents.filetypes import DOCX, JPEG, ODT, PDF, PNG, check_upload, sniff
from tests.documents import conftest as files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.PDF, PDF),
        (files.PNG, PNG),
        (files.JPEG, JPEG),
        (files.DOCX, DOCX),
        (files.ODT, ODT),
        (files.EXE, None),
        (files.DOCM, None),
        (files.zip_bytes({"a.txt": b"x"}), None),
        (b"<html><script>alert(1)</script></html>", None),
    ],
)
def test_the_type_is_read_from_the_content(data, expected):
    assert sniff(io.BytesIO(data)) is expected


def test_an_allowed_file_gives_its_type():
    assert check_upload(io.BytesIO(files.ODT), "verslag.ODT", len(files.ODT)) is ODT
    assert check_upload(io.BytesIO(files.JPEG), "scan.jpeg", len(files.JPEG)) is JPEG


def test_an_executable_named_pdf_is_refused_in_dutch():
    with pytest.raises(ValidationError) as refused:
        check_upload(io.BytesIO(files.EXE), "attest.pdf", len(files.EXE))
    assert refused.value.messages == [
        "Dit soort bestand kan niet bewaard worden. Toegelaten: PDF, JPEG, PNG, DOCX, ODT."
    ]


def test_an_extension_that_does_not_fit_the_content_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(io.BytesIO(files.PDF), "foto.png", len(files.PDF))
    assert "(.png) past niet bij de inhoud (PDF)" in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.TRAJECT_DOCUMENT_MAX_MB = 1
    with pytest.raises(ValidationError) as refused:
        check_upload(io.BytesIO(files.PDF), "groot.pdf", 1024 * 1024 + 1)
    assert refused.value.messages == ["Het bestand is te groot (1 MB); het maximum is 1 MB."]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="leeg"):
        check_upload(io.BytesIO(b""), "leeg.pdf", 0)
