"""The forms of a client company: its details when adding it, a new name, a logo, the typed confirmation of a deletion.

They only collect what was typed; the caller checks it (``metrics.company.checked_company``) and saves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from components.text import as_typed, plain
from metrics.company import COMMON_CURRENCIES, DEFAULT_COLOR, month_name

if TYPE_CHECKING:
    from db.audit import AuditEntry

LOGO_TYPES = ["png", "jpg", "jpeg"]


@dataclass(frozen=True)
class CompanyDraft:
    """A new company as typed in, unchecked."""

    name: str
    currency: str
    fiscal_year_start_month: int
    color: str
    logo: bytes | None
    logo_name: str
    actor: str


def company_form(key: str, submit_label: str, *, ask_actor: bool = True) -> CompanyDraft | None:
    """The details of a new company; the draft once the form is sent, otherwise None."""
    with st.form(key, border=True):
        name = st.text_input("Company name", max_chars=120, key=f"{key}_name", placeholder="e.g. Acme Analytics")
        left, middle, right = st.columns(3)
        currency = left.selectbox("Currency", COMMON_CURRENCIES, key=f"{key}_currency", accept_new_options=True,
                                  help="The currency its figures are in: pick one, or type any ISO 4217 code.")
        fiscal = middle.selectbox("Fiscal year starts in", range(1, 13), format_func=month_name, key=f"{key}_fiscal")
        color = right.color_picker("Brand colour", DEFAULT_COLOR, key=f"{key}_color",
                                   help="Shown on the banner and the board pack, so nobody mixes two clients.")
        logo = st.file_uploader("Logo (optional)", type=LOGO_TYPES, key=f"{key}_logo", max_upload_size=1,
                                help="A PNG or JPEG of at most 1 MB; it is scaled down to 512 pixels.")
        actor = st.text_input("Your name", key=f"{key}_actor", help="Recorded with the change.") if ask_actor else ""
        if not st.form_submit_button(submit_label, type="primary", icon=":material/add_business:"):
            return None
    return CompanyDraft(name=name, currency=currency or "", fiscal_year_start_month=fiscal, color=color,
                        logo=logo.getvalue() if logo is not None else None,
                        logo_name=logo.name if logo is not None else "the logo", actor=actor)


def rename_form(key: str, current_name: str) -> str | None:
    """The new name once sent."""
    with st.form(key, border=False):
        new_name = st.text_input("New name", value=current_name, max_chars=120, key=f"{key}_name")
        if st.form_submit_button("Rename", icon=":material/edit:"):
            return new_name
    return None


def logo_form(key: str, has_logo: bool) -> tuple[str, bytes | None, str] | None:
    """("upload", bytes, file name) or ("remove", None, "") once asked; None otherwise."""
    upload = st.file_uploader("New logo", type=LOGO_TYPES, key=f"{key}_file", max_upload_size=1,
                              help="A PNG or JPEG of at most 1 MB; it is scaled down to 512 pixels.")
    buttons = st.container(horizontal=True)
    if buttons.button("Use this logo", disabled=upload is None, key=f"{key}_use", icon=":material/image:"):
        return "upload", upload.getvalue(), upload.name
    if has_logo and buttons.button("Remove the logo", key=f"{key}_remove", icon=":material/hide_image:"):
        return "remove", None, ""
    return None


def delete_form(key: str, name: str, what_goes: str) -> bool:
    """True once the person typed the company's name and pressed Delete."""
    shown = plain(name)
    st.warning(f"Deleting {shown} removes it and all its data for good ({what_goes}). "
               "Archive it instead to keep the data.", icon=":material/warning:")
    with st.form(key, border=False):
        typed = st.text_input(f"Type {shown} to confirm", key=f"{key}_typed")
        pressed = st.form_submit_button("Delete for good", type="primary", icon=":material/delete_forever:")
    if pressed and as_typed(typed).strip() != name:
        st.error(f"Type the company's name, {shown}, exactly to delete it.")
        return False
    return pressed


def when(moment: dt.datetime | None) -> str:
    """A recorded moment as the history shows it."""
    return f"{moment:%d %b %Y, %H:%M}" if moment else "-"


ACTION_TITLES = {"company.created": "Created", "company.renamed": "Renamed", "company.archived": "Archived",
                 "company.unarchived": "Un-archived", "company.logo_changed": "New logo",
                 "company.logo_removed": "Logo removed", "company.deleted": "Deleted",
                 "import": "Imported a file", "import.undone": "Undid an import", "preset.saved": "Saved a preset",
                 "scorecard.saved": "Commentary or votes", "month.closed": "Closed a month",
                 "month.reopened": "Reopened a month", "action.added": "Added an action",
                 "action.status": "Changed an action", "note.added": "Added a note",
                 "decision.added": "Recorded a decision", "agreement.draft_saved": "Saved a KPI draft",
                 "agreement.signed_ceo": "Signed as CEO", "agreement.signed_cmo": "Signed as CMO",
                 "agreement.draft_discarded": "Discarded a KPI draft", "driver_map.saved": "Changed the driver map",
                 "indicator.adopted": "Adopted a leading indicator", "indicator.dropped": "Dropped an indicator",
                 "leadership_system.saved": "Leadership system", "source_of_record.set": "Source of record",
                 "sql_source.added": "Added a SQL source", "sql_source.deleted": "Deleted a SQL source",
                 "sql_source.mapped": "Mapped a SQL source", "member.added": "Invited a member",
                 "member.removed": "Removed a member", "mail.preferences": "Mail choices",
                 "mail.share_safe": "Share-safe mail", "mail.pre_read_sent": "Sent the pre-read"}


def event_detail(action: str, detail: dict) -> str:
    if action == "company.created":
        return f"{detail.get('currency', '')}, fiscal year from {month_name(detail.get('fiscal_year_start_month', 1))}"
    if action == "company.renamed":
        return f"from {detail.get('from', '?')} to {detail.get('to', '?')}"
    if action == "company.logo_changed":
        return f"{detail.get('mime', '').removeprefix('image/').upper()}, {detail.get('bytes', 0) / 1024:,.0f} KB"
    return ", ".join(f"{key} {value}" for key, value in (detail or {}).items())


def history_table(entries: Sequence[AuditEntry]) -> None:
    """The company's recorded changes, newest first."""
    if not entries:
        st.caption("Nothing recorded yet.")
        return
    rows = [{"When": when(e.at), "What": ACTION_TITLES.get(e.action, e.action),
             "Who": e.actor or "(no name given)", "Details": event_detail(e.action, e.detail)} for e in entries]
    st.dataframe(rows, hide_index=True, width="stretch")


def companies_table(companies: Sequence[dict]) -> None:
    """The companies with their settings; archived ones say since when."""
    rows = [{"Company": c["name"], "Currency": c["currency"],
             "Fiscal year starts": month_name(c["fiscal_year_start_month"]), "Colour": c["color"],
             "Logo": "yes" if c["has_logo"] else "", "Demo": "yes" if c["is_demo"] else "",
             "Archived": when(c["archived_at"]) if c["archived_at"] else ""} for c in companies]
    st.dataframe(rows, hide_index=True, width="stretch")
