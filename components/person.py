"""Who is recording something: signed in, the person's own name (shown, not typed); in single-user mode, a name
typed once per session and recorded as unverified."""

from __future__ import annotations

import streamlit as st

from components.text import plain

NAME_KEY = "person_name"  # shared by every page of the session, like the month


def person_name(single_user: bool, recorded_as: str, *, label: str = "Your name") -> str:
    """The typed name in single-user mode (kept across pages), else "" with a line saying whose name is used."""
    if not single_user:
        st.caption(f":material/verified_user: Recorded as {plain(recorded_as)}.")
        return ""
    widget = f"_{NAME_KEY}_widget"
    st.session_state[widget] = st.session_state.get(NAME_KEY, "")

    def keep() -> None:
        st.session_state[NAME_KEY] = st.session_state[widget]

    return st.text_input(label, key=widget, on_change=keep, max_chars=80,
                         help="Sign-in is off: what you save is recorded under this name, marked as unverified."
                         ).strip()
