"""Server-side SVG charts for the page and the PDF alike: accessible (role="img", a title and a
description), no JavaScript, no library. Each chart sits beside the table that holds its numbers."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1f5fa8", "#9bb7d4")


def bar_chart(*, title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> SafeString:
    """Return a horizontal grouped bar chart: one group per label, one bar per series (at most two)."""
    bar, gap, label_w, width = 12, 8, 190, 560
    group = bar * len(series) + gap
    legend = 26
    height = legend + group * len(labels) + 10
    top = max([1, *(v for _name, values in series for v in values)])
    plot = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" class="chart" direction="ltr" style="direction: ltr; max-width: 720px" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
    ]
    for i, (name, _values) in enumerate(series):
        x = label_w + i * 170
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[i % 2]}"/>')
        parts.append(f'<text x="{x + 16}" y="17" font-size="14">{escape(name)}</text>')
    for row, label in enumerate(labels):
        y = legend + row * group
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar + 4}" font-size="14" text-anchor="end">{escape(label)}</text>'
        )
        for i, (_name, values) in enumerate(series):
            value = values[row]
            w = round(plot * value / top, 1)
            by = y + i * bar
            parts.append(f'<rect x="{label_w}" y="{by}" width="{w}" height="{bar - 1}" fill="{COLOURS[i % 2]}"/>')
            parts.append(f'<text x="{label_w + w + 4}" y="{by + bar - 2}" font-size="11">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
