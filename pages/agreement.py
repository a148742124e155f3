"""The KPI agreement: a few KPIs the CEO and the CMO choose together, with owners and targets, signed by both."""

from __future__ import annotations

import streamlit as st

import clock
from components import agreement_editor as editor
from components import agreement_view as view
from components.person import person_name
from components.presentation import edit_paused, editing, share_safe_on
from components.text import plain
from db import service
from db.access import Permission
from flows.frame import page_header
from flows.saving import save
from metrics.agreement import Role, kpi_problems, kpi_warnings
from metrics.catalog import STANDARD_CATALOG
from metrics.scorecard import kpi_count_problems

CATALOG = STANDARD_CATALOG
page = page_header("KPI agreement")
scope, workspace, ws = page.scope, page.workspace, page.workspace_id
versions = service.agreement_versions(scope)
agreed = [v for v in versions if v.agreed]
current = agreed[-1] if agreed else None
draft = versions[-1] if versions and not versions[-1].agreed else None
pin = editor.pinned_version(ws, versions)
base = pin.base

st.title("KPI agreement")
st.caption("A few numbers, chosen together, each with an owner and a target, and a plan to improve them. "
           "Brand (the meaning) and growth (the math) are judged apart.")
view.status_line(current, draft)
if current is not None:
    view.unverified_signoff(current)
if share_safe_on():  # the editor shows targets as amounts: only the masked history while share-safe is on
    edit_paused("the agreement")
    st.subheader("Version history", divider="gray")
    view.history(versions, CATALOG, workspace["currency"], mask_currency=True)
    st.stop()

months = page.months
latest = max(months) if months else clock.today().replace(day=1)
ctx = editor.EditorContext(
    prefix=pin.prefix, catalog=CATALOG, base=base, leadership=service.leadership_system(scope),
    months=editor.grid_months(latest, base), data=service.monthly_data(scope),
    evidence=editor.evidence_lines(service.adopted_indicators(scope), CATALOG),
    sources=service.metric_sources(scope))


def edit_agreement() -> bool:
    """The editor (steps 1 to 3); True while it holds changes not yet saved as a draft."""
    if pin.stale:
        st.warning("Someone else saved the agreement since you started editing. Your changes cannot be saved over "
                   "theirs: start again from their version.", icon=":material/sync_problem:")
        if st.button("Start again from the latest version", icon=":material/refresh:"):
            editor.start_again(ws)
            st.rerun()
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
            st.caption(plain(warning))
    typed = [p for p in problems if p not in kpi_count_problems(len(keys))]  # the count is said above
    if keys and typed:
        st.error("Not ready to save: " + plain(" ".join(typed)), icon=":material/edit_note:")
    number = 1 if base is None else base.number + int(base.agreed)
    saving = st.button(f"Save as draft v{number}", type="primary", disabled=bool(problems) or not unsaved,
                       icon=":material/save:", help=None if unsaved else "No changes to save.")
    if saving and save(scope, Permission.PLAN, "agreement.draft_saved",
                       lambda session: service.save_draft(session, ws, terms, based_on=pin.ref), typed_name=person):
        editor.start_again(ws)
        st.rerun()
    return unsaved


with editing("person"):
    person = person_name(scope.single_user, scope.named())
unsaved = False
if scope.can(Permission.PLAN):
    with editing("agreement_editor"):
        unsaved = edit_agreement()
else:
    st.caption("The CEO, the CMO and the company's advisor choose the KPIs; every version is below.")

may_sign = {role for role, permission in ((Role.CEO, Permission.SIGN_CEO), (Role.CMO, Permission.SIGN_CMO))
            if scope.can(permission)}
if draft is not None:
    st.subheader(f"4. Sign {draft.title}", divider="gray")
    names = {s.role: s.name for s in (current.signatures if current else [])} if scope.single_user else {}
    with editing("signoff"):
        signing = view.signoff(draft, unsaved, names, may_sign=may_sign, single_user=scope.single_user)
    edit = pin.ref[1] if pin.ref and pin.ref[0] == draft.number else draft.edit
    if signing is not None:
        role, typed = signing
        if save(scope, Permission.SIGN_CEO if role == Role.CEO else Permission.SIGN_CMO, f"agreement.signed_{role}",
                lambda session: service.sign_agreement(session, ws, draft.number, edit, role, scope.named(typed)),
                typed_name=typed, detail={"version": draft.number}):
            st.rerun()
    if scope.can(Permission.PLAN):
        with editing("discard_draft"):
            if st.button(f"Discard {draft.title}", icon=":material/delete:", type="tertiary") and save(
                    scope, Permission.PLAN, "agreement.draft_discarded",
                    lambda session: service.discard_draft(session, ws, draft.number, draft.edit), typed_name=person):
                editor.start_again(ws)
                st.rerun()

st.subheader("Version history", divider="gray")
view.history(versions, CATALOG, workspace["currency"])
