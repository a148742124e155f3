"""A selectbox whose choice lives in session state under a key of its own.

Widget keys are dropped when a page stops drawing the widget (and a sidebar widget drawn before
``st.navigation`` can lose its first change), so the choice is copied to a plain key on change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def persistent_selectbox(label: str, options: Sequence[Any], state_key: str,
                         format_func: Callable[[Any], str] = str, container: DeltaGenerator | None = None) -> Any:
    """Draw a selectbox bound to ``st.session_state[state_key]``; returns the choice."""
    widget_key = f"_{state_key}_widget"

    def keep_choice() -> None:
        st.session_state[state_key] = st.session_state[widget_key]

    st.session_state[widget_key] = st.session_state[state_key]
    (container or st).selectbox(label, options, key=widget_key, on_change=keep_choice, format_func=format_func)
    return st.session_state[state_key]
