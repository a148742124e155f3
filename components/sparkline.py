"""Sparklines: twelve months at a glance, in one calm colour, gaps left where a month has no data."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from metrics.catalog import Unit
from metrics.formatting import format_value, masked
from metrics.periods import Month, month_label

LINE_COLOR = "#5b7fa6"


def rescaled(values: Sequence[float | None]) -> list[float | None]:
    """The values as a share of the largest in size (= 100): share-safe sends no amount, and as the sparkline has
    no axes the line looks the same (a first month as the base would flip a line that starts below zero)."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    return [None if v is None or not largest else v / largest * 100 for v in values]


def sparkline_figure(months: Sequence[Month], values: Sequence[float | None], unit: Unit,
                     currency: str = "USD", color: str = LINE_COLOR, mask_currency: bool = False) -> go.Figure:
    """A tiny line without axes; hovering a point shows its month and formatted value (masked money in
    share-safe mode: the line keeps its shape, the amounts go)."""
    labels = [month_label(m) for m in months]
    texts = [format_value(v, unit, currency, mask_currency) for v in values]
    drawn = rescaled(values) if masked(unit, mask_currency) else list(values)
    last = max((i for i, v in enumerate(drawn) if v is not None), default=None)
    figure = go.Figure(go.Scatter(x=labels, y=drawn, mode="lines", line={"color": color, "width": 2},
                                  connectgaps=False, customdata=texts,
                                  hovertemplate="%{x}: %{customdata}<extra></extra>"))
    if last is not None:
        figure.add_trace(go.Scatter(x=[labels[last]], y=[drawn[last]], mode="markers", hoverinfo="skip",
                                    marker={"color": color, "size": 6}))
    figure.update_layout(height=56, margin={"l": 2, "r": 6, "t": 4, "b": 4}, showlegend=False,
                         xaxis={"visible": False, "type": "category", "fixedrange": True},
                         yaxis={"visible": False, "fixedrange": True},
                         paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    return figure


def sparkline(months: Sequence[Month], values: Sequence[float | None], unit: Unit, currency: str = "USD",
              color: str = LINE_COLOR, key: str | None = None, mask_currency: bool = False) -> None:
    """Render a sparkline; nothing when fewer than two months have a value."""
    if sum(v is not None for v in values) < 2:
        return
    st.plotly_chart(sparkline_figure(months, values, unit, currency, color, mask_currency), theme=None,
                    config={"displayModeBar": False}, key=key)
