"""When the portfolio is offered: to someone with several companies to compare, and never while presenting."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from components.presentation import presenting
from db import service
from db.access import Identity
from flows.frame import companies, single_user

PORTFOLIO_PAGE = "pages/portfolio.py"


def portfolio_for(identity: Identity) -> bool:
    """Whether the person may see the portfolio at all (see ``service.may_see_portfolio``)."""
    return service.may_see_portfolio(identity, single_user=single_user(), visible=companies(identity))


def portfolio_pages(identity: Identity) -> list[StreamlitPage]:
    """The portfolio's entry in the navigation, or none: not for a member of one company, not while presenting
    (it would put every client on a shared screen)."""
    if presenting() or not portfolio_for(identity):
        return []
    return [st.Page(PORTFOLIO_PAGE, title="Portfolio", icon=":material/view_list:")]
