"""Shared charts as Vega-Lite specs: outputs (activity) against outcomes (business results) on one index scale.

Streamlit draws Vega-Lite with the same library as ``st.metric``'s sparklines, so a page with charts loads no
second charting bundle (plotly's alone takes over a second to load in the browser). Vega draws text as text:
names typed by people need no escaping here, and its tooltips escape HTML themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from metrics.catalog import MetricClass
from metrics.one_view import IndexLine
from metrics.periods import month_label

# Calm, distinguishable tones: outputs in muted warm colours, outcomes in deeper cool ones.
OUTPUT_COLORS = ("#c08a3e", "#a3a3a3", "#b5838d")
OUTCOME_COLORS = ("#1f4e79", "#2a7f62", "#5b5f97")
GROUP_TITLES = {MetricClass.OUTPUT: "Outputs (activity)", MetricClass.OUTCOME: "Outcomes (results)"}
DASHES = {MetricClass.OUTPUT: [6, 4], MetricClass.OUTCOME: [1, 0]}
FONT = "Source Sans Pro, sans-serif"
BASELINE_COLOR = "#9aa5b1"
LEGEND_GREY = "#5a6470"
GRID_COLOR = "#e3e7ec"
INDEX_TITLE = "Index (first month = 100)"
COMPACT_HEIGHT = 230
LINE_LEGEND = {"symbolType": "stroke", "symbolStrokeWidth": 2.5, "symbolSize": 260}
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


def index_rows(lines: Sequence[IndexLine]) -> list[dict]:
    """The chart's data: one row per line and month, indices to one decimal (the chart carries no amount)."""
    return [{"metric": name, "group": GROUP_TITLES[line.metric_class], "month": month_label(month),
             "index": None if value is None else round(value, 1)}
            for line, name in zip(lines, series_names(lines), strict=True)
            for month, value in zip(line.months, line.index, strict=True)]


def month_axis(lines: Sequence[IndexLine]) -> list[str]:
    """Every month any line covers, in calendar order."""
    return [month_label(m) for m in sorted({m for line in lines for m in line.months})]


def index_chart_spec(lines: Sequence[IndexLine], height: int = COMPACT_HEIGHT) -> dict:
    """Outputs dashed, outcomes solid, each indexed to 100 at its first month with data, against a dotted 100."""
    groups = [GROUP_TITLES[c] for c in MetricClass if any(line.metric_class == c for line in lines)]
    lines_layer = {
        "mark": {"type": "line", "point": {"size": 18}, "strokeWidth": 2.5, "invalid": BREAK_AT_GAPS},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "sort": month_axis(lines), "title": None,
                  "axis": {"labelAngle": 0, "grid": False, "labelOverlap": True}},
            "y": {"field": "index", "type": "quantitative", "title": INDEX_TITLE, "scale": {"zero": False},
                  "axis": {"format": ".0f", "tickCount": 5}},
            "color": {"field": "metric", "type": "nominal", "title": None, "legend": LINE_LEGEND,
                      "scale": {"domain": series_names(lines), "range": line_colors(lines)}},
            "strokeDash": {"field": "group", "type": "nominal", "title": None,
                           "legend": {**LINE_LEGEND,  # grey strokes: the line colours belong to the metrics
                                      "encode": {"symbols": {"update": {"stroke": {"value": LEGEND_GREY}}}}},
                           "scale": {"domain": groups, "range": [DASHES[c] for c in MetricClass
                                                                 if GROUP_TITLES[c] in groups]}},
            "detail": {"field": "metric"},
            "tooltip": [{"field": "metric", "title": "Metric"}, {"field": "month", "title": "Month"},
                        {"field": "index", "title": "Index", "format": ".0f"}],
        },
    }
    baseline = {"mark": {"type": "rule", "color": BASELINE_COLOR, "strokeDash": [2, 3], "strokeWidth": 1},
                "encoding": {"y": {"datum": 100}}}
    return {"height": height, "data": {"values": index_rows(lines)}, "layer": [baseline, lines_layer],
            "config": chart_config()}


def vega_chart(spec: dict, key: str) -> None:
    """One Vega-Lite chart across its column, with the app's own look (the spec's config, not a theme)."""
    st.vega_lite_chart(spec=spec, theme=None, width="stretch", key=key)


def index_chart(lines: Sequence[IndexLine], height: int = COMPACT_HEIGHT) -> None:
    vega_chart(index_chart_spec(lines, height), key="index_chart")
