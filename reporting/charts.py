"""Bar charts as inline SVG, drawn on the server.

No JavaScript, no CDN, no inline `style` attribute: colours and fonts come from
CSS classes (static/reporting/report.css), so the charts work under a strict
Content Security Policy. Every bar has a <title> (its exact value) and the
same figures are in the table beside the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 40


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar: its legend label and CSS class."""

    label: str
    css_class: str


def axis_step(maximum: float) -> int:
    """A round step (1, 2 or 5 x 10^n, at least 1: the figures are counts) giving at most
    five steps up to `maximum`."""
    raw = max(maximum / 4, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(int(factor * magnitude), 1)
    return 10 * magnitude  # pragma: no cover (the loop always returns)


def _fmt(number: float) -> str:
    return f"{number:.2f}".rstrip("0").rstrip(".")


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Sequence[int | float | None]],
    series: Sequence[Series],
    chart_id: str,
) -> SafeString:
    """A (stacked) bar chart: `values[i][s]` is the part of series `s` in bar `i`."""
    count = len(labels)
    totals = [sum(v or 0 for v in bar) for bar in values]
    step = axis_step(max(totals, default=0))
    steps = max(math.ceil(max(totals, default=0) / step), 1)
    top = step * steps
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(count, 1)
    bar_width = min(max(slot * 0.7, 1), 40)
    label_every = max(1, math.ceil(count / 12))

    parts: list[str] = []
    for tick in range(steps + 1):
        value = step * tick
        y = TOP + plot_height - plot_height * tick / steps
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _fmt(y),
                _fmt(y),
                LEFT - 6,
                _fmt(y + 4),
                _fmt(value),
            )
        )
    for index, (label, bar) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + slot * index + (slot - bar_width) / 2
        base: float = TOP + plot_height
        for part, kind in zip(bar, series, strict=True):
            if not part:
                continue
            height = plot_height * part / top
            base -= height
            parts.append(
                format_html(
                    '<rect class="chart-bar {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{} {}: {}</title></rect>",
                    kind.css_class,
                    _fmt(x),
                    _fmt(base),
                    _fmt(bar_width),
                    _fmt(height),
                    label,
                    kind.label,
                    _fmt(part),
                )
            )
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _fmt(x + bar_width / 2),
                    HEIGHT - BOTTOM + 16,
                    label,
                )
            )
    parts.append(
        format_html(
            '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            LEFT,
            WIDTH - RIGHT,
            TOP + plot_height,
            TOP + plot_height,
        )
    )
    legend = ""
    if len(series) > 1:
        legend = format_html(
            '<ul class="chart-legend">{}</ul>',
            format_html_join(
                "",
                '<li><svg class="chart-swatch" viewBox="0 0 10 10" aria-hidden="true">'
                '<rect class="chart-bar {}" width="10" height="10"/></svg>{}</li>',
                ((kind.css_class, kind.label) for kind in series),
            ),
        )
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title">'
        '<title id="{}-title">{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        title,
        mark_safe("".join(parts)),  # noqa: S308 (every part was built with format_html)
    )
    return format_html('<figure class="chart-figure">{}{}</figure>', svg, legend)
