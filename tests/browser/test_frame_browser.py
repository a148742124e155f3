"""The frame holds on every entry: a fresh server opened at a page's own address gets it, and that page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import StartApp, wait_for_app

pytestmark = pytest.mark.browser


def test_deep_link_on_a_fresh_server_goes_through_the_frame(page: Page, start_app: StartApp) -> None:
    url = start_app()  # no session has run app.py yet on this server
    page.goto(f"{url}/scorecard")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Client company")).to_be_visible(timeout=30_000)
    expect(sidebar.get_by_text("One view of reality")).to_be_visible()
    expect(page.get_by_text("No client company yet")).to_have_count(0)
    expect(page.get_by_test_id("client-banner")).to_contain_text("Scorecard")  # the page asked for
