"""regions.csv and organisation.csv's `region`: the regions a bundle defines or names.

Regions are shared by every organisation of the installation, so they are not
records of the bundle's organisation: they are read before organisation.csv (whose
`region` may name a region of this file) and written before it, parents first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from casework import services
from casework.models import Organisation, Region
from records import instances
from records.bundle import CsvFile
from records.spec import REGIONS

from .result import FileCounts

if TYPE_CHECKING:
    from .core import Importer


@dataclass
class RegionRow:
    code: str
    name: str
    parent: str  # a region code, "" for a top region
    line: int


class RegionReader:
    """Validates regions.csv (first pass) and writes it (second pass)."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.rows: dict[str, RegionRow] = {}
        self.changed: list[str] = []  # codes to write, in file order

    def read(self) -> None:
        importer = self.importer
        spec = REGIONS
        if spec.name not in importer.bundle.members:
            return
        counts = importer.result.counts.setdefault(spec.name, FileCounts())
        with importer.bundle.open(spec.name) as text:
            csvfile = CsvFile(spec.name, text)
            columns = importer._columns(spec, csvfile)
            if columns is not None:
                for row in csvfile.rows():
                    values = {column.name: row.cells[index] for index, column in columns}
                    self._read_row(values, row.line, counts)
            importer.result.problems.extend(csvfile.problems)
        self._check_parents()

    def _read_row(self, values: dict[str, str], line: int, counts: FileCounts) -> None:
        importer = self.importer
        code = values.get("code", "")
        counts.rows += 1
        if code in self.rows:
            importer._problem(
                REGIONS.name,
                line,
                "code",
                _("Deze code staat al op regel %(line)s.") % {"line": self.rows[code].line},
            )
            return
        stored = Region.objects.filter(code=code).first() if code else None
        instance = stored or Region(code=code)
        stored_name = instance.name
        instance.name = values.get("name", instance.name)
        try:
            # The parent is checked against the bundle and the stored tree below.
            instance.full_clean(exclude=["parent"], validate_unique=False)
        except ValidationError as exc:
            for column, message in instances.messages(REGIONS, instance, exc.update_error_dict({})):
                importer._problem(REGIONS.name, line, column, message)
        if code and code == importer.organisation_row.get("code"):
            importer._problem(
                REGIONS.name, line, "code", _("Deze code is al de code van een organisatie.")
            )
        stored_parent = stored.parent.code if stored and stored.parent else ""
        parent = values.get("parent", stored_parent)
        self.rows[code] = RegionRow(code, instance.name, parent, line)
        if stored is None:
            counts.created += 1
            self.changed.append(code)
        elif (stored_name, stored_parent) != (instance.name, parent):
            counts.updated += 1
            self.changed.append(code)
        else:
            counts.unchanged += 1

    def _check_parents(self) -> None:
        """Every parent exists (in the file or stored), and no region lies above itself."""
        parents: dict[str, str | None] = dict(Region.objects.values_list("code", "parent__code"))
        parents.update({code: row.parent or None for code, row in self.rows.items()})
        for code, row in self.rows.items():
            if not row.parent:
                continue
            if row.parent not in parents:
                self.importer._problem(
                    REGIONS.name,
                    row.line,
                    "parent",
                    _("Onbekende regio %(code)s: niet in regions.csv en niet bewaard.")
                    % {"code": repr(row.parent)},
                )
                continue
            seen = {code}
            current: str | None = row.parent
            while current is not None and current not in seen:
                seen.add(current)
                current = parents.get(current)
            if current == code:
                self.importer._problem(
                    REGIONS.name,
                    row.line,
                    "parent",
                    _("Een regio kan niet tot zichzelf of een van haar deelregio's behoren."),
                )

    def check_organisation_region(self, code: str, line: int) -> None:
        """organisation.csv's `region` names a region of this file or a stored one."""
        if code and code not in self.rows and not Region.objects.filter(code=code).exists():
            self.importer._problem(
                "organisation.csv",
                line,
                "region",
                _("Onbekende regio %(code)s: niet in regions.csv en niet bewaard.")
                % {"code": repr(code)},
            )
        if code and Organisation.objects.filter(code=code).exists():
            self.importer._problem(
                "organisation.csv", line, "region", _("Deze code is de code van een organisatie.")
            )

    def write(self) -> None:
        """The new and changed regions, each after its parent."""
        written: dict[str, Region] = {}

        def region(code: str) -> Region | None:
            if not code:
                return None
            if code not in written:
                row = self.rows.get(code)
                if row is None or code not in self.changed:
                    written[code] = Region.objects.get(code=code)
                else:
                    written[code] = services.region_set(
                        code=code, name=row.name, parent=region(row.parent)
                    )
            return written[code]

        for code in self.changed:
            region(code)

    def region_for(self, code: str) -> Region | None:
        return Region.objects.filter(code=code).first() if code else None
