"""Sources of record: choose, per metric reported by several sources, the one whose figure counts (Data page)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.text import plain
from db import service
from db.access import Permission, Scope
from db.sources import SourceOfRecord, clear_source_of_record, set_source_of_record
from flows.saving import save
from metrics.catalog import Catalog

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


def source_of_record_section(scope: Scope, catalog: Catalog, by: str = "") -> None:
    """The metrics reported by more than one source, and a control to choose what counts for one of them."""
    workspace_id = scope.workspace_id
    sources, records = service.metric_sources(scope), service.sources_of_record(scope)
    st.caption(EXPLANATION)
    if SAVED_KEY in st.session_state:
        st.success(plain(st.session_state.pop(SAVED_KEY)))
    keys = sorted({k for k, names in sources.items() if len(names) > 1} | set(records),
                  key=lambda k: _label(catalog, k))
    if not keys:
        st.caption("Every metric has a single source so far: there is nothing to choose.")
        return
    st.dataframe(choices_frame(keys, sources, records, catalog), hide_index=True, width="stretch")
    if not scope.can(Permission.PLAN):
        return
    metric_cell, source_cell, save_cell = st.columns([2, 2, 1], vertical_alignment="bottom")
    key = metric_cell.selectbox("Metric", keys, format_func=lambda k: _label(catalog, k),
                                key=f"record_metric_{workspace_id}")
    current = records[key].source_name if key in records else None
    options = [None, *sources.get(key, [])] + ([current] if current and current not in sources.get(key, []) else [])
    choice = source_cell.selectbox("Source of record", options, index=options.index(current),
                                   format_func=lambda s: ADD_UP if s is None else s,
                                   key=f"record_source_{workspace_id}_{key}")
    if save_cell.button("Save", key=f"record_save_{workspace_id}", disabled=choice == current):
        _save(scope, key, choice, by, catalog)


def _save(scope: Scope, key: str, choice: str | None, by: str, catalog: Catalog) -> None:
    label = _label(catalog, key)

    def work(session) -> None:  # noqa: ANN001 - a Session
        if choice is None:
            clear_source_of_record(session, scope.workspace_id, key)
        else:
            set_source_of_record(session, scope.workspace_id, key, choice, by=scope.named(by), catalog=catalog)

    if not save(scope, Permission.PLAN, "source_of_record.set", work, typed_name=by,
                detail={"metric": key, "source": choice}):
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
