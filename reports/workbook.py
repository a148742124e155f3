"""The review's figures as an Excel workbook: scorecard, One View, vanity traps, actions, notes."""

from __future__ import annotations

import pandas as pd

from metrics.catalog import MANDATE_TITLES
from metrics.review import ReviewSnapshot
from metrics.status import RAG_LABELS
from reports.safe_text import xlsx_bytes


def _scorecard(snapshot: ReviewSnapshot) -> pd.DataFrame:
    return pd.DataFrame([{
        "Mandate": MANDATE_TITLES[k.mandate], "KPI": k.label, "Owner": k.owner, "Unit": k.unit.value,
        "Actual": k.actual, "Target": k.target, "Variance": k.variance, "Variance %": k.variance_pct,
        "% of target": k.pct_of_target, "Status": RAG_LABELS[k.rag], "Streak (months)": k.streak,
        "CEO confidence": k.ceo_confidence, "CMO confidence": k.cmo_confidence, "Disagree": k.disagree,
        "What we are doing": k.commentary} for k in snapshot.kpis])


def _cards(snapshot: ReviewSnapshot) -> pd.DataFrame:
    return pd.DataFrame([{"Metric": c.label, "Unit": c.unit.value, "Value": c.value,
                          "vs last month": c.change_month, "vs last year": c.change_year} for c in snapshot.cards])


def _actions(snapshot: ReviewSnapshot) -> pd.DataFrame:
    return pd.DataFrame([{"Action": v.action.title, "Owner": v.action.owner, "Due": v.action.due,
                          "Status": v.action.status.value, "Linked KPI": v.action.kpi_key or "",
                          "Agreed in": v.action.created_month, "Carried over": v.carried_over,
                          "Overdue": v.overdue} for v in snapshot.actions])


def _notes(snapshot: ReviewSnapshot) -> pd.DataFrame:
    """Times as text: Excel has no time zones."""
    return pd.DataFrame([{"Agenda item": n.item_key, "Kind": n.kind, "Text": n.text, "By": n.author,
                          "At": f"{n.created_at:%Y-%m-%d %H:%M}" if n.created_at else ""} for n in snapshot.notes])


def review_workbook(snapshot: ReviewSnapshot) -> bytes:
    """One sheet per part of the review; currency amounts are empty when the snapshot is share-safe."""
    return xlsx_bytes({
        "Scorecard": _scorecard(snapshot),
        "One View": _cards(snapshot),
        "Vanity traps": pd.DataFrame([t.model_dump() for t in snapshot.vanity_traps]),
        "Actions": _actions(snapshot),
        "Notes and decisions": _notes(snapshot),
    })
