"""The five-step validator's inputs (steps 1-3), its adopt control (step 5) and the adopted-indicator cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import streamlit as st

from components.presentation import editing
from components.text import plain
from metrics.catalog import Catalog, MetricClass
from metrics.drivers import DriverMap, drivers_of
from metrics.periods import Month, month_label, months_between
from metrics.predictive import (
    CORRECTION,
    DEFAULT_LAGS,
    Analysis,
    LagResult,
    Retest,
    RetestStatus,
    SecondLook,
    VerdictKind,
    left_out_text,
    months_ahead,
)
from metrics.series import MonthlyData

if TYPE_CHECKING:
    from db.indicators import AdoptedIndicator

DEFAULT_OUTCOME = "pipeline_created"


@dataclass(frozen=True)
class ValidatorChoice:
    """What steps 1 to 3 chose: the outcome, the candidate predictor, the sample months and the lags, and
    whether the partial months of the sample are included (``left_out`` is what the analysis must leave out)."""

    outcome: str
    predictor: str
    sample: list[Month]
    lags: tuple[int, ...]
    include_partial: bool = False
    left_out: frozenset[Month] = field(default_factory=frozenset)


def _with_data(catalog: Catalog, data: MonthlyData) -> list[str]:
    return [m.key for m in catalog if all(k in data for k in m.inputs if k != "months")]


def _step(number: int, title: str) -> None:
    st.markdown(f"**Step {number} · {title}**")


def validator_inputs(catalog: Catalog, data: MonthlyData, months: Sequence[Month], drivers: DriverMap,
                     partial: Collection[Month]) -> ValidatorChoice | None:
    """Steps 1-3 as numbered boxes, in the order of the five-step method; None when nothing can be tested.

    ``partial`` are the months whose figures cover only part of the month: left out unless the user includes them.
    """
    available = _with_data(catalog, data)
    outcomes = [k for k in available if catalog[k].metric_class == MetricClass.OUTCOME]
    span = months_between(min(months), max(months)) if months else []
    if not outcomes or len(available) < 2 or len(span) < 2:
        st.info("The validator needs at least one business outcome and one other metric, over two months or more. "
                "Import more figures to use it.")
        return None
    with st.container(border=True):
        _step(1, "Pick the business outcome you want to move")
        outcome = st.selectbox("Business outcome", outcomes, format_func=lambda k: catalog[k].label,
                               index=outcomes.index(DEFAULT_OUTCOME) if DEFAULT_OUTCOME in outcomes else 0)
    meant = [k for k in drivers_of(drivers, outcome) if k in available]
    candidates = meant + [k for k in available if k not in meant and k != outcome]
    with st.container(border=True):
        _step(2, "Pick a candidate predictor (any metric)")
        predictor = st.selectbox("Candidate predictor", candidates, format_func=lambda k: catalog[k].label
                                 + (" (meant to drive it)" if k in meant else ""))
    with st.container(border=True):
        _step(3, "Choose the sample and the lags to test")
        first, last = st.select_slider("Sample months", span, value=(span[0], span[-1]), format_func=month_label)
        most = st.slider("Test leads of 0 up to … months", 1, 12, max(DEFAULT_LAGS))
        partial_here = sorted(m for m in partial if first <= m <= last)
        include = partial_months_choice(partial_here)
        st.caption("Months only: Alignboard keeps monthly figures, so a weekly sample is not offered. "
                   "At least 12 month-to-month changes are needed at a lag for it to be tested.")
    left_out = frozenset() if include else frozenset(partial_here)
    return ValidatorChoice(outcome, predictor, months_between(first, last), tuple(range(most + 1)), include, left_out)


def partial_months_choice(partial_here: Sequence[Month]) -> bool:
    """The "Include partial months" checkbox (off by default), shown only when the sample has partial months."""
    if not partial_here:
        st.caption("No partial months in this sample: every month's figures cover the whole month.")
        return False
    include = st.checkbox("Include partial months", value=False,
                          help="A month whose figures cover only some of its days makes a small month and a big "
                               "jump after it, which can look like a relationship that is not there.")
    named = ", ".join(month_label(m) for m in partial_here)
    st.caption(plain(f"Partial months in this sample: {named}. "
                     + ("They are included in the test." if include else
                        "They are left out, and so is the change into and out of each.")))
    return include


def _agreement_line(best: LagResult, look: SecondLook) -> str:
    numbers = (f"Rank correlation (Spearman) at {months_ahead(best.lag)}: ρ = {best.spearman:.2f}, "
               f"{CORRECTION}-corrected p = {best.spearman_p_adjusted:.3g}.")
    return f"{numbers} It agrees." if look.spearman_agrees else f"{numbers} {look.reasons()[0]}"


def _leave_one_out_line(look: SecondLook) -> str:
    if look.carried_by:
        reason = look.reasons()[-1]
        return f"Leaving out one month at a time, {reason[0].lower()}{reason[1:]}"
    if look.weakest is None:
        return ""
    month = month_label(look.weakest.months[0])
    return (f"Leaving out one month at a time, no single month carries it: the weakest result is without "
            f"{month}, {look.weakest.text()}.")


def second_look_view(analysis: Analysis) -> None:
    """Under step 4: the checks a reliable-looking lag must pass, and the months left out of the sample."""
    look, best = analysis.second_look, analysis.best
    checks = [_agreement_line(best, look), _leave_one_out_line(look)] if look and best else []
    lines = [line for line in (*checks, left_out_text(analysis.excluded)) if line]
    if not lines:
        return
    with st.container(border=True):
        st.markdown("**A second look at the verdict**")
        for line in lines:
            st.markdown(plain(line))


def adopt_control(analysis: Analysis, labels: tuple[str, str], *, ask_name: bool = True) -> str | None:
    """Step 5: who adopts it, and the button. Returns the adopter's typed name ("" when signed in: the record
    takes the person's own) when clicked."""
    with st.container(border=True):
        st.markdown("**Step 5 · Implement, iterate and monitor**")
        if analysis.verdict == VerdictKind.FRAGILE:
            st.caption("A fragile result cannot be adopted as a leading indicator: it does not survive the second "
                       "look above. A longer sample, or more months of figures, may settle it.")
            return None
        if analysis.verdict != VerdictKind.PREDICTS or analysis.best is None:
            st.caption("Only a metric that predicts the outcome ahead of time can be adopted as a leading "
                       "indicator. Try another predictor, a longer sample or more lags.")
            return None
        st.caption(plain(f"Adopting records {labels[0]} as a leading indicator of {labels[1]} "
                         f"({months_ahead(analysis.best.lag)}) with today's evidence. Each later month the "
                         "relationship is re-tested on the newest figures."))
        name = st.text_input("Adopted by", placeholder="Your name") if ask_name else ""
        if not st.button("Adopt as leading indicator", type="primary"):
            return None
        if ask_name and not name.strip():
            st.error("Type your name in 'Adopted by' so the record says who agreed it.")
            return None
        return name.strip()


STATUS_BADGES = {RetestStatus.STILL_PREDICTS: ("Still predicts", "green"),
                 RetestStatus.STOPPED: ("Stopped predicting", "red"),
                 RetestStatus.NOT_YET: ("Awaiting next month", "gray")}


def indicator_card(indicator: AdoptedIndicator, check: Retest, catalog: Catalog) -> bool:
    """One adopted indicator: what, how strong when adopted, by whom, and whether it still holds.

    Returns True when the user asks to stop tracking it.
    """
    evidence = indicator.evidence
    with st.container(border=True):
        title, badge = st.columns([4, 1])
        title.markdown(plain(f"{catalog[indicator.predictor_key].label} → {catalog[indicator.outcome_key].label}, "
                             f"{months_ahead(indicator.lag_months)}"))
        label, colour = STATUS_BADGES[check.status]
        with badge:
            st.badge(label, color=colour)
        st.markdown(plain(check.message))
        st.caption(plain(
            f"Evidence when adopted: r = {evidence['r']:.2f}, 95% CI {evidence['ci_low']:.2f} to "
            f"{evidence['ci_high']:.2f}, {evidence['correction']}-corrected p = {evidence['p_adjusted']:.3g}, "
            f"{evidence['n']} points, sample {evidence['sample_start'][:7]} to {evidence['sample_end'][:7]}. "
            f"{_left_out_when_adopted(evidence)}Adopted by {indicator.adopted_by} on {indicator.adopted_at:%d %b %Y}."))
        with editing(f"drop_indicator_{indicator.id}"):
            return st.button("Stop tracking", key=f"drop_indicator_{indicator.id}")


def _left_out_when_adopted(evidence: dict) -> str:
    """The months the adoption left out; evidence recorded before months could be left out has none."""
    excluded = [dt.date.fromisoformat(m) for m in evidence.get("excluded") or []]
    return f"{left_out_text(excluded)} " if excluded else ""
