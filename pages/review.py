"""Monthly review: the meeting, from the agreed scorecard through the exceptions to actions and decisions."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import clock
from components import review_forms as forms
from components.frame import page_header
from components.period_picker import month_picker
from components.presentation import editing, share_safe_on
from components.review_view import (
    action_frame,
    actions_table,
    agenda_item_body,
    changes_since,
    notes_list,
    review_status,
)
from components.saving import save_in_one_transaction
from db import cached
from db.review import ReviewError, add_action, add_note, close_month, reopen_month, set_action_status
from metrics.periods import month_label
from metrics.review import AgendaKind, build_agenda, share_safe, snapshot_differences
from reports.safe_text import csv_bytes


def save(write: Callable[..., object], *args: object) -> None:
    """Run one write and show the result; a refusal is shown plainly and nothing changes."""
    if save_in_one_transaction(lambda session: write(session, *args), refusals=(ReviewError,)):
        st.rerun()


page = page_header("Monthly review", needs_months="Import data to hold a review.")
ws, url, months = page.workspace_id, page.url, page.months

with st.container(horizontal=True, vertical_alignment="bottom"):
    month = month_picker(months, "Month under review", cached.month_coverage(url, ws))
    with editing("reviewer"):
        author = forms.reviewer_name()
state = cached.review_state(url, ws, month)
live = cached.live_review(url, ws, month, clock.today())
snapshot = state.snapshot or live
if share_safe_on():
    snapshot, live = share_safe(snapshot), share_safe(live)

st.title(f"Monthly review · {month_label(month)}")
review_status(state.closed, state.closed_by, state.closed_at, sum(e.kind == "reopened" for e in state.events))
if state.closed:
    changes_since(snapshot_differences(snapshot, live))

for item in build_agenda(snapshot):
    with st.container(border=True):
        st.subheader(item.title)
        st.caption(item.detail)
        agenda_item_body(item, snapshot)
        if item.kind == AgendaKind.ACTIONS:
            actions_table(snapshot.actions)
        if item.kind == AgendaKind.DECISIONS:
            notes_list([n for n in snapshot.notes if n.kind == "decision" and n.item_key != item.key])
        notes_list([n for n in snapshot.notes if n.item_key == item.key])
        if state.closed:
            continue
        with editing(f"notes_{item.key}"):
            if item.kind == AgendaKind.ACTIONS:
                if (change := forms.action_status_form(snapshot.actions)) is not None:
                    save(set_action_status, ws, change[0], change[1], month)
                if (action := forms.action_form(snapshot.kpis, month)) is not None:
                    save(add_action, ws, month, action)
            with st.expander("Add a note or decision"):
                if (note := forms.note_form(item.key, author)) is not None:
                    save(add_note, ws, month, note)

with editing("close"):
    if not state.closed and forms.close_button(month_label(month)):
        save(close_month, ws, month, author or "")
    if state.closed and (reason := forms.reopen_form(month_label(month))) is not None:
        save(reopen_month, ws, month, author, reason)
    st.download_button("Download actions (CSV)", csv_bytes(action_frame(snapshot.actions)),
                       file_name=f"actions-{month:%Y-%m}.csv", mime="text/csv", icon=":material/download:")
    if state.events:
        st.caption("History: " + "; ".join(f"{e.kind} by {e.by} on {e.at:%d %b %Y}"
                                            + (f" ({e.reason})" if e.reason else "") for e in state.events))
