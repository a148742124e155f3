"""The KPI agreement: a few KPIs the CEO and the CMO choose together, with owners and targets, signed by both."""

from __future__ import annotations

import streamlit as st

import clock
from components import agreement_editor as editor
from components import agreement_view as view
from components.frame import page_header
from components.presentation import edit_paused, editing, share_safe_on
from components.scorecard_forms import attempt
from db import cached
from db.scorecard import discard_draft, save_draft, sign_agreement
from metrics.agreement import kpi_problems, kpi_warnings
from metrics.catalog import STANDARD_CATALOG
from metrics.scorecard import kpi_count_problems

CATALOG = STANDARD_CATALOG
page = page_header("KPI agreement")
workspace, ws, url = page.workspace, page.workspace_id, page.url
versions = cached.agreement_versions(url, ws)
agreed = [v for v in versions if v.agreed]
current = agreed[-1] if agreed else None
draft = versions[-1] if versions and not versions[-1].agreed else None
pin = editor.pinned_version(ws, versions)
base = pin.base

st.title("KPI agreement")
st.caption("A few numbers, chosen together, each with an owner and a target, and a plan to improve them. "
           "Brand (the meaning) and growth (the math) are judged apart.")
view.status_line(current, draft)
if share_safe_on():  # the editor shows targets as amounts: only the masked history while share-safe is on
    edit_paused("the agreement")
    st.subheader("Version history", divider="gray")
    view.history(versions, CATALOG, workspace["currency"], mask_currency=True)
    st.stop()

months = page.months
latest = max(months) if months else clock.today().replace(day=1)
ctx = editor.EditorContext(
    prefix=pin.prefix, catalog=CATALOG, base=base, leadership=cached.leadership_system(url, ws),
    months=editor.grid_months(latest, base), data=cached.monthly_data(url, ws),
    evidence=editor.evidence_lines(cached.adopted_indicators(url, ws), CATALOG),
    sources=cached.metric_sources(url, ws))
if pin.stale:
    st.warning("Someone else saved the agreement since you started editing. Your changes cannot be saved over "
               "theirs: start again from their version.", icon=":material/sync_problem:")
    if st.button("Start again from the latest version", icon=":material/refresh:"):
        editor.start_again(ws)
        st.rerun()

with editing("agreement_editor"):
    st.subheader("1. Choose the KPIs", divider="gray")
    keys = editor.choose_kpis(ctx)
    if keys:
        st.subheader("2. Owners, thresholds and why", divider="gray")
    fields = [editor.kpi_fields(ctx, key) for key in keys]
    if keys:
        st.subheader("3. Monthly targets", divider="gray")
    editor.fill_helper(ctx, keys)
    terms, problems = editor.build_terms(ctx, fields, editor.targets_grid(ctx, keys))
    problems = problems or kpi_problems(terms, CATALOG)
    unsaved = bool(keys) and (base is None or terms != base.kpis)
    if keys and not problems:
        for warning in kpi_warnings(terms, CATALOG, [m for m in ctx.months if m <= latest]):
            st.caption(warning)
    typed = [p for p in problems if p not in kpi_count_problems(len(keys))]  # the count is said above
    if keys and typed:
        st.error("Not ready to save: " + " ".join(typed), icon=":material/edit_note:")
    number = 1 if base is None else base.number + int(base.agreed)
    saving = st.button(f"Save as draft v{number}", type="primary", disabled=bool(problems) or not unsaved,
                       icon=":material/save:", help=None if unsaved else "No changes to save.")
    if saving and attempt(lambda session: save_draft(session, ws, terms, based_on=pin.ref)):
        editor.start_again(ws)
        st.rerun()

if draft is not None:
    st.subheader(f"4. Sign {draft.title}", divider="gray")
    names = {s.role: s.name for s in (current.signatures if current else [])}
    with editing("signoff"):
        signing = view.signoff(draft, unsaved, names)
    edit = pin.ref[1] if pin.ref and pin.ref[0] == draft.number else draft.edit
    if signing and attempt(lambda session: sign_agreement(session, ws, draft.number, edit, *signing)):
        st.rerun()
    with editing("discard_draft"):
        if st.button(f"Discard {draft.title}", icon=":material/delete:", type="tertiary") and attempt(
                lambda session: discard_draft(session, ws, draft.number, draft.edit)):
            editor.start_again(ws)
            st.rerun()

st.subheader("Version history", divider="gray")
view.history(versions, CATALOG, workspace["currency"])
