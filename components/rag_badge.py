"""Red / amber / green chips, in the same colours as the exports."""

from __future__ import annotations

import streamlit as st

from metrics.status import RAG_COLORS, RAG_LABELS, Rag


def rag_badge_html(status: Rag) -> str:
    """An inline chip with the status label on its colour (for st.markdown with HTML)."""
    return (f'<span data-testid="rag-badge" style="background:{RAG_COLORS[status]};color:#ffffff;'
            f'border-radius:999px;padding:0.1rem 0.6rem;font-size:0.78rem;font-weight:600;vertical-align:middle;'
            f'white-space:nowrap">{RAG_LABELS[status]}</span>')


def rag_badge(status: Rag) -> None:
    st.markdown(rag_badge_html(status), unsafe_allow_html=True)
