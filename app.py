"""Alignboard: the router and the frame (sign-in, company picker, navigation) around every page."""

from __future__ import annotations

from itertools import chain

import streamlit as st

from components.presentation import presentation_frame
from db import service
from flows.frame import (
    bootstrap_database,
    current_identity,
    current_workspace,
    follow_deep_link,
    frame_scope,
    keep_client_in_address,
    who_line,
)
from flows.portfolio import portfolio_pages
from flows.rerun import forget_reads

st.set_page_config(page_title="Alignboard", page_icon="📊", layout="wide")  # an emoji is drawn locally

forget_reads()  # this rerun reads the companies and its scope afresh, once
bootstrap_database()
identity = current_identity()  # stops on the sign-in screen until the person has signed in

PAGES = {
    "Monthly review": [
        *portfolio_pages(identity),  # for people with several companies, never while presenting
        st.Page("pages/one_view.py", title="One view of reality", icon=":material/dashboard:", default=True),
        st.Page("pages/scorecard.py", title="Scorecard", icon=":material/scoreboard:"),
        st.Page("pages/agreement.py", title="KPI agreement", icon=":material/handshake:"),
        st.Page("pages/output_vs_outcome.py", title="Output vs outcome", icon=":material/compare_arrows:"),
        st.Page("pages/review.py", title="Review meeting", icon=":material/groups:"),
        st.Page("pages/board_pack.py", title="Board pack", icon=":material/slideshow:"),
    ],
    "Data": [st.Page("pages/data.py", title="Bring your own numbers", icon=":material/upload_file:")],
    "Settings": [
        st.Page("pages/members.py", title="Members", icon=":material/group:"),
        st.Page("pages/audit.py", title="History of changes", icon=":material/history:"),
        st.Page("pages/companies.py", title="Companies", icon=":material/domain:"),
    ],
}

PRESENTED = PAGES["Monthly review"]  # the way through a presentation, in the sidebar's order

page = st.navigation(PAGES)
follow_deep_link(chain.from_iterable(PAGES.values()))
scope = frame_scope(identity)  # after st.navigation: a widget created before it loses the user's choice
who_line(identity, scope)
workspace = current_workspace(scope) if scope else None
logo = service.logo(scope) if scope and workspace.get("has_logo") else None
keep_client_in_address(workspace)
presentation_frame(page, workspace, logo, PRESENTED)
page.run()
