"""Outputs against outcomes on one index scale, drawn as inline SVG and HTML: part of the page itself.

A chart widget makes the browser fetch and start a charting library before the first screen is complete (on a
freshly opened One View that was about 0.4 s); this chart is a few kilobytes of markup, drawn with the
page. Lines stretch with the column while the text (scale, months, legend) stays HTML at its own size; outputs
are dashed, outcomes solid, a dotted rule marks 100. Hovering a month lists every line's index that month.
The chart carries indices only, never an amount, so it is the same in share-safe mode. ``data-lines`` keeps
what each line plots, as sent.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence

import streamlit as st

from components.charts import BASELINE_COLOR, DASHES, FONT, GRID_COLOR, GROUP_TITLES, line_colors, series_names
from components.sparkline import value_runs
from metrics.catalog import MetricClass
from metrics.one_view import IndexLine
from metrics.periods import month_label

PLOT_HEIGHT_PX = 150
AXIS_WIDTH_PX = 38
LEGEND_WIDTH_PX = 230
INSET = 2.0  # the first and last month sit this far (in % of the width) inside the plot, so their dots show
TEXT_GREY = "#5a6470"
NICE_STEPS = (1, 2, 2.5, 5, 10)


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About ``count`` round values (steps of 1, 2, 2.5 or 5 × 10ⁿ) from at or below ``low`` to at or above
    ``high``: the chart's scale."""
    if high <= low:
        low, high = low - 1, high + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in NICE_STEPS if s * power >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _x(index: int, months: int) -> float:
    return 50.0 if months == 1 else round(INSET + index * (100 - 2 * INSET) / (months - 1), 2)


def _y(value: float, low: float, high: float) -> float:
    return round(100 - (value - low) / (high - low) * 100, 2)


def _dash(metric_class: MetricClass) -> str:
    return " ".join(str(d) for d in DASHES[metric_class])


def _line_svg(line: IndexLine, color: str, months: list, scale: tuple[float, float]) -> str:
    """One metric's line (dashed for an output) and a dot on each month with a value."""
    low, high = scale
    at = {m: i for i, m in enumerate(months)}
    parts = []
    for run in value_runs(line.index):
        points = [(_x(at[line.months[i]], len(months)), _y(v, low, high)) for i, v in run]
        path = " L".join(f"{x},{y}" for x, y in points)
        parts.append(f'<path d="M{path}" fill="none" stroke="{color}" stroke-width="2.5" stroke-dasharray='
                     f'"{_dash(line.metric_class)}" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>')
        dots = " ".join(f"M{x},{y} h0" for x, y in points)  # a zero-length stroke with round caps is a dot
        parts.append(f'<path d="{dots}" stroke="{color}" stroke-width="5" stroke-linecap="round" '
                     'vector-effect="non-scaling-stroke"/>')
    return "".join(parts)


def _hover_columns(lines: Sequence[IndexLine], names: list[str], months: list) -> str:
    """An invisible column per month whose tooltip reads every line's index that month."""
    width = 100 / max(len(months), 1)
    columns = []
    for index, month in enumerate(months):
        readings = [f"{name} {value:.0f}" for line, name in zip(lines, names, strict=True)
                    for m, value in zip(line.months, line.index, strict=True) if m == month and value is not None]
        text = f"{month_label(month)} — index (first month = 100): " + ("; ".join(readings) or "no values")
        left = max(0.0, _x(index, len(months)) - width / 2)
        columns.append(f'<rect x="{round(left, 2)}" y="0" width="{round(width, 2)}" height="100" '
                       f'fill="transparent"><title>{html.escape(text)}</title></rect>')
    return "".join(columns)


def _scale_labels(ticks: list[float], scale: tuple[float, float]) -> str:
    labels = [f'<span style="position:absolute;right:6px;top:{_y(t, *scale)}%;transform:translateY(-50%)">'
              f"{t:.0f}</span>" for t in ticks]
    return (f'<div style="position:relative;width:{AXIS_WIDTH_PX}px;flex:none" title="Index (first month = 100)">'
            f'{"".join(labels)}</div>')


def _month_labels(months: list) -> str:
    step = 1 if len(months) <= 12 else 2
    labels = [f'<span style="position:absolute;left:{_x(i, len(months))}%;transform:translateX(-50%);'
              f'white-space:nowrap">{month_label(m)}</span>' for i, m in enumerate(months) if i % step == 0]
    return (f'<div style="position:relative;height:1.4em;margin:4px {LEGEND_WIDTH_PX}px 0 {AXIS_WIDTH_PX}px">'
            f'{"".join(labels)}</div>')


def _legend(lines: Sequence[IndexLine], names: list[str], colors: list[str]) -> str:
    """The two groups, each with its metrics: a stroke sample in the line's colour and dash, and the name."""
    rows = []
    for group in MetricClass:
        members = [(n, c) for line, n, c in zip(lines, names, colors, strict=True) if line.metric_class == group]
        if not members:
            continue
        rows.append(f'<div style="color:{TEXT_GREY};margin-top:2px">{GROUP_TITLES[group]}</div>')
        for name, color in members:
            sample = (f'<svg width="26" height="8" style="flex:none"><line x1="1" y1="4" x2="25" y2="4" '
                      f'stroke="{color}" stroke-width="2.5" stroke-dasharray="{_dash(group)}"/></svg>')
            rows.append(f'<div style="display:flex;align-items:center;gap:6px">{sample}'
                        f'<span style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap">'
                        f"{html.escape(name)}</span></div>")
    return (f'<div data-testid="index-chart-legend" style="width:{LEGEND_WIDTH_PX - 12}px;margin-left:12px;'
            f'flex:none;line-height:1.45">{"".join(rows)}</div>')


def chart_months(lines: Sequence[IndexLine]) -> list:
    """Every month any line covers, in calendar order."""
    return sorted({m for line in lines for m in line.months})


def index_chart_html(lines: Sequence[IndexLine], height: int = PLOT_HEIGHT_PX) -> str:
    """The chart as one line of HTML (a blank line would end Markdown's HTML block). The plot is at least
    ``height`` pixels tall, taller when the legend needs it (presentation mode's larger type)."""
    names, colors, months = series_names(lines), line_colors(lines), chart_months(lines)
    values = [v for line in lines for v in line.index if v is not None] + [100.0]
    ticks = nice_ticks(min(values), max(values))
    scale = (ticks[0], ticks[-1])
    grid = "".join(f'<path d="M0,{_y(t, *scale)} H100" stroke="{GRID_COLOR}" stroke-width="1" '
                   'vector-effect="non-scaling-stroke"/>' for t in ticks)
    baseline = (f'<path d="M0,{_y(100, *scale)} H100" stroke="{BASELINE_COLOR}" stroke-width="1" '
                'stroke-dasharray="2 3" vector-effect="non-scaling-stroke"/>')
    plotted = "".join(_line_svg(line, color, months, scale) for line, color in zip(lines, colors, strict=True))
    svg = ('<svg viewBox="0 0 100 100" preserveAspectRatio="none" width="100%" height="100%" '
           f'style="position:absolute;inset:0;overflow:visible">{grid}{baseline}{plotted}'
           f"{_hover_columns(lines, names, months)}</svg>")
    data = [{"metric": name, "group": GROUP_TITLES[line.metric_class],
             "index": [None if v is None else round(v, 1) for v in line.index]}
            for line, name in zip(lines, names, strict=True)]
    described = html.escape(json.dumps(data), quote=True)
    return (f'<div data-testid="index-chart" role="img" aria-label="Outputs and outcomes, each indexed to 100 at '
            f'its first month with data" data-lines="{described}" style="font-family:{FONT};font-size:0.72rem;'
            f'color:{TEXT_GREY};padding:8px 0 6px"><div style="display:flex;min-height:{height}px">'
            f"{_scale_labels(ticks, scale)}"
            f'<div style="flex:1;min-width:0;position:relative">{svg}</div>{_legend(lines, names, colors)}</div>'
            f"{_month_labels(months)}</div>")


def index_chart(lines: Sequence[IndexLine], height: int = PLOT_HEIGHT_PX) -> None:
    st.markdown(index_chart_html(lines, height), unsafe_allow_html=True)
