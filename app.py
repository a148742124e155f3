"""Alignboard: the router and the frame (workspace picker, navigation) around every page."""

from __future__ import annotations

import streamlit as st

from components.frame import bootstrap_database, workspace_picker

st.set_page_config(page_title="Alignboard", page_icon=":material/join_inner:", layout="wide")

bootstrap_database()
workspace_picker()

PAGES = {
    "Monthly review": [
        st.Page("pages/one_view.py", title="One view of reality", icon=":material/dashboard:", default=True),
    ],
}

st.navigation(PAGES).run()
