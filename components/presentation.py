"""Presentation mode for screen-sharing, and the share-safe switch, on every page.

Presenting hides the sidebar, Streamlit's toolbar and every editing control, enlarges the type and
puts the client's name and colour in a banner. Pages mark their editing controls by putting them
in ``editing("name")``. ``?present=1`` (and ``&safe=1``) in the address turns the modes on.
Share-safe keeps changes, % of target and RAG but hides absolute currency figures on every page:
pages ask ``share_safe_on()`` and format through ``metrics.formatting`` with ``mask_currency``
(the review through ``metrics.review.share_safe``); edit boxes that would show amounts give way
to ``edit_paused``.
"""

from __future__ import annotations

import re

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.client_banner import client_banner
from metrics.logo import Logo

PRESENT_KEY = "presentation_mode"
SAFE_KEY = "share_safe"
_QUERY = {PRESENT_KEY: "present", SAFE_KEY: "safe"}
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


def _to_address(key: str) -> None:
    """Keep the address in step, so a shared link opens in the same mode."""
    if st.session_state.get(key):
        st.query_params[_QUERY[key]] = "1"
    else:
        st.query_params.pop(_QUERY[key], None)


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY))


def share_safe_on() -> bool:
    """Whether to hide absolute currency amounts."""
    return bool(st.session_state.get(SAFE_KEY))


def edit_paused(what: str) -> None:
    """Say why an edit box is missing in share-safe mode: what it holds could show amounts of money."""
    st.caption(f"Editing {what} is paused while share-safe is on, as the edit boxes would show amounts. "
               "Turn share-safe off to edit.")


def editing(name: str) -> DeltaGenerator:
    """A container for editing controls: shown normally, hidden while presenting."""
    return st.container(key=EDIT_PREFIX + re.sub(r"\W+", "_", name))


def _toggles(where: DeltaGenerator) -> None:
    where.toggle("Presentation mode", key=PRESENT_KEY, on_change=_to_address, args=(PRESENT_KEY,),
                 help="For screen-sharing: hides the sidebar and editing controls, enlarges the type.")
    where.toggle("Share-safe", key=SAFE_KEY, on_change=_to_address, args=(SAFE_KEY,),
                 help="Keeps changes, % of target and RAG; hides absolute currency figures.")


def presentation_frame(page_title: str, workspace: dict | None, logo: Logo | None = None) -> None:
    """The switches (sidebar normally, under the banner while presenting), the CSS and the client banner."""
    _from_address()
    if not presenting():
        _toggles(st.sidebar)
        return
    st.html(PRESENTING_CSS)
    if workspace is not None:
        with st.container(key="presentation_banner"):
            client_banner(workspace["name"], workspace["color"], page_title, logo=logo)
    _toggles(st.container(horizontal=True, key="presentation_switches"))
