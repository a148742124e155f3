"""Shared charts: outputs (activity) against outcomes (business results) on one index scale."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from components.text import chart_text
from metrics.catalog import MetricClass
from metrics.one_view import IndexLine
from metrics.periods import month_label

# Calm, distinguishable tones: outputs in muted warm colours, outcomes in deeper cool ones.
OUTPUT_COLORS = ("#c08a3e", "#a3a3a3", "#b5838d")
OUTCOME_COLORS = ("#1f4e79", "#2a7f62", "#5b5f97")
GROUP_TITLES = {MetricClass.OUTPUT: "Outputs (activity)", MetricClass.OUTCOME: "Outcomes (results)"}
FONT = "Source Sans Pro, sans-serif"


def _trace(line: IndexLine, color: str) -> go.Scatter:
    output = line.metric_class == MetricClass.OUTPUT
    return go.Scatter(
        x=[month_label(m) for m in line.months], y=line.index, name=chart_text(line.label), mode="lines+markers",
        line={"color": color, "width": 2 if output else 3, "dash": "dash" if output else "solid"},
        marker={"size": 5}, connectgaps=False, legendgroup=line.metric_class.value,
        legendgrouptitle_text=GROUP_TITLES[line.metric_class],
        hovertemplate="%{fullData.name}<br>%{x}: %{y:.0f}<extra></extra>",  # the name as drawn, never a template
    )


def index_chart_figure(lines: Sequence[IndexLine]) -> go.Figure:
    """Outputs dashed, outcomes solid, each indexed to 100 at its first month with data."""
    figure = go.Figure()
    palettes = {MetricClass.OUTPUT: OUTPUT_COLORS, MetricClass.OUTCOME: OUTCOME_COLORS}
    used = {MetricClass.OUTPUT: 0, MetricClass.OUTCOME: 0}
    for line in lines:
        colors = palettes[line.metric_class]
        figure.add_trace(_trace(line, colors[used[line.metric_class] % len(colors)]))
        used[line.metric_class] += 1
    figure.add_hline(y=100, line={"color": "#9aa5b1", "width": 1, "dash": "dot"})
    figure.update_layout(
        height=400, margin={"l": 70, "r": 10, "t": 10, "b": 40}, font={"family": FONT, "color": "#1c2430"},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", hovermode="x unified",
        legend={"orientation": "v", "x": 1.02, "y": 1, "groupclick": "toggleitem"},
        yaxis={"title": {"text": "Index (first month = 100)", "standoff": 12}, "gridcolor": "#e3e7ec",
               "zeroline": False, "automargin": True, "tickformat": ".0f"},
        xaxis={"showgrid": False, "type": "category"},
    )
    return figure


def index_chart(lines: Sequence[IndexLine]) -> None:
    st.plotly_chart(index_chart_figure(lines), theme=None, config={"displayModeBar": False})
