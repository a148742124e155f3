"""The review's meeting date: the line that says when it meets, and the small form that changes it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.text import plain
from metrics.meeting_dates import MOST_PRE_READ_DAYS, MeetingRefused, changed_cadence, is_moved, next_review_text
from metrics.meetings import ORDINALS, WEEKDAYS, Cadence


def next_review_line(cadence: Cadence, today: dt.date) -> None:
    """'Next review: Tue 8 Dec 2026 (the second Tuesday of each month)'."""
    st.markdown(f":material/event: {plain(next_review_text(cadence, today))}")


def meeting_form(cadence: Cadence, today: dt.date) -> Cadence | None:
    """The rhythm (which weekday of which week) and one meeting moved by hand; the new cadence when saved."""
    weeks = list(ORDINALS)
    with st.expander("Change the meeting dates", icon=":material/edit_calendar:"), \
            st.form("meeting_cadence", border=False):
        week_column, day_column, moved_column, lead_column = st.columns(4)
        week = week_column.selectbox("Meets on the", weeks, index=weeks.index(cadence.week),
                                     format_func=lambda w: ORDINALS[w])
        weekday = day_column.selectbox("Day", range(len(WEEKDAYS)), index=cadence.weekday,
                                       format_func=WEEKDAYS.__getitem__)
        moved_to = moved_column.date_input(
            "Move the next meeting to", value=cadence.next_override if is_moved(cadence, today) else None,
            min_value=today, help="For one meeting only (a holiday, a board week). Leave it empty to meet on the "
                                  "usual day.")
        lead = lead_column.number_input("Pre-read, days before", min_value=0, max_value=MOST_PRE_READ_DAYS,
                                        value=cadence.pre_read_days, step=1,
                                        help="The pre-read mail goes out this many days before the meeting.")
        if not st.form_submit_button("Save meeting dates"):
            return None
    try:
        return changed_cadence(cadence, weekday=weekday, week=week, moved_to=moved_to, today=today,
                               pre_read_days=int(lead))
    except MeetingRefused as refused:
        st.error(plain(str(refused)), icon=":material/block:")
        return None
