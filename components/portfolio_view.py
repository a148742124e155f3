"""The portfolio's rows: one company a line, its agreed KPIs as status chips, its name a button that opens it."""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st

from components.text import plain
from metrics.periods import Month, month_label, previous_month
from metrics.portfolio import (
    KpiChip,
    PortfolioFilter,
    PortfolioRow,
    PortfolioSort,
    change_text,
    confidence_text,
    freshness_text,
    meeting_text,
    review_text,
)
from metrics.status import Rag

HEADINGS = ("Company", "Agreed KPIs", "Off track", "Review", "Next meeting", "Overdue actions", "Vanity traps",
            "Data", "Confidence")
# The name column is widest after the chips: a truncated name is a row nobody can pick out.
WIDTHS = (2.8, 3.3, 0.9, 1.2, 1.3, 0.9, 0.8, 1.8, 1.3)
SYMBOLS = {Rag.GREEN: "✓", Rag.AMBER: "!", Rag.RED: "✕", Rag.PARTIAL: "◐", Rag.NO_DATA: "·"}


def chip_html(chip: KpiChip) -> str:
    """A KPI as a chip on its status colour; the status is in the symbol, the tooltip and ``data-status``."""
    status = html.escape(chip.status_label)
    return (f'<span data-testid="kpi-chip" data-status="{status}" title="{html.escape(chip.label)}: '
            f'{status.lower()}" style="background:{chip.color};color:#ffffff;border-radius:999px;'
            f'padding:0.1rem 0.55rem;margin:0 0.25rem 0.3rem 0;font-size:0.75rem;font-weight:600;'
            f'display:inline-block;white-space:nowrap">{SYMBOLS[chip.rag]} {plain(html.escape(chip.label))}</span>')


def portfolio_controls() -> tuple[PortfolioFilter, PortfolioSort]:
    """Which companies to show and in which order."""
    with st.container(horizontal=True):
        chosen = st.selectbox("Show", list(PortfolioFilter), format_func=str, key="portfolio_filter", width=240)
        order = st.selectbox("Sort by", list(PortfolioSort), format_func=str, key="portfolio_sort", width=240)
    return chosen, order


def summary_line(rows: Sequence[PortfolioRow], shown: int, month: Month) -> None:
    attention = sum(bool(r.attention) for r in rows)
    off_track = sum(r.off_track for r in rows)
    st.markdown(f"**{month_label(month)}** · {len(rows)} companies, {shown} shown · {attention} need attention · "
                f"{off_track} agreed KPIs off track in all")


def _headings() -> None:
    for column, heading in zip(st.columns(WIDTHS), HEADINGS, strict=True):
        column.caption(f"**{heading}**")


def _name_cell(row: PortfolioRow) -> bool:
    label = row.name + (" (demo)" if row.is_demo else "")
    clicked = st.button(plain(label), key=f"open_company_{row.workspace_id}", type="tertiary",
                        icon=":material/open_in_new:", help=plain(f"Open {row.name} on the One View"))
    if row.attention:
        st.caption(plain("Needs attention: " + "; ".join(row.attention) + "."))
    return clicked


def _chips(row: PortfolioRow) -> None:
    if not row.kpis:
        st.caption("No signed KPI agreement yet.")
        return
    st.markdown("".join(chip_html(chip) for chip in row.kpis), unsafe_allow_html=True)


def company_row(row: PortfolioRow) -> bool:
    """One company's line; True when its name was clicked."""
    with st.container(border=True, key=f"portfolio_row_{row.workspace_id}"):
        name, chips, off_track, review, meeting, overdue, traps, data, confidence = st.columns(
            WIDTHS, vertical_alignment="center")
        with name:
            clicked = _name_cell(row)
        with chips:
            _chips(row)
        off_track.markdown(f"**{row.off_track}** ({change_text(row.off_track_change)})",
                           help=f"Change since {month_label(previous_month(row.month))}")
        review.markdown(plain(review_text(row).capitalize()))
        meeting.markdown(plain(meeting_text(row)), help=plain(f"Meets {row.cadence}"))
        overdue.markdown(f"**{row.overdue_actions}**" if row.overdue_actions else "0")
        traps.markdown(f"**{row.vanity_traps}**" if row.vanity_traps else "0")
        data.caption(plain(freshness_text(row)))
        confidence.caption(plain(confidence_text(row)))
    return clicked


def company_rows(rows: Sequence[PortfolioRow]) -> int | None:
    """Every row under one heading; the id of the company whose name was clicked, if any."""
    if not rows:
        st.info("No company matches this filter.")
        return None
    _headings()
    clicked = [row.workspace_id for row in rows if company_row(row)]
    return clicked[0] if clicked else None
