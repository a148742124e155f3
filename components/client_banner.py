"""A thin banner in the client's colour at the top of each page, so nobody confuses two clients."""

from __future__ import annotations

import html
import re

import streamlit as st

from metrics.colors import text_color_on

DEFAULT_COLOR = "#1f4e79"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def client_banner(name: str, color: str, page_title: str) -> None:
    """The client's name on its colour, with the page title beside it."""
    color = color if _HEX.match(color or "") else DEFAULT_COLOR
    text = text_color_on(color)
    st.markdown(
        f'<div data-testid="client-banner" style="background:{color};color:{text};padding:0.45rem 1rem;'
        f'border-radius:0.5rem;display:flex;justify-content:space-between;align-items:baseline;'
        f'margin-bottom:0.25rem"><span style="font-weight:600;font-size:1.05rem">{html.escape(name)}</span>'
        f'<span style="opacity:0.85;font-size:0.9rem">{html.escape(page_title)}</span></div>',
        unsafe_allow_html=True,
    )
