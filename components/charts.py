"""What the app's charts share: the font, the colours of outputs (activity) and outcomes (business results),
their dashes, and Vega-Lite charts with the app's own look.

Streamlit draws Vega-Lite with the same library as ``st.metric``'s sparklines, so a page with charts loads no
second charting bundle (plotly's alone takes over a second to load in the browser). Vega draws text as text:
names typed by people need no escaping here, and its tooltips escape HTML themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from metrics.catalog import MetricClass
from metrics.one_view import IndexLine

# Calm, distinguishable tones: outputs in muted warm colours, outcomes in deeper cool ones.
OUTPUT_COLORS = ("#c08a3e", "#a3a3a3", "#b5838d")
OUTCOME_COLORS = ("#1f4e79", "#2a7f62", "#5b5f97")
GROUP_TITLES = {MetricClass.OUTPUT: "Outputs (activity)", MetricClass.OUTCOME: "Outcomes (results)"}
DASHES = {MetricClass.OUTPUT: [6, 4], MetricClass.OUTCOME: [1, 0]}
FONT = "Source Sans Pro, sans-serif"
BASELINE_COLOR = "#9aa5b1"
GRID_COLOR = "#e3e7ec"
BREAK_AT_GAPS = "break-paths-show-path-domains"  # a month without a value breaks the line, never joins across


def chart_config() -> dict:
    """The look every chart shares: the app's font, light grid, no frame."""
    return {"font": FONT, "view": {"stroke": None}, "axis": {"gridColor": GRID_COLOR, "labelFontSize": 11,
                                                             "titleFontSize": 10, "titleFontWeight": "normal"},
            "legend": {"labelFontSize": 11, "labelLimit": 220}}


def series_names(lines: Sequence[IndexLine]) -> list[str]:
    """One legend name per line: two metrics with the same label are told apart by their key."""
    labels = [line.label for line in lines]
    return [label if labels.count(label) == 1 else f"{label} ({line.key})" for label, line in zip(labels, lines,
                                                                                                   strict=True)]


def line_colors(lines: Sequence[IndexLine]) -> list[str]:
    """Outputs take the warm tones in turn, outcomes the cool ones."""
    palettes = {MetricClass.OUTPUT: OUTPUT_COLORS, MetricClass.OUTCOME: OUTCOME_COLORS}
    used = {MetricClass.OUTPUT: 0, MetricClass.OUTCOME: 0}
    colors = []
    for line in lines:
        colors.append(palettes[line.metric_class][used[line.metric_class] % len(palettes[line.metric_class])])
        used[line.metric_class] += 1
    return colors


def vega_chart(spec: dict, key: str) -> None:
    """One Vega-Lite chart across its column, with the app's own look (the spec's config, not a theme)."""
    st.vega_lite_chart(spec=spec, theme=None, width="stretch", key=key)
