"""The agreed KPIs as the One View's first row: each signed KPI's value, target, status chip and trend."""

from __future__ import annotations

import html

import streamlit as st

from components.kpi_card import TILE_PREFIX, tile_help
from components.rag_badge import rag_badge_html
from components.sparkline import sparkline
from components.text import plain
from metrics.catalog import Unit
from metrics.coverage import partial_label
from metrics.formatting import format_value
from metrics.one_view import agreed_trend, agreed_trend_meaning, chart_unit_text, sparkline_hovers
from metrics.periods import month_label
from metrics.scorecard import KpiLine, Scorecard
from metrics.status import Rag

RAG_DELTA_COLORS = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red"}
AGREED_KEY = "agreed_kpis"


def agreed_row(card: Scorecard, currency: str, *, mask_currency: bool = False) -> None:
    """The signed set, set apart in a tinted band; a word on where to agree KPIs when none is signed yet."""
    with st.container(border=True, key=AGREED_KEY, gap="small"):
        if not card.kpis:
            st.markdown("**Agreed KPIs**")
            st.caption("No signed KPI agreement yet: agree 3 to 7 KPIs and their targets under KPI agreement.")
            return
        signed = f" · {card.pending_draft} waiting for signatures" if card.pending_draft else ""
        st.markdown(f"**Agreed KPIs** · {plain(card.agreement)}{plain(signed)}")
        with st.container(horizontal=True, gap="small", wrap=False):
            for line in card.kpis:
                agreed_tile(line, currency, mask_currency=mask_currency)


def agreed_card(line: KpiLine | None, currency: str, mask_currency: bool = False) -> dict:
    """What a band's tile adds for an agreed KPI: its target for the month (money masked in share-safe mode)
    and its status."""
    if line is None:
        return {}
    return {"target_text": target_text(line, currency, mask_currency), "status": line.rag}


def target_text(line: KpiLine, currency: str, mask_currency: bool) -> str:
    if line.target is None:
        return "no target this month"
    return format_value(line.target, line.unit, currency, mask_currency)


def against_target(line: KpiLine) -> str:
    """The tile's delta: how far the month is from its target, in % of it (never an amount)."""
    if line.rag == Rag.PARTIAL and line.trend:
        return partial_label(line.trend[-1].month, line.coverage)
    if line.pct_of_target is None:
        return "no target" if line.target is None else "no data"
    return f"{line.pct_of_target * 100:.0f}% of target"


def trend_scale(line: KpiLine, currency: str, mask_currency: bool) -> str:
    """The trend's scale for the label's tooltip."""
    if not line.trend:
        return ""
    span = f"{month_label(line.trend[0].month)} – {month_label(line.trend[-1].month)}"
    if mask_currency and line.unit == Unit.CURRENCY:
        how = "in % of each month's target" if all(p.target for p in line.trend if p.actual is not None) \
            else chart_unit_text(line.unit, currency, mask_currency=True)
    else:
        how = chart_unit_text(line.unit, currency)
    return f"Trend {span}, {how}. Hover the line for each month's value."


def agreed_tile(line: KpiLine, currency: str, *, mask_currency: bool = False) -> None:
    """One agreed KPI: status chip and target, the month's value, % of target, a 12-month trend."""
    with st.container(border=True, key=f"{TILE_PREFIX}agreed_{line.key}", gap="xxsmall"):
        st.markdown(f'{rag_badge_html(line.rag)}&nbsp;<span style="font-size:0.8rem;opacity:0.8;'
                    f'vertical-align:middle">Target: {html.escape(target_text(line, currency, mask_currency))}</span>',
                    unsafe_allow_html=True)
        value = format_value(line.actual, line.unit, currency, mask_currency)
        points = [(p.actual, p.target) for p in line.trend]
        trend = agreed_trend(points, line.unit, mask_currency=mask_currency)
        color = RAG_DELTA_COLORS.get(line.rag, "gray")
        st.metric(line.label, value, delta=against_target(line), delta_color=color,
                  delta_arrow="off", help=plain(tile_help(f"Owner: {line.owner}" if line.owner else line.label,
                                                          trend_scale(line, currency, mask_currency))))
        hovers = sparkline_hovers([p.month for p in line.trend], [p.actual for p in line.trend], trend, line.unit,
                                  currency, rebased_as=agreed_trend_meaning(points, line.unit,
                                                                            mask_currency=mask_currency))
        sparkline(trend, hovers, color, area=True, label=f"{line.label}: 12 months")
