"""What an import must remember of every row, kept on disk instead of in memory.

The validation pass needs, for the whole bundle: the key of every row (a key
that appears twice is refused, naming the line of the first), the records
that rows of later files refer to (a stand-in per key), and what the
set-based checks compare (periods per client, participants per session,
values of unique constraints). Held in dictionaries these grow by some 400
bytes a row; here they go to a private temporary SQLite database (the
standard library's `sqlite3`, deleted when closed), written per batch of rows
and read back per batch or as one sorted stream, so memory stays flat
whatever the size of the bundle.

Keys are stored as text: a key of one text cell as it is, any other key as
its `repr` (the cells of a file's key have fixed kinds, so two keys of one
file are equal exactly when their texts are).
"""

from __future__ import annotations

import bisect
import pickle
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

_SCHEMA = """
CREATE TABLE seen (file TEXT, key TEXT, line INTEGER, PRIMARY KEY (file, key)) WITHOUT ROWID;
CREATE TABLE refs (file TEXT, key TEXT, value BLOB, PRIMARY KEY (file, key)) WITHOUT ROWID;
CREATE TABLE periods (file TEXT, scope TEXT, start TEXT, end TEXT, key TEXT, line INTEGER);
CREATE TABLE stored_periods (file TEXT, scope TEXT, start TEXT, end TEXT, key TEXT);
CREATE TABLE participants (session INTEGER, key TEXT, line INTEGER);
CREATE TABLE uniq (file TEXT, name TEXT, vals TEXT, key TEXT, line INTEGER);
CREATE TABLE stored_uniq (file TEXT, name TEXT, vals TEXT, key TEXT);
"""

# SQLite takes at most 32,766 parameters per statement (250 keys per lookup is plenty).
_LOOKUP_CHUNK = 250
MISSING: Any = object()  # not in the index (None: known, but its row has a problem)


def key_text(key: tuple) -> str:
    """A row's key as the text it is stored under."""
    if len(key) == 1 and type(key[0]) is str:
        return key[0]
    return repr(key)


def value_text(value: Any) -> str:
    """A value of a period or a unique constraint, as text that sorts and compares as
    the value does (ISO dates) and is equal exactly when the values are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if isoformat is not None else repr(value)


class Spill:
    """The temporary database of one import (see the module's docstring)."""

    def __init__(self) -> None:
        # "": a private, temporary on-disk database, deleted when the connection closes;
        # its pages beyond the cache (4 MB) go to disk.
        self.db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -4096"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(_SCHEMA)
        self._seen: dict[tuple[str, str], int] = {}  # this batch's, not yet written
        self._seen_earlier: dict[tuple[str, str], int] = {}  # looked up for this batch
        self._prefetched = False
        self._highest: dict[str, str] = {}  # file -> its highest key so far

    def close(self) -> None:
        self.db.close()

    # --- keys of rows ----------------------------------------------------------------------

    def prefetch_seen(self, file: str, keys: list[str]) -> None:
        """Look up, in one go, which of a batch's keys earlier batches had (and where).

        A bundle written by the export has its rows sorted by key: a batch whose keys
        all come after every earlier key of the file cannot repeat one, and is not
        looked up."""
        self.flush()
        self._prefetched = True
        if not keys:
            return
        lowest, highest = min(keys), max(keys)
        earlier = self._highest.get(file)
        if earlier is None or lowest <= earlier:
            self._seen_earlier = {
                (file, key): line for key, line in self._lookup("seen", "line", file, keys)
            }
        if earlier is None or highest > earlier:
            self._highest[file] = highest

    def first_line(self, file: str, key: str) -> int | None:
        """The line on which a key of the file first appeared (None: not yet)."""
        where = (file, key)
        found = self._seen.get(where)
        if found is None:
            if self._prefetched:
                found = self._seen_earlier.get(where)
            else:
                row = self.db.execute(
                    "SELECT line FROM seen WHERE file = ? AND key = ?", where
                ).fetchone()
                found = row[0] if row else None
        return found

    def add_seen(self, file: str, key: str, line: int) -> None:
        self._seen[(file, key)] = line

    def has_seen(self, file: str, key: str) -> bool:
        self.flush()
        row = self.db.execute("SELECT 1 FROM seen WHERE file = ? AND key = ?", (file, key))
        return row.fetchone() is not None

    def seen_keys(self, file: str, keys: Iterable[str]) -> set[str]:
        """Which of `keys` rows of the file have."""
        self.flush()
        return {key for key, _line in self._lookup("seen", "line", file, keys)}

    # --- the records rows refer to ---------------------------------------------------------

    def put_refs(self, file: str, items: Iterable[tuple[str, Any]]) -> None:
        """Index entries: key -> value (None: known, not valid); a later one replaces."""
        self.db.executemany(
            "INSERT OR REPLACE INTO refs VALUES (?, ?, ?)",
            (
                (file, key, None if value is None else pickle.dumps(value, 5))
                for key, value in items
            ),
        )

    def know_refs(self, file: str, keys: Iterable[str]) -> None:
        """Keys known (not valid) unless the index already has them."""
        self.db.executemany(
            "INSERT OR IGNORE INTO refs VALUES (?, ?, NULL)", ((file, key) for key in keys)
        )

    def get_refs(self, file: str, keys: Iterable[str]) -> dict[str, Any]:
        """The index entries of `keys` that exist (value None: known, not valid)."""
        return {
            key: None if value is None else pickle.loads(value)  # noqa: S301 (our own file)
            for key, value in self._lookup("refs", "value", file, keys)
        }

    def all_refs(self, file: str) -> Iterator[tuple[str, Any]]:
        rows = self.db.execute("SELECT key, value FROM refs WHERE file = ?", (file,))
        for key, value in rows:
            yield key, None if value is None else pickle.loads(value)  # noqa: S301

    def _lookup(self, table: str, column: str, file: str, keys: Iterable[str]) -> list[tuple]:
        wanted = list(dict.fromkeys(keys))
        found: list[tuple] = []
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            found += self.db.execute(
                f"SELECT key, {column} FROM {table} WHERE file = ? AND key IN ({marks})",  # noqa: S608 (names are ours)
                (file, *chunk),
            ).fetchall()
        return found

    # --- what the set-based checks compare --------------------------------------------------

    def add_periods(self, rows: Iterable[tuple]) -> None:
        """(file, scope, start, end, key, line) of rows, in file order."""
        self.db.executemany("INSERT INTO periods VALUES (?, ?, ?, ?, ?, ?)", rows)

    def add_stored_periods(self, rows: Iterable[tuple]) -> None:
        """(file, scope, start, end, key) of the organisation's stored records."""
        self.db.executemany("INSERT INTO stored_periods VALUES (?, ?, ?, ?, ?)", rows)

    def period_files(self) -> list[str]:
        return [file for (file,) in self.db.execute("SELECT DISTINCT file FROM periods")]

    def periods(self, file: str) -> Iterator[tuple[str, list[tuple]]]:
        """Per scope that rows of the file have: the rows' periods (line set) and the
        stored records' of that scope that the bundle leaves as they are (line None),
        sorted by start and end, rows first (in file order) among equals."""
        rows = self.db.execute(
            """
            SELECT scope, start, end, key, line FROM (
                SELECT scope, start, end, key, line, 0 AS stored, rowid AS position
                FROM periods WHERE file = ?1
                UNION ALL
                SELECT s.scope, s.start, s.end, s.key, NULL, 1, s.rowid FROM stored_periods s
                WHERE s.file = ?1
                AND s.scope IN (SELECT scope FROM periods WHERE file = ?1)
                AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.file = ?1 AND seen.key = s.key)
            ) ORDER BY scope, start, end, stored, position
            """,
            (file,),
        )
        yield from _grouped(rows)

    def add_participants(self, rows: Iterable[tuple[Any, str, int]]) -> None:
        """(session id, key, line) of referrals, in file order."""
        self.db.executemany("INSERT INTO participants VALUES (?, ?, ?)", rows)

    def participants(self) -> Iterator[tuple[Any, list[tuple]]]:
        """Per session: its referrals' (key, line) in file order."""
        rows = self.db.execute(
            "SELECT session, key, line FROM participants ORDER BY session, rowid"
        )
        yield from _grouped(rows)

    def add_unique(self, rows: Iterable[tuple]) -> None:
        """(file, constraint name, values, key, line) of rows, in file order."""
        self.db.executemany("INSERT INTO uniq VALUES (?, ?, ?, ?, ?)", rows)

    def add_stored_unique(self, rows: Iterable[tuple]) -> None:
        """(file, constraint name, values, key) of the organisation's stored records."""
        self.db.executemany("INSERT INTO stored_uniq VALUES (?, ?, ?, ?)", rows)

    def unique_constraints(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT DISTINCT file, name FROM uniq"))

    def unique(self, file: str, name: str) -> Iterator[tuple[str, list[tuple]]]:
        """Per value that rows have: the stored record holding it that the bundle leaves
        as it is (line None) first, then the rows' (key, line) in file order."""
        rows = self.db.execute(
            """
            SELECT vals, key, line FROM (
                SELECT vals, key, line, 1 AS row, rowid AS position FROM uniq
                WHERE file = ?1 AND name = ?2
                UNION ALL
                SELECT s.vals, s.key, NULL, 0, s.rowid FROM stored_uniq s
                WHERE s.file = ?1 AND s.name = ?2
                AND s.vals IN (SELECT vals FROM uniq WHERE file = ?1 AND name = ?2)
                AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.file = ?1 AND seen.key = s.key)
            ) ORDER BY vals, row, position
            """,
            (file, name),
        )
        yield from _grouped(rows)

    # --- between batches -----------------------------------------------------------------

    def flush(self) -> None:
        """Write what this batch added (its keys) and forget what was looked up for it."""
        if self._seen:
            self.db.executemany(
                "INSERT INTO seen VALUES (?, ?, ?)",
                ((file, key, line) for (file, key), line in self._seen.items()),
            )
            self._seen = {}
        self._seen_earlier = {}
        self._prefetched = False


def _grouped(rows: Iterable[tuple]) -> Iterator[tuple[Any, list[tuple]]]:
    """Sorted rows as (first column, [the other columns of each row]) per value."""
    current: Any = MISSING
    group: list[tuple] = []
    for first, *rest in rows:
        if first != current:
            if group:
                yield current, group
            current, group = first, []
        group.append(tuple(rest))
    if group:
        yield current, group


class IdMap:
    """Placeholder (negative) -> real id, for the write pass: kept as runs (the
    placeholders of one file's new records are consecutive, and so are, almost
    always, the ids allocated for them), so that a million records take a few runs
    instead of a million dictionary entries."""

    def __init__(self) -> None:
        self._starts = array("q")  # -placeholder of each run's first record, ascending
        self._ids = array("q")
        self._lengths = array("q")
        self._sorted = True

    def __setitem__(self, placeholder: int, pk: int) -> None:
        magnitude = -placeholder
        if self._starts:
            last = len(self._starts) - 1
            length = self._lengths[last]
            if (
                magnitude == self._starts[last] + length
                and pk == self._ids[last] + length
                and self._sorted
            ):
                self._lengths[last] = length + 1
                return
            if magnitude < self._starts[last]:
                self._sorted = False
        self._starts.append(magnitude)
        self._ids.append(pk)
        self._lengths.append(1)

    def __getitem__(self, placeholder: int) -> int:
        if not self._sorted:
            self._sort()
        magnitude = -placeholder
        run = bisect.bisect_right(self._starts, magnitude) - 1
        if run >= 0:
            offset = magnitude - self._starts[run]
            if offset < self._lengths[run]:
                return self._ids[run] + offset
        raise KeyError(placeholder)

    def __len__(self) -> int:
        return sum(self._lengths)

    def _sort(self) -> None:
        runs = sorted(zip(self._starts, self._ids, self._lengths, strict=True))
        self._starts = array("q", (run[0] for run in runs))
        self._ids = array("q", (run[1] for run in runs))
        self._lengths = array("q", (run[2] for run in runs))
        self._sorted = True
