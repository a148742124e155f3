"""Share-safe on every page: changes, % of target and RAG stay; absolute currency amounts never show.

The formatting layer masks money (pure tests with hand-written values), and each page is opened in
AppTest with the switch on and off; every text in the tree (markdown, metrics, tables, chart hovers)
is searched for an amount of money.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.presentation import PRESENT_KEY, SAFE_KEY
from components.scorecard_view import agreed_card, trend_line
from db.engine import engine_for, session_scope
from db.queries import months_with_data
from db.scorecard import scorecard_for_month
from db.workspaces import workspace_by_name
from metrics.agreement import diff
from metrics.catalog import STANDARD_CATALOG, Mandate, Unit
from metrics.colors import text_color_on
from metrics.formatting import MASK, format_value, mask_currency_text
from metrics.one_view import chart_values
from metrics.scorecard import KpiLine, KpiTerms, format_variance
from metrics.series import MonthPoint
from metrics.status import RAG_LABELS, Rag
from metrics.summary import month_summary
from tests import apptest_helpers
from tests.apptest_helpers import APP, demo_workspace_id, keyed_blocks, metrics_in

ROOT = Path(__file__).resolve().parents[1]
MONEY = re.compile(r"[$€£¥]\s?-?\d|\b(?:USD|EUR|GBP|CHF)\s?-?\d")
CHANGE = re.compile(r"^[+-]?\d+\.\d(%| pts)$")
NORTHWIND, BLOOM = "Northwind Analytics", "Bloom & Brew"


# --- the formatting layer ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "unit", "currency", "mask", "expected"), [
    (1_234_000, Unit.CURRENCY, "USD", False, "$1.23M"),
    (1_234_000, Unit.CURRENCY, "USD", True, MASK),
    (-45_000, Unit.CURRENCY, "EUR", True, MASK),
    (None, Unit.CURRENCY, "USD", True, MASK),  # as the review does: no hint whether money is there
    (None, Unit.CURRENCY, "USD", False, "no data"),
    (0.042, Unit.PERCENT, "USD", True, "4.2%"),
    (3.456, Unit.RATIO, "USD", True, "3.46×"),
    (12_500, Unit.COUNT, "USD", True, "12.5K"),
    (None, Unit.PERCENT, "USD", True, "no data"),
])
def test_format_value_masks_money_only(value, unit, currency, mask, expected) -> None:
    assert format_value(value, unit, currency, mask_currency=mask) == expected


@pytest.mark.parametrize(("value", "unit", "mask", "expected"), [
    (12_000, Unit.CURRENCY, False, "+$12K"),
    (12_000, Unit.CURRENCY, True, MASK),
    (None, Unit.CURRENCY, True, MASK),
    (-0.03, Unit.PERCENT, True, "-3.0 pts"),
    (None, Unit.PERCENT, True, "n/a"),
])
def test_variance_masks_money_only(value, unit, mask, expected) -> None:
    assert format_variance(value, unit, "USD", mask_currency=mask) == expected


def point(value: float) -> MonthPoint:
    return MonthPoint(value=value)


MAR, FEB = dt.date(2026, 3, 1), dt.date(2026, 2, 1)
SUMMARY_DATA = {"revenue": {FEB: point(100_000), MAR: point(110_000)},
                "mqls": {FEB: point(200), MAR: point(150)}}


def test_summary_masks_amounts_and_keeps_changes() -> None:
    plain_text = month_summary(SUMMARY_DATA, MAR)
    safe_text = month_summary(SUMMARY_DATA, MAR, mask_currency=True)
    assert plain_text[0] == "In Mar 2026, revenue $110K (+10.0% vs Feb 2026)."
    assert safe_text[0] == f"In Mar 2026, revenue {MASK} (+10.0% vs Feb 2026)."
    assert f"revenue +10.0%, to {MASK}." in safe_text[-2]  # best move: the change stays, the amount goes
    assert "MQLs -25.0%, to 150." in safe_text[-1]  # counts are not money
    assert not any(MONEY.search(s) for s in safe_text)


def kpi_line(unit: Unit, target: float | None, rationale: str = "") -> KpiLine:
    key = "revenue" if unit == Unit.CURRENCY else "win_rate"
    return KpiLine(key=key, label=STANDARD_CATALOG[key].label, mandate=Mandate.GROWTH, unit=unit,
                   target=target, rag=Rag.AMBER, rationale=rationale)


def test_one_view_target_text_masks_money_but_not_rates() -> None:
    assert agreed_card(kpi_line(Unit.CURRENCY, 250_000), "EUR", safe=True) == {"target_text": MASK,
                                                                                "status": Rag.AMBER}
    assert agreed_card(kpi_line(Unit.CURRENCY, 250_000), "EUR")["target_text"] == "€250K"
    assert agreed_card(kpi_line(Unit.PERCENT, 0.25), "EUR", safe=True)["target_text"] == "25.0%"
    assert agreed_card(kpi_line(Unit.CURRENCY, None), "EUR", safe=True)["target_text"] == "no target this month"


def test_scorecard_trend_of_money_is_indexed_in_share_safe_mode() -> None:
    line = KpiLine.model_validate({**kpi_line(Unit.CURRENCY, 100.0).model_dump(), "trend": [
        {"month": FEB, "actual": 80_000.0, "target": 100_000.0, "rag": Rag.RED},
        {"month": MAR, "actual": 120_000.0, "target": 100_000.0, "rag": Rag.GREEN}]})
    assert trend_line(line) == [80_000.0, 120_000.0]
    assert trend_line(line, safe=True) == [100.0, 150.0]


def test_a_money_sparkline_sends_its_shape_not_its_amounts_in_share_safe_mode() -> None:
    amounts = [-40_000.0, None, 80_000.0]  # a line starting below zero keeps its direction
    assert chart_values(amounts, Unit.CURRENCY, mask_currency=True) == [-100.0, None, 200.0]
    assert chart_values(amounts, Unit.CURRENCY) == amounts
    assert chart_values([0.2, 0.3], Unit.PERCENT, mask_currency=True) == [20.0, 30.0]  # rates are not amounts


def test_agreement_diff_masks_money_targets_and_quoted_text() -> None:
    old = KpiTerms(metric_key="revenue", mandate=Mandate.GROWTH, owner_name="Ben", rationale="Grow to $2M ARR",
                   targets={FEB: 100_000})
    new = old.model_copy(update={"rationale": "Grow to $3M ARR", "targets": {FEB: 120_000}})
    shown = diff([old], [new], STANDARD_CATALOG, "USD")
    masked = diff([old], [new], STANDARD_CATALOG, "USD", mask_currency=True)
    assert shown == ["Revenue: rationale “Grow to $2M ARR” → “Grow to $3M ARR”.",
                     "Revenue: targets changed for 1 month: Feb 2026 $100K → $120K."]
    assert masked == [f"Revenue: rationale “Grow to {MASK} ARR” → “Grow to {MASK} ARR”.",
                      f"Revenue: targets changed for 1 month: Feb 2026 {MASK} → {MASK}."]


def test_free_text_mask_is_the_one_in_formatting() -> None:
    assert mask_currency_text("cut €40K from events, +12% MQLs") == f"cut {MASK} from events, +12% MQLs"


@pytest.mark.parametrize(("background", "text"), [
    ("#1f4e79", "#ffffff"), ("#ffffff", "#1c2430"), ("#f2c744", "#1c2430"), ("#000000", "#ffffff"),
    ("#a0a0a0", "#ffffff"),  # brightness exactly 160: not light enough for dark ink
])
def test_text_colour_on_a_client_colour(background: str, text: str) -> None:
    assert text_color_on(background) == text


# --- exports -----------------------------------------------------------------------------------


def test_tables_offer_no_export_that_bypasses_safe_text() -> None:
    """Streamlit's own table download writes cells as they are; the app's buttons neutralise them."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def test_every_spreadsheet_file_is_written_by_safe_text() -> None:
    writers = re.compile(r"\.to_csv\(|\.to_excel\(|ExcelWriter\(")
    sources = [p for folder in ("app.py", "pages", "components", "reports", "db", "metrics", "cli.py")
               for p in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))]
    offenders = [str(p.relative_to(ROOT)) for p in sources
                 if writers.search(p.read_text()) and p != ROOT / "reports" / "safe_text.py"]
    assert offenders == []


# --- the pages in AppTest ----------------------------------------------------------------------


def open_page(url: str, page: str, name: str = NORTHWIND, *, safe: bool, present: bool = False) -> AppTest:
    state = {SAFE_KEY: safe, PRESENT_KEY: present}
    return apptest_helpers.open_page(page, demo_workspace_id(url, name), timeout=90, **state)


def walk(node) -> Iterator:  # noqa: ANN001 - an AppTest node
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def _frame_texts(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]


def _chart_texts(spec: str) -> list[str]:
    """What a chart can show: trace names, hover texts and templates, axis titles (not the raw y numbers)."""
    found: list[str] = []

    def collect(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v, key)
        elif isinstance(value, str) and key not in ("x",):
            found.append(value)

    collect(json.loads(spec)["data"])
    collect(json.loads(spec).get("layout", {}).get("annotations", []))
    return found


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def node_texts(node) -> list[str]:  # noqa: ANN001 - an AppTest node
    """Every text a node shows: its value, label, delta, help; table cells; chart hover texts."""
    kind = getattr(node, "type", "")
    if kind in ("dataframe", "arrow_data_frame"):
        return _frame_texts(node.value)
    if kind == "plotly_chart":
        return _chart_texts(node.proto.spec)
    if kind == "vega_lite_chart":  # its titles, and the texts of its rows (hover texts, names)
        return [*_strings(apptest_helpers.vega_spec(node)),
                *[v for row in apptest_helpers.vega_rows(node) for v in row.values() if isinstance(v, str)]]
    texts = []
    for attribute in ("value", "label", "body", "delta", "help", "placeholder"):
        try:
            found = getattr(node, attribute)
        except Exception:  # noqa: BLE001 - nodes expose different attributes
            continue
        if isinstance(found, str):
            texts.append(found)
    return texts


def shown_texts(at: AppTest) -> list[str]:
    return [text for root in (at.main, at.sidebar) for node in walk(root) for text in node_texts(node)]


def money_in(at: AppTest) -> list[str]:
    return [text for text in shown_texts(at) if MONEY.search(text)]


def test_the_collector_sees_metrics_tables_and_chart_hovers(seeded_url: str) -> None:
    """Guard for the tests below: with share-safe off the same search finds the amounts."""
    at = open_page(seeded_url, "pages/one_view.py", safe=False)
    found = money_in(at)
    assert any(m.value in found for m in at.metric if m.value.startswith("$"))
    assert any("Target: $" in t for t in found)  # an agreed currency KPI's target on its card
    assert any(re.search(r"\\\$\d", t) for t in found)  # the summary, as escaped markdown
    plotted = apptest_helpers.sparkline_in(apptest_helpers.keyed_blocks(at, "tile_kpi_revenue_")[0])
    assert max(v for v in plotted if v is not None) > 1_000_000  # the amounts (share-safe indexes them)


@pytest.mark.parametrize("name", [NORTHWIND, BLOOM])
def test_one_view_in_share_safe_mode_masks_money_and_keeps_changes_and_rag(seeded_url: str, name: str) -> None:
    at = open_page(seeded_url, "pages/one_view.py", name, safe=True, present=True)
    assert money_in(at) == []
    cards = {m.label: m for band in keyed_blocks(at, "band_") for m in metrics_in(band)}  # the agreed row: % of target
    assert cards["Revenue"].value == cards["Marketing spend"].value == cards["Customer acquisition cost"].value == MASK
    assert cards["Win rate"].value.endswith("%") and cards["LTV : CAC"].value.endswith("×")
    assert all(CHANGE.match(m.delta) for m in cards.values() if m.delta != "n/a")
    assert CHANGE.match(cards["Revenue"].delta)  # the change of a masked amount still shows
    badges = [t for t in shown_texts(at) if 'data-testid="rag-badge"' in t]
    assert badges and any(label in badges[0] for label in RAG_LABELS.values())
    assert any(f"Target: {MASK}" in t for t in badges)
    summary = next(m.value for m in at.markdown if m.value.startswith("In "))
    assert MASK in summary and re.search(r"\d\\\.\d%", summary)
    assert len(apptest_helpers.index_charts_in(at.main)) == 1


def test_one_view_from_the_address_present_and_safe(seeded_url: str) -> None:
    """?present=1&safe=1 turns both on for a fresh session, as a shared link does."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["workspace_id"] = demo_workspace_id(seeded_url, NORTHWIND)
    at.query_params.update({"present": "1", "safe": "1"})
    at.run()
    assert at.session_state[SAFE_KEY] and at.session_state[PRESENT_KEY]
    assert not at.exception and at.metric and money_in(at) == []


def test_scorecard_in_share_safe_mode_masks_money_and_keeps_percentages_and_rag(seeded_url: str) -> None:
    url = seeded_url
    at = open_page(url, "pages/scorecard.py", BLOOM, safe=True)
    assert money_in(at) == []
    growth = at.dataframe[1].value.set_index("KPI")
    revenue = growth.loc["Revenue"]
    assert (revenue["Actual"], revenue["Target"], revenue["Variance"]) == (MASK, MASK, MASK)
    assert revenue["Variance %"].endswith("%") and revenue["Status"] in RAG_LABELS.values()
    assert growth.loc["Customer churn", "Actual"].endswith("%")
    with session_scope(engine_for(url)) as session:
        ws = workspace_by_name(session, BLOOM).id
        line = scorecard_for_month(session, ws, months_with_data(session, ws)[-1]).by_key()["revenue"]
    assert revenue["Trend"][0] == pytest.approx(100.0)  # indexed, not euros
    assert revenue["Trend"][-1] == pytest.approx(100 * line.trend[-1].actual / line.trend[0].actual)
    heading = next(m.value for m in at.markdown if m.value.startswith(f"{MASK} against {MASK}"))
    assert re.search(r"\([+-]\d+\.\d%\)", heading)
    assert not at.text_area  # no edit box carrying the commentary's amounts
    assert any("share-safe is on" in c.value for c in at.caption)


def test_scorecard_without_share_safe_shows_amounts(seeded_url: str) -> None:
    at = open_page(seeded_url, "pages/scorecard.py", BLOOM, safe=False)
    growth = at.dataframe[1].value.set_index("KPI")
    assert growth.loc["Revenue", "Actual"].startswith("€") and money_in(at)
    assert at.text_area  # commentary can be edited


def test_agreement_in_share_safe_mode_shows_the_masked_history_only(seeded_url: str) -> None:
    at = open_page(seeded_url, "pages/agreement.py", safe=True)
    assert money_in(at) == [] and not at.data_editor
    changes = [m.value for m in at.markdown if "targets changed" in m.value]
    assert changes and MASK in changes[0]
    off = open_page(seeded_url, "pages/agreement.py", safe=False)
    assert any("targets changed" in t and MONEY.search(t) for t in shown_texts(off))


@pytest.mark.parametrize(("safe", "present"), [(True, False), (False, True)])
def test_data_page_is_not_shown_while_presenting_or_share_safe(seeded_url: str, safe: bool, present: bool) -> None:
    at = open_page(seeded_url, "pages/data.py", safe=safe, present=present)
    assert "not available while presenting or with share-safe on" in at.info[0].value
    assert not at.tabs and money_in(at) == []


def test_data_page_works_normally(seeded_url: str) -> None:
    at = open_page(seeded_url, "pages/data.py", safe=False)
    assert len(at.tabs) == 4


def test_output_vs_outcome_in_share_safe_mode_shows_growth_not_money(seeded_url: str) -> None:
    at = open_page(seeded_url, "pages/output_vs_outcome.py", safe=True)
    assert money_in(at) == []
    contrast = at.dataframe[0].value
    assert all(re.match(r"^[+-]?\d+\.\d%$|^no value$", str(v)) for v in contrast["3 months"])
    scatter = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                   if "Each month's change" in c.proto.spec)
    assert scatter["data"][0]["hovertemplate"] == "%{text}<extra></extra>"
    assert scatter["layout"]["yaxis"]["showticklabels"] is False


def test_no_page_warns_that_amounts_are_showing(seeded_url: str) -> None:
    for page in ("pages/one_view.py", "pages/scorecard.py", "pages/agreement.py", "pages/output_vs_outcome.py",
                 "pages/review.py", "pages/board_pack.py", "pages/data.py"):
        at = open_page(seeded_url, page, safe=True)
        assert not at.toast, page
        assert money_in(at) == [], page
