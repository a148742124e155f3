"""The scorecard's editing controls: commentary and confidence votes per KPI, the leadership system.

Forms return what was typed, or None; the page saves it through the seam.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pydantic import BaseModel, ValidationError

from components.text import plain
from metrics.agreement import LITMUS_QUESTIONS, LeadershipSystem
from metrics.catalog import MANDATE_TITLES, Mandate
from metrics.scorecard import KpiLine

VOTES = [None, 1, 2, 3, 4, 5]


class KpiNote(BaseModel):
    """What someone typed for one KPI this month."""

    text: str
    ceo: int | None
    cmo: int | None


def _vote(label: str, current: int | None, key: str) -> int | None:
    return st.radio(label, VOTES, index=VOTES.index(current), key=key, horizontal=True,
                       format_func=lambda v: "–" if v is None else str(v),
                       help="1: we do not trust this number · 5: we trust it fully")


def kpi_note_form(line: KpiLine, month: dt.date, *, can_comment: bool, can_vote_ceo: bool,
                  can_vote_cmo: bool) -> KpiNote | None:
    """Commentary and the confidence votes for one KPI in one month: each part only for who may give it.

    The form's key does not change when someone else saves, so the text being typed is never swept away.
    """
    if not (can_comment or can_vote_ceo or can_vote_cmo):
        return None
    key = f"{line.key}_{month:%Y%m}"
    with st.form(f"note_{key}", border=False):
        text = st.text_area("What we are doing to improve it", value=line.commentary, key=f"text_{key}", height=90,
                            disabled=not can_comment)
        ceo_vote = _vote("CEO's confidence in this number", line.ceo_confidence, f"ceo_{key}") if can_vote_ceo \
            else line.ceo_confidence
        cmo_vote = _vote("CMO's confidence in this number", line.cmo_confidence, f"cmo_{key}") if can_vote_cmo \
            else line.cmo_confidence
        submitted = st.form_submit_button("Save", icon=":material/save:")
    return KpiNote(text=text if can_comment else line.commentary, ceo=ceo_vote, cmo=cmo_vote) if submitted else None


def unsaved_text(text: str) -> None:
    """What the person had typed when someone else saved first: kept, to copy and add to theirs."""
    st.caption("Your text, not saved — copy it and add it to theirs:")
    st.code(text, language=None, wrap_lines=True)


def leadership_form(current: LeadershipSystem, today: dt.date) -> LeadershipSystem | None:
    """Edit the leadership system; returns the answers (carrying the version read) when saved."""
    mandates: list[Mandate | None] = [None, *Mandate]
    with st.form(f"leadership_{current.version or 0}"):
        meaning, math, lead = st.columns(3)
        meaning_owner = meaning.text_input("Who owns the meaning (brand)?", current.meaning_owner)
        math_owner = math.text_input("Who owns the math (growth)?", current.math_owner)
        priority = lead.selectbox("Which mandate matters most in the next 18–24 months?", mandates,
                                  index=mandates.index(current.priority_mandate),
                                  format_func=lambda m: "Not decided" if m is None else MANDATE_TITLES[m])
        answers = [st.text_area(question, value, height=70)
                   for question, value in zip(LITMUS_QUESTIONS, current.answers, strict=True)]
        answered_on = st.date_input("Answered on", current.answered_on or today, max_value=today)
        submitted = st.form_submit_button("Save answers", icon=":material/save:")
    if not submitted:
        return None
    try:
        return LeadershipSystem(meaning_owner=meaning_owner.strip(), math_owner=math_owner.strip(),
                                priority_mandate=priority, split_answer=answers[0].strip(),
                                priority_answer=answers[1].strip(), build_answer=answers[2].strip(),
                                answered_on=answered_on, answered_by=current.answered_by, version=current.version)
    except ValidationError as error:
        problem = error.errors()[0]
        st.error(plain(f"Not saved: {'.'.join(str(p) for p in problem['loc'])} — {problem['msg']}."))
        return None
