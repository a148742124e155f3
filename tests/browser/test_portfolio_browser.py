"""The Portfolio in Chromium, in single-user mode with the two demo companies: both rows with their KPI chips in the
status colours, the filter, and a click on a name that opens that company on the One View."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from metrics.status import RAG_COLORS, RAG_LABELS
from sample_data.scorecard import PLANS
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser
NAMES = ("Northwind Analytics", "Bloom & Brew")
CHIPS = sum(len(plan.kpis) for plan in PLANS.values())  # every KPI of both signed agreements
STATUSES = {*RAG_LABELS.values(), "No target"}


def rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def full_screenshot(page: Page, path) -> None:  # noqa: ANN001 - a Path
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    page.mouse.move(800, 5)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, height + 40)})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def company_button(page: Page, name: str):  # noqa: ANN201 - a Locator
    return page.get_by_role("button", name=re.compile(rf"{re.escape(name)} \(demo\)"))


def open_portfolio(page: Page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_test_id("client-banner")).to_be_visible(timeout=60_000)  # the first start seeds
    page.get_by_test_id("stSidebar").get_by_role("link", name="Portfolio").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible(timeout=30_000)


def test_every_client_on_one_page_and_a_click_opens_one(page: Page, app_url: str, screenshot_dir) -> None:
    open_portfolio(page, app_url)
    for name in NAMES:
        expect(company_button(page, name)).to_be_visible()
    chips = page.get_by_test_id("kpi-chip")
    expect(chips).to_have_count(CHIPS)
    statuses = [chips.nth(i).get_attribute("data-status") for i in range(CHIPS)]
    assert set(statuses) <= STATUSES, statuses
    colours = {chips.nth(i).evaluate("chip => getComputedStyle(chip).backgroundColor") for i in range(CHIPS)}
    assert colours <= {rgb(c) for c in RAG_COLORS.values()}, colours
    assert len(colours) >= 2  # Northwind's plans turn red while Bloom & Brew stays mostly on track
    expect(page.get_by_text("Tue 8 Dec 2026")).to_have_count(2)  # both meet on the second Tuesday (16 Nov 2026 today)
    full_screenshot(page, screenshot_dir / "portfolio.png")

    choose(page, "Show", "A KPI off track")
    wait_for_app(page)
    expect(company_button(page, "Northwind Analytics")).to_be_visible()
    expect(company_button(page, "Bloom & Brew")).to_have_count(0)
    full_screenshot(page, screenshot_dir / "portfolio_off_track.png")
    choose(page, "Show", "All companies")
    wait_for_app(page)

    company_button(page, "Bloom & Brew").click()
    wait_for_app(page)
    banner = page.get_by_test_id("client-banner")
    expect(banner).to_contain_text("Bloom & Brew", timeout=30_000)
    expect(banner).to_contain_text("One view of reality")
    expect(page.get_by_role("combobox", name="Client company")).to_have_value("Bloom & Brew (demo)")
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
    full_screenshot(page, screenshot_dir / "portfolio_opened_bloom.png")
