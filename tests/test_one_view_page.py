"""The One View page in AppTest: both demo companies, several months, tiles equal the database's figures; the
agreed KPIs first, then the index chart, then the three bands."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from components.period_picker import MONTH_KEY
from db import queries
from db.engine import engine_for, session_scope
from db.scorecard import scorecard_for_month
from db.workspaces import workspace_by_name
from metrics.catalog import BAND_TITLES, STANDARD_CATALOG
from metrics.formatting import format_value
from metrics.one_view import card_keys
from metrics.periods import month_label
from metrics.series import period_value
from tests.apptest_helpers import block_key, index_charts_in, keyed_blocks, metrics_in, open_page, sparkline_in

PAGE = "pages/one_view.py"
COMPANIES = ("Northwind Analytics", "Bloom & Brew")


@pytest.fixture
def seeded(seeded_url: str) -> dict[str, dict]:
    """Each demo company: id, currency, months with data and its monthly figures, read straight from the DB."""
    found = {}
    with session_scope(engine_for(seeded_url)) as session:
        for name in COMPANIES:
            workspace = workspace_by_name(session, name)
            found[name] = {"id": workspace.id, "currency": workspace.currency,
                           "months": queries.months_with_data(session, workspace.id),
                           "data": queries.monthly_data(session, workspace.id)}
    return found


def expected_cards(company: dict, month: dt.date) -> dict[str, str]:
    """Card label -> the value metrics.series computes from the database, formatted for display."""
    result = {}
    for key in card_keys():
        metric = STANDARD_CATALOG[key]
        value = period_value(STANDARD_CATALOG, key, company["data"], [month])
        result[metric.label] = format_value(value, metric.unit, company["currency"])
    return result


def shown_cards(at: AppTest) -> dict[str, str]:
    """Label -> value of the band tiles (the agreed row repeats some of them)."""
    return {metric.label: metric.value for band in keyed_blocks(at, "band_") for metric in metrics_in(band)}


@pytest.mark.parametrize("name", COMPANIES)
@pytest.mark.parametrize("which", ["latest", "middle"])
def test_cards_show_the_database_figures(seeded: dict, name: str, which: str) -> None:
    company = seeded[name]
    months = company["months"]
    month = months[-1] if which == "latest" else months[len(months) // 2]
    at = open_page(PAGE, company["id"], month)
    assert shown_cards(at) == expected_cards(company, month)
    assert at.selectbox(key="_review_month_widget").value == month
    assert not any(value == "no data" for value in shown_cards(at).values())
    assert len(index_charts_in(at.main)) == 1  # drawn in the page: no chart library for the browser to load
    assert not at.get("plotly_chart") and not at.get("vega_lite_chart")


@pytest.mark.parametrize("name", COMPANIES)
def test_the_agreed_kpis_come_first_then_the_chart_then_the_three_bands(seeded: dict, seeded_url: str,
                                                                         name: str) -> None:
    company = seeded[name]
    month = company["months"][-1]
    at = open_page(PAGE, company["id"], month)
    order = [block_key(block) for block in keyed_blocks(at, "") if block_key(block) in
             ("agreed_kpis", "index_chart_block", "band_pnl", "band_campaigns", "band_feel")]
    assert order == ["agreed_kpis", "index_chart_block", "band_pnl", "band_campaigns", "band_feel"]
    with session_scope(engine_for(seeded_url)) as session:
        card = scorecard_for_month(session, company["id"], month)
    agreed = metrics_in(keyed_blocks(at, "agreed_kpis")[0])
    assert [m.label for m in agreed] == [k.label for k in card.kpis] and 3 <= len(agreed) <= 7
    for metric, tile, line in zip(agreed, keyed_blocks(at, "tile_agreed_"), card.kpis, strict=True):
        assert metric.value == format_value(line.actual, line.unit, company["currency"])
        assert metric.proto.delta == f"{line.pct_of_target * 100:.0f}% of target"
        assert sparkline_in(tile)[-1] == pytest.approx(
            line.trend[-1].actual * (100 if line.unit == "percent" else 1), abs=0.51)
    titles = [next(iter(band.get("markdown"))).value for band in keyed_blocks(at, "band_")]
    assert titles == [f"**{title}**" for title in BAND_TITLES.values()]
    tiles = [tile for band in keyed_blocks(at, "band_") for tile in keyed_blocks(band, "tile_")]
    assert len(tiles) == sum(len(metrics_in(band)) for band in keyed_blocks(at, "band_"))
    assert all(len(sparkline_in(tile)) == 12 for tile in tiles)


@pytest.mark.parametrize("name", COMPANIES)
def test_a_month_without_data_says_so(seeded: dict, name: str) -> None:
    at = open_page(PAGE, seeded[name]["id"], dt.date(2019, 1, 1))
    assert any("No data for Jan 2019" in info.value for info in at.info)
    assert len(at.metric) == 0  # no zeros pretending to be figures
    assert at.selectbox(key="_review_month_widget").value == dt.date(2019, 1, 1)


def test_newest_month_is_the_default_and_the_picker_changes_the_cards(seeded: dict) -> None:
    company = seeded["Northwind Analytics"]
    at = open_page(PAGE, company["id"])
    newest, earlier = company["months"][-1], company["months"][-4]
    assert at.selectbox(key="_review_month_widget").value == newest
    at.selectbox(key="_review_month_widget").set_value(earlier).run()
    assert not at.exception
    assert at.session_state[MONTH_KEY] == earlier
    assert shown_cards(at) == expected_cards(company, earlier)


def test_summary_flags_outputs_rising_while_outcomes_fall_for_northwind(seeded: dict) -> None:
    company = seeded["Northwind Analytics"]
    at = open_page(PAGE, company["id"], company["months"][-1])
    text = " ".join(block.value for block in at.markdown)
    assert "Outputs are rising while outcomes fall" in text
    assert f"In {month_label(company['months'][-1])}, revenue" in text


def test_switching_company_keeps_the_month_and_does_not_crash(seeded: dict) -> None:
    north, bloom = seeded["Northwind Analytics"], seeded["Bloom & Brew"]
    month = north["months"][-2]
    at = open_page(PAGE, north["id"], month)
    at.session_state["workspace_id"] = bloom["id"]  # what the sidebar picker sets
    at.run()
    assert not at.exception
    assert shown_cards(at) == expected_cards(bloom, month)


def _card_with_agreement() -> None:
    import datetime as dt

    from components.kpi_card import kpi_card
    from metrics.catalog import STANDARD_CATALOG
    from metrics.one_view import card_figures
    from metrics.series import MonthPoint
    from metrics.status import Rag

    month = dt.date(2026, 3, 1)
    data = {"deals_won": {month: MonthPoint(30)}, "deals_lost": {month: MonthPoint(70)}}
    kpi_card(card_figures(STANDARD_CATALOG, "win_rate", data, month), "USD", target_text="≥ 25%", status=Rag.AMBER)


def test_an_agreed_kpi_card_shows_target_and_status() -> None:
    at = AppTest.from_function(_card_with_agreement).run()
    assert not at.exception
    assert at.metric[0].label == "Win rate" and at.metric[0].value == "30.0%"
    html = " ".join(block.value for block in at.markdown)
    assert "Target: ≥ 25%" in html and "At risk" in html
    assert "n/a" in at.metric[0].proto.delta  # no figures for February


def _picker(months: list) -> None:
    import streamlit as st

    from components.period_picker import month_picker

    st.write(month_picker(months))


@pytest.mark.parametrize(("stored", "expected", "label"), [
    (None, dt.date(2026, 3, 1), "Mar 2026"),
    ("not a month", dt.date(2026, 3, 1), "Mar 2026"),
    (dt.date(2026, 2, 1), dt.date(2026, 2, 1), "Feb 2026"),
    (dt.date(2019, 1, 1), dt.date(2019, 1, 1), "Jan 2019 (no data)"),
])
def test_month_picker_defaults_to_newest_and_keeps_the_shared_month(stored, expected, label) -> None:
    at = AppTest.from_function(_picker, args=([dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)],))
    if stored is not None:
        at.session_state[MONTH_KEY] = stored
    at.run()
    assert not at.exception
    box = at.selectbox(key="_review_month_widget")
    assert box.value == expected and box.format_func(box.value) == label
    assert box.options[0] == "Mar 2026"  # newest first
