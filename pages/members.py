"""Members: who may see the company and in which role; the company's advisors invite and remove people."""

from __future__ import annotations

import streamlit as st

from components.people_view import invite_form, members_table, remove_form
from components.presentation import editing
from components.text import plain
from db import service
from db.access import ROLE_TITLES, Permission, Role
from flows.frame import page_header
from flows.mail import company_mail, own_mail
from flows.saving import save

page = page_header("Members")
scope = page.scope
st.title("Members")
if scope.single_user:
    st.info("Sign-in is off (single-user mode), so everyone who opens the app sees every company. Members and "
            "roles apply once sign-in is configured (see the README); you can invite people now.",
            icon=":material/person:")
st.caption("Roles: the advisor administers the company (members, SQL sources, settings) and holds the review; the "
           "CEO and the CMO sign, vote and close months; a contributor imports and writes commentary, actions and "
           "notes; the board reads. Access starts the first time the person signs in with that address.")
members = service.members(scope)
members_table(members, ROLE_TITLES)
st.subheader("Mail")
own_mail(scope, members)
if scope.can(Permission.ADMINISTER):
    with editing("mail"):
        company_mail(scope)
if not scope.can(Permission.ADMINISTER):
    st.caption("Only the company's advisors invite or remove members.")
    st.stop()
with editing("members"):
    if (invite := invite_form(list(Role), ROLE_TITLES)) is not None:
        email, role = invite
        if save(scope, Permission.ADMINISTER, "member.added",
                lambda s: service.add_member(s, scope.workspace_id, email, role, invited_by=scope.named()),
                detail={"email": email.strip().lower(), "role": str(role)}):
            st.toast(f"{plain(email.strip())} invited as {ROLE_TITLES[role]}.")
            st.rerun()
    if (email := remove_form(members)) is not None and save(
            scope, Permission.ADMINISTER, "member.removed",
            lambda s: service.remove_member(s, scope.workspace_id, email), detail={"email": email}):
        st.toast(f"{plain(email)}'s access removed.")
        st.rerun()
