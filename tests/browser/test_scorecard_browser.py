"""What a person sees: agreeing a four-KPI set as CEO and CMO, then the scorecard in red, amber and green."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from metrics.status import RAG_COLORS, Rag
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def rgb(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def open_page(page: Page, app_url: str, title: str) -> None:
    """Start at the app (the first start seeds the demo companies), then follow the sidebar link."""
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_for_app(page)


def full_screenshot(page: Page, path) -> None:  # noqa: ANN001 - a Path
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, height + 40)})
    page.wait_for_timeout(1500)  # charts redraw on resize
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def test_agree_four_kpis_as_ceo_and_cmo_then_read_the_scorecard(page: Page, app_url: str, screenshot_dir) -> None:
    open_page(page, app_url, "KPI agreement")
    expect(page.get_by_test_id("client-banner")).to_contain_text("Bloom & Brew")
    expect(page.get_by_text("Agreement v1 drives the scorecard")).to_be_visible()

    # Bloom & Brew agreed five KPIs; the new draft keeps four of them.
    page.get_by_role("button", name="Remove Decision confidence · Brand (the meaning) · outcome").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stMultiSelect").locator("[data-tag]")).to_have_count(4)
    page.get_by_role("button", name="Save as draft v2").click()
    expect(page.get_by_text("Draft v2 is waiting for the CEO and CMO's signature")).to_be_visible()

    page.get_by_role("button", name="Sign as CEO").click()
    expect(page.get_by_text("Draft v2 is waiting for the CMO's signature")).to_be_visible()
    page.get_by_role("button", name="Sign as CMO").click()
    expect(page.get_by_text("Agreement v2 drives the scorecard")).to_be_visible()
    page.get_by_text("Agreement v2 — signed by").first.scroll_into_view_if_needed()
    removed = page.get_by_text("Removed Decision confidence")
    expect(removed.first).to_be_visible()
    expect(removed).to_have_count(1)  # once the rerun has replaced the draft's list
    full_screenshot(page, screenshot_dir / "agreement_signed_v2.png")

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Scorecard").click()
    wait_for_app(page)
    expect(page.get_by_text("Agreement v2", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Brand (the meaning)")).to_be_visible()
    expect(page.get_by_role("heading", name="Growth (the math)")).to_be_visible()
    badges = page.get_by_test_id("rag-badge")
    expect(badges).to_have_count(4)
    colors = {badges.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") for i in range(4)}
    assert colors <= {rgb(RAG_COLORS[r]) for r in (Rag.GREEN, Rag.AMBER, Rag.RED)}, colors
    assert rgb(RAG_COLORS[Rag.GREEN]) in colors
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(4)
    full_screenshot(page, screenshot_dir / "scorecard_bloom_v2.png")
