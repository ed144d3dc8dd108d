"""Opening a record bundle (a folder or a .zip) and reading its CSV files lazily.

Reading is bounded whatever the bundle holds: a line longer than `MAX_LINE_BYTES`,
a cell longer than `MAX_CELL_CHARS` or more than `MAX_EMPTY_LINES` empty lines is a
problem (memory stays that of one line; nothing is written); a NUL byte is a problem
of its cell. Members that could reach outside the bundle (`..`, an
absolute path, a symbolic link) and hidden CSV files that are not macOS metadata
are refused by name before anything is read.
"""

from __future__ import annotations

import codecs
import csv
import stat
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

# Bounds of what one file may hold (a longer line or cell is a mistake or an attack).
MAX_LINE_BYTES = 1024 * 1024
MAX_CELL_CHARS = 10_000
MAX_EMPTY_LINES = 10_000


MAX_PROBLEMS = 1_000


class Problems(list[Problem]):
    """Problems, of which the first `MAX_PROBLEMS` are kept and the rest only counted
    (`more`): a bundle of a million bad rows must not fill memory with messages."""

    more: int = 0

    def append(self, problem: Problem) -> None:
        if len(self) < MAX_PROBLEMS:
            super().append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)
        self.more += getattr(problems, "more", 0)

    @property
    def total(self) -> int:
        return len(self) + self.more


class UnreadableLine(Exception):
    """A line the reader refuses to take in (too long): the file stops there."""


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
            names = self._folder_names()
        elif zipfile.is_zipfile(self.path):
            try:
                self._zip = zipfile.ZipFile(self.path)
                names = self._zip_names(self._zip)
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

    def _folder_names(self) -> list[str]:
        """Every file of the folder, refusing a symbolic link anywhere in it by name (it
        could point at any file of the server)."""
        names = []
        for path in sorted(self.path.rglob("*")):
            relative = path.relative_to(self.path).as_posix()
            if path.is_symlink():
                raise BundleError(
                    _("%s is een symbolische koppeling; een bundel bevat enkel gewone bestanden.")
                    % relative,
                    relative,
                )
            if path.is_file():
                names.append(relative)
        return names

    @staticmethod
    def _zip_names(archive: zipfile.ZipFile) -> list[str]:
        """Every file of the zip, refusing by name a member that could land outside the
        bundle (`..`, an absolute path) or is a symbolic link."""
        names = []
        for info in archive.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise BundleError(
                    _("%s: een bestand in de bundel mag niet buiten de bundel verwijzen.") % name,
                    name,
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise BundleError(
                    _("%s is een symbolische koppeling; een bundel bevat enkel gewone bestanden.")
                    % name,
                    name,
                )
            if not info.is_dir():
                names.append(name)
        return names

    def _locate(self, names: list[str]) -> None:
        """The bundle is the folder holding organisation.csv, at any depth (a zip
        often wraps the files in a folder); other CSV files there must be known, and
        a CSV file anywhere else (a sub-folder, a second bundle) is not silently left
        out. macOS's metadata (the __MACOSX folder, `._name` files) is no part of it; any
        other hidden CSV file is refused by name (it would be imported by nobody's eye)."""
        paths = []
        for name in names:
            path = PurePosixPath(name)
            if not name.lower().endswith(".csv") or "__MACOSX" in path.parts:
                continue
            if path.name.startswith("._"):
                continue
            if any(part.startswith(".") for part in path.parts):
                raise BundleError(
                    _("%s is een verborgen CSV-bestand; geef het een gewone naam of laat het weg.")
                    % name,
                    name,
                )
            paths.append(path)
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

    Lines keep their line ending, as csv expects (a quoted field may hold one). A line
    is read at most `MAX_LINE_BYTES` at a time, so one huge line never fills memory.
    """
    number = 0
    while True:
        data = raw.readline(MAX_LINE_BYTES + 1)
        if not data:
            return
        number += 1
        if len(data) > MAX_LINE_BYTES:
            raise UnreadableLine(
                _("Een regel is langer dan %(n)s bytes; de rest wordt niet gelezen.")
                % {"n": f"{MAX_LINE_BYTES:,}".replace(",", ".")}
            )
        if number == 1 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        yield data.decode("utf-8")


class CsvFile:
    """The header and the rows of one file; problems with either are collected."""

    def __init__(self, name: str, text: Iterable[str]) -> None:
        self.name = name
        self.problems = Problems()
        self._reader = csv.reader(text)
        self.header: list[str] = []
        try:
            self.header = [cell.strip() for cell in next(self._reader)]
        except StopIteration:
            self._problem(1, NO_COLUMN, _("Het bestand is leeg; de eerste regel is de kop."))
        except (csv.Error, UnicodeDecodeError, UnreadableLine) as exc:
            self._unreadable(1, exc)

    def _problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, column, message))

    def _unreadable(self, line: int, exc: Exception) -> None:
        if isinstance(exc, UnicodeDecodeError):
            message = _("Het bestand is niet in UTF-8 gecodeerd; de rest wordt niet gelezen.")
        elif isinstance(exc, UnreadableLine):
            message = str(exc)
        else:
            message = _("Ongeldige CSV (%s); de rest wordt niet gelezen.") % exc
        self._problem(line, NO_COLUMN, message)

    def rows(self) -> Iterator[Row]:
        """The data rows, lazily; empty lines (also `,,,`) are skipped."""
        if not self.header:
            return
        width = len(self.header)
        previous = self._reader.line_num
        empty = 0
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError, UnreadableLine) as exc:
                self._unreadable(previous + 1, exc)
                return
            line, previous = previous + 1, self._reader.line_num
            stripped = [cell.strip() for cell in cells]
            if not any(stripped):
                empty += 1
                if empty > MAX_EMPTY_LINES:
                    self._problem(
                        line,
                        NO_COLUMN,
                        _("Meer dan %(n)s lege regels; de rest wordt niet gelezen.")
                        % {"n": f"{MAX_EMPTY_LINES:,}".replace(",", ".")},
                    )
                    return
                continue
            # The common case (no cell too long, no NUL) costs one pass in C each.
            if cells and max(map(len, cells)) > MAX_CELL_CHARS:
                too_long = [i for i, cell in enumerate(cells) if len(cell) > MAX_CELL_CHARS]
                column = self.header[too_long[0]] if too_long[0] < width else NO_COLUMN
                self._problem(
                    line,
                    column,
                    _("Het veld is langer dan %(n)s tekens.")
                    % {"n": f"{MAX_CELL_CHARS:,}".replace(",", ".")},
                )
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
            if "\x00" in "".join(cells):
                for name, cell in zip(self.header, cells, strict=True):
                    if "\x00" in cell:
                        self._problem(
                            line, name, _("Deze cel bevat een NUL-teken; dat is geen tekst.")
                        )
                continue
            yield Row(line, stripped)
