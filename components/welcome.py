"""The welcome of an install without a client company: explore the demo companies, or add your own."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from components.company_form import CompanyDraft, company_form

EXPLORE_DEMO = "Explore the demo companies"
ADD_COMPANY = "Add your company"
WELCOME_FORM = "welcome_company"


def welcome(archived: int, *, ask_actor: bool = True) -> Literal["demo"] | CompanyDraft | None:
    """"demo" when the demo companies are asked for, the new company's draft when one is sent, else None.
    ``ask_actor``: ask for the name to record (single-user mode; signed in, the name is the person's own)."""
    st.title("Welcome to Alignboard")
    st.markdown("One panel for the monthly CEO–CMO review: marketing and revenue figures side by side, activity "
                "kept apart from results, and the KPIs you both agreed. Each client company is a workspace of its "
                "own; start with one.")
    if archived:
        kept = ("1 archived company is kept with all its data: un-archive it" if archived == 1 else
                f"{archived} archived companies are kept with all their data: un-archive them")
        st.info(f"{kept} under Settings → Companies.", icon=":material/inventory_2:")
    demo, own = st.columns([2, 3], gap="large")
    with demo:
        st.subheader("See it with sample figures")
        st.markdown("Two made-up companies with three years of figures, a signed KPI agreement and closed past "
                    "reviews: **Northwind Analytics** (B2B software) and **Bloom & Brew** (a subscription shop).")
        explore = st.button(EXPLORE_DEMO, icon=":material/explore:", key="welcome_demo")
    with own:
        st.subheader(ADD_COMPANY)
        st.caption("Then bring its numbers in under Data → Bring your own numbers.")
        draft = company_form(WELCOME_FORM, ADD_COMPANY, ask_actor=ask_actor)
    if explore:
        return "demo"
    return draft
