"""The output-vs-outcome page in AppTest, on the two demo companies."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db import queries
from db.engine import engine_for, session_scope
from db.indicators import adopted_indicators
from db.workspaces import workspace_by_name
from metrics.catalog import STANDARD_CATALOG
from metrics.drivers import effective_drivers
from metrics.predictive import retest_adopted
from metrics.series import monthly_values
from metrics.vanity import vanity_traps
from sample_data.seed import ensure_sample_data

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/output_vs_outcome.py"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One seeded SQLite file for the module (seeding takes a few seconds); tests that write copy it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ovo') / 'alignboard.db'}"
    ensure_sample_data(engine_for(url))
    return url


@pytest.fixture
def database(seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A private copy of the seeded database, so adoptions in one test never leak into another."""
    copy = tmp_path / "alignboard.db"
    copy.write_bytes(Path(seeded.removeprefix("sqlite:///")).read_bytes())
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", url)
    monkeypatch.setenv("ALIGNBOARD_SEED_SAMPLE_DATA", "false")
    return url


def company(url: str, name: str) -> dict:
    with session_scope(engine_for(url)) as session:
        workspace_id = workspace_by_name(session, name).id
        return {"id": workspace_id, "data": queries.monthly_data(session, workspace_id),
                "months": queries.months_with_data(session, workspace_id)}


def open_page(workspace_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["workspace_id"] = workspace_id
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def by_label(elements, label: str):
    return next(e for e in elements if e.label == label)


def texts(at: AppTest) -> str:
    return "\n".join(e.value for group in (at.markdown, at.warning, at.success, at.info, at.error, at.caption)
                     for e in group)


def test_northwind_shows_its_vanity_traps(database: str) -> None:
    northwind = company(database, "Northwind Analytics")
    expected = vanity_traps(STANDARD_CATALOG, effective_drivers(STANDARD_CATALOG), northwind["data"],
                            northwind["months"][-1])
    assert expected  # the demo's story: reach climbs while pipeline and bookings sag
    at = open_page(northwind["id"])
    assert at.warning[0].value.startswith(f"**Vanity traps: {len(expected)}.**")
    listed = next(m.value for m in at.markdown if m.value.startswith("1. "))
    assert listed.count("is not reaching") == len(expected)
    assert "Engagement \\+44\\.2% · New bookings \\-28\\.3%" in listed  # the widest gap comes first


def test_bloom_and_brew_has_no_vanity_trap_at_default_thresholds(database: str) -> None:
    at = open_page(company(database, "Bloom & Brew")["id"])
    assert "Vanity traps" not in " ".join(w.value for w in at.warning)
    assert any(s.value.startswith("No vanity traps") for s in at.success)
    assert "is not reaching" not in texts(at)


def test_thresholds_change_the_list(database: str) -> None:
    at = open_page(company(database, "Northwind Analytics")["id"])
    by_label(at.number_input, "Output improved by at least (%)").set_value(50.0).run()
    assert not any(w.value.startswith("**Vanity traps") for w in at.warning)  # no output rose 50% in a quarter
    by_label(at.selectbox, "Over the trailing").set_value(6).run()
    assert at.warning[0].value.startswith("**Vanity traps: ")  # engagement +74% over six months


def test_contrast_labels_each_side_with_its_class(database: str) -> None:
    at = open_page(company(database, "Northwind Analytics")["id"])
    outputs, outcomes = at.dataframe[0].value, at.dataframe[1].value
    assert set(outputs["Class"]) == {"output"} and set(outcomes["Class"]) == {"outcome"}
    assert list(outputs.columns[2:5]) == ["Last 3 months", "Last 6 months", "Last 12 months"]
    impressions = outputs.set_index("Metric").loc["Impressions"]
    assert impressions["Last 3 months"] == "+42.2%"
    assert "Pipeline created" in impressions["Meant to drive"]


def test_journey_momentum_names_the_weakest_stage(database: str) -> None:
    at = open_page(company(database, "Northwind Analytics")["id"])
    alert = next(w.value for w in at.warning if "momentum" in w.value)
    assert alert.startswith("Buyers lose the most momentum between MQLs and SQLs")


def test_validator_end_to_end_adopts_an_indicator(database: str) -> None:
    bloom = company(database, "Bloom & Brew")
    at = open_page(bloom["id"])
    assert by_label(at.selectbox, "Business outcome").value == "pipeline_created"
    assert by_label(at.selectbox, "Candidate predictor").value == "impressions"
    verdict = at.success[-1].value
    assert verdict.startswith("Impressions predicts pipeline created 2 months ahead")
    by_label(at.button, "Adopt as leading indicator").click().run()
    assert any("Type your name" in e.value for e in at.error)  # nobody named: nothing saved
    by_label(at.text_input, "Adopted by").input("Dana (CMO)")
    by_label(at.button, "Adopt as leading indicator").click().run()
    assert not at.exception
    with session_scope(engine_for(database)) as session:
        [saved] = adopted_indicators(session, bloom["id"])
    assert (saved.predictor_key, saved.outcome_key, saved.lag_months) == ("impressions", "pipeline_created", 2)
    assert saved.adopted_by == "Dana (CMO)" and saved.evidence["correction"] == "Holm"
    assert saved.evidence["n"] == 33 and saved.evidence["ci_low"] > 0
    assert "Impressions → Pipeline created, 2 months ahead" in texts(at)
    assert any(c.value.startswith("Tested through Oct 2026") for c in at.markdown)


def test_an_adopted_indicator_is_retested_on_later_months(database: str) -> None:
    bloom = company(database, "Bloom & Brew")
    at = open_page(bloom["id"])
    months = bloom["months"]
    by_label(at.select_slider, "Sample months").set_value((months[0], months[-7])).run()
    by_label(at.selectbox, "Candidate predictor").set_value("mqls").run()
    assert at.success[-1].value.startswith("MQLs predicts pipeline created")
    by_label(at.text_input, "Adopted by").input("Sam (CEO)")
    by_label(at.button, "Adopt as leading indicator").click().run()
    with session_scope(engine_for(database)) as session:
        [saved] = adopted_indicators(session, bloom["id"])
    series = [monthly_values(STANDARD_CATALOG, k, bloom["data"], months) for k in ("mqls", "pipeline_created")]
    expected = retest_adopted(*series, saved.lag_months, saved.evidence, months[-1])
    assert [c.month for c in expected.checks] == months[-6:]
    assert any(m.value == expected.message.replace(".", "\\.").replace("(", "\\(").replace(")", "\\)")
               for m in at.markdown)


def test_too_short_a_sample_is_not_enough_data(database: str) -> None:
    bloom = company(database, "Bloom & Brew")
    at = open_page(bloom["id"])
    months = bloom["months"]
    by_label(at.select_slider, "Sample months").set_value((months[-12], months[-1])).run()
    assert any(e.value.startswith("Not enough data \\(fewer than 12 points\\)") for e in at.error)
    assert not [b for b in at.button if b.label == "Adopt as leading indicator"]
