"""Companies: add client companies, rename them, set their logos, archive or delete them; every change recorded."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from components.company_form import companies_table, company_form, delete_form, history_table, logo_form, rename_form
from components.frame import (
    WORKSPACE_KEY,
    add_company,
    company_label,
    refusal_message,
    through_the_frame,
    workspace_logo,
)
from components.presentation import presenting
from components.saving import save_in_one_transaction
from components.text import plain
from db import cached
from db.audit import events
from db.engine import get_engine, session_scope
from db.workspaces import archive_company, company_rows, delete_company, rename_company, set_logo, unarchive_company
from metrics.company import CompanyRefused, deletion_summary, tidy_name
from metrics.logo import LogoRefused, prepared_logo

DONE_KEY = "_companies_done"

through_the_frame()
st.title("Companies")
if presenting():
    st.info("Companies are managed outside presentation mode. Turn presentation mode off to add or change one.",
            icon=":material/visibility_off:")
    st.stop()
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY), icon=":material/check_circle:")


def change(work: Callable[[Session], object], done: str) -> None:
    """Save one change; on success say so after the rerun, on a refusal say why (nothing saved)."""
    if save_in_one_transaction(work, refusals=(CompanyRefused, LogoRefused), describe=refusal_message):
        st.session_state[DONE_KEY] = done
        st.rerun()


by = st.text_input("Your name", key="companies_by", help="Recorded with every change made on this page.").strip()
show_archived = st.toggle("Show archived", key="companies_show_archived",
                          help="Archived companies are off the company list; all their data is kept.")
companies = cached.workspaces(cached.database_url(), include_archived=show_archived)
companies_table(companies)
with st.expander("Add a company", expanded=not companies, icon=":material/add_business:"):
    draft = company_form("companies_add", "Add the company", ask_actor=False)
if draft is not None:
    add_company(dataclasses.replace(draft, actor=by))
if not companies:
    st.stop()

by_id = {c["id"]: c for c in companies}
if st.session_state.get("companies_chosen") not in by_id and st.session_state.get(WORKSPACE_KEY) in by_id:
    st.session_state["companies_chosen"] = st.session_state[WORKSPACE_KEY]  # start on the company in the sidebar
chosen_id = st.selectbox("Company to change", list(by_id), key="companies_chosen",
                         format_func=lambda i: company_label(by_id[i]) + (" (archived)" if by_id[i]["archived_at"]
                                                                            else ""))
company, workspace_id = by_id[chosen_id], chosen_id
name = company["name"]
shown = plain(name)  # as markdown shows it: a '$' or '_' in a name is not maths or emphasis
rename_tab, logo_tab, archive_tab, delete_tab, history_tab = st.tabs(
    ["Rename", "Logo", "Archive" if not company["archived_at"] else "Un-archive", "Delete", "History"])

with rename_tab:
    new_name = rename_form(f"companies_rename_{workspace_id}", name)
    if new_name is not None:
        change(lambda s: rename_company(s, workspace_id, new_name, actor=by),
               f"{shown} is now called {plain(tidy_name(new_name))}.")

with logo_tab:
    logo = workspace_logo(company)
    if logo is not None:
        st.image(logo.data, caption=f"{name}'s logo, as on the banner and the board pack", width=200)
    else:
        st.caption(f"{shown} has no logo yet.")
    asked = logo_form(f"companies_logo_{workspace_id}", logo is not None)
    if asked is not None and asked[0] == "upload":
        change(lambda s: set_logo(s, workspace_id, prepared_logo(asked[1], asked[2]), actor=by),
               f"{shown} has a new logo.")
    elif asked is not None:
        change(lambda s: set_logo(s, workspace_id, None, actor=by), f"{shown}'s logo is removed.")

with archive_tab:
    if company["archived_at"]:
        st.caption(f"{shown} is archived: off the company list, with all its data kept.")
        if st.button(f"Un-archive {shown}", key="companies_unarchive", icon=":material/unarchive:"):
            change(lambda s: unarchive_company(s, workspace_id, actor=by), f"{shown} is back on the company list.")
    else:
        st.caption("Archiving takes the company off the company list; its figures, reviews and agreements stay, "
                   "and it can be un-archived at any time.")
        if st.button(f"Archive {shown}", key="companies_archive", icon=":material/archive:"):
            change(lambda s: archive_company(s, workspace_id, actor=by),
                   f"{shown} is archived. Turn on Show archived to see it.")

with delete_tab:
    if not by:
        st.info("Type your name at the top first: a deletion is recorded with who made it.", icon=":material/badge:")
    else:
        with session_scope(get_engine()) as session:
            goes = deletion_summary(company_rows(session, workspace_id))
        if delete_form(f"companies_delete_{workspace_id}", name, goes):
            change(lambda s: delete_company(s, workspace_id, typed_name=name, actor=by),
                   f"{shown} and all its data are deleted ({goes}). The deletion is recorded.")

with history_tab:
    with session_scope(get_engine()) as session:
        history_table(events(session, workspace_id))
