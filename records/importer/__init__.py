"""Importing a record bundle: validate everything, then write everything (or nothing).

The import runs in two passes over the files, in the order of the spec, so
that every file can refer to the ones before it:

1. *Validate.* Each row becomes the model instance it describes (the
   existing record with that key, or a new one) and goes through the model's
   own validation: its fields' checks (type, null/blank, choices, validators,
   derived once per file from the fields: records.instances.FieldChecks, with
   Django's own messages) and its `clean()` (the rules across fields), as
   `full_clean()` would, checked against one "today" for the whole import
   (core.periods.same_day). The parts of that validation that would
   query the database once per row are done set-based instead, over the
   bundle and the organisation's records together: references are looked up
   in an index of keys, check constraints are evaluated in memory
   (records.checks), and the rules that compare a record with others
   (overlapping periods, session capacity, unique national numbers, records
   of a client whose birth date changes) are checked once all files are read
   (records.setchecks). Every problem is collected.
2. *Write.* Only when there is no problem at all, in one transaction. The
   first pass kept what each new or changed row writes, as the model's
   cleaning left it, in a temporary file (not in memory); records that rows
   refer to before they exist have placeholder ids (negative), replaced by
   the real ones as they are written. New records are written with
   core.bulk (COPY on PostgreSQL, executemany on SQLite), changes with
   one UPDATE per record that checks its version, so that a record somebody
   edited since it was read is not overwritten. Observers of writes (the
   audit trail) are told per batch (the audit trail writes one entry per
   created or changed record, in bulk).

Rows are read lazily and handled in batches; what must be remembered of every
row until the end (its key, the records later files refer to, what the
set-based checks compare) is kept in a temporary SQLite file (records.spill)
and looked up per batch, and placeholder ids map to real ones as runs, so
memory does not grow with the number of rows.

`core` holds the import and its reading of the files, `rows` the validation
of one row, `references` the index of what rows refer to and the stored
records they update, `spool` what is kept between the passes, `writer` the
write pass, `result` what an import reports.
"""

from .core import Importer, import_bundle
from .result import FileCounts, ImportResult

__all__ = [
    "FileCounts",
    "ImportResult",
    "Importer",
    "import_bundle",
]
