"""Output vs outcome: activity beside results, vanity traps, journey momentum, and the five-step validator."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from components import output_outcome as view
from components.period_picker import include_partial_switch, month_picker
from components.presentation import editing, share_safe_on
from components.text import plain
from components.validator import adopt_control, indicator_card, second_look_view, validator_inputs
from db import service
from db.access import Permission
from flows.frame import page_header
from flows.saving import save
from metrics.contrast import contrast
from metrics.coverage import partial_months as partial
from metrics.coverage import without_partial
from metrics.drivers import effective_drivers
from metrics.funnel import journey, weakest_stage
from metrics.periods import month_label, trailing
from metrics.predictive import analyse, evidence_of, lagged_pairs, retest_adopted
from metrics.series import monthly_values
from metrics.vanity import in_sentence, vanity_traps

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def write(action: str, work: Callable[[Session], object]) -> bool:
    """One write of the agreed map or indicators; a rejected driver map is told plainly, nothing half-saved."""
    return save(page.scope, Permission.PLAN, action, work)


ADOPTED_KEY = "_indicator_adopted"
page = page_header("Output vs outcome", needs_months="Import data to compare outputs with outcomes.")
scope, workspace_id, months = page.scope, page.workspace_id, page.months
catalog = service.catalog(scope)
coverage = service.month_coverage(scope)
with st.columns([1, 4])[0]:
    month = month_picker(months, coverage=coverage)
    include_partial = include_partial_switch(coverage)
if month not in months:
    st.info(f"No data for {month_label(month)}. Choose a month with figures in the picker.")
    st.stop()
all_data = service.monthly_data(scope)
# growth over a 5-day month reads as a collapse: compare whole months only, unless the switch says otherwise
data = all_data if include_partial else without_partial(all_data)
drivers = effective_drivers(catalog, service.driver_overrides(scope))
limits = view.vanity_limits()
traps = vanity_traps(catalog, drivers, data, month, limits)
if traps:
    st.warning(f"**Vanity traps: {len(traps)}.** {plain(traps[0].reading)}")

contrast_tab, vanity_tab, journey_tab, validator_tab, adopted_tab = st.tabs(
    ["Contrast", "Vanity traps", "Journey momentum", "The five-step validator", "Adopted indicators"])

with contrast_tab:
    view.contrast_view(contrast(catalog, drivers, data, month), catalog, month)
    with editing("driver_map"), st.expander("Which outputs are meant to drive which outcomes (editable)"):
        new_map = view.driver_map_editor(catalog, drivers) if scope.can(Permission.PLAN) else None
        if new_map is not None and write("driver_map.saved",
                                         lambda s: service.save_driver_map(s, workspace_id, new_map, catalog=catalog)):
            st.rerun()

with vanity_tab:
    view.vanity_panel(traps, limits, catalog, month)

with journey_tab:
    steps = journey(data, trailing(month, 12))
    view.journey_momentum(steps, weakest_stage(steps), catalog, month)

partial_months = partial(coverage)  # the validator leaves them out of its sample unless told to include them

with validator_tab:
    if (choice := validator_inputs(catalog, all_data, months, drivers, partial_months)) is not None:
        labels = (catalog[choice.predictor].label, in_sentence(catalog[choice.outcome].label))
        predictor, outcome = (monthly_values(catalog, k, all_data, months) for k in (choice.predictor, choice.outcome))
        analysis = analyse(predictor, outcome, choice.sample, choice.lags, labels, exclude=choice.left_out)
        pairs = lagged_pairs(predictor, outcome, choice.sample, analysis.best.lag if analysis.best else 0,
                             exclude=choice.left_out)
        view.analysis_view(analysis, pairs, labels, hide_values=share_safe_on())
        second_look_view(analysis)
        with editing("adopt_indicator"):
            adopter = adopt_control(analysis, labels, ask_name=scope.single_user) if scope.can(Permission.PLAN) \
                else None
        if adopter is not None and analysis.best is not None:
            record = service.IndicatorIn(outcome_key=choice.outcome, predictor_key=choice.predictor,
                                 lag_months=analysis.best.lag, adopted_by=scope.named(adopter),
                                 evidence=evidence_of(analysis))
            if write("indicator.adopted", lambda s: service.adopt_indicator(s, workspace_id, record, catalog=catalog)):
                st.session_state[ADOPTED_KEY] = plain(f"Adopted {labels[0]} as a leading indicator of {labels[1]}. "
                                                      "It is listed under Adopted indicators.")
                st.rerun()  # the next run reads the new data version
        if ADOPTED_KEY in st.session_state:
            st.success(st.session_state.pop(ADOPTED_KEY))

with adopted_tab:
    st.caption("Each adopted indicator is re-tested at its adopted lag for every month after its sample, on a "
               "window as long as the original sample. One lag is tested, so no correction is needed there.")
    indicators = service.adopted_indicators(scope)
    if not indicators:
        st.info("No leading indicators adopted yet. Find one with the five-step validator.")
    for indicator in indicators:
        keys = (indicator.predictor_key, indicator.outcome_key)
        series = [monthly_values(catalog, k, all_data, months) for k in keys]
        check = retest_adopted(*series, indicator.lag_months, indicator.evidence, months[-1], exclude=partial_months)
        dropped = indicator_card(indicator, check, catalog)
        if dropped and write("indicator.dropped",
                                lambda s, chosen=indicator.id: service.drop_indicator(s, workspace_id, chosen)):
            st.rerun()
