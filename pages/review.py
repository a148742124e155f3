"""Monthly review: the meeting, from the agreed scorecard through the exceptions to actions and decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

import clock
from components import review_forms as forms
from components.period_picker import month_picker
from components.person import person_name
from components.presentation import editing, share_safe_on
from components.review_view import (
    action_frame,
    actions_table,
    agenda_item_body,
    changes_since,
    notes_list,
    review_history,
    review_status,
)
from components.text import plain
from db import service
from db.access import Permission
from flows.frame import page_header
from flows.saving import save
from metrics.periods import month_label
from metrics.review import AgendaKind, build_agenda, share_safe, snapshot_differences
from reports.safe_text import csv_bytes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def write(permission: Permission, action: str, work: Callable[[Session], object]) -> None:
    """One write of the meeting, under the person's name; a refusal is shown plainly and nothing changes."""
    if save(scope, permission, action, work, typed_name=typed, detail={"month": f"{month:%Y-%m}"}):
        st.rerun()


page = page_header("Monthly review", needs_months="Import data to hold a review.")
scope, ws, months = page.scope, page.workspace_id, page.months

with st.container(horizontal=True, vertical_alignment="bottom"):
    month = month_picker(months, "Month under review", service.month_coverage(scope))
    with editing("reviewer"):
        typed = person_name(scope.single_user, scope.named())
author = scope.named(typed)
state = service.review_state(scope, month)
live = service.live_review(scope, month, clock.today())
snapshot = state.snapshot or live
safe = share_safe_on()
differences = snapshot_differences(snapshot, live, mask_currency=safe) if state.closed else []
if safe:
    snapshot = share_safe(snapshot)  # before anything is drawn: no amount leaves the server

st.title(f"Monthly review · {month_label(month)}")
review_status(state.closed, state.closed_by, state.closed_at, sum(e.kind == "reopened" for e in state.events))
changes_since(differences)

for item in build_agenda(snapshot):
    with st.container(border=True):
        st.subheader(plain(item.title))
        st.caption(plain(item.detail))
        agenda_item_body(item, snapshot)
        if item.kind == AgendaKind.ACTIONS:
            actions_table(snapshot.actions)
        if item.kind == AgendaKind.DECISIONS:
            notes_list([n for n in snapshot.notes if n.kind == "decision" and n.item_key != item.key])
        notes_list([n for n in snapshot.notes if n.item_key == item.key])
        if state.closed or not scope.can(Permission.COMMENT):
            continue
        with editing(f"notes_{item.key}"):
            if item.kind == AgendaKind.ACTIONS:
                if (change := forms.action_status_form(snapshot.actions)) is not None:
                    write(Permission.COMMENT, "action.status",
                          lambda s, c=change: service.set_action_status(s, ws, c[0], c[1], month))
                if (action := forms.action_form(snapshot.kpis, month)) is not None:
                    write(Permission.COMMENT, "action.added", lambda s, a=action: service.add_action(s, ws, month, a))
            with st.expander("Add a note or decision"):
                if (note := forms.note_form(item.key, author)) is not None:
                    write(Permission.COMMENT, f"{note.kind}.added", lambda s, n=note: service.add_note(s, ws, month, n))

with editing("close"):
    named = bool(typed) or not scope.single_user  # closing and reopening always say who
    if scope.can(Permission.CLOSE) and not state.closed and forms.close_button(month_label(month)):
        if named:
            write(Permission.CLOSE, "month.closed", lambda s: service.close_month(s, ws, month, author))
        else:
            st.error("Type your name first: closing a month is recorded with who closed it.")
    if scope.can(Permission.CLOSE) and state.closed and (reason := forms.reopen_form(month_label(month))) is not None:
        if named:
            write(Permission.CLOSE, "month.reopened", lambda s: service.reopen_month(s, ws, month, author, reason))
        else:
            st.error("Type your name first: reopening a month is recorded with who reopened it and why.")
    st.download_button("Download actions (CSV)", csv_bytes(action_frame(snapshot.actions)),
                       file_name=f"actions-{month:%Y-%m}.csv", mime="text/csv", icon=":material/download:")
    review_history(state.events, mask_currency=safe)
