"""A shared link in share-safe mode, as the audience sees it: the One View without a single amount of money,
its changes and statuses still there; switching share-safe off brings the amounts back. (What the page sends
the browser, figures and sparkline data included, is scanned in test_share_safe_scan_browser.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import full_screenshot, wait_for_app

pytestmark = pytest.mark.browser
BAND_TILES = 21  # the demo companies track 8 P&L + 9 campaign + 4 how-people-feel metrics
TILES = "[class*='st-key-band_'] [data-testid='stMetric']"
MONEY = re.compile(r"[$€£¥]\s?-?\d")
CHANGE = re.compile(r"^[+-]?\d+\.\d(%| pts)$")


def test_a_share_safe_link_shows_no_amounts_on_the_one_view(page: Page, app_url: str, screenshot_dir) -> None:
    page.goto(f"{app_url}/?present=1&safe=1")
    wait_for_app(page)
    expect(page.locator(TILES)).to_have_count(BAND_TILES, timeout=60_000)  # the first start seeds
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert not [v for v in values if MONEY.search(v)], values
    assert "•••" in values and any(v.endswith("%") for v in values)
    deltas = page.locator(TILES).get_by_test_id("stMetricDelta").all_inner_texts()
    assert len(deltas) >= BAND_TILES - 2 and all(CHANGE.match(d.strip()) for d in deltas if d.strip() != "n/a"), deltas
    text = main.inner_text()
    assert not MONEY.search(text), MONEY.findall(text)
    assert "Target: •••" in text  # an agreed currency KPI keeps its status chip, not its amount
    expect(main.get_by_test_id("rag-badge").first).to_be_visible()
    expect(page.get_by_test_id("index-chart")).to_have_count(1)
    full_screenshot(page, screenshot_dir / "one_view_share_safe.png")

    main.get_by_text("Share-safe").click()  # the switch under the banner while presenting
    wait_for_app(page)
    expect(page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^[$€£]\d"))).not_to_have_count(0)
    assert "safe=1" not in page.url
    full_screenshot(page, screenshot_dir / "one_view_amounts_shown.png")
