"""Companies: add client companies, rename them, set their logos, archive or delete them; every change recorded."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from components.company_form import companies_table, company_form, delete_form, history_table, logo_form, rename_form
from components.person import person_name
from components.presentation import presenting
from components.text import plain
from db import service
from flows.frame import WORKSPACE_KEY, add_company, company_label, current_identity, single_user, through_the_frame
from flows.saving import attempt
from metrics.company import deletion_summary, tidy_name
from metrics.logo import prepared_logo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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
    """Save one change of the chosen company; on success say so after the rerun, on a refusal say why."""
    saved, _ = attempt(lambda: service.write_company(
        service.company_scope(identity, workspace_id, single_user=alone), work))
    if saved:
        st.session_state[DONE_KEY] = done
        st.rerun()


identity, alone = current_identity(), single_user()
typed = person_name(alone, identity.recorded_name())
by = identity.recorded_name(typed)
show_archived = st.toggle("Show archived", key="companies_show_archived",
                          help="Archived companies are off the company list; all their data is kept.")
companies = service.administered_companies(identity, single_user=alone, include_archived=show_archived)
companies_table(companies)
if service.may_create_companies(identity, single_user=alone):
    with st.expander("Add a company", expanded=not companies, icon=":material/add_business:"):
        draft = company_form("companies_add", "Add the company", ask_actor=False)
    if draft is not None:
        add_company(identity, dataclasses.replace(draft, actor=typed))
if not companies:
    st.caption("You administer no company: companies are added by an administrator, and managed by their "
               "advisors.")
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
        change(lambda s: service.rename_company(s, workspace_id, new_name, actor=by),
               f"{shown} is now called {plain(tidy_name(new_name))}.")

with logo_tab:
    logo = service.logo(service.company_scope(identity, workspace_id, single_user=alone)) \
        if company.get("has_logo") else None
    if logo is not None:
        st.image(logo.data, caption=f"{shown}'s logo, as on the banner and the board pack", width=200)
    else:
        st.caption(f"{shown} has no logo yet.")
    asked = logo_form(f"companies_logo_{workspace_id}", logo is not None)
    if asked is not None and asked[0] == "upload":
        change(lambda s: service.set_logo(s, workspace_id, prepared_logo(asked[1], asked[2]), actor=by),
               f"{shown} has a new logo.")
    elif asked is not None:
        change(lambda s: service.set_logo(s, workspace_id, None, actor=by), f"{shown}'s logo is removed.")

with archive_tab:
    if company["archived_at"]:
        st.caption(f"{shown} is archived: off the company list, with all its data kept.")
        if st.button(f"Un-archive {shown}", key="companies_unarchive", icon=":material/unarchive:"):
            change(lambda s: service.unarchive_company(s, workspace_id, actor=by),
                   f"{shown} is back on the company list.")
    else:
        st.caption("Archiving takes the company off the company list; its figures, reviews and agreements stay, "
                   "and it can be un-archived at any time.")
        if st.button(f"Archive {shown}", key="companies_archive", icon=":material/archive:"):
            change(lambda s: service.archive_company(s, workspace_id, actor=by),
                   f"{shown} is archived. Turn on Show archived to see it.")

with delete_tab:
    if alone and not typed:
        st.info("Type your name at the top first: a deletion is recorded with who made it.", icon=":material/badge:")
    else:
        goes = deletion_summary(service.company_rows(service.company_scope(identity, workspace_id,
                                                                           single_user=alone)))
        if delete_form(f"companies_delete_{workspace_id}", name, goes):
            change(lambda s: service.delete_company(s, workspace_id, typed_name=name, actor=by),
                   f"{shown} and all its data are deleted ({goes}). The deletion is recorded.")

with history_tab:
    history_table(service.audit_trail(service.company_scope(identity, workspace_id, single_user=alone)))
