"""One view of reality: the P&L, the campaigns and how people feel, for one month, side by side."""

from __future__ import annotations

import streamlit as st

from components.charts import index_chart
from components.kpi_card import kpi_card
from components.period_picker import include_partial_switch, month_picker
from components.presentation import share_safe_on
from components.scorecard_view import agreed_card
from components.text import plain
from db import service
from flows.frame import page_header
from metrics.catalog import BAND_TITLES
from metrics.coverage import without_partial
from metrics.one_view import band_figures, band_keys, index_lines, not_tracked
from metrics.periods import month_label
from metrics.summary import month_summary

page = page_header("One view of reality", needs_months="Import data to see the one view.")
scope, workspace, months = page.scope, page.workspace, page.months
safe = share_safe_on()  # money masked; changes, RAG and the indexed chart stay

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
with summary_column, st.container(border=True):
    st.markdown("**The month in brief**")
    st.markdown(plain(" ".join(month_summary(data, month, workspace["currency"], catalog, mask_currency=safe,
                                             include_partial=include_partial))))

card_metrics = [key for keys in band_keys(catalog).values() for key in keys]
source_keys = tuple(sorted(catalog.needed_base_keys(card_metrics)))
sources = service.sources_for_month(scope, source_keys, month)
bands = band_figures(catalog, data, month, include_partial=include_partial)
agreed = service.scorecard_for(scope, month).by_key()  # targets and RAG of agreed KPIs
for column, (band, cards) in zip(st.columns(3), bands.items(), strict=True):
    with column:
        st.subheader(BAND_TITLES[band], divider="gray")
        if not cards:
            st.caption("Nothing tracked here yet.")
        for figures in cards:
            kpi_card(figures, workspace["currency"], sources=sources, mask_currency=safe,
                     **agreed_card(agreed.get(figures.key), workspace["currency"], safe))
if missing := not_tracked(catalog, data):  # one quiet line instead of a wall of "no data" cards
    st.caption(plain(f"Not tracked yet: {', '.join(missing)} — add them under Data → Bring your own numbers."))

st.subheader("Outputs vs outcomes", divider="gray")
st.caption("The 12 months to the chosen month, each line indexed to 100 at its first month with data. "
           "Dashed lines are activity (outputs); solid lines are business results (outcomes).")
lines = index_lines(data if include_partial else without_partial(data), month, catalog)
if lines:
    index_chart(lines)
else:
    st.caption("None of these metrics has data in the 12 months to this month.")
