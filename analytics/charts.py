"""Server-side SVG charts for pages and PDFs alike (no JavaScript, no library): accessible (role="img",
a title), each beside the table that holds its numbers. Text inside the SVG is escaped; numbers and
dates are drawn left to right in either language. ``bar_chart`` serves CompStat, ``line_chart`` trends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float]
    css: str  # class of the line: chart-observed, chart-expected


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    lines: Sequence[Line],
    marks: Sequence[int] = (),
    width: int = 900,
    height: int = 260,
) -> SafeString:
    """Return an <svg> with the lines over x positions 0..n-1, and circles at the indices in ``marks``.

    ``marks`` are drawn on the first line (the flagged weeks). The chart is an
    image for sighted readers (role="img" with its title); the page puts the
    same numbers in a table for everyone else.
    """
    n = max((len(line.values) for line in lines), default=0)
    left, right, top, bottom = 44, 12, 12, 28
    top_value = max([max(line.values, default=0) for line in lines] + [1])
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> str:
        return f"{left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2):.1f}"

    def y(v: float) -> str:
        return f"{top + plot_h * (1 - max(v, 0) / top_value):.1f}"

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="casp-chart" role="img" '
            'aria-label="{}" direction="ltr" preserveAspectRatio="none"><title>{}</title>',
            width,
            height,
            title,
            title,
        )
    ]
    for k in range(5):  # horizontal guides with their values
        value = top_value * k / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-guide"/>'
                '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
                left,
                width - right,
                y(value),
                y(value),
                left - 4,
                f"{float(y(value)) + 4:.1f}",
                f"{value:.0f}",
            )
        )
    every = max(1, n // 8)
    for i in range(0, n, every):  # a few x labels
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>',
                x(i),
                height - 8,
                x_labels[i],
            )
        )
    for line in lines:
        coords = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(line.values))
        parts.append(
            format_html(
                '<polyline points="{}" class="{}" fill="none"><title>{}</title></polyline>',
                coords,
                line.css,
                line.label,
            )
        )
    if lines:
        first = lines[0].values
        for i in marks:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="5" class="chart-flag"><title>{}: {}</title></circle>',
                    x(i),
                    y(first[i]),
                    x_labels[i],
                    first[i],
                )
            )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parts))  # noqa: S308 - each part went through format_html


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
