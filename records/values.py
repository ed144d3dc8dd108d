"""Cells of a bundle: read from text and written back, in the form of the spec.

Reading only turns text into Python values (an ISO date into a date, `true`
into True); whether the value is allowed (a listed code, a number in range)
is the model's to decide.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from records.spec import BOOL, DATE, DECIMAL, INT

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class CellError(ValueError):
    """A cell whose text is not a value of its column's kind."""


def parse_cell(kind: str, text: str) -> Any:
    """The value of a non-empty cell of a column of `kind`; raise CellError if unreadable."""
    if kind == DATE:
        if not _DATE.fullmatch(text):
            raise CellError(
                _("'%(value)s' is geen datum van de vorm JJJJ-MM-DD.") % {"value": text}
            )
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CellError(_("'%(value)s' is geen bestaande datum.") % {"value": text}) from None
    if kind == INT:
        if not _INT.fullmatch(text):
            raise CellError(_("'%(value)s' is geen geheel getal.") % {"value": text})
        return int(text)
    if kind == DECIMAL:
        if not _DECIMAL.fullmatch(text):
            raise CellError(
                _("'%(value)s' is geen getal (gebruik een punt als decimaalteken).")
                % {"value": text}
            )
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover (the pattern admits only numbers)
            raise CellError(_("'%(value)s' is geen getal.") % {"value": text}) from None
    if kind == BOOL:
        lowered = text.lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        raise CellError(_("'%(value)s' is geen true of false.") % {"value": text})
    return text


def format_cell(value: Any) -> str:
    """A value as the export writes it: ISO dates, true/false, empty for none."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Without trailing zeros and never in exponent form: 0.800 -> 0.8, 1E+1 -> 10.
        return format(value.normalize(), "f")
    return str(value)
