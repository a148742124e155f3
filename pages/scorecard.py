"""The agreed scorecard for a month: Brand (the meaning) and Growth (the math), judged apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

import clock
from components import scorecard_forms as forms
from components import scorecard_view as view
from components.charts import vega_chart
from components.period_picker import month_picker
from components.person import person_name
from components.presentation import edit_paused, editing, presenting, share_safe_on
from components.reconciliation_view import reconciliation_months
from components.text import plain
from db import service
from db.access import Permission
from flows.frame import page_header
from flows.saving import save
from metrics.agreement import Role
from metrics.catalog import MANDATE_TITLES, Mandate
from metrics.periods import month_label
from metrics.scorecard import KpiLine

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

page = page_header("Scorecard")
scope, ws, months, currency, safe = page.scope, page.workspace_id, page.months, page.workspace["currency"], \
    share_safe_on()
with st.columns([1, 3])[0]:
    month = month_picker(months, coverage=service.month_coverage(scope)) if months else clock.today().replace(day=1)
card = service.scorecard_for(scope, month)
VOTERS = ((Role.CEO, Permission.SIGN_CEO), (Role.CMO, Permission.SIGN_CMO))


def save_note(line: KpiLine, note: forms.KpiNote, typed: str) -> None:
    """The commentary and votes as one write: each by the person who gave it, each checked against what they saw."""
    def write(session: Session) -> None:
        if note.text.strip() != line.commentary:
            scope.require(Permission.COMMENT)
            service.save_commentary(session, ws, line.key, month, note.text, author=scope.named(typed),
                            expected_version=line.commentary_version)
        for (role, permission), old, new in zip(VOTERS, (line.ceo_confidence, line.cmo_confidence),
                                                (note.ceo, note.cmo), strict=True):
            if new != old:
                scope.require(permission)
                service.cast_vote(session, ws, line.key, month, role, new, voter=scope.named(typed), expected=old)

    kept = f"unsaved_{line.key}_{month:%Y%m}"
    if save(scope, None, "scorecard.saved", write, typed_name=typed,
            detail={"kpi": line.key, "month": f"{month:%Y-%m}"}):
        st.session_state.pop(kept, None)
        st.toast(f"Saved for {plain(line.label)}, {month_label(month)}.")
        st.rerun()
    elif note.text.strip() and note.text.strip() != line.commentary:
        st.session_state[kept] = note.text  # shown under the form after the reload, to copy


st.title(f"Scorecard · {month_label(month)}")
with editing("person"):
    typed = "" if safe or presenting() else person_name(scope.single_user, scope.named())
if not card.kpis:
    waiting = f" {card.pending_draft} is waiting for both signatures." if card.pending_draft else ""
    st.info(f"No KPI set is agreed yet.{waiting} The CEO and the CMO agree 3 to 7 KPIs and both sign them; "
            "then this page scores the month against their targets.", icon=":material/handshake:")
    st.page_link("pages/agreement.py", label="Agree the KPIs", icon=":material/handshake:")
else:
    view.agreement_line(card)
    if months and month not in months:
        st.info(f"No data for {month_label(month)}: statuses show 'No data'.")

for mandate in Mandate:
    lines = card.mandate_kpis(mandate)
    if not lines:
        continue
    st.subheader(MANDATE_TITLES[mandate], divider="gray")
    st.caption("Judged on its own scorecard: never blended with the other mandate into one score.")
    view.mandate_table(lines, currency, safe)
    for line in lines:
        with st.container(border=True, key=f"kpi_{line.key}"):
            about, trend, notes = st.columns([3, 4, 4])
            with about:
                view.kpi_heading(line, currency, safe)
            with trend:
                vega_chart(view.trend_spec(line, currency, safe), key=f"trend_{line.key}")
            if safe or presenting():
                with notes:
                    view.commentary(line, safe)
            with notes, editing(f"note_{line.key}"):
                note = None if safe else forms.kpi_note_form(
                    line, month, can_comment=scope.can(Permission.COMMENT),
                    can_vote_ceo=scope.can(Permission.SIGN_CEO), can_vote_cmo=scope.can(Permission.SIGN_CMO))
                if safe:
                    edit_paused("the commentary and the votes")
                if not safe and (kept := st.session_state.get(f"unsaved_{line.key}_{month:%Y%m}")):
                    forms.unsaved_text(kept)
            if note is not None:
                save_note(line, note, typed)
            if not line.commentary:
                notes.caption("No commentary yet for this month.")

if card.kpis:
    st.subheader("Reconciliation", divider="gray")
    with editing("reconciliation_threshold"):
        threshold = st.number_input("Flag differences above (%)", 0.0, 100.0, 5.0, 0.5, width=220) / 100
    table = view.reconciliation_frame(card.kpis, currency, threshold, safe)
    reported_twice = service.record_reconciliations(scope, month)  # metrics with a source of record
    if table.empty and not reported_twice:
        st.caption("No agreed KPI has figures from two sources this month. Import the same metric from a second "
                   "system (say finance's ledger beside the CRM) and both appear here with their difference.")
    elif not table.empty:
        st.dataframe(table, hide_index=True, width="stretch")
    reconciliation_months(reported_twice, currency, threshold, safe)

st.subheader("Leadership system", divider="gray")
answers = service.leadership_system(scope)
view.leadership_summary(answers, safe)
if scope.can(Permission.PLAN):
    with editing("leadership"), st.expander("Edit the leadership system"):
        edited = None if safe else forms.leadership_form(answers, clock.today())
        if safe:
            edit_paused("the leadership system")
    if edited is not None:
        answered = edited.model_copy(update={"answered_by": scope.named(typed)})
        if save(scope, Permission.PLAN, "leadership_system.saved",
                lambda session: service.save_leadership_system(session, ws, answered), typed_name=typed):
            st.toast("Leadership system saved.")
            st.rerun()
