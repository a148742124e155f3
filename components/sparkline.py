"""Sparklines: twelve months at a glance, as a small inline SVG under the tile's figure.

An SVG is part of the page itself: the browser draws 26 of them in a few milliseconds, where 26 chart widgets
each start a chart library's view (about a second on a One View). Hovering a month shows its value, as the tile
writes it. ``metrics.one_view.chart_values`` decides what the line carries (percentages in points, money in
whole units, or in share-safe mode an index or % of target), so no amount reaches the page in share-safe mode;
a month without a value is a gap in the line.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence

import streamlit as st

MIN_POINTS = 2
HEIGHT_PX = 34
# The line in the colour of the tile's change, as st.metric colours its delta.
LINE_COLORS = {"green": "#09ab3b", "red": "#ff2b2b", "orange": "#e07b00", "gray": "#808495"}
TOP, BOTTOM = 8.0, 92.0  # the line's band inside the 0–100 box, so a stroke at the extremes is not cut


def value_runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive months with a value, as (position, value): each is drawn as one piece of
    line, so a month without a value breaks the line and never joins across."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def _scaled(values: Sequence[float | None]) -> tuple[Callable[[int], float], Callable[[float], float]]:
    known = [v for v in values if v is not None]
    low, high = min(known), max(known)
    step = 100 / (len(values) - 1)

    def x(index: int) -> float:
        return round(index * step, 2)

    def y(value: float) -> float:
        if high == low:
            return 50.0
        return round(BOTTOM - (value - low) / (high - low) * (BOTTOM - TOP), 2)

    return x, y


def sparkline_svg(values: Sequence[float | None], hovers: Sequence[str], color: str = "gray", *,
                  area: bool = False, label: str = "") -> str | None:
    """The SVG of a sparkline (None below two values): ``hovers`` gives each month's tooltip, ``color`` a key of
    ``LINE_COLORS``; ``area`` fills under the line. ``data-values`` keeps what the line plots, as sent."""
    if sum(v is not None for v in values) < MIN_POINTS or len(values) < MIN_POINTS:
        return None
    stroke = LINE_COLORS.get(color, LINE_COLORS["gray"])
    x, y = _scaled(values)
    parts = []
    for run in value_runs(values):
        line = " L".join(f"{x(i)},{y(v)}" for i, v in run)
        if area and len(run) > 1:
            parts.append(f'<path d="M{x(run[0][0])},100 L{line} L{x(run[-1][0])},100 Z" fill="{stroke}" '
                         'fill-opacity="0.1" stroke="none"/>')
        parts.append(f'<path d="M{line}" fill="none" stroke="{stroke}" stroke-width="2" '
                     'stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke"/>')
    width = 100 / (len(values) - 1)
    for index, hover in enumerate(hovers[:len(values)]):
        parts.append(f'<rect x="{round(x(index) - width / 2, 2)}" y="0" width="{round(width, 2)}" height="100" '
                     f'fill="transparent"><title>{html.escape(hover)}</title></rect>')
    plotted = html.escape(json.dumps(list(values)), quote=True)
    return (f'<svg data-testid="sparkline" viewBox="0 0 100 100" preserveAspectRatio="none" width="100%" '
            f'height="{HEIGHT_PX}" role="img" aria-label="{html.escape(label, quote=True)}" '
            f'data-values="{plotted}" style="display:block;overflow:visible">{"".join(parts)}</svg>')


def sparkline(values: Sequence[float | None], hovers: Sequence[str], color: str = "gray", *,
              area: bool = False, label: str = "") -> None:
    """Draw the sparkline, or nothing when there are fewer than two values."""
    svg = sparkline_svg(values, hovers, color, area=area, label=label)
    if svg is not None:
        st.markdown(svg, unsafe_allow_html=True)
