"""What a person sees on the One View at 1440×900: the month in brief, the agreed KPIs and the index chart in the
first screen, the three bands as compact tiles with units, a month picker that works, and tiles a company can pin
and hide, kept after a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from components.tile_bands import COLUMN_WIDTHS
from tests.browser.conftest import full_screenshot, wait_for_app, wait_until_settled

pytestmark = pytest.mark.browser
SCREEN = {"width": 1440, "height": 900}
BAND_TILES = 21  # the demo companies track 8 P&L + 9 campaign + 4 how-people-feel metrics
UNIT = re.compile(r"[$€%×]|\d(K|M|B)$|\bmo$|^\d+(\.\d)?$")
GRID_ROW_PX = 35  # Streamlit's data editor: header and rows are 35 px tall


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox by its label."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def band_tiles(page: Page) -> Locator:
    return page.locator("[class*='st-key-band_'] [data-testid='stMetric']")


def tile_labels(page: Page, band: str) -> list[str]:
    return [t.strip() for t in
            page.locator(f".st-key-band_{band} [data-testid='stMetricLabel']").all_inner_texts()]


def scroll_height(page: Page) -> int:
    return page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")


def open_company(page: Page, app_url: str, name: str) -> None:
    page.set_viewport_size(SCREEN)
    page.goto(app_url)
    wait_for_app(page)
    expect(band_tiles(page)).to_have_count(BAND_TILES, timeout=30_000)  # the first start seeds
    choose(page, "Client company", f"{name} (demo)")
    expect(page.get_by_test_id("client-banner")).to_contain_text(name, timeout=10_000)
    wait_for_app(page)
    expect(band_tiles(page)).to_have_count(BAND_TILES)


def bottom(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not drawn"
    return box["y"] + box["height"]


@pytest.mark.parametrize("company", ["Northwind Analytics", "Bloom & Brew"])
def test_the_month_reads_from_the_first_screen(page: Page, app_url: str, screenshot_dir, company: str) -> None:
    open_company(page, app_url, company)
    agreed = page.locator(".st-key-agreed_kpis [data-testid='stMetric']")
    expect(agreed.first).to_be_visible()
    assert 3 <= agreed.count() <= 7
    chart = page.locator(".st-key-index_chart_block [data-testid='index-chart']")
    expect(chart).to_have_count(1)
    # The brief, the signed KPIs and the index chart all end within the first 900 px.
    assert bottom(page.get_by_text("The month in brief")) < SCREEN["height"]
    assert bottom(page.locator(".st-key-agreed_kpis")) < SCREEN["height"]
    assert bottom(chart) <= SCREEN["height"], f"the index chart ends at {bottom(chart):.0f} px"
    height = scroll_height(page)
    assert height <= 2 * SCREEN["height"], f"the One View is {height} px tall"
    values = page.locator("[class*='st-key-band_'] [data-testid='stMetricValue']").all_inner_texts()
    assert all(UNIT.search(value) for value in values), values
    currency = "€" if company == "Bloom & Brew" else "$"
    assert any(currency in value for value in values)
    page.mouse.move(800, 5)
    page.screenshot(path=str(screenshot_dir / f"one_view_first_screen_{company.split()[0].lower()}.png"))
    full_screenshot(page, screenshot_dir / f"one_view_{company.split()[0].lower()}.png")


def test_the_month_picker_changes_every_tile(page: Page, app_url: str, screenshot_dir) -> None:
    open_company(page, app_url, "Northwind Analytics")
    values = page.locator("[class*='st-key-band_'] [data-testid='stMetricValue']")
    before = values.all_inner_texts()
    month_box = page.get_by_role("combobox", name="Month")
    latest = month_box.input_value()
    page.get_by_test_id("stSelectbox").filter(has_text="Month").click()
    options = page.get_by_role("option").all_inner_texts()
    earlier = next(o for o in options[6:] if "no data" not in o and "partial" not in o)
    page.get_by_role("option", name=earlier, exact=True).click()
    expect(values.first).not_to_have_text(before[0])
    wait_for_app(page)
    after = values.all_inner_texts()
    assert after != before and len(after) == BAND_TILES
    assert latest != earlier
    expect(month_box).to_have_value(earlier)
    full_screenshot(page, screenshot_dir / "one_view_earlier_month.png")


def tick(grid: Locator, row: int, column: str) -> None:
    """Tick the Pinned or Hidden checkbox in row ``row`` (1 = the first tile) of the arrange table: a canvas grid,
    so the cell is found by the table's fixed column widths and row height (its scroller takes the clicks)."""
    column_index = ("Position", "Tile", "Band", "Pinned", "Hidden").index(column)
    x = sum(COLUMN_WIDTHS[:column_index]) + COLUMN_WIDTHS[column_index] / 2
    grid.locator(".dvn-scroller").click(position={"x": x, "y": GRID_ROW_PX * row + GRID_ROW_PX / 2})
    grid.page.wait_for_timeout(300)


def test_a_company_pins_and_hides_tiles_and_keeps_them_after_a_reload(page: Page, app_url: str,
                                                                     screenshot_dir) -> None:
    open_company(page, app_url, "Northwind Analytics")
    standard = tile_labels(page, "pnl")
    last, hidden = standard[-1], standard[1]
    page.get_by_test_id("stExpander").get_by_text("Arrange tiles").click()
    grid = page.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible(timeout=15_000)
    wait_for_app(page)
    page.wait_for_timeout(1000)  # the grid draws its canvas after it mounts
    # The table lists the P&L tiles first, in the order they show.
    tick(grid, len(standard), "Pinned")
    tick(grid, 2, "Hidden")
    grid.screenshot(path=str(screenshot_dir / "arrange_table_ticked.png"))
    page.get_by_role("button", name="Save arrangement").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Hidden: {hidden}")).to_be_visible(timeout=15_000)

    page.reload()  # a new session: the arrangement comes from the database
    wait_for_app(page)
    if "Northwind" not in page.get_by_test_id("client-banner").inner_text():
        choose(page, "Client company", "Northwind Analytics (demo)")
        expect(page.get_by_test_id("client-banner")).to_contain_text("Northwind", timeout=10_000)
    expect(band_tiles(page)).to_have_count(BAND_TILES - 1, timeout=30_000)
    shown = tile_labels(page, "pnl")
    assert shown[0] == last, shown
    assert hidden not in shown and sorted([*shown, hidden]) == sorted(standard)
    expect(page.get_by_text(f"Hidden: {hidden}")).to_be_visible()
    full_screenshot(page, screenshot_dir / "one_view_arranged.png")

    wait_until_settled(page)  # after the screenshot's resize: a click while the page redraws can be lost
    page.get_by_test_id("stExpander").get_by_text("Arrange tiles").click()
    standard_button = page.get_by_role("button", name="Standard arrangement")
    expect(standard_button).to_be_visible()
    standard_button.click()
    wait_for_app(page)
    expect(band_tiles(page)).to_have_count(BAND_TILES, timeout=15_000)
    assert tile_labels(page, "pnl") == standard
