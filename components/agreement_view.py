"""How the agreement looks: where it stands, the sign-off panel, and the version history with its diff."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.text import plain
from metrics.agreement import ROLE_TITLES, AgreementVersion, Role, diff
from metrics.catalog import MANDATE_TITLES, Catalog
from metrics.formatting import mask_currency_text
from metrics.people import is_unverified


def _signed(version: AgreementVersion) -> str:
    return "; ".join(f"{ROLE_TITLES[s.role]} {s.name}, {s.signed_at:%d %b %Y %H:%M}" for s in version.signatures)


def status_line(current: AgreementVersion | None, draft: AgreementVersion | None) -> None:
    """Which version drives the scorecard and what is waiting for whom."""
    if current is not None:
        st.success(f"{current.title} drives the scorecard — signed by {plain(_signed(current))}.",
                   icon=":material/handshake:")
    if draft is not None:
        waiting = " and ".join(ROLE_TITLES[r] for r in draft.awaiting)
        keeps = f" Until then the scorecard keeps using {current.title}." if current else ""
        st.info(f"{draft.title} is waiting for the {waiting}'s signature.{keeps}", icon=":material/draw:")
    if current is None and draft is None:
        st.info("Nothing agreed yet. Choose 3 to 7 KPIs below, save them as a draft, and have the CEO and the "
                "CMO both sign it.", icon=":material/handshake:")


def signoff(draft: AgreementVersion, unsaved: bool, known_names: dict[Role, str], *, may_sign: set[Role],
            single_user: bool) -> tuple[Role, str] | None:
    """One signature box per leader; returns the role and (typed, in single-user mode) name of whoever clicked
    'Sign'. Signed in, only the CEO member signs as CEO and only the CMO as CMO, under their own name."""
    if unsaved:
        st.caption("Save your changes first: a signature covers the saved draft, exactly as it stands.")
    signing = None
    for column, role in zip(st.columns(2), Role, strict=True):
        title = ROLE_TITLES[role]
        with column, st.container(border=True):
            done = draft.signature(role)
            if done is not None:
                st.markdown(f"**{title}** · :green[signed] by {plain(done.name)}, {done.signed_at:%d %b %Y %H:%M}")
                continue
            if role not in may_sign:
                st.caption(f"Waiting for the {title}'s signature.")
                continue
            name = st.text_input(f"{title}'s name", known_names.get(role, ""), key=f"sign_{role}_{draft.number}") \
                if single_user else ""
            if st.button(f"Sign as {title}", key=f"sign_button_{role}", disabled=unsaved, type="primary",
                         icon=":material/draw:"):
                signing = (role, name)
    return signing


def unverified_signoff(version: AgreementVersion) -> None:
    """Say so when both signatures were typed with sign-in off: one person may have signed for both."""
    if len(version.signatures) == 2 and all(is_unverified(s.name) for s in version.signatures):
        st.warning("Both signatures were typed in while sign-in was off, possibly by one person in one session: "
                   "they are unverified. Turn sign-in on for signatures that name who signed.",
                   icon=":material/gpp_maybe:")


def kpi_frame(version: AgreementVersion, catalog: Catalog, mask_currency: bool = False) -> pd.DataFrame:
    def text(value: str) -> str:
        return mask_currency_text(value) if mask_currency else value

    return pd.DataFrame({
        "KPI": [catalog[k.metric_key].label if k.metric_key in catalog else k.metric_key for k in version.kpis],
        "Mandate": [MANDATE_TITLES[k.mandate] for k in version.kpis],
        "Owner": [f"{k.owner_name} ({k.owner_role})" if k.owner_role else k.owner_name for k in version.kpis],
        "On track at": [f"{k.green_at:.0%}" for k in version.kpis],
        "At risk from": [f"{k.amber_at:.0%}" for k in version.kpis],
        "Months with a target": [len(k.targets) for k in version.kpis],
        "Why": [text(k.rationale) for k in version.kpis],
        "Evidence": [text(k.evidence) for k in version.kpis],
    })


def history(versions: Sequence[AgreementVersion], catalog: Catalog, currency: str,
            mask_currency: bool = False) -> None:
    """Every version, newest first, with what changed from the one before (money masked in share-safe mode)."""
    if not versions:
        st.caption("No versions yet.")
        return
    for index in range(len(versions) - 1, -1, -1):
        version = versions[index]
        signed = f" — signed by {_signed(version)}" if version.signatures else " — not signed yet"
        with st.expander(f"{version.title}{plain(signed)}", expanded=index == len(versions) - 1):
            st.dataframe(kpi_frame(version, catalog, mask_currency), hide_index=True, width="stretch")
            before = versions[index - 1] if index else None
            st.markdown(f"**Changes from {before.title}:**" if before else "**First version.**")
            if before:
                lines = diff(before.kpis, version.kpis, catalog, currency, mask_currency=mask_currency)
                st.markdown("\n".join(f"- {plain(line)}" for line in lines))
