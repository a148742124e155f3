"""One view of reality: the month in brief, the agreed KPIs, outputs against outcomes, then the P&L, the
campaigns and how people feel as compact tiles — one month, one set of numbers, one screen or two."""

from __future__ import annotations

import streamlit as st

from components.agreed_tiles import agreed_card, agreed_row
from components.index_chart import index_chart
from components.kpi_card import kpi_card
from components.period_picker import include_partial_switch, month_picker
from components.presentation import editing, presenting, share_safe_on
from components.text import plain
from components.tile_bands import arrange_tiles, band_tiles, tile_styles
from db import service
from db.access import Permission
from flows.frame import page_header
from flows.saving import save
from metrics.catalog import BAND_TITLES
from metrics.coverage import without_partial
from metrics.one_view import (
    DEFAULT_LAYOUT,
    band_figures,
    checked_layout,
    hidden_tiles,
    index_lines,
    layout_rows,
    not_tracked,
    shown_tiles,
)
from metrics.periods import month_label
from metrics.summary import month_summary

page = page_header("One view of reality", needs_months="Import data to see the one view.")
scope, workspace, months, currency = page.scope, page.workspace, page.months, page.workspace["currency"]
safe = share_safe_on()  # no amount of money reaches the browser: changes, % of target, RAG and indices stay
tile_styles(presenting=presenting())

catalog = service.catalog(scope)
coverage = service.month_coverage(scope)
picker_column, summary_column = st.columns([1, 4], vertical_alignment="top")
with picker_column:
    month = month_picker(months, coverage=coverage)
    include_partial = include_partial_switch(coverage)
if month not in months:
    summary_column.info(f"No data for {month_label(month)}. Choose a month with figures in the picker.")
    st.stop()
data = service.monthly_data(scope)
with summary_column, st.container(border=True, gap=None):
    st.markdown("**The month in brief**")
    st.markdown(plain(" ".join(month_summary(data, month, currency, catalog, mask_currency=safe,
                                             include_partial=include_partial))))

scorecard = service.scorecard_for(scope, month)
agreed_row(scorecard, currency, mask_currency=safe)

lines = index_lines(data if include_partial else without_partial(data), month, catalog)
with st.container(key="index_chart_block", gap=None):
    st.markdown("**Outputs vs outcomes** <small style='opacity:0.7'>· 12 months, each line indexed to 100 at its "
                "first month with data; dashed: activity (outputs), solid: business results (outcomes)</small>",
                unsafe_allow_html=True)
    if lines:
        index_chart(lines)
    else:
        st.caption("None of these metrics has data in the 12 months to this month.")

layout = service.tile_layout(scope)
bands = band_figures(catalog, data, month, include_partial=include_partial)
tracked = {band: [f.key for f in cards] for band, cards in bands.items()}
sources = service.sources_for_month(scope, tuple(sorted(catalog.needed_base_keys(sum(tracked.values(), [])))), month)
agreed = scorecard.by_key()  # targets and RAG of agreed KPIs, on their tiles too
for band, cards in bands.items():
    by_key = {f.key: f for f in cards}
    band_tiles(band.value, BAND_TITLES[band], [by_key[k] for k in shown_tiles(tracked[band], layout)],
               lambda f: kpi_card(f, currency, sources=sources, mask_currency=safe,
                                  **agreed_card(agreed.get(f.key), currency, safe)))
if hidden := [catalog[k].label for keys in tracked.values() for k in hidden_tiles(keys, layout)]:
    st.caption(plain(f"Hidden: {', '.join(hidden)} — show them again under Arrange tiles."))
if missing := not_tracked(catalog, data):  # one quiet line instead of a wall of "no data" tiles
    st.caption(plain(f"Not tracked yet: {', '.join(missing)} — add them under Data → Bring your own numbers."))

with editing("arrange_tiles"):
    band_names = {k: BAND_TITLES[band] for band, keys in tracked.items() for k in keys}
    choice = arrange_tiles(layout_rows(tracked, layout, catalog), band_names, can_edit=scope.can(Permission.PLAN),
                           key=f"arrange_{scope.workspace_id}")
if choice is not None:  # the check runs inside the write: a refusal is shown as it is and nothing is saved
    action, rows = choice
    if save(scope, Permission.PLAN, "layout.saved", lambda session: service.save_tile_layout(
            session, scope.workspace_id, checked_layout(rows, set(band_names)) if action == "save" else DEFAULT_LAYOUT),
            detail={"tiles": len(rows)}):
        st.rerun()
