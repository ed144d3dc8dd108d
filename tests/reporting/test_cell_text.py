"""One way to write a figure in a report table (reporting.tables.cell_text): the page and
the answer's document agree, in the active language."""

import pytest
from django.utils import translation

from reporting.tables import EMPTY, cell_text


@pytest.mark.parametrize(
    ("value", "dutch", "english"),
    [
        (89640, "89.640", "89,640"),
        (1234567, "1.234.567", "1,234,567"),
        (16.73, "16,73", "16.73"),
        (6.4, "6,4", "6.4"),
        (157.0, "157", "157"),
        (0, "0", "0"),
        (None, EMPTY, EMPTY),
        ("", EMPTY, EMPTY),
        ("Totaal", "Totaal", "Totaal"),
    ],
)
def test_a_figure_is_written_as_the_language_writes_numbers(value, dutch, english):
    with translation.override("nl"):
        assert cell_text(value) == dutch
    with translation.override("en"):
        assert cell_text(value) == english
