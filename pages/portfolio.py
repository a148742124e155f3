"""Portfolio: every client company the person may open, one row each, for the chosen month."""

from __future__ import annotations

import streamlit as st

import clock
from components.period_picker import month_picker
from components.portfolio_view import company_rows, portfolio_controls, summary_line
from components.presentation import presenting
from db import service
from flows.frame import current_identity, open_company, single_user, through_the_frame
from flows.portfolio import portfolio_for
from metrics.portfolio import arranged

through_the_frame()
identity = current_identity()
if presenting():  # the portfolio puts every client side by side: never on a shared screen
    st.info("The portfolio is not shown in presentation mode: it lists every client side by side. Turn "
            "presentation mode off to see it.", icon=":material/visibility_off:")
    st.stop()
if not portfolio_for(identity):
    st.info("The portfolio compares several companies, and you may open only one. Its pages are in the menu.",
            icon=":material/lock:")
    st.stop()

st.title("Portfolio")
st.caption("Every company you may open, for one month: the agreed KPIs, the review, the next meeting, overdue "
           "actions, vanity traps, how fresh the figures are and where the CEO and CMO trust the numbers "
           "differently. Click a name to open that company.")
coverage = service.portfolio_coverage(identity, single_user=single_user())
with st.container(horizontal=True, vertical_alignment="bottom"):
    month = month_picker(list(coverage), coverage=coverage)
    chosen, order = portfolio_controls()
rows = service.portfolio(identity, month, clock.today(), single_user=single_user())
shown = arranged(rows, chosen, order)
summary_line(rows, len(shown), month)
if (opened := company_rows(shown)) is not None:
    open_company(opened)
    st.switch_page("pages/one_view.py")
