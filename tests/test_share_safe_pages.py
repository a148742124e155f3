"""Share-safe sends nothing to hide: on the Scorecard, KPI agreement, Output vs outcome, Review meeting and Board
pack pages, no element the server sends — plotly figures (data and layout), Arrow tables (cells, styler values,
sparkline lists), text — holds an amount of money the database holds for the company, for the month shown and
the 12 before. Charts of money are rebased before they are built; the rebasing is checked with hand-made values.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics

import pytest
from streamlit.testing.v1 import AppTest

from components.output_outcome import SCALED_NOTE, in_standard_deviations
from components.presentation import PRESENT_KEY, SAFE_KEY
from components.scorecard_view import rebased_trend, trend_rows
from db.engine import engine_for, session_scope
from db.scorecard import scorecard_for_month
from db.workspaces import workspace_by_name
from metrics.catalog import Mandate, Unit
from metrics.formatting import MASK
from metrics.review import KpiSnapshot, ReviewSnapshot, snapshot_differences
from metrics.scorecard import KpiLine, TrendPoint
from metrics.status import Rag
from tests import apptest_helpers
from tests.apptest_helpers import demo_workspace_id
from tests.share_safe_scan import company_amounts, leaks_in_apptest

NORTHWIND, BLOOM = "Northwind Analytics", "Bloom & Brew"
OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)  # the newest month (open) and a closed review
PAGES = ["pages/scorecard.py", "pages/agreement.py", "pages/output_vs_outcome.py", "pages/review.py",
         "pages/board_pack.py"]


def open_page(url: str, page: str, company: str, *, safe: bool, month: dt.date | None = None) -> AppTest:
    state = {SAFE_KEY: safe, PRESENT_KEY: True}
    return apptest_helpers.open_page(page, demo_workspace_id(url, company), month, timeout=120, **state)


@pytest.mark.parametrize("company", [NORTHWIND, BLOOM])
@pytest.mark.parametrize("page", PAGES)
def test_no_amount_of_money_leaves_the_server_in_share_safe_mode(seeded_url: str, page: str, company: str) -> None:
    at = open_page(seeded_url, page, company, safe=True)
    assert leaks_in_apptest(at, company_amounts(seeded_url, company, OCT)) == []


@pytest.mark.parametrize("page", ["pages/review.py", "pages/board_pack.py"])
def test_a_closed_review_sends_no_amount_either(seeded_url: str, page: str) -> None:
    at = open_page(seeded_url, page, NORTHWIND, safe=True, month=SEP)
    assert any("Closed by" in s.value or "closed review" in s.value for s in at.success)
    assert leaks_in_apptest(at, company_amounts(seeded_url, NORTHWIND, SEP)) == []


@pytest.mark.parametrize("page", ["pages/scorecard.py", "pages/agreement.py", "pages/review.py"])
def test_the_scan_finds_the_amounts_when_share_safe_is_off(seeded_url: str, page: str) -> None:
    """Guard for the scans above: the same scan of the same page without share-safe finds the amounts."""
    at = open_page(seeded_url, page, NORTHWIND, safe=False)
    leaks = leaks_in_apptest(at, company_amounts(seeded_url, NORTHWIND, OCT))
    assert any("arrow_data" in leak for leak in leaks), leaks[:5]


def test_the_scan_reads_chart_rows_and_text_too(seeded_url: str) -> None:
    at = open_page(seeded_url, "pages/scorecard.py", NORTHWIND, safe=False)
    leaks = leaks_in_apptest(at, company_amounts(seeded_url, NORTHWIND, OCT))
    assert any(leak.startswith("vega_lite_chart.data.data[Actual]") for leak in leaks), leaks[:5]
    assert any(leak.startswith("vega_lite_chart.data.data[actual_text]") for leak in leaks), leaks[:5]
    assert any(leak.startswith("markdown") and "$" in leak for leak in leaks), leaks[:5]


def _line(trend: list[tuple[float | None, float | None]], unit: Unit = Unit.CURRENCY) -> KpiLine:
    months = [dt.date(2026, m, 1) for m in range(1, len(trend) + 1)]
    return KpiLine(key="revenue", label="Revenue", mandate=Mandate.GROWTH, unit=unit,
                   trend=[TrendPoint(month=m, actual=a, target=t, rag=Rag.GREEN)
                          for m, (a, t) in zip(months, trend, strict=True)])


@pytest.mark.parametrize(("trend", "actuals", "targets", "meaning"), [
    ([(80_000, 100_000), (120_000, 100_000)], [80.0, 120.0], [100.0, 100.0], "% of target"),
    ([(50_000, 40_000), (None, 50_000), (60_000, None)], [125.0, None, None], [100.0, 100.0, None], "% of target"),
    ([(80_000, None), (100_000, None)], [100.0, 125.0], [None, None], "index, first month = 100"),
])
def test_a_money_trend_is_rebased_before_the_chart_is_built(trend, actuals, targets, meaning) -> None:
    assert rebased_trend(_line(trend)) == (actuals, targets, meaning)


def test_the_scorecard_chart_carries_percent_of_target_only_in_share_safe_mode() -> None:
    line = _line([(80_000, 100_000), (120_000, 100_000)])
    safe = trend_rows(line, "USD", safe=True)
    assert [(r["Target"], r["Actual"]) for r in safe] == [(100.0, 80.0), (100.0, 120.0)]
    assert [r["actual_text"] for r in safe] == ["80% of target", "120% of target"]
    shown = trend_rows(line, "USD")
    assert [r["Actual"] for r in shown] == [80_000, 120_000] and [r["actual_text"] for r in shown] == ["$80K", "$120K"]


def test_a_rate_keeps_its_own_values_in_share_safe_mode() -> None:
    line = _line([(0.2, 0.25), (0.3, 0.25)], unit=Unit.PERCENT)
    assert [r["Actual"] for r in trend_rows(line, "USD", safe=True)] == [0.2, 0.3]


def test_the_scorecard_page_charts_money_as_percent_of_target(seeded_url: str) -> None:
    at = open_page(seeded_url, "pages/scorecard.py", NORTHWIND, safe=True)
    with session_scope(engine_for(seeded_url)) as session:
        ws = workspace_by_name(session, NORTHWIND).id
        bookings = scorecard_for_month(session, ws, OCT).by_key()["new_bookings"]
    charts = [apptest_helpers.vega_rows(c) for c in at.get("vega_lite_chart")]
    expected = 100 * bookings.trend[-1].actual / bookings.trend[-1].target
    chart = next(rows for rows in charts if rows[-1]["Actual"] is not None
                 and abs(rows[-1]["Actual"] - expected) < 1e-6)
    assert [r["Target"] for r in chart] == [100.0] * len(bookings.trend)


@pytest.mark.parametrize(("changes", "expected"), [
    ([2.0, -2.0], [1.0, -1.0]),  # standard deviation 2
    ([3.0, 3.0, -3.0, -3.0], [1.0, 1.0, -1.0, -1.0]),  # standard deviation 3
    ([10.0, 0.0, -10.0], [1.2247, 0.0, -1.2247]),  # sd = sqrt(200/3) = 8.165
    ([5.0], [0.0]),
    ([4.0, 4.0], [0.0, 0.0]),
    ([], []),
])
def test_the_validator_scatter_is_in_standard_deviations(changes: list[float], expected: list[float]) -> None:
    assert in_standard_deviations(changes) == pytest.approx(expected, abs=1e-4)


def test_the_validator_page_sends_the_scatter_rebased(seeded_url: str) -> None:
    at = open_page(seeded_url, "pages/output_vs_outcome.py", NORTHWIND, safe=True)
    scatter = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Each month's change" in c.proto.spec)
    xs, ys = scatter["data"][0]["x"], scatter["data"][0]["y"]
    assert statistics.pstdev(xs) == pytest.approx(1.0) and statistics.pstdev(ys) == pytest.approx(1.0)
    assert SCALED_NOTE in [c.value for c in at.caption]


def _snapshot(actual: float, commentary: str, win_rate: float) -> ReviewSnapshot:
    return ReviewSnapshot(workspace_name="Acme", currency="USD", month=SEP, kpis=[
        KpiSnapshot(key="revenue", label="Revenue", mandate=Mandate.GROWTH, unit=Unit.CURRENCY, actual=actual,
                    target=100_000, commentary=commentary),
        KpiSnapshot(key="win_rate", label="Win rate", mandate=Mandate.GROWTH, unit=Unit.PERCENT, actual=win_rate)])


def test_changes_since_the_review_are_counted_on_amounts_and_shown_masked() -> None:
    frozen = _snapshot(110_000, "Cut $5K of events", 0.20)
    live = _snapshot(120_000, "Cut $8K of events", 0.25)
    shown = [(d.item, d.field, d.frozen, d.live) for d in snapshot_differences(frozen, live)]
    masked = [(d.item, d.field, d.frozen, d.live) for d in snapshot_differences(frozen, live, mask_currency=True)]
    assert shown == [("Revenue", "actual", "$110K", "$120K"),
                     ("Revenue", "commentary", "Cut $5K of events", "Cut $8K of events"),
                     ("Win rate", "actual", "20.0%", "25.0%")]
    assert masked == [("Revenue", "actual", MASK, MASK),
                      ("Revenue", "commentary", f"Cut {MASK} of events", f"Cut {MASK} of events"),
                      ("Win rate", "actual", "20.0%", "25.0%")]


def test_the_board_pack_is_share_safe_whole_while_share_safe_is_on(seeded_url: str) -> None:
    deck_switch = "Share-safe deck (hide absolute currency figures)"
    at = open_page(seeded_url, "pages/board_pack.py", NORTHWIND, safe=True)
    assert deck_switch not in [t.label for t in at.toggle]  # no way to build a deck with amounts while sharing
    assert any("Share-safe is on" in c.value for c in at.caption)
    off = open_page(seeded_url, "pages/board_pack.py", NORTHWIND, safe=False)
    assert deck_switch in [t.label for t in off.toggle]
