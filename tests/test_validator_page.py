"""The five-step validator on screen: the partial-months choice, a fragile verdict, and evidence of every version."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from components.text import plain
from db.engine import engine_for, session_scope
from db.indicators import IndicatorIn, adopt_indicator
from metrics.predictive import VerdictKind
from tests.apptest_helpers import open_page
from tests.test_output_vs_outcome_page import PAGE, analysis_of, by_label, choose_pair, company, texts
from tests.test_predictive import EARLIER_EVIDENCE


def _inputs(partial: list) -> None:
    """Steps 1-3 alone, on two years of made-up figures, with ``partial`` (dates) as the partial months.

    AppTest runs the body as a script of its own: imports live inside, and annotations name no module.
    """
    import datetime as dt

    import streamlit as st

    from components.validator import validator_inputs
    from metrics.catalog import STANDARD_CATALOG
    from metrics.drivers import effective_drivers
    from metrics.periods import add_months
    from metrics.series import MonthPoint

    months = [add_months(dt.date(2023, 1, 1), i) for i in range(24)]
    data = {key: {m: MonthPoint(100.0 + i * i) for i, m in enumerate(months)}
            for key in ("impressions", "pipeline_created")}
    st.session_state["choice"] = validator_inputs(STANDARD_CATALOG, data, months,
                                                  effective_drivers(STANDARD_CATALOG), set(partial))


JAN, JUN = dt.date(2023, 1, 1), dt.date(2023, 6, 1)


def test_partial_months_are_left_out_unless_included() -> None:
    at = AppTest.from_function(_inputs, args=([JUN, JAN],)).run()
    box = by_label(at.checkbox, "Include partial months")
    assert box.value is False
    choice = at.session_state["choice"]
    assert choice.include_partial is False and choice.left_out == {JAN, JUN}
    assert any(c.value.startswith(plain("Partial months in this sample: Jan 2023, Jun 2023. They are left out"))
               for c in at.caption)
    box.check().run()
    choice = at.session_state["choice"]
    assert choice.include_partial is True and choice.left_out == frozenset()
    assert any("They are included in the test" in c.value for c in at.caption)


def test_only_the_partial_months_inside_the_sample_count() -> None:
    at = AppTest.from_function(_inputs, args=([JAN, JUN],)).run()
    by_label(at.select_slider, "Sample months").set_value((dt.date(2023, 3, 1), dt.date(2024, 12, 1))).run()
    assert at.session_state["choice"].left_out == {JUN}


@pytest.mark.parametrize("partial", [[], [dt.date(2030, 1, 1)]])
def test_without_partial_months_in_the_sample_there_is_no_checkbox(partial: list[dt.date]) -> None:
    at = AppTest.from_function(_inputs, args=(partial,)).run()
    assert not [b for b in at.checkbox if b.label == "Include partial months"]
    assert any(c.value.startswith("No partial months in this sample") for c in at.caption)
    assert at.session_state["choice"].left_out == frozenset()


def test_a_fragile_verdict_is_shown_with_its_reason_and_cannot_be_adopted(seeded_url: str) -> None:
    northwind = company(seeded_url, "Northwind Analytics")
    expected = analysis_of(northwind, "impressions", "new_bookings", northwind["months"])
    assert expected.verdict == VerdictKind.FRAGILE  # the brand push: a few months of reach up, bookings down
    assert expected.fragile_reasons[0].startswith("Pearson says yes but the rank correlation (Spearman) does not")
    at = open_page(PAGE, northwind["id"])
    choose_pair(at, "new_bookings", "impressions")
    assert plain(expected.message) in [w.value for w in at.warning]
    assert plain(expected.fragile_reasons[0]) in texts(at)  # again, in the second look under the verdict
    assert not [b for b in at.button if b.label == "Adopt as leading indicator"]
    assert any(c.value.startswith("A fragile result cannot be adopted") for c in at.caption)


def test_a_sound_verdict_says_what_the_second_look_found(seeded_url: str) -> None:
    bloom = company(seeded_url, "Bloom & Brew")
    expected = analysis_of(bloom, "opportunities", "new_bookings", bloom["months"])
    look = expected.second_look
    assert expected.verdict == VerdictKind.PREDICTS and look.holds
    at = open_page(PAGE, bloom["id"])
    choose_pair(at, "new_bookings", "opportunities")
    shown = texts(at)
    assert plain(f"ρ = {expected.best.spearman:.2f}") in shown and plain("It agrees.") in shown
    weakest = look.weakest
    assert plain(f"no single month carries it: the weakest result is without {weakest.months[0]:%b %Y}, "
                 f"{weakest.text()}.") in shown
    assert [b for b in at.button if b.label == "Adopt as leading indicator"]


@pytest.mark.parametrize(("extra", "shown"), [
    ({}, None),  # recorded before months could be left out
    ({"verdict": "predicts", "spearman_agrees": True, "excluded": ["2023-11-01"],
      "weakest_without": {"months": ["2024-03-01"], "n": 32, "r": 0.8, "p_adjusted": 0.0001}},
     "Left out: Nov 2023 (partial month)."),
])
def test_adopted_indicators_of_every_version_are_shown_and_retested(seeded_url: str, extra: dict,
                                                                   shown: str | None) -> None:
    bloom = company(seeded_url, "Bloom & Brew")
    evidence = {**EARLIER_EVIDENCE, "sample_start": "2023-11-01", "sample_end": "2025-10-01", **extra}
    with session_scope(engine_for(seeded_url)) as session:
        adopt_indicator(session, bloom["id"], IndicatorIn(outcome_key="new_bookings", predictor_key="opportunities",
                                                          lag_months=1, adopted_by="Sam (CEO)", evidence=evidence))
    at = open_page(PAGE, bloom["id"])
    card = texts(at)
    assert plain("Opportunities → New bookings, 1 month ahead") in card
    assert plain("Evidence when adopted: r = 0.61, 95% CI 0.33 to 0.79") in card
    assert any(m.value.startswith(("Still predicts", "Stopped predicting")) for m in at.markdown)
    assert (plain(shown) in card) if shown else ("Left out" not in card)


def _second_look_with_edges_left_out() -> None:
    """Step 4's second look for two unrelated metrics whose first and last months are partial, left out."""
    import streamlit as st

    from components.validator import second_look_view
    from metrics.predictive import analyse
    from tests.test_predictive import MONTHS, _edge_months

    analysis = analyse(*_edge_months(0), MONTHS, exclude={MONTHS[0], MONTHS[35]})
    st.session_state["verdict"] = analysis.verdict.value
    second_look_view(analysis)


def test_the_months_left_out_are_listed_under_the_verdict() -> None:
    at = AppTest.from_function(_second_look_with_edges_left_out).run()
    assert at.session_state["verdict"] == "no_relationship"
    assert plain("Left out: Jan 2023 and Dec 2025 (partial months).") in [m.value for m in at.markdown]
