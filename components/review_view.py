"""How the monthly review looks: status line, what changed, the agenda items, actions and notes.

Receives a snapshot (already share-safe when the switch is on) and renders it; never queries.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.rag_badge import rag_badge_html
from components.table_fit import fitted_columns
from components.text import plain
from metrics.catalog import MANDATE_TITLES, STANDARD_CATALOG, Mandate
from metrics.formatting import mask_currency_text
from metrics.periods import month_label
from metrics.review import (
    ActionView,
    AgendaItem,
    AgendaKind,
    Difference,
    KpiSnapshot,
    NoteLine,
    ReviewSnapshot,
    percent,
    shown,
    shown_gap,
)
from metrics.status import RAG_COLORS, RAG_LABELS, Rag


def review_status(closed: bool, closed_by: str, closed_at: object, reopened: int) -> None:
    if closed:
        when = f" on {closed_at:%d %b %Y at %H:%M} UTC" if closed_at else ""
        st.success(f"Closed by {plain(closed_by)}{when}. These are the figures as they were reviewed.",
                   icon=":material/lock:")
    else:
        again = f" It was reopened {reopened} time(s); the history is below." if reopened else ""
        st.info("Open: the figures are live. Closing the month freezes what was reviewed." + again,
                icon=":material/lock_open:")


def changes_since(differences: Sequence[Difference]) -> None:
    """The warning a closed review shows when today's data no longer matches what was reviewed."""
    if not differences:
        return
    st.warning(f"Data has changed since this review: {len(differences)} figure(s) differ from what was reviewed. "
               "The review keeps the frozen figures; reopen and close the month again to review today's.",
               icon=":material/difference:")
    frame = pd.DataFrame([d.model_dump() for d in differences])
    frame.columns = ["What", "Field", "As reviewed", "Today"]
    st.dataframe(frame, hide_index=True, width="stretch", **fitted_columns(frame))


def _status_style(value: str) -> str:
    colors = {RAG_LABELS[r]: RAG_COLORS[r] for r in Rag}
    return f"background-color: {colors[value]}; color: white" if value in colors else ""


def scorecard_frame(snapshot: ReviewSnapshot, kpis: Sequence[KpiSnapshot]) -> pd.DataFrame:
    return pd.DataFrame({
        "KPI": [k.label for k in kpis], "Owner": [k.owner for k in kpis],
        "Actual": [shown(snapshot, k.actual, k.unit) for k in kpis],
        "Target": [shown(snapshot, k.target, k.unit) for k in kpis],
        "Variance": [shown_gap(snapshot, k.variance, k.unit) for k in kpis],
        "Variance %": [percent(k.variance_pct, signed=True) for k in kpis],
        "% of target": [percent(k.pct_of_target) for k in kpis],
        "Status": [RAG_LABELS[k.rag] for k in kpis], "Streak": [k.streak for k in kpis],
        "Confidence CEO / CMO": [f"{k.ceo_confidence or '-'} / {k.cmo_confidence or '-'}"
                                 + (" ⚠ disagree" if k.disagree else "") for k in kpis],
    })


def scorecard_tables(snapshot: ReviewSnapshot) -> None:
    """Brand and growth in separate tables: never one blended score."""
    if not snapshot.kpis:
        st.caption("No signed agreement yet: agree a few KPIs on the scorecard page first.")
        return
    for mandate in Mandate:
        kpis = snapshot.mandate_kpis(mandate)
        st.markdown(f"**{MANDATE_TITLES[mandate]}**")
        if not kpis:
            st.caption("No agreed KPI on this mandate.")
            continue
        styled = scorecard_frame(snapshot, kpis).style.map(_status_style, subset=["Status"])
        st.dataframe(styled, hide_index=True, width="stretch", **fitted_columns(styled))


def kpi_detail(snapshot: ReviewSnapshot, kpi: KpiSnapshot) -> None:
    st.markdown(f"{rag_badge_html(kpi.rag)} &nbsp; actual **{plain(shown(snapshot, kpi.actual, kpi.unit))}** "
                f"against **{plain(shown(snapshot, kpi.target, kpi.unit))}** "
                f"({plain(percent(kpi.pct_of_target))} of target) · owner {plain(kpi.owner or '-')}",
                unsafe_allow_html=True)
    if kpi.commentary:
        st.markdown(f"*What we are doing:* {plain(kpi.commentary)}")


def agenda_item_body(item: AgendaItem, snapshot: ReviewSnapshot) -> None:
    """What the meeting looks at for one agenda item."""
    if item.kind == AgendaKind.SCORECARD:
        scorecard_tables(snapshot)
    elif item.kpi_key and (kpi := snapshot.kpi(item.kpi_key)) is not None:
        kpi_detail(snapshot, kpi)


def action_frame(views: Sequence[ActionView]) -> pd.DataFrame:
    return pd.DataFrame({
        "Action": [v.action.title for v in views], "Owner": [v.action.owner for v in views],
        "Due": [v.action.due for v in views], "KPI": [_kpi_label(v.action.kpi_key) for v in views],
        "Agreed in": [month_label(v.action.created_month) for v in views],
        "Status": [_action_status(v) for v in views],
    })


def _kpi_label(key: str | None) -> str:
    metric = STANDARD_CATALOG.get(key) if key else None
    return metric.label if metric else (key or "")


def _action_status(view: ActionView) -> str:
    if not view.open_in_month:
        return f"{view.action.status.value.capitalize()} this month"
    flags = ["Overdue"] if view.overdue else []
    flags += ["Carried over"] if view.carried_over else []
    return " · ".join(flags) or "Open"


def _action_style(value: str) -> str:
    if value.startswith("Overdue"):
        return f"background-color: {RAG_COLORS[Rag.RED]}; color: white"
    return f"background-color: {RAG_COLORS[Rag.AMBER]}; color: white" if "Carried" in value else ""


def actions_table(views: Sequence[ActionView]) -> None:
    if not views:
        st.caption("No actions yet.")
        return
    styled = action_frame(views).style.map(_action_style, subset=["Status"])
    st.dataframe(styled, hide_index=True, width="stretch",
                 **fitted_columns(styled, {"Due": st.column_config.DateColumn(format="D MMM YYYY")}))


def notes_list(notes: Sequence[NoteLine]) -> None:
    for note in notes:
        label = "Decision" if note.kind == "decision" else "Note"
        author = f" — {note.author}" if note.author else ""
        st.markdown(f"**{label}:** {plain(note.text)}{plain(author)}")


def review_history(events: Sequence, mask_currency: bool = False) -> None:
    """Who closed and reopened the month, when, and why (amounts in a reason masked in share-safe mode)."""
    if not events:
        return
    lines = [f"{e.kind} by {e.by} on {e.at:%d %b %Y}" + (f" ({e.reason})" if e.reason else "") for e in events]
    st.caption("History: " + "; ".join(plain(mask_currency_text(line) if mask_currency else line) for line in lines))
