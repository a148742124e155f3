"""A shared link in share-safe mode, as the audience sees it: the One View without a single amount of money,
its changes and statuses still there; switching share-safe off brings the amounts back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser
CARDS = 21
MONEY = re.compile(r"[$€£¥]\s?-?\d")
CHANGE = re.compile(r"^[+-]?\d+\.\d(%| pts)$")


def full_screenshot(page: Page, path) -> None:  # noqa: ANN001 - a Path
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    page.mouse.move(800, 5)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, height + 40)})
    page.wait_for_timeout(1500)  # plotly redraws on resize
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def sparkline_hover(page: Page, card_label: str) -> str:
    """Hover the last point of a card's sparkline and read the label plotly shows."""
    card = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_test_id("stMetricLabel").filter(
        has_text=re.compile(rf"^{card_label}$"))).last
    chart = card.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] / 2)
    hover = page.locator(".hoverlayer .hovertext").first
    expect(hover).to_be_visible(timeout=10_000)
    return hover.text_content() or ""  # an SVG group: no inner_text


def test_a_share_safe_link_shows_no_amounts_on_the_one_view(page: Page, app_url: str, screenshot_dir) -> None:
    page.goto(f"{app_url}/?present=1&safe=1")
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric")).to_have_count(CARDS, timeout=60_000)  # the first start seeds
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert not [v for v in values if MONEY.search(v)], values
    assert "•••" in values and any(v.endswith("%") for v in values)
    deltas = page.get_by_test_id("stMetricDelta").all_inner_texts()
    assert len(deltas) >= CARDS - 2 and all(CHANGE.match(d.strip()) for d in deltas if d.strip() != "n/a"), deltas
    text = main.inner_text()
    assert not MONEY.search(text), MONEY.findall(text)
    assert "Target: •••" in text  # an agreed currency KPI keeps its status chip, not its amount
    expect(main.get_by_test_id("rag-badge").first).to_be_visible()
    expect(page.locator(".js-plotly-plot").filter(has_text="Index (first month = 100)")).to_have_count(1)
    assert sparkline_hover(page, "Revenue").endswith("•••")
    full_screenshot(page, screenshot_dir / "one_view_share_safe.png")

    main.get_by_text("Share-safe").click()  # the switch under the banner while presenting
    wait_for_app(page)
    expect(page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^[$€£]\d"))).not_to_have_count(0)
    assert "safe=1" not in page.url
    assert MONEY.match(sparkline_hover(page, "Revenue").split(": ")[-1])
    full_screenshot(page, screenshot_dir / "one_view_amounts_shown.png")
