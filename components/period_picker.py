"""The month under review, chosen once and shared by every page of the session."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import clock
from components.persistent_select import persistent_selectbox
from metrics.periods import Month, month_label

MONTH_KEY = "review_month"  # shared by all pages; survives page switches, unlike widget keys


def chosen_month(months: list[Month]) -> Month:
    """The session's month if it is a month at all, else the newest month with data."""
    chosen = st.session_state.get(MONTH_KEY)
    if isinstance(chosen, dt.date) and not isinstance(chosen, dt.datetime):
        return chosen.replace(day=1)
    return max(months, default=clock.today().replace(day=1))


def month_picker(months: list[Month], label: str = "Month") -> Month:
    """A selectbox of the months with data, newest first; returns the chosen month.

    A month kept from another client that this one lacks stays selectable, marked "no data",
    so the page can say so instead of silently showing a different month.
    """
    chosen = chosen_month(months)
    options = sorted({*months, chosen}, reverse=True)
    with_data = set(months)
    st.session_state[MONTH_KEY] = chosen
    return persistent_selectbox(label, options, MONTH_KEY,
                                lambda m: month_label(m) if m in with_data else f"{month_label(m)} (no data)")
