"""Alignboard: the router and the frame (workspace picker, navigation) around every page."""

from __future__ import annotations

from itertools import chain

import streamlit as st

from components.frame import bootstrap_database, follow_deep_link, workspace_picker
from components.presentation import presentation_frame

st.set_page_config(page_title="Alignboard", page_icon=":material/join_inner:", layout="wide")

bootstrap_database()

PAGES = {
    "Monthly review": [
        st.Page("pages/one_view.py", title="One view of reality", icon=":material/dashboard:", default=True),
        st.Page("pages/scorecard.py", title="Scorecard", icon=":material/scoreboard:"),
        st.Page("pages/agreement.py", title="KPI agreement", icon=":material/handshake:"),
        st.Page("pages/output_vs_outcome.py", title="Output vs outcome", icon=":material/compare_arrows:"),
        st.Page("pages/review.py", title="Review meeting", icon=":material/groups:"),
        st.Page("pages/board_pack.py", title="Board pack", icon=":material/slideshow:"),
    ],
    "Data": [st.Page("pages/data.py", title="Bring your own numbers", icon=":material/upload_file:")],
    "Settings": [st.Page("pages/companies.py", title="Companies", icon=":material/domain:")],
}

page = st.navigation(PAGES)
follow_deep_link(chain.from_iterable(PAGES.values()))
workspace_picker()  # after st.navigation: a widget created before it loses the user's choice
presentation_frame(page.title)
page.run()
