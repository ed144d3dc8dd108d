"""Opening a record bundle (a folder or a .zip) and reading its CSV files lazily."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.utils.translation import gettext as _

from records.spec import FILES_BY_NAME


class BundleError(Exception):
    """The bundle cannot be opened at all (not a folder, not a zip, no organisation.csv)."""

    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(message)
        self.file = file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bundle, reported as `file.csv:LINE: column: message`."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


# A problem that belongs to a row or a file rather than to one of its columns.
NO_COLUMN = "-"


@dataclass(frozen=True)
class Row:
    line: int  # line of the file on which the row starts (the header is line 1)
    cells: list[str]


class Bundle:
    """The CSV files of a bundle, by name. Use as a context manager."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self.members: dict[str, str] = {}  # file name -> path inside the folder or zip
        self.unknown: list[str] = []  # CSV files that are not part of the spec
        self.misplaced: list[str] = []  # CSV files outside the bundle's folder

    def __enter__(self) -> Bundle:
        if self.path.is_dir():
            names = [p.relative_to(self.path).as_posix() for p in self.path.rglob("*.csv")]
        elif zipfile.is_zipfile(self.path):
            try:
                self._zip = zipfile.ZipFile(self.path)
                names = [i.filename for i in self._zip.infolist() if not i.is_dir()]
            except (zipfile.BadZipFile, OSError) as exc:
                raise BundleError(_("Het zip-bestand is beschadigd: %s") % exc) from exc
        elif self.path.exists():
            raise BundleError(_("%s is geen map en geen zip-bestand.") % self.path)
        else:
            raise BundleError(_("%s bestaat niet.") % self.path)
        self._locate(names)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._zip is not None:
            self._zip.close()

    def _locate(self, names: list[str]) -> None:
        """The bundle is the folder holding organisation.csv, at any depth (a zip
        often wraps the files in a folder); other CSV files there must be known, and
        a CSV file anywhere else (a sub-folder, a second bundle) is not silently left
        out. Hidden files and macOS's __MACOSX folder are no part of it."""
        paths = [
            PurePosixPath(n)
            for n in names
            if n.lower().endswith(".csv")
            and "__MACOSX" not in PurePosixPath(n).parts
            and not any(part.startswith(".") for part in PurePosixPath(n).parts)
        ]
        homes = sorted(
            (p.parent for p in paths if p.name == "organisation.csv"), key=lambda p: len(p.parts)
        )
        if not homes:
            raise BundleError(_("De bundel bevat geen organisation.csv."), "organisation.csv")
        home = homes[0]
        for p in paths:
            if p.parent != home:
                inside = p.is_relative_to(home)
                self.misplaced.append(str(p.relative_to(home) if inside else p))
            elif p.name in FILES_BY_NAME:
                self.members[p.name] = str(p)
            else:
                self.unknown.append(p.name)

    @contextmanager
    def open(self, name: str) -> Iterator[Iterator[str]]:
        """The lines of a file as text (UTF-8, with or without BOM), read lazily."""
        member = self.members[name]
        with (
            self._zip.open(member) if self._zip is not None else open(self.path / member, "rb")
        ) as raw:
            yield _decoded(raw)


def _decoded(raw: IO[bytes]) -> Iterator[str]:
    """Line by line, so that a byte that is not UTF-8 is reported on its own line.

    Lines keep their line ending, as csv expects (a quoted field may hold one).
    """
    for number, data in enumerate(raw, 1):
        if number == 1 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        yield data.decode("utf-8")


class CsvFile:
    """The header and the rows of one file; problems with either are collected."""

    def __init__(self, name: str, text: Iterable[str]) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self._reader = csv.reader(text)
        self.header: list[str] = []
        try:
            self.header = [cell.strip() for cell in next(self._reader)]
        except StopIteration:
            self._problem(1, NO_COLUMN, _("Het bestand is leeg; de eerste regel is de kop."))
        except (csv.Error, UnicodeDecodeError) as exc:
            self._unreadable(1, exc)

    def _problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, column, message))

    def _unreadable(self, line: int, exc: Exception) -> None:
        if isinstance(exc, UnicodeDecodeError):
            message = _("Het bestand is niet in UTF-8 gecodeerd; de rest wordt niet gelezen.")
        else:
            message = _("Ongeldige CSV (%s); de rest wordt niet gelezen.") % exc
        self._problem(line, NO_COLUMN, message)

    def rows(self) -> Iterator[Row]:
        """The data rows, lazily; empty lines (also `,,,`) are skipped."""
        if not self.header:
            return
        width = len(self.header)
        previous = self._reader.line_num
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                self._unreadable(previous + 1, exc)
                return
            line, previous = previous + 1, self._reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != width:
                self._problem(
                    line,
                    NO_COLUMN,
                    _("%(found)s velden, de kop telt er %(expected)s.")
                    % {"found": len(cells), "expected": width},
                )
                continue
            # A NUL byte is no text: PostgreSQL refuses it, so it is a problem of the row.
            nul = [name for name, cell in zip(self.header, cells, strict=True) if "\x00" in cell]
            for name in nul:
                self._problem(line, name, _("Deze cel bevat een NUL-teken; dat is geen tekst."))
            if nul:
                continue
            yield Row(line, [cell.strip() for cell in cells])
