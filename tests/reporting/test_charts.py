"""The server-side SVG charts: one bar part per non-zero figure, exact values in titles."""

import re

import pytest

from reporting.charts import Series, axis_step, bar_chart


def test_axis_steps_are_round_counts():
    assert [axis_step(m) for m in (0, 1, 4, 5, 157, 641, 10046)] == [1, 1, 1, 2, 50, 200, 5000]


def test_a_stacked_chart_has_a_bar_part_per_non_zero_figure_and_a_legend():
    svg = bar_chart(
        chart_id="c",
        title="Instroom <per> maand",
        labels=["01/2012", "02/2012"],
        values=[[373, 268, 0], [0, 0, 0]],
        series=[
            Series("mannen", "series-0"),
            Series("vrouwen", "series-1"),
            Series("x", "series-2"),
        ],
    )
    assert len(re.findall(r'<rect class="chart-bar [^"]*" x=', svg)) == 2  # + 3 in the legend
    assert "<title>01/2012 mannen: 373</title>" in svg
    assert "<title>01/2012 vrouwen: 268</title>" in svg
    assert "Instroom &lt;per&gt; maand" in svg  # escaped
    assert svg.count("<li>") == 3
    assert " style=" not in svg
    heights = [float(h) for h in re.findall(r'height="([\d.]+)"><title>', svg)]
    assert heights[0] / heights[1] == pytest.approx(373 / 268, rel=1e-3)
