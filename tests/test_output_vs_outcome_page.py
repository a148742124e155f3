"""The output-vs-outcome page in AppTest, on the two demo companies."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.text import plain
from db import queries
from db.engine import engine_for, session_scope
from db.indicators import adopted_indicators, driver_overrides, save_driver_map
from db.workspaces import WorkspaceIn, create_workspace, workspace_by_name
from metrics.catalog import STANDARD_CATALOG
from metrics.drivers import DEFAULT_DRIVERS, effective_drivers
from metrics.funnel import journey, weakest_stage
from metrics.people import unverified_name
from metrics.periods import trailing
from metrics.predictive import Analysis, RetestStatus, VerdictKind, analyse, evidence_of, retest_adopted
from metrics.series import monthly_values
from metrics.trends import trailing_growth
from metrics.vanity import in_sentence, vanity_traps
from tests.apptest_helpers import open_page

PAGE = "pages/output_vs_outcome.py"


def company(url: str, name: str) -> dict:
    with session_scope(engine_for(url)) as session:
        workspace_id = workspace_by_name(session, name).id
        return {"id": workspace_id, "data": queries.monthly_data(session, workspace_id),
                "months": queries.months_with_data(session, workspace_id)}


def by_label(elements, label: str):
    return next(e for e in elements if e.label == label)


def texts(at: AppTest) -> str:
    return "\n".join(e.value for group in (at.markdown, at.warning, at.success, at.info, at.error, at.caption)
                     for e in group)


def test_northwind_shows_its_vanity_traps(seeded_url: str) -> None:
    northwind = company(seeded_url, "Northwind Analytics")
    expected = vanity_traps(STANDARD_CATALOG, effective_drivers(STANDARD_CATALOG), northwind["data"],
                            northwind["months"][-1])
    assert expected  # the demo's story: reach climbs while pipeline and bookings sag
    at = open_page(PAGE, northwind["id"])
    assert at.warning[0].value.startswith(f"**Vanity traps: {len(expected)}.**")
    listed = next(m.value for m in at.markdown if m.value.startswith("1. "))
    assert listed.count("is not reaching") == len(expected)
    widest = expected[0]
    first_line = (f"1. **{plain(STANDARD_CATALOG[widest.output].label)} {widest.output_growth * 100:+.1f}% · "
                  f"{plain(STANDARD_CATALOG[widest.outcome].label)} {widest.outcome_growth * 100:+.1f}%** — ")
    assert listed.startswith(first_line + plain(widest.reading))  # the widest gap comes first


def test_bloom_and_brew_has_no_vanity_trap_at_default_thresholds(seeded_url: str) -> None:
    at = open_page(PAGE, company(seeded_url, "Bloom & Brew")["id"])
    assert "Vanity traps" not in " ".join(w.value for w in at.warning)
    assert any(s.value.startswith("No vanity traps") for s in at.success)
    assert "is not reaching" not in texts(at)


def test_thresholds_change_the_list(seeded_url: str) -> None:
    at = open_page(PAGE, company(seeded_url, "Northwind Analytics")["id"])
    by_label(at.number_input, "Output improved by at least (%)").set_value(50.0).run()
    assert not any(w.value.startswith("**Vanity traps") for w in at.warning)  # no output rose 50% in a quarter
    by_label(at.selectbox, "Over the trailing").set_value(6).run()
    assert at.warning[0].value.startswith("**Vanity traps: ")  # engagement +74% over six months


def test_contrast_labels_each_side_with_its_class(seeded_url: str) -> None:
    at = open_page(PAGE, company(seeded_url, "Northwind Analytics")["id"])
    outputs, outcomes = at.dataframe[0].value, at.dataframe[1].value
    assert set(outputs["Class"]) == {"output"} and set(outcomes["Class"]) == {"outcome"}
    assert list(outputs.columns[2:5]) == ["3 months", "6 months", "12 months"]
    impressions = outputs.set_index("Metric").loc["Impressions"]
    northwind = company(seeded_url, "Northwind Analytics")
    growth = trailing_growth(STANDARD_CATALOG, "impressions", northwind["data"], northwind["months"][-1], 3)
    assert impressions["3 months"] == f"{growth * 100:+.1f}%"
    assert impressions["Meant to drive"] == "Pipeline created, New bookings, Revenue"


def test_journey_momentum_names_the_weakest_stage(seeded_url: str) -> None:
    northwind = company(seeded_url, "Northwind Analytics")
    weakest = weakest_stage(journey(northwind["data"], trailing(northwind["months"][-1], 12)))
    assert weakest is not None and weakest.change <= -0.10  # the vanity months cost conversions
    at = open_page(PAGE, northwind["id"])
    alert = next(w.value for w in at.warning if "momentum" in w.value)
    stages = f"{STANDARD_CATALOG[weakest.from_key].label} and {STANDARD_CATALOG[weakest.to_key].label}"
    assert alert.startswith(plain(f"Buyers lose the most momentum between {stages}:"))


def analysis_of(bloom: dict, predictor: str, outcome: str, months: list) -> Analysis:
    series = [monthly_values(STANDARD_CATALOG, k, bloom["data"], bloom["months"]) for k in (predictor, outcome)]
    labels = (STANDARD_CATALOG[predictor].label, in_sentence(STANDARD_CATALOG[outcome].label))
    return analyse(*series, months, labels=labels)


def test_the_validator_starts_on_pipeline_and_its_first_driver(seeded_url: str) -> None:
    bloom = company(seeded_url, "Bloom & Brew")
    at = open_page(PAGE, bloom["id"])
    assert by_label(at.selectbox, "Business outcome").value == "pipeline_created"
    assert by_label(at.selectbox, "Candidate predictor").value == "impressions"
    expected = analysis_of(bloom, "impressions", "pipeline_created", bloom["months"])
    assert plain(expected.message) in texts(at) + "\n".join(w.value for w in at.warning)
    assert [r.lag for r in expected.lags] == list(range(7))


def choose_pair(at: AppTest, outcome: str, predictor: str) -> None:
    by_label(at.selectbox, "Business outcome").set_value(outcome).run()
    by_label(at.selectbox, "Candidate predictor").set_value(predictor).run()


def test_validator_end_to_end_adopts_an_indicator(seeded_url: str) -> None:
    bloom = company(seeded_url, "Bloom & Brew")
    at = open_page(PAGE, bloom["id"])
    choose_pair(at, "new_bookings", "opportunities")  # deals close the month after the opportunity opens
    expected = analysis_of(bloom, "opportunities", "new_bookings", bloom["months"])
    assert expected.verdict == VerdictKind.PREDICTS and expected.best.lag == 1
    assert at.success[-1].value == plain(expected.message)
    assert at.success[-1].value.startswith("Opportunities predicts new bookings 1 month ahead")
    by_label(at.button, "Adopt as leading indicator").click().run()
    assert any("Type your name" in e.value for e in at.error)  # nobody named: nothing saved
    by_label(at.text_input, "Adopted by").input("Dana (CMO)")
    by_label(at.button, "Adopt as leading indicator").click().run()
    assert not at.exception
    with session_scope(engine_for(seeded_url)) as session:
        [saved] = adopted_indicators(session, bloom["id"])
    assert (saved.predictor_key, saved.outcome_key, saved.lag_months) == ("opportunities", "new_bookings", 1)
    assert saved.adopted_by == unverified_name("Dana (CMO)") and saved.evidence == evidence_of(expected)
    assert saved.evidence["correction"] == "Holm" and saved.evidence["ci_low"] > 0
    assert "Opportunities → New bookings, 1 month ahead" in texts(at)
    assert any(c.value.startswith("Tested through Oct 2026") for c in at.markdown)


def test_an_adopted_indicator_is_retested_on_later_months(seeded_url: str) -> None:
    bloom = company(seeded_url, "Bloom & Brew")
    at = open_page(PAGE, bloom["id"])
    months = bloom["months"]
    choose_pair(at, "new_bookings", "opportunities")
    by_label(at.select_slider, "Sample months").set_value((months[0], months[-7])).run()
    assert at.success[-1].value.startswith("Opportunities predicts new bookings 1 month ahead")
    by_label(at.text_input, "Adopted by").input("Sam (CEO)")
    by_label(at.button, "Adopt as leading indicator").click().run()
    with session_scope(engine_for(seeded_url)) as session:
        [saved] = adopted_indicators(session, bloom["id"])
    series = [monthly_values(STANDARD_CATALOG, k, bloom["data"], months) for k in ("opportunities", "new_bookings")]
    expected = retest_adopted(*series, saved.lag_months, saved.evidence, months[-1])
    assert [c.month for c in expected.checks] == months[-6:]
    assert expected.status == RetestStatus.STILL_PREDICTS  # the generator keeps closing deals a month later
    assert any(m.value == plain(expected.message) for m in at.markdown)


def test_too_short_a_sample_is_not_enough_data(seeded_url: str) -> None:
    bloom = company(seeded_url, "Bloom & Brew")
    at = open_page(PAGE, bloom["id"])
    months = bloom["months"]
    by_label(at.select_slider, "Sample months").set_value((months[-12], months[-1])).run()
    assert any(e.value.startswith("Not enough data \\(fewer than 12 points\\)") for e in at.error)
    assert not [b for b in at.button if b.label == "Adopt as leading indicator"]


def test_saving_the_driver_map_unchanged_stores_no_override(seeded_url: str) -> None:
    northwind = company(seeded_url, "Northwind Analytics")
    at = open_page(PAGE, northwind["id"])
    by_label(at.button, "Save driver map").click().run()
    assert not at.exception
    with session_scope(engine_for(seeded_url)) as session:
        assert driver_overrides(session, northwind["id"]) == {}


def test_an_overridden_map_changes_the_traps(seeded_url: str) -> None:
    northwind = company(seeded_url, "Northwind Analytics")
    only_clicks = dict.fromkeys(DEFAULT_DRIVERS, ()) | {"clicks": ("pipeline_created",)}
    with session_scope(engine_for(seeded_url)) as session:
        save_driver_map(session, northwind["id"], only_clicks)
    at = open_page(PAGE, northwind["id"])
    assert at.warning[0].value.startswith("**Vanity traps: 1.** Clicks rose")
    outputs = at.dataframe[0].value
    assert list(outputs["Metric"]) == ["Clicks"]


def test_a_company_without_figures_gets_a_plain_message(seeded_url: str) -> None:
    with session_scope(engine_for(seeded_url)) as session:
        empty = create_workspace(session, WorkspaceIn(name="Aardvark Empty Co")).id
    at = open_page(PAGE, empty)
    assert at.info[0].value.startswith("No figures for Aardvark Empty Co yet.")
