"""Members of a company and the record of its changes, as tables; the forms to invite and remove members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from components.company_form import ACTION_TITLES, event_detail, when

if TYPE_CHECKING:
    from db.access import Member
    from db.audit import AuditEntry


def members_table(members: Sequence[Member], role_titles: dict) -> None:
    if not members:
        st.caption("No members yet: invite the CEO and the CMO by their e-mail addresses.")
        return
    rows = [{"E-mail": m.email, "Role": role_titles[m.role], "Invited by": m.invited_by, "Invited": when(m.invited_at),
             "First signed in": when(m.first_seen_at) if m.first_seen_at else "not yet"} for m in members]
    st.dataframe(rows, hide_index=True, width="stretch")


def invite_form(roles: Sequence, role_titles: dict) -> tuple[str, object] | None:
    """E-mail and role of a person to invite (or whose role changes); None until sent."""
    with st.form("invite_member", clear_on_submit=True):
        email_cell, role_cell = st.columns([3, 2])
        email = email_cell.text_input("E-mail address", placeholder="ceo@company.com")
        role = role_cell.selectbox("Role", roles, format_func=role_titles.get)
        sent = st.form_submit_button("Invite", icon=":material/person_add:")
    return (email, role) if sent and email.strip() else None


def remove_form(members: Sequence[Member]) -> str | None:
    if not members:
        return None
    with st.form("remove_member"):
        email = st.selectbox("Member", [m.email for m in members])
        sent = st.form_submit_button("Remove access", icon=":material/person_remove:")
    return email if sent else None


def audit_frame(entries: Sequence[AuditEntry]) -> pd.DataFrame:
    """Every recorded write, newest first: when, what, who (and whether signed in), details."""
    return pd.DataFrame({"When": [when(e.at) for e in entries],
                         "What": [ACTION_TITLES.get(e.action, e.action) for e in entries],
                         "Who": [e.actor or "(no name given)" for e in entries],
                         "Signed in": ["yes" if e.verified else "no" for e in entries],
                         "Details": [event_detail(e.action, e.detail) for e in entries]},
                        columns=["When", "What", "Who", "Signed in", "Details"])
