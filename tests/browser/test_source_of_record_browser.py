"""What a person sees: the demo's two reports of marketing-sourced revenue reconciled on the scorecard,
and the source of record chosen on the Data page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def open_page(page: Page, app_url: str, title: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_test_id("client-banner")).to_be_visible(timeout=60_000)  # the first start seeds the demo
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_for_app(page)


def test_scorecard_reconciliation_and_the_data_page_choice(page: Page, app_url: str, screenshot_dir) -> None:
    open_page(page, app_url, "Scorecard")
    heading = page.get_by_role("heading", name="Reconciliation")
    heading.scroll_into_view_if_needed()
    summary = page.get_by_text(re.compile(r"Marketing-sourced revenue · source of record: .+ · \d+ of the last 12 "
                                          r"months above 5%"))
    expect(summary).to_be_visible()
    assert int(re.search(r"(\d+) of the last", summary.inner_text()).group(1)) >= 2
    table = page.get_by_test_id("stDataFrame").last
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the grid paints on a canvas
    page.screenshot(path=str(screenshot_dir / "scorecard_reconciliation.png"), full_page=False)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Bring your own numbers").click()
    wait_for_app(page)
    expander = page.get_by_text("Sources of record: when two systems report the same number")
    expander.scroll_into_view_if_needed()
    expander.click()
    expect(page.get_by_text("Choose the source of record: only its figures count")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_be_disabled()  # nothing changed yet
    page.get_by_role("button", name="Save").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=str(screenshot_dir / "data_sources_of_record.png"))
