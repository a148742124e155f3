"""Shared charts: outputs (activity) against outcomes (business results) on one index scale."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import streamlit as st

from components.text import chart_text
from metrics.catalog import MetricClass
from metrics.one_view import IndexLine
from metrics.periods import month_label

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Calm, distinguishable tones: outputs in muted warm colours, outcomes in deeper cool ones.
OUTPUT_COLORS = ("#c08a3e", "#a3a3a3", "#b5838d")
OUTCOME_COLORS = ("#1f4e79", "#2a7f62", "#5b5f97")
GROUP_TITLES = {MetricClass.OUTPUT: "Outputs (activity)", MetricClass.OUTCOME: "Outcomes (results)"}
FONT = "Source Sans Pro, sans-serif"


def _trace(line: IndexLine, color: str) -> go.Scatter:
    import plotly.graph_objects as go

    output = line.metric_class == MetricClass.OUTPUT
    return go.Scatter(
        x=[month_label(m) for m in line.months], y=[None if v is None else round(v, 1) for v in line.index],
        name=chart_text(line.label), mode="lines+markers",
        line={"color": color, "width": 2 if output else 3, "dash": "dash" if output else "solid"},
        marker={"size": 4}, connectgaps=False, legendgroup=line.metric_class.value,
        legendgrouptitle_text=GROUP_TITLES[line.metric_class],
        hovertemplate="%{fullData.name}<br>%{x}: %{y:.0f}<extra></extra>",  # the name as drawn, never a template
    )


COMPACT_HEIGHT = 230


def index_chart_figure(lines: Sequence[IndexLine], height: int = COMPACT_HEIGHT) -> go.Figure:
    """Outputs dashed, outcomes solid, each indexed to 100 at its first month with data (indices to one
    decimal: the chart carries no amount). Plotly is imported on first use, so a page draws what comes before
    its chart while plotly loads."""
    import plotly.graph_objects as go

    figure = go.Figure()
    palettes = {MetricClass.OUTPUT: OUTPUT_COLORS, MetricClass.OUTCOME: OUTCOME_COLORS}
    used = {MetricClass.OUTPUT: 0, MetricClass.OUTCOME: 0}
    for line in lines:
        colors = palettes[line.metric_class]
        figure.add_trace(_trace(line, colors[used[line.metric_class] % len(colors)]))
        used[line.metric_class] += 1
    figure.add_hline(y=100, line={"color": "#9aa5b1", "width": 1, "dash": "dot"})
    figure.update_layout(
        height=height, margin={"l": 56, "r": 8, "t": 6, "b": 28}, font={"family": FONT, "color": "#1c2430", "size": 11},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", hovermode="x unified",
        legend={"orientation": "v", "x": 1.02, "y": 1, "groupclick": "toggleitem"},
        yaxis={"title": {"text": "Index (first month = 100)", "standoff": 6, "font": {"size": 10}},
               "gridcolor": "#e3e7ec",
               "zeroline": False, "automargin": True, "tickformat": ".0f"},
        xaxis={"showgrid": False, "type": "category"},
    )
    return figure


def index_chart(lines: Sequence[IndexLine], height: int = COMPACT_HEIGHT) -> None:
    st.plotly_chart(index_chart_figure(lines, height), theme=None, config={"displayModeBar": False},
                    key="index_chart")
