"""The month under review, chosen once and shared by every page of the session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import streamlit as st

import clock
from components.persistent_select import persistent_selectbox
from metrics.coverage import is_complete, latest_complete_month, partial_label
from metrics.periods import Month, month_label

MONTH_KEY = "review_month"  # shared by all pages; survives page switches, unlike widget keys


def chosen_month(months: list[Month], coverage: Mapping[Month, float] | None = None) -> Month:
    """The session's month if it is a month at all, else the newest complete month with data (a month the
    figures cover only in part is never the one a page opens on)."""
    chosen = st.session_state.get(MONTH_KEY)
    if isinstance(chosen, dt.date) and not isinstance(chosen, dt.datetime):
        return chosen.replace(day=1)
    complete = latest_complete_month(coverage) if coverage else None
    return complete or max(months, default=clock.today().replace(day=1))


def month_text(month: Month, with_data: set[Month], coverage: Mapping[Month, float]) -> str:
    """'Sep 2021', 'Sep 2021 (partial: 5 of 30 days)' or 'Sep 2021 (no data)'."""
    if month not in with_data:
        return f"{month_label(month)} (no data)"
    share = coverage.get(month)
    return month_label(month) if is_complete(share) else f"{month_label(month)} ({partial_label(month, share)})"


def month_picker(months: list[Month], label: str = "Month", coverage: Mapping[Month, float] | None = None) -> Month:
    """A selectbox of the months with data, newest first, partial months marked; returns the chosen month.

    A month kept from another client that this one lacks stays selectable, marked "no data",
    so the page can say so instead of silently showing a different month.
    """
    coverage = coverage or {}
    chosen = chosen_month(months, coverage)
    options = sorted({*months, chosen}, reverse=True)
    with_data = set(months)
    st.session_state[MONTH_KEY] = chosen
    return persistent_selectbox(label, options, MONTH_KEY, lambda m: month_text(m, with_data, coverage))


INCLUDE_PARTIAL_KEY = "include_partial_months"  # shared by all pages, like the month


def include_partial_switch(coverage: Mapping[Month, float]) -> bool:
    """A switch to let months the figures cover only in part into growth, traps and the brief; shown only when
    the company has such months. Off by default: a 5-day month compared with a full one reads as a collapse."""
    partial = sorted(m for m, share in coverage.items() if not is_complete(share))
    if not partial:
        return False
    widget_key = f"_{INCLUDE_PARTIAL_KEY}_widget"
    st.session_state[widget_key] = bool(st.session_state.get(INCLUDE_PARTIAL_KEY, False))

    def keep_choice() -> None:
        st.session_state[INCLUDE_PARTIAL_KEY] = st.session_state[widget_key]

    listed = ", ".join(f"{month_label(m)} ({partial_label(m, coverage[m])})" for m in partial[-3:])
    more = f" and {len(partial) - 3} more" if len(partial) > 3 else ""
    return st.toggle("Include partial months", key=widget_key, on_change=keep_choice,
                     help=f"Months the figures cover only in part: {listed}{more}. Off: changes, vanity traps, the "
                          "month in brief and the validator leave them out.")
