"""Reads made once per rerun: the frame and the page both ask which companies a person may open, and open the
rerun's scope, several times in one rerun. Each rerun reads them afresh, once (``app.py`` starts a new memo
first thing), and a saved write forgets them, so a company added, archived or shared shows on the next read."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

MEMO_KEY = "_rerun_reads"
T = TypeVar("T")


def forget_reads() -> None:
    """Start afresh: at the top of every rerun, and after a write."""
    st.session_state[MEMO_KEY] = {}


def once_per_rerun(key: Hashable, read: Callable[[], T]) -> T:
    """``read()`` the first time this rerun asks for ``key``; the same answer after that. An error is not kept."""
    memo = st.session_state.setdefault(MEMO_KEY, {})
    if key not in memo:
        memo[key] = read()
    return memo[key]
