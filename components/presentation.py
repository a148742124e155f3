"""Presentation mode for screen-sharing, and the share-safe switch, on every page.

Presenting hides the sidebar, Streamlit's toolbar and every editing control, enlarges the type and
puts the client's name and colour in a banner, with the way through the pages under it: previous and
next, and the list of pages. Pages mark their editing controls by putting them in ``editing("name")``.
``?present=1`` (and ``&safe=1``) in the address turns the modes on, and the address keeps them on every
page, so a reload or a shared link opens as the presenter sees it.
Share-safe keeps changes, % of target and RAG but hides absolute currency figures on every page, and
sends none to the browser: pages ask ``share_safe_on()``, format through ``metrics.formatting`` with
``mask_currency`` (the review through ``metrics.review.share_safe``) and chart money rebased (index = 100
or % of target); edit boxes that would show amounts give way to ``edit_paused``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from components.client_banner import client_banner
from metrics.logo import Logo

PRESENT_KEY = "presentation_mode"
SAFE_KEY = "share_safe"
PRESENT_PARAM, SAFE_PARAM, CLIENT_PARAM = "present", "safe", "client"
_QUERY = {PRESENT_KEY: PRESENT_PARAM, SAFE_KEY: SAFE_PARAM}
EDIT_PREFIX = "edit_"

PRESENTING_CSS = f"""
<style>
  html {{ font-size: 20px; }}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [class*="st-key-{EDIT_PREFIX}"] {{ display: none !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-top: 1.2rem; max-width: 100%; }}
  h1 {{ font-size: 2.4rem !important; }}
  /* one banner only: the presentation's own, larger; pages' banners give way to it */
  [data-testid="client-banner"] {{ display: none !important; }}
  .st-key-presentation_banner [data-testid="client-banner"] {{
    display: flex !important; padding: 0.8rem 1.4rem !important; }}
  .st-key-presentation_banner [data-testid="client-banner"] span:first-child {{ font-size: 1.8rem !important; }}
  .st-key-presentation_banner [data-testid="client-banner"] span:last-child {{ font-size: 1.2rem !important; }}
</style>
"""


def _from_address() -> None:
    """On a session's first run, take the modes from the address (?present=1&safe=1)."""
    for key, name in _QUERY.items():
        if key not in st.session_state:
            st.session_state[key] = st.query_params.get(name) == "1"


def _keep_modes_in_address() -> None:
    """Write the modes into the address on every run (a page change clears it), so a reload keeps them."""
    for key, name in _QUERY.items():
        if st.session_state.get(key) and st.query_params.get(name) != "1":
            st.query_params[name] = "1"
        elif not st.session_state.get(key) and name in st.query_params:
            del st.query_params[name]


def address_params(client: str | None = None) -> dict[str, str]:
    """What a link to another page carries so it opens as this one: the modes that are on, and the company."""
    params = {name: "1" for key, name in _QUERY.items() if st.session_state.get(key)}
    return {**params, CLIENT_PARAM: client} if client else params


def presenting() -> bool:
    _from_address()  # asked before the frame is drawn too (the navigation leaves the portfolio out)
    return bool(st.session_state.get(PRESENT_KEY))


def share_safe_on() -> bool:
    """Whether to hide absolute currency amounts."""
    _from_address()
    return bool(st.session_state.get(SAFE_KEY))


def edit_paused(what: str) -> None:
    """Say why an edit box is missing in share-safe mode: what it holds could show amounts of money."""
    st.caption(f"Editing {what} is paused while share-safe is on, as the edit boxes would show amounts. "
               "Turn share-safe off to edit.")


def editing(name: str) -> DeltaGenerator:
    """A container for editing controls: shown normally, hidden while presenting."""
    return st.container(key=EDIT_PREFIX + re.sub(r"\W+", "_", name))


def _toggles(where: DeltaGenerator) -> None:
    where.toggle("Presentation mode", key=PRESENT_KEY,
                 help="For screen-sharing: hides the sidebar and editing controls, enlarges the type.")
    where.toggle("Share-safe", key=SAFE_KEY,
                 help="Keeps changes, % of target and RAG; hides absolute currency figures.")


def _position(pages: Sequence[StreamlitPage], current: StreamlitPage) -> int | None:
    """Where ``current`` stands in the presentation's order (None: a page outside it)."""
    return next((i for i, page in enumerate(pages) if page.url_path == current.url_path), None)


def neighbours(pages: Sequence[StreamlitPage], current: StreamlitPage
               ) -> tuple[StreamlitPage | None, StreamlitPage | None]:
    """The pages before and after ``current`` in the presentation's order; from a page outside it, the way
    back leads to its first page."""
    position = _position(pages, current)
    if position is None:
        return None, pages[0] if pages else None
    return (pages[position - 1] if position else None,
            pages[position + 1] if position + 1 < len(pages) else None)


def page_list_label(pages: Sequence[StreamlitPage], current: StreamlitPage) -> str:
    """The page list's button: where the presenter is, as "Page 2 of 6 · Scorecard"."""
    position = _position(pages, current)
    return "Pages" if position is None else f"Page {position + 1} of {len(pages)} · {current.title}"


def presentation_nav(pages: Sequence[StreamlitPage], current: StreamlitPage, params: dict[str, str]) -> None:
    """Previous, the page list and next: the way through the pages while the sidebar is hidden. Every link
    carries the modes and the company, so the next page opens as this one."""
    before, after = neighbours(pages, current)
    if before is not None:
        st.page_link(before, label=f"Previous: {before.title}", icon=":material/arrow_back:", query_params=params)
    with st.popover(page_list_label(pages, current), icon=":material/list:", key="presentation_pages"):
        for number, page in enumerate(pages, start=1):
            st.page_link(page, label=f"{number}. {page.title}", icon=page.icon, query_params=params,
                         disabled=page.url_path == current.url_path)
    if after is not None:
        st.page_link(after, label=f"Next: {after.title}", icon=":material/arrow_forward:", icon_position="right",
                     query_params=params)


def presentation_frame(current: StreamlitPage, workspace: dict | None, logo: Logo | None = None,
                       pages: Sequence[StreamlitPage] = ()) -> None:
    """The switches (sidebar normally, under the banner while presenting), the CSS, the client banner and,
    while presenting, the way through ``pages``; the address is kept in step with the modes."""
    _from_address()
    _keep_modes_in_address()
    if not presenting():
        _toggles(st.sidebar)
        return
    st.html(PRESENTING_CSS)
    if workspace is not None:
        with st.container(key="presentation_banner"):
            client_banner(workspace["name"], workspace["color"], current.title, logo=logo)
    with st.container(horizontal=True, vertical_alignment="center", key="presentation_controls"):
        if pages:
            presentation_nav(pages, current, address_params(workspace["slug"] if workspace else None))
        st.space("stretch")
        _toggles(st.container(horizontal=True, width="content", key="presentation_switches"))
