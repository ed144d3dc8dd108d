"""Names compared the way people type them: without accents and case.

"Kénis" finds "Kenis", "Aydin" finds "Aydın", "baeten" finds "Baeten". One mapping,
used in Python (`fold`) and in the database (`Fold`): PostgreSQL's `translate()` and, on
SQLite, the same Python function registered on each connection. Only ASCII is left
for `lower()` to handle, which every database does alike.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func

# Accented and special Latin letters -> their plain letter (one character each, so that
# SQL's translate() can apply the same table).
_FROM = (
    "ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆČĈĊçćčĉċĎĐďđÈÉÊËĒĖĘĚĔèéêëēėęěĕĞĜĠĢğĝġģĤĦĥħ"
    "ÌÍÎÏĪĮİĨĬìíîïīįıĩĭĴĵĶķĹĻĽŁĿĺļľłŀÑŃŅŇñńņňÒÓÔÕÖØŌŐòóôõöøōő"
    "ŔŘŕřŚŞŠŜȘśşšŝșŤŢȚťţțÙÚÛÜŪŮŰŲŨùúûüūůűųũÝŸýÿŹŻŽźżž"
)
_TO = (
    "AAAAAAAAAaaaaaaaaaCCCCCcccccDDddEEEEEEEEEeeeeeeeeeGGGGggggHHhh"
    "IIIIIIIIIiiiiiiiiiJjKkLLLLLlllllNNNNnnnnOOOOOOOOoooooooo"
    "RRrrSSSSSsssssTTTtttUUUUUUUUUuuuuuuuuuYYyyZZZzzz"
)
assert len(_FROM) == len(_TO)
_TABLE = str.maketrans(_FROM, _TO)


def fold(text: str | None) -> str:
    """`text` without accents, in lower case (None stays empty)."""
    return (text or "").translate(_TABLE).lower()


class Fold(Func):
    """`fold` of a text column, in the database."""

    output_field = CharField()

    template = "LOWER(%(expressions)s)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        template = f"LOWER(TRANSLATE(%(expressions)s, '{_FROM}', '{_TO}'))"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        template = "traject_fold(%(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _register_on_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("traject_fold", 1, fold, deterministic=True)


def connect() -> None:
    connection_created.connect(_register_on_sqlite, dispatch_uid="traject_fold_sqlite")
