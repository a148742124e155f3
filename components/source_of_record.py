"""Sources of record: choose, per metric reported by several sources, the one whose figure counts
(Data page); and the month-by-month reconciliation of the others against it (Scorecard page).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.scorecard_view import figure
from components.text import plain
from db import cached
from db.engine import engine_for, session_scope
from db.sources import SourceOfRecord, SourceOfRecordError, clear_source_of_record, set_source_of_record
from metrics.catalog import Catalog
from metrics.periods import month_label
from metrics.reconciliation import ReconciledMetric
from metrics.scorecard import Reconciliation, format_pct, reconcile

ADD_UP = "Add up every source"
SAVED_KEY = "source_of_record_saved"
EXPLANATION = (
    "When two systems report the same number (marketing's attribution report and finance's books both report "
    "marketing-sourced revenue), adding them up double counts. Choose the source of record: only its figures "
    "count, and the scorecard reconciles the others against it. Without a choice every source is added up, "
    "which is right when sources are parts of a total, such as one file per ad platform."
)


# --- the Data page: choosing -------------------------------------------------------------------


def choices_frame(keys: Sequence[str], sources: dict[str, list[str]], records: dict[str, SourceOfRecord],
                  catalog: Catalog) -> pd.DataFrame:
    """One row per metric with several sources (or a choice made): its sources and which one counts."""
    return pd.DataFrame({
        "Metric": [_label(catalog, k) for k in keys],
        "Sources": [", ".join(sources.get(k, [])) or "none left" for k in keys],
        "What counts": [records[k].source_name if k in records else ADD_UP for k in keys],
        "Chosen by": [_chosen_by(records.get(k)) for k in keys],
    })


def source_of_record_section(workspace_id: int, catalog: Catalog, by: str = "") -> None:
    """The metrics reported by more than one source, and a control to choose what counts for one of them."""
    url = cached.database_url()
    sources, records = cached.metric_sources(url, workspace_id), cached.sources_of_record(url, workspace_id)
    st.caption(EXPLANATION)
    if SAVED_KEY in st.session_state:
        st.success(st.session_state.pop(SAVED_KEY))
    keys = sorted({k for k, names in sources.items() if len(names) > 1} | set(records),
                  key=lambda k: _label(catalog, k))
    if not keys:
        st.caption("Every metric has a single source so far: there is nothing to choose.")
        return
    st.dataframe(choices_frame(keys, sources, records, catalog), hide_index=True, width="stretch")
    metric_cell, source_cell, save_cell = st.columns([2, 2, 1], vertical_alignment="bottom")
    key = metric_cell.selectbox("Metric", keys, format_func=lambda k: _label(catalog, k),
                                key=f"record_metric_{workspace_id}")
    current = records[key].source_name if key in records else None
    options = [None, *sources.get(key, [])] + ([current] if current and current not in sources.get(key, []) else [])
    choice = source_cell.selectbox("Source of record", options, index=options.index(current),
                                   format_func=lambda s: ADD_UP if s is None else s,
                                   key=f"record_source_{workspace_id}_{key}")
    if save_cell.button("Save", key=f"record_save_{workspace_id}", disabled=choice == current):
        _save(workspace_id, key, choice, by, catalog)


def _save(workspace_id: int, key: str, choice: str | None, by: str, catalog: Catalog) -> None:
    label = _label(catalog, key)
    try:
        with session_scope(engine_for(cached.database_url())) as session:
            if choice is None:
                clear_source_of_record(session, workspace_id, key)
            else:
                set_source_of_record(session, workspace_id, key, choice, by=by, catalog=catalog)
    except SourceOfRecordError as error:
        st.error(str(error))
        return
    st.session_state[SAVED_KEY] = (f"{label}: every source is added up again." if choice is None else
                                   f"{label}: only '{choice}' counts now; the other sources are kept for "
                                   "reconciliation on the scorecard.")
    st.rerun()


def _label(catalog: Catalog, key: str) -> str:
    metric = catalog.get(key)
    return metric.label if metric else key


def _chosen_by(record: SourceOfRecord | None) -> str:
    if record is None:
        return ""
    return f"{record.set_by}, {record.set_at:%d %b %Y}" if record.set_by else f"{record.set_at:%d %b %Y}"


# --- the Scorecard page: reconciling against the record -----------------------------------------


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
