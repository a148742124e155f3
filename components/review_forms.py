"""The meeting's editing controls: notes and decisions, actions, closing and reopening the month.

Each form returns what was typed (validated) or None; the page does the writing. Pages put these
inside ``components.presentation.editing`` so presentation mode hides them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import streamlit as st
from pydantic import ValidationError

from components.text import plain
from metrics.review import ActionIn, ActionStatus, ActionView, KpiSnapshot, NoteIn


def _slug(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_")


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    return f"{'.'.join(str(p) for p in problem['loc'])}: {problem['msg']}"


def note_form(item_key: str, author: str) -> NoteIn | None:
    with st.form(f"note_{_slug(item_key)}", clear_on_submit=True, border=False):
        text = st.text_area("Note or decision", height=68, label_visibility="collapsed",
                            placeholder="A note, or a decision taken on this point")
        note, decision = st.columns(2)
        as_note = note.form_submit_button("Add note", width="stretch")
        as_decision = decision.form_submit_button("Record decision", width="stretch")
    if not (as_note or as_decision):
        return None
    if not text.strip():
        st.error("Write the note or decision first.")
        return None
    return NoteIn(item_key=item_key, kind="note" if as_note else "decision", text=text, author=author)


def action_form(kpis: Sequence[KpiSnapshot], month: dt.date) -> ActionIn | None:
    labels = {k.key: k.label for k in kpis}
    with st.form("new_action", clear_on_submit=True):
        st.markdown("**New action**")
        title = st.text_input("Action")
        owner, due, kpi = st.columns(3)
        owner_name = owner.text_input("Owner")
        due_date = due.date_input("Due", value=None, min_value=month)
        kpi_key = kpi.selectbox("Linked KPI", [None, *labels], format_func=lambda k: labels.get(k, "None"))
        submitted = st.form_submit_button("Add action")
    if not submitted:
        return None
    if not title.strip():
        st.error("Give the action a title: what will be done.")
        return None
    try:
        return ActionIn(title=title, owner=owner_name, due=due_date, kpi_key=kpi_key)
    except ValidationError as error:
        st.error(f"The action was not added. {plain(_first_problem(error))}")
        return None


def action_status_form(views: Sequence[ActionView]) -> tuple[int, ActionStatus] | None:
    """Close (done, dropped) or reopen one action."""
    titles = {v.action.id: v.action.title for v in views}
    if not titles:
        return None
    with st.form("action_status", border=False):
        which, status, button = st.columns([4, 2, 1], vertical_alignment="bottom")
        action_id = which.selectbox("Which action", list(titles), format_func=titles.__getitem__)
        new_status = status.selectbox("Mark as", [ActionStatus.DONE, ActionStatus.DROPPED, ActionStatus.OPEN],
                                      format_func=lambda s: s.value.capitalize())
        submitted = button.form_submit_button("Update")
    return (action_id, new_status) if submitted else None


def close_button(month_text: str) -> bool:
    return st.button(f"Close {month_text}", type="primary", icon=":material/lock:",
                     help="Freezes the scorecard, statuses, commentary, votes, One View figures and actions.")


def reopen_form(month_text: str) -> str | None:
    """The reason for reopening (it is recorded), or None."""
    with st.form("reopen", clear_on_submit=True):
        reason = st.text_input(f"Reopen {month_text}: why?", placeholder="e.g. finance restated September revenue")
        submitted = st.form_submit_button("Reopen the month", icon=":material/lock_open:")
    return reason.strip() if submitted else None
