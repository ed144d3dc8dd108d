"""What the validation pass of an import keeps for the write pass, and how a model's
records are laid out for writing."""

from __future__ import annotations

import functools
import operator
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

WRITE_BATCH_SIZE = 5000
CREATE, UPDATE = "create", "update"


class Spool:
    """What the first pass found to write, per file and kind of write, kept in a
    temporary file in chunks (pickled lists), so that memory stays bounded."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.file = tempfile.TemporaryFile() if keep else None  # noqa: SIM115 (closed by close())
        self.pending: dict[tuple[str, str], list[Any]] = defaultdict(list)
        self.chunks: dict[tuple[str, str], list[int]] = defaultdict(list)

    def add(self, file: str, phase: str, item: Any) -> None:
        if not self.keep:
            return
        items = self.pending[(file, phase)]
        items.append(item)
        if len(items) >= WRITE_BATCH_SIZE:
            self._dump((file, phase))

    def _dump(self, where: tuple[str, str]) -> None:
        items = self.pending.pop(where, None)
        if items and self.file is not None:
            self.file.seek(0, 2)
            self.chunks[where].append(self.file.tell())
            pickle.dump(items, self.file, pickle.HIGHEST_PROTOCOL)

    def has(self, file: str, phase: str) -> bool:
        return bool(self.pending.get((file, phase)) or self.chunks.get((file, phase)))

    def chunks_of(self, file: str, phase: str) -> Iterator[list[Any]]:
        self._dump((file, phase))
        assert self.file is not None
        for offset in self.chunks.pop((file, phase), []):
            self.file.seek(offset)
            yield pickle.load(self.file)  # noqa: S301 (our own file, written above)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


@dataclass(frozen=True)
class Layout:
    """How a model's records are written: the values kept per new record (every
    concrete field but the primary key and the time stamps) and where the
    references among them are."""

    attnames: tuple[str, ...]
    references: tuple[int, ...]  # positions in attnames
    stamps: tuple[str, ...]  # set to the time of writing
    versioned: bool

    @property
    def insert_attnames(self) -> tuple[str, ...]:
        return ("id", *self.attnames, *self.stamps)

    @functools.cached_property
    def values(self) -> Callable[[models.Model], tuple[Any, ...]]:
        """The kept values of an instance, as a tuple."""
        getter = operator.attrgetter(*self.attnames)
        if len(self.attnames) == 1:
            return lambda instance: (getter(instance),)
        return getter


@functools.cache
def layout(model: type[models.Model]) -> Layout:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamps = tuple(
        f.attname
        for f in fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    )
    kept = [f for f in fields if f.attname not in stamps]
    return Layout(
        attnames=tuple(f.attname for f in kept),
        references=tuple(i for i, f in enumerate(kept) if f.is_relation),
        stamps=stamps,
        versioned=any(f.attname == "version" for f in fields),
    )


# What observers of an update learn of the record besides its id: its key, and the
# attributes the audit trail reads to find the client the record belongs to.
IDENTITY_ATTNAMES = ("external_id", "client_id", "trajectory_id")
