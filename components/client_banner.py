"""A thin banner in the client's colour at the top of each page, so nobody confuses two clients."""

from __future__ import annotations

import html
import re

import streamlit as st

from metrics.colors import text_color_on
from metrics.logo import Logo, banner_image

DEFAULT_COLOR = "#1f4e79"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _logo_tag(logo: Logo | None) -> str:
    """The logo on a white tile, so a dark logo still shows on a dark brand colour; sized to the name's type."""
    if logo is None:
        return ""
    return (f'<img data-testid="client-logo" src="{banner_image(logo)}" alt="" style="height:1.6em;width:auto;'
            f'background:#ffffff;border-radius:0.3rem;padding:2px 4px;margin-right:0.6rem;vertical-align:middle">')


def client_banner(name: str, color: str, page_title: str, logo: Logo | None = None) -> None:
    """The client's logo and name on its colour, with the page title beside it."""
    color = color if _HEX.match(color or "") else DEFAULT_COLOR
    text = text_color_on(color)
    st.markdown(
        f'<div data-testid="client-banner" style="background:{color};color:{text};padding:0.45rem 1rem;'
        f'border-radius:0.5rem;display:flex;justify-content:space-between;align-items:center;'
        f'margin-bottom:0.25rem"><span style="font-weight:600;font-size:1.05rem">{_logo_tag(logo)}'
        f'{html.escape(name)}</span>'
        f'<span style="opacity:0.85;font-size:0.9rem">{html.escape(page_title)}</span></div>',
        unsafe_allow_html=True,
    )
