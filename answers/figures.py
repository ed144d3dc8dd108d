"""Figures quoted in an answer's text by key path, written the Dutch way.

`{{ income_support.leefloon }}` in the text is the figure at that key path of
the report's statistics; `fill(text, report)` puts the figures in. A key path
that names no figure (unknown, or a whole table) is an error, never an empty
figure. Numbers are written as in a Dutch text, whatever the page's language:
1.494 (thousands), 16,73 (decimals), 32% (a key named `percent` or ending in
`_percent`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# What a null figure (a percent of nothing, an unknown population) reads as.
NO_FIGURE = "n.b."


@dataclass(frozen=True)
class Quote:
    """One quoted figure: its key path, its value and how it is written."""

    path: str
    value: Any
    text: str


def dutch_number(value: int | float) -> str:
    """1494 -> 1.494; 16.73 -> 16,73; 157.0 -> 157; 72.5 -> 72,5."""
    if isinstance(value, float) and not value.is_integer():
        whole, _dot, decimals = f"{value:.2f}".rstrip("0").partition(".")
    else:
        whole, decimals = str(int(value)), ""
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ".".join(groups) + ("," + decimals if decimals else "")


def is_percent(path: str) -> bool:
    return any(part == "percent" or part.endswith("_percent") for part in path.split("."))


def format_figure(path: str, value: Any) -> str:
    """A figure as it is written in the answer."""
    if value is None:
        return NO_FIGURE
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = dutch_number(value)
    return f"{text}%" if is_percent(path) else text


def resolve(statistics: dict[str, Any], path: str) -> Any:
    """The figure at `path` (keys joined by dots); KeyError when there is none."""
    value: Any = statistics
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(path)
        value = value[part]
    if isinstance(value, dict | list):
        raise KeyError(path)
    return value


def quoted_paths(text: str) -> Iterator[str]:
    for match in PLACEHOLDER.finditer(text or ""):
        yield match.group(1)


def quotes(text: str, report: dict[str, Any]) -> list[Quote]:
    """Every figure `text` quotes, in order; a ValidationError naming every unknown path,
    or for a figure whose braces are not closed (it would be printed as it is written)."""
    if "{{" in PLACEHOLDER.sub("", text or "") or "}}" in PLACEHOLDER.sub("", text or ""):
        raise ValidationError(
            _(
                "Een cijfer in de tekst is niet goed afgesloten: schrijf het als "
                "{{ income_support.leefloon }}, met twee accolades aan elke kant."
            ),
            code="unclosed_figure",
        )
    found, unknown = [], []
    for path in quoted_paths(text):
        try:
            value = resolve(report["statistics"], path)
        except KeyError:
            unknown.append(path)
            continue
        found.append(Quote(path, value, format_figure(path, value)))
    if unknown:
        raise ValidationError(
            _(
                "Onbekend cijfer in de tekst: %(paths)s. Schrijf het pad van een cijfer uit het "
                "rapport, bv. {{ income_support.leefloon }}."
            )
            % {"paths": ", ".join(f"{{{{ {path} }}}}" for path in dict.fromkeys(unknown))},
            code="unknown_figure",
        )
    return found


def fill(text: str, report: dict[str, Any]) -> str:
    """`text` with every quoted figure filled in (ValidationError on an unknown path)."""
    quotes(text, report)  # raises on the first problem, naming all unknown paths
    return PLACEHOLDER.sub(
        lambda m: format_figure(m.group(1), resolve(report["statistics"], m.group(1))), text
    )
