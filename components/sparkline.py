"""Sparklines: twelve months at a glance, drawn by ``st.metric`` itself (one small Vega chart, no plotly figure).

``metrics.one_view.chart_values`` decides what the line carries (percentages in points, money in whole units,
or in share-safe mode an index), so the hover reads as the tile's scale says; a month without a value is a gap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MIN_POINTS = 2


def metric_chart_data(values: Sequence[float | None]) -> list[float] | None:
    """What ``st.metric(chart_data=…)`` takes: gaps as NaN (the line breaks there), None below two values."""
    if sum(v is not None for v in values) < MIN_POINTS:
        return None
    return [math.nan if v is None else float(v) for v in values]
