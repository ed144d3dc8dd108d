"""The write pass of an import: what the validation pass kept, written in bulk.

Records that rows refer to before they exist had placeholder ids (negative)
while validating; they get their real ids here, file by file in the order of
the spec, before any row that refers to them is written (kept as runs of
consecutive ids: records.spill.IdMap).
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from casework import services
from core import bulk, writes
from partners import services as partner_services
from partners.models import Programme
from records import instances
from records.instances import bare
from records.spec import FILES, ORGANISATION, FileSpec
from records.spill import IdMap

from .spool import CREATE, UPDATE, layout

if TYPE_CHECKING:
    from .core import Importer


class Conflict(Exception):
    """A record changed (or disappeared) between its validation and its update."""


class Writer:
    """Writes what an importer's validation pass kept, inside its transaction."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.ids = IdMap()  # placeholder -> id
        self.file = ORGANISATION.name  # being written (named in a refusal)

    def write(self) -> None:
        """Per file, changes first, then new records.

        Changes go first: a bundle that ends a stored period and adds the next one
        must not overlap them even for a moment (the database checks non-overlap
        and uniqueness row by row).
        """
        importer = self.importer
        references = importer.references
        row = importer.organisation_row
        stored = references.organisation
        # A column left out keeps the stored value, as in every other file.
        nis_code = row.get("nis_code", stored.nis_code if stored is not None else "")
        importer.regions.write()
        stored_region = stored.region if stored is not None else None
        region = importer.regions.region_for(row["region"]) if "region" in row else stored_region
        organisation = partner_services.organisation_get_or_create(
            code=row["code"], name=row["name"], nis_code=nis_code, region=region
        )
        if stored is None:
            self.ids[references.organisation_id] = organisation.pk
        references.organisation, references.organisation_id = organisation, organisation.pk
        for name, placeholder in references.new_teams.items():
            team = services.team_get_or_create(organisation=organisation, name=name)
            self.ids[placeholder] = team.pk
        if references.default_programmes:
            programmes = Programme.objects.filter(organisation=organisation)
            pks = dict(programmes.values_list("code", "pk"))
            for code, placeholder in references.default_programmes.items():
                self.ids[placeholder] = pks[code]
        spool = importer.spool
        for spec in FILES[1:]:
            if not (spool.has(spec.name, UPDATE) or spool.has(spec.name, CREATE)):
                continue
            self.file = spec.name
            importer.progress.start(spec.name, writing=True)
            for items in spool.chunks_of(spec.name, UPDATE):
                self._updates(spec, items)
                importer.progress.advance(len(items))
            for items in spool.chunks_of(spec.name, CREATE):
                self._creates(spec, items)
                importer.progress.advance(len(items))

    def _real(self, value: Any) -> Any:
        """The id of a record that was a placeholder (negative) while validating."""
        return self.ids[value] if value is not None and value < 0 else value

    def _creates(self, spec: FileSpec, items: list[tuple[int, tuple]]) -> None:
        model = spec.model
        shape = layout(model)
        now = timezone.now()
        stamps = (now,) * len(shape.stamps)
        referenced = spec.name in self.importer.references.referenced
        rows = []
        for pk, (placeholder, kept) in zip(
            bulk.allocate_ids(model, len(items)), items, strict=True
        ):
            if referenced:
                self.ids[placeholder] = pk
            values = list(kept)
            for position in shape.references:
                values[position] = self._real(values[position])
            rows.append((pk, *values, *stamps))
        attnames = shape.insert_attnames
        bulk.insert(model, attnames, rows)
        # The audit trail gets what each new record holds (empty fields say nothing).
        names = ("id", *instances.column_attnames(spec))
        audited = operator.itemgetter(*(attnames.index(n) for n in names))
        written = []
        for row in rows:
            changes = {
                n: (None, v)
                for n, v in zip(names, audited(row), strict=True)
                if v is not None and v != ""
            }
            written.append(
                (bare(model, dict(zip(attnames, row, strict=True)), stored=True), changes)
            )
        writes.notify_writes("create", written)

    def _updates(self, spec: FileSpec, items: list[tuple]) -> None:
        """One UPDATE per record, grouped by the fields that change; each only if the
        record still has the version that was validated."""
        model = spec.model
        shape = layout(model)
        now = timezone.now()
        groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        written = []
        for pk, version, identity, changes in items:
            pk = self._real(pk)
            for name, (old, new) in changes.items():
                if _is_reference(model, name):
                    changes[name] = (old, self._real(new))
            names = tuple(sorted(changes))
            params = [changes[name][1] for name in names]
            params += [now] * len(shape.stamps)
            params.append(pk)
            if shape.versioned:
                params.append(version)
                changes["version"] = (version, version + 1)
            groups[names].append(params)
            written.append((bare(model, {"id": pk, **identity}, stored=True), changes))
        for names, rows in groups.items():
            attnames = (*names, *shape.stamps)
            if bulk.update(model, attnames, rows, versioned=shape.versioned) != len(rows):
                raise Conflict
        writes.notify_writes("update", written)


@functools.cache
def _is_reference(model: type[models.Model], attname: str) -> bool:
    return any(f.attname == attname and f.is_relation for f in model._meta.concrete_fields)
