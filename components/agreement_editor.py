"""Editing a KPI set: which KPIs, each one's terms, and the monthly targets grid with its fill helpers.

Widget state is kept under a prefix naming the workspace and the version being edited (number and
edit count): after a save, by this person or another, the form starts again from what is stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
from pydantic import ValidationError
from streamlit.delta_generator import DeltaGenerator

from components.text import plain
from metrics.agreement import AgreementVersion, LeadershipSystem, evidence_text
from metrics.catalog import MANDATE_TITLES, Catalog, Direction, Mandate, Unit
from metrics.periods import Month, add_months, month_label
from metrics.scorecard import (
    MAX_KPIS,
    KpiTerms,
    fill_flat,
    fill_from_last_year,
    fill_monthly_growth,
    kpi_count_problems,
    kpi_count_warning,
    tidy_target,
)
from metrics.series import MonthlyData, monthly_values

if TYPE_CHECKING:
    from db.indicators import AdoptedIndicator

FILL_METHODS = ("Flat", "+x% a month", "Same month last year +x%")
EMPTY_TARGET = ""  # a month without a target shows as an empty cell, not "None"
_OWNER = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)\s*$")


@dataclass(frozen=True)
class EditorContext:
    """What the editor needs: the version it starts from and the figures the fill helpers read."""

    prefix: str
    catalog: Catalog
    base: AgreementVersion | None
    leadership: LeadershipSystem
    months: list[Month]
    data: MonthlyData
    evidence: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)  # metric -> the sources that report it

    def key(self, *parts: object) -> str:
        return "_".join([self.prefix, *map(str, parts)])

    def base_terms(self, key: str) -> KpiTerms | None:
        return next((k for k in self.base.kpis if k.metric_key == key), None) if self.base else None

    def label(self, key: str) -> str:
        metric = self.catalog.get(key)
        return metric.label if metric else key


def _prefix(workspace_id: int, ref: tuple[int, int] | None) -> str:
    return f"agreement_{workspace_id}_{ref[0]}_{ref[1]}" if ref else f"agreement_{workspace_id}_new"


@dataclass(frozen=True)
class Pin:
    """The version this person is editing from: (number, edit) as it was when they started."""

    base: AgreementVersion | None
    ref: tuple[int, int] | None
    prefix: str
    stale: bool  # someone else saved since


def pinned_version(workspace_id: int, versions: list[AgreementVersion]) -> Pin:
    """Pin the version being edited when editing starts, so another person's save cannot silently
    replace what is on this screen: saving from a stale pin is refused as a conflict. With nothing
    being edited (the form was never shown, or was left for another page) the newest version is pinned.
    """
    latest = (versions[-1].number, versions[-1].edit) if versions else None
    pin_key = f"agreement_pin_{workspace_id}"
    pinned = st.session_state.get(pin_key, latest)
    if f"{_prefix(workspace_id, pinned)}_kpis" not in st.session_state:
        st.session_state.pop(f"{_prefix(workspace_id, pinned)}_grid", None)
        pinned = latest
    st.session_state[pin_key] = pinned
    base = next((v for v in versions if pinned and v.number == pinned[0]), None)
    return Pin(base, pinned, _prefix(workspace_id, pinned), pinned != latest)


def start_again(workspace_id: int) -> None:
    """Drop this person's unsaved edits and pin the newest version (after a save, or to see another's)."""
    for key in [k for k in st.session_state if str(k).startswith(f"agreement_{workspace_id}_")]:
        del st.session_state[key]
    st.session_state.pop(f"agreement_pin_{workspace_id}", None)


def evidence_lines(indicators: Sequence[AdoptedIndicator], catalog: Catalog) -> dict[str, list[str]]:
    """The validator's adopted indicators, offered as evidence for both the predictor and the outcome."""
    lines: dict[str, list[str]] = {}
    for found in indicators:
        if found.predictor_key not in catalog or found.outcome_key not in catalog:
            continue
        text = evidence_text(catalog[found.predictor_key].label, catalog[found.outcome_key].label,
                             found.lag_months, found.evidence, found.adopted_at.date())
        for key in (found.predictor_key, found.outcome_key):
            lines.setdefault(key, []).append(text)
    return lines


def grid_months(latest: Month, base: AgreementVersion | None) -> list[Month]:
    """Two years back to a year ahead of the latest month, plus every month the version already targets."""
    months = {add_months(latest, i) for i in range(-23, 13)}
    months |= {m for k in (base.kpis if base else []) for m in k.targets}
    return sorted(months)


def choose_kpis(ctx: EditorContext) -> list[str]:
    """The KPI picker; says why at the eighth and nudges above five."""
    options = [m.key for m in ctx.catalog if m.direction != Direction.NEUTRAL]
    default = [k.metric_key for k in ctx.base.kpis] if ctx.base else []

    def describe(key: str) -> str:
        metric = ctx.catalog[key]
        return f"{metric.label} · {MANDATE_TITLES[metric.mandate]} · {metric.metric_class.value}"

    chosen = st.multiselect("KPIs, 3 to 7", options, default=default, key=ctx.key("kpis"), format_func=describe,
                            placeholder="Choose the few numbers you will both be judged by")
    problems, warning = kpi_count_problems(len(chosen)), kpi_count_warning(len(chosen))
    if len(chosen) > MAX_KPIS:
        st.error(problems[0], icon=":material/block:")
    elif problems and chosen:
        st.info(problems[0])
    if warning:
        st.warning(warning)
    return chosen


def _default_owner(ctx: EditorContext, mandate: Mandate) -> tuple[str, str]:
    """Who the leadership system says owns this mandate, split into name and role."""
    owner = ctx.leadership.owner_for(mandate)
    match = _OWNER.match(owner)
    return (match["name"], match["role"]) if match else (owner, "")


def kpi_fields(ctx: EditorContext, key: str) -> dict:
    """One KPI's terms: mandate, owner, thresholds, rationale, evidence, source of record."""
    metric, base = ctx.catalog[key], ctx.base_terms(key)
    mandate_default = base.mandate if base else metric.mandate
    name, role = (base.owner_name, base.owner_role) if base else _default_owner(ctx, mandate_default)
    better = "higher" if metric.direction == Direction.UP else "lower"
    with st.container(border=True, key=ctx.key("terms", key)):
        st.markdown(f"**{plain(metric.label)}** · {metric.metric_class.value} · {better} is better")
        mandate_col, name_col, role_col, green_col, amber_col = st.columns([2, 2, 2, 1.3, 1.3])
        mandates = list(Mandate)
        mandate = mandate_col.selectbox("Mandate", mandates, index=mandates.index(mandate_default),
                                        format_func=MANDATE_TITLES.__getitem__, key=ctx.key(key, "mandate"))
        owner_name = name_col.text_input("Owner", name, key=ctx.key(key, "owner"))
        owner_role = role_col.text_input("Owner's role", role, key=ctx.key(key, "role"))
        green = green_col.number_input("On track at (% of target)", 1, 200, round((base.green_at if base else 1) * 100),
                                       key=ctx.key(key, "green"))
        amber = amber_col.number_input("At risk from (%)", 1, 200, round((base.amber_at if base else 0.9) * 100),
                                       key=ctx.key(key, "amber"))
        why_col, evidence_col, source_col = st.columns([4, 3, 2])
        rationale = why_col.text_input("Why: the outcome it serves", base.rationale if base else "", max_chars=300,
                                       key=ctx.key(key, "why"))
        evidence = _evidence_choice(ctx, key, base, evidence_col)
        current = base.source_of_record if base else ""
        choices = list(dict.fromkeys(["", *ctx.sources.get(key, []), current]))
        source = source_col.selectbox(
            "Reconcile against", choices, index=choices.index(current), key=ctx.key(key, "source"),
            format_func=lambda name: name or "(none)",
            help="When several sources report this figure and the Data page sets no source of record for it, "
                 "the other reports are checked against this one.")
    return {"metric_key": key, "mandate": mandate, "owner_name": owner_name, "owner_role": owner_role,
            "green_at": green / 100, "amber_at": amber / 100, "rationale": rationale, "evidence": evidence,
            "source_of_record": source.strip()}


def _evidence_choice(ctx: EditorContext, key: str, base: KpiTerms | None, where: DeltaGenerator) -> str:
    options = ["", *ctx.evidence.get(key, [])]
    if base and base.evidence and base.evidence not in options:
        options.append(base.evidence)
    if len(options) == 1:
        where.caption("Validator evidence: none adopted for this metric yet (see Output vs outcome).")
        return ""
    return where.selectbox("Validator evidence", options, index=options.index(base.evidence if base else ""),
                           format_func=lambda e: e or "None", key=ctx.key(key, "evidence"))


# --- the targets grid -------------------------------------------------------------------------


def _grid(ctx: EditorContext, keys: list[str]) -> pd.DataFrame:
    """Every target column shown so far in this edit (kept when a KPI is dropped and picked again)."""
    grid = st.session_state.get(ctx.key("grid"))
    if grid is None:
        grid = pd.DataFrame({"Month": [month_label(m) for m in ctx.months]})
    for key in keys:
        if key not in grid:
            base = ctx.base_terms(key)
            grid[key] = [base.targets.get(m) if base else None for m in ctx.months]
            grid[key] = grid[key].astype("float64")
    st.session_state[ctx.key("grid")] = grid
    return grid


def _number_format(unit: Unit) -> str:
    return {Unit.PERCENT: "percent", Unit.CURRENCY: "compact", Unit.COUNT: "localized"}.get(unit, "%.1f")


def targets_grid(ctx: EditorContext, keys: list[str]) -> dict[str, dict[Month, float]]:
    """The editable grid (months down, KPIs across); returns each KPI's targets by month."""
    if not keys:
        return {}
    grid = _grid(ctx, keys)
    config = {k: st.column_config.NumberColumn(ctx.label(k), format=_number_format(ctx.catalog[k].unit))
              for k in keys}
    version = st.session_state.get(ctx.key("grid_version"), 0)
    edited = st.data_editor(grid[["Month", *keys]], key=ctx.key("grid_editor", version, len(keys), *keys),
                            hide_index=True, disabled=["Month"], column_config=config, height=420,
                            width="stretch", num_rows="fixed", placeholder=EMPTY_TARGET)
    grid.loc[:, keys] = edited[keys].to_numpy()
    return {k: {m: float(v) for m, v in zip(ctx.months, grid[k], strict=True) if pd.notna(v)} for k in keys}


def fill_helper(ctx: EditorContext, keys: list[str]) -> None:
    """Fill a KPI's targets over a range of months: flat, growing each month, or last year plus a change."""
    if not keys:
        return
    notice = st.session_state.pop(ctx.key("fill_notice"), None)
    if notice:
        st.success(plain(notice))
    with st.expander("Fill targets for a range of months", icon=":material/format_color_fill:"), \
            st.form(ctx.key("fill")):
        kpi_col, method_col, value_col, pct_col = st.columns([3, 3, 2, 2])
        key = kpi_col.selectbox("KPI", keys, format_func=ctx.label, key=ctx.key("fill_kpi"))
        method = method_col.selectbox("Method", FILL_METHODS, key=ctx.key("fill_method"))
        value = value_col.number_input("Value (flat) or start", value=0.0, format="%g", key=ctx.key("fill_value"),
                                       help="Rates as fractions: 0.02 is 2%.")
        pct = pct_col.number_input("Change (%)", value=0.0, step=1.0, format="%g", key=ctx.key("fill_pct"),
                                   help="Per month for '+x% a month'; against last year for the last method.")
        first_col, last_col = st.columns(2)
        first = first_col.selectbox("From", ctx.months, index=min(23, len(ctx.months) - 1), format_func=month_label,
                                    key=ctx.key("fill_from"))
        last = last_col.selectbox("To", ctx.months, index=len(ctx.months) - 1, format_func=month_label,
                                  key=ctx.key("fill_to"))
        applied = st.form_submit_button("Fill", icon=":material/format_color_fill:")
    if applied:
        _apply_fill(ctx, keys, key, method, value, pct / 100, [m for m in ctx.months if first <= m <= last])


def _apply_fill(ctx: EditorContext, keys: list[str], key: str, method: str, value: float, change: float,
                months: list[Month]) -> None:
    if not months:
        st.error("'From' is after 'To': choose a range of months to fill.")
        return
    if method == FILL_METHODS[0]:
        filled: dict[Month, float | None] = dict(fill_flat(months, value))
    elif method == FILL_METHODS[1]:
        filled = dict(fill_monthly_growth(months, value, change))
    else:
        actuals = monthly_values(ctx.catalog, key, ctx.data, [add_months(m, -12) for m in months])
        filled = fill_from_last_year(months, actuals, change)
    grid, unit = _grid(ctx, keys), ctx.catalog[key].unit
    rows = {m: i for i, m in enumerate(ctx.months)}
    done = {m: tidy_target(v, unit) for m, v in filled.items() if v is not None}
    for month, target in done.items():
        grid.loc[rows[month], key] = target
    st.session_state[ctx.key("grid_version")] = st.session_state.get(ctx.key("grid_version"), 0) + 1
    skipped = len(months) - len(done)
    gap = f"; {skipped} month(s) had no figure last year and were left as they were" if skipped else ""
    st.session_state[ctx.key("fill_notice")] = f"Filled {len(done)} month(s) of {ctx.label(key)}{gap}."
    st.rerun()


def build_terms(ctx: EditorContext, fields: list[dict],
                targets: dict[str, dict[Month, float]]) -> tuple[list[KpiTerms], list[str]]:
    """The KPI set as typed, or the problems that stop it (each naming its KPI)."""
    terms, problems = [], []
    for values in fields:
        try:
            terms.append(KpiTerms(**values, targets=targets.get(values["metric_key"], {})))
        except ValidationError as error:
            message = error.errors()[0]["msg"].removeprefix("Value error, ")
            problems.append(f"{ctx.label(values['metric_key'])}: {message}.")
    return terms, problems
