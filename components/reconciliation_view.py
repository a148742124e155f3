"""The month-by-month reconciliation of other sources against a metric's source of record (Scorecard page)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.scorecard_view import figure
from components.text import plain
from metrics.periods import month_label
from metrics.reconciliation import ReconciledMetric
from metrics.scorecard import Reconciliation, format_pct, reconcile


def reconciliation_months_frame(metric: ReconciledMetric, currency: str, threshold: float,
                                safe: bool = False) -> pd.DataFrame:
    """The metric's months, newest first: the record, the other source, the variance and the check at ``threshold``."""
    rows = []
    for month in reversed(metric.months):
        c = month.check
        c = reconcile(c.source, c.value, c.other_source, c.other_value, threshold)
        rows.append({"Month": month_label(month.month), "Source of record": c.source,
                     "Its value": figure(c.value, metric.unit, currency, safe), "Other source": c.other_source,
                     "Other value": figure(c.other_value, metric.unit, currency, safe),
                     "Variance": format_pct(c.variance_pct), "Check": _check_text(c, threshold)})
    return pd.DataFrame(rows)


def _check_text(check: Reconciliation, threshold: float) -> str:
    if check.value is None or check.other_value is None:
        return "One source only"
    return f"Above {threshold:.0%}: reconcile" if check.flagged else "Within tolerance"


def _flagged_style(value: str) -> str:
    return "background-color: #fdecea; color: #a12622; font-weight: 600" if value.startswith("Above") else ""


def reconciliation_months(metrics: Sequence[ReconciledMetric], currency: str, threshold: float,
                          safe: bool = False) -> None:
    """Each metric with a source of record, month by month, flagged months highlighted."""
    for metric in metrics:
        frame = reconciliation_months_frame(metric, currency, threshold, safe)
        flagged = int(frame["Check"].str.startswith("Above").sum())
        st.markdown(f"**{plain(metric.label)}** · source of record: {plain(metric.source_of_record)} · "
                    f"{flagged} of the last {len(frame)} month{'s' if len(frame) != 1 else ''} above {threshold:.0%}")
        st.dataframe(frame.style.map(_flagged_style, subset=["Check"]), hide_index=True, width="stretch",
                     key=f"reconciled_{metric.key}")
