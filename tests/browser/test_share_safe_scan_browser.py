"""Share-safe sends nothing to hide, as the browser receives it. Each page is opened by a presentation link
(``?present=1&safe=1&client=<slug>``) at 1440×900 and three things are scanned for every currency amount the
database holds for the company, for the month shown and the 12 before (to the cent, and rounded to units in
every locale's grouping): the numbers and texts of every plotly figure's data and layout as plotly holds them
(the validator's charts; the other pages draw Vega-Lite, whose spec and rows the frames carry),
every websocket frame Streamlit sent (its protobuf messages decoded, Arrow tables cell by cell, raw bytes for
the amounts' binary doubles), and the page's text. A screenshot of every page is saved.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import WIDE, StartApp, full_screenshot, run_finished
from tests.share_safe_scan import Amounts, company_amounts, leaks_in_json, leaks_in_proto, leaks_in_text

pytestmark = pytest.mark.browser
COMPANIES = {"Northwind Analytics": "northwind-analytics", "Bloom & Brew": "bloom-brew"}
PAGES = {"": "One view of reality", "scorecard": "Scorecard", "agreement": "KPI agreement",  # "": the One View
         "output_vs_outcome": "Output vs outcome", "review": "Review meeting", "board_pack": "Board pack"}
MONTH = dt.date(2026, 10, 1)  # the newest complete month, where every page opens
PLOTLY_FIGURES = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .map(gd => JSON.parse(JSON.stringify({data: gd.data || [], layout: gd.layout || {}})))"""


@pytest.fixture(scope="module")
def scanned_app(start_app: StartApp, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A seeded app server whose database the test reads too: (the app's address, the database URL)."""
    database = f"sqlite:///{tmp_path_factory.mktemp('scan') / 'alignboard.db'}"
    return start_app(ALIGNBOARD_DATABASE_URL=database), database


class Frames:
    """Every websocket frame the server sends to the page, from before the page loads."""

    def __init__(self, page: Page) -> None:
        self.received: list[bytes] = []
        page.on("websocket", self._listen)

    def _listen(self, socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: self.received.append(
            payload if isinstance(payload, bytes) else payload.encode()))

    def leaks(self, amounts: Amounts) -> list[str]:
        leaks: list[str] = []
        for number, frame in enumerate(self.received):
            try:
                message = ForwardMsg.FromString(frame)
            except Exception:  # noqa: BLE001 - not a ForwardMsg: scan its text as it is
                leaks += leaks_in_text(frame.decode("utf-8", "replace"), amounts, f"frame {number}")
                continue
            leaks += leaks_in_proto(message, amounts, f"frame {number}")
        return leaks


def open_presenting(page: Page, base: str, path: str, slug: str, title: str) -> None:
    page.goto(f"{base}/{path}?present=1&safe=1&client={slug}")
    expect(page.locator(".st-key-presentation_banner [data-testid='client-banner']")).to_contain_text(
        title, timeout=120_000)  # the first start seeds the demo companies
    run_finished(page, 90_000)


def show_every_tab(page: Page) -> None:
    """Draw the charts of every tab (plotly draws a hidden tab's chart only once it is shown)."""
    tabs = page.get_by_role("tab")
    for index in range(tabs.count()):
        tabs.nth(index).click()
        page.wait_for_timeout(400)
    run_finished(page, 90_000)


@pytest.mark.parametrize("company", list(COMPANIES))
@pytest.mark.parametrize("path", list(PAGES), ids=lambda path: path or "one_view")
def test_no_amount_reaches_the_browser(page: Page, scanned_app: tuple[str, str], screenshot_dir: Path,
                                       company: str, path: str) -> None:
    base, database = scanned_app
    page.set_viewport_size(WIDE)
    frames = Frames(page)
    open_presenting(page, base, path, COMPANIES[company], PAGES[path])
    expect(page.locator(".st-key-presentation_banner")).to_contain_text(company)
    show_every_tab(page)
    amounts = company_amounts(database, company, MONTH)
    assert len(amounts.values) > 100  # every stored and computed amount of 13 months, and the targets

    figures = page.evaluate(PLOTLY_FIGURES)
    in_figures = [leak for number, figure in enumerate(figures)
                  for leak in leaks_in_json(figure, amounts, f"figure {number}")]
    in_frames = frames.leaks(amounts)
    in_text = leaks_in_text(page.get_by_test_id("stMain").inner_text(), amounts, "page text")
    assert frames.received and (figures or path != "output_vs_outcome")
    if path == "":  # the index chart, drawn in the page
        assert page.get_by_test_id("index-chart").count() == 1
    if path == "scorecard":
        assert page.get_by_test_id("stVegaLiteChart").count() >= 1
    assert (in_figures, in_frames, in_text) == ([], [], [])
    if path == "output_vs_outcome":  # the validator's tab, with its lag chart and the rebased scatter
        page.get_by_role("tab", name="The five-step validator").click()
        run_finished(page, 90_000)
    full_screenshot(page, screenshot_dir / f"{COMPANIES[company]}_{path or 'one_view'}_share_safe.png")


def test_the_scan_finds_amounts_without_share_safe(page: Page, scanned_app: tuple[str, str]) -> None:
    """Guard for the scan: the scorecard without share-safe sends the amounts, and each channel sees them."""
    base, database = scanned_app
    page.set_viewport_size(WIDE)
    frames = Frames(page)
    page.goto(f"{base}/scorecard?present=1&client=northwind-analytics")
    expect(page.locator(".st-key-presentation_banner")).to_contain_text("Scorecard", timeout=120_000)
    run_finished(page, 90_000)
    amounts = company_amounts(database, "Northwind Analytics", MONTH)
    leaks = frames.leaks(amounts)
    assert any("vega_lite_chart.data" in leak for leak in leaks)  # the trend charts' rows
    assert any("arrow_data" in leak for leak in leaks)
    assert leaks_in_text(page.get_by_test_id("stMain").inner_text(), amounts, "page text")
