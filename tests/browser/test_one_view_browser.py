"""What a person sees on the One View: cards with units, the index chart, and a month picker that works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser
CARDS = 21  # 8 P&L + 9 campaigns + 4 how people feel
UNIT = re.compile(r"[$€%×]|\d(K|M|B)$|\bmo$|^\d+(\.\d)?$")


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox by its label."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def card_values(page: Page) -> list[str]:
    return page.get_by_test_id("stMetricValue").all_inner_texts()


def full_screenshot(page: Page, path) -> None:  # noqa: ANN001 - a Path
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    page.mouse.move(800, 5)  # no tooltip over the cards
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, height + 40)})
    page.wait_for_timeout(1500)  # plotly redraws on resize
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def open_company(page: Page, app_url: str, name: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric")).to_have_count(CARDS, timeout=30_000)  # first start seeds
    banner = page.get_by_test_id("client-banner")
    choose(page, "Client company", f"{name} (demo)")
    expect(banner).to_contain_text(name, timeout=10_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric")).to_have_count(CARDS)


def test_one_view_shows_cards_and_chart_and_follows_the_month(page: Page, app_url: str, screenshot_dir) -> None:
    open_company(page, app_url, "Northwind Analytics")
    before = card_values(page)
    assert all(UNIT.search(value) for value in before), before
    assert "no data" not in before
    expect(page.locator(".js-plotly-plot").filter(has_text="Index (first month = 100)")).to_have_count(1)
    expect(page.get_by_text("Outputs are rising while outcomes fall")).to_be_visible()
    full_screenshot(page, screenshot_dir / "one_view_northwind.png")

    month_box = page.get_by_role("combobox", name="Month")
    latest = month_box.input_value()
    page.get_by_test_id("stSelectbox").filter(has_text="Month").click()
    options = page.get_by_role("option").all_inner_texts()
    earlier = next(o for o in options[6:] if "no data" not in o)
    page.get_by_role("option", name=earlier, exact=True).click()
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(before[0])
    wait_for_app(page)
    after = card_values(page)
    assert after != before and len(after) == CARDS
    assert latest != earlier
    expect(month_box).to_have_value(earlier)
    full_screenshot(page, screenshot_dir / "one_view_earlier_month.png")


def test_bloom_and_brew_in_euros(page: Page, app_url: str, screenshot_dir) -> None:
    open_company(page, app_url, "Bloom & Brew")
    expect(page.get_by_test_id("stMetricValue").first).to_contain_text("€")
    full_screenshot(page, screenshot_dir / "one_view_bloom.png")
