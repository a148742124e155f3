"""What a person sees importing a file: upload, map a column, dry run, import, and the One View changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from db.engine import engine_for, session_scope
from db.queries import monthly_data
from db.workspaces import workspace_by_name
from metrics.catalog import Unit
from metrics.formatting import format_value
from tests.browser.conftest import wait_for_app, wait_until_settled

pytestmark = pytest.mark.browser
COMPANY = "Bloom & Brew"  # the first company, shown on opening; reports in euros
ADDED = 250_000


@pytest.fixture(scope="module")
def app(start_app, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:  # noqa: ANN001 - StartApp
    """A seeded app on a database file this test can read too: (base URL, database URL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('data_page') / 'alignboard.db'}"
    return start_app(ALIGNBOARD_DATABASE_URL=url), url


def latest_revenue(database_url: str) -> tuple[str, float]:
    """The newest month with revenue for the company, as the One View shows it by default, and its value."""
    engine = engine_for(database_url)
    with session_scope(engine) as session:
        workspace_id = workspace_by_name(session, COMPANY).id
        revenue = monthly_data(session, workspace_id, ["revenue"])["revenue"]
    month = max(revenue)
    return month.strftime("%Y-%m"), revenue[month].value


def revenue_card(page: Page):  # noqa: ANN201 - a Locator
    label = page.get_by_test_id("stMetricLabel").get_by_text("Revenue", exact=True)
    tiles = page.locator("[class*='st-key-band_'] [data-testid='stMetric']")  # the P&L band's, not the agreed row's
    return tiles.filter(has=label).get_by_test_id("stMetricValue")


def full_screenshot(page: Page, path: Path) -> None:
    """Streamlit scrolls inside its main block: grow the window to the page first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, height + 40)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def test_upload_map_dry_run_import_and_see_the_one_view_change(page: Page, app: tuple[str, str],
                                                               screenshot_dir: Path, tmp_path: Path) -> None:
    base_url, database_url = app
    page.goto(base_url)
    wait_for_app(page)
    expect(revenue_card(page)).to_have_count(1, timeout=60_000)  # the first start seeds the demo companies
    month, before = latest_revenue(database_url)
    expect(revenue_card(page)).to_have_text(format_value(before, Unit.CURRENCY, "EUR"))

    file = tmp_path / "till-export.csv"
    file.write_text(f"Month;Takings;Note\n{month};{ADDED:,}".replace(",", ".") + ",00;first export\n")
    page.get_by_role("link", name="Bring your own numbers").click()
    wait_for_app(page)
    page.get_by_role("textbox", name="Imported by").fill("Dana")
    page.get_by_role("textbox", name="Imported by").press("Enter")
    wait_until_settled(page)  # the name's rerun first: a file dropped mid-rerun can be dropped with it
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(file))
    expect(page.get_by_text("Read as CSV, UTF-8, semicolon-separated, header on row 1 · 1 row.")).to_be_visible(
        timeout=30_000)

    takings = page.get_by_role("combobox", name="Takings")
    takings.click()
    takings.fill("Revenue")
    page.get_by_role("option", name="Metric: Revenue", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_disabled()

    page.get_by_role("button", name="Preview (dry run)").click()
    expect(page.get_by_text("Dry run passed: nothing written yet.")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("tabpanel", name="Import a file").get_by_test_id("stDataFrame")).to_be_visible()
    full_screenshot(page, screenshot_dir / "data_dry_run.png")
    assert latest_revenue(database_url)[1] == before  # a dry run writes nothing

    # The demo company's revenue already comes from its sample source: the app asks before adding anything up.
    expect(page.get_by_text(re.compile(r"Revenue for \w{3} \d{4} already comes from"))).to_be_visible()
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_disabled()
    page.get_by_text("Add it as another segment").click()
    wait_for_app(page)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(re.compile(r"Imported as source 'till'"))).to_be_visible(timeout=30_000)
    full_screenshot(page, screenshot_dir / "data_imported.png")
    assert latest_revenue(database_url)[1] == pytest.approx(before + ADDED)

    page.get_by_role("link", name="See it in the one view").click()
    wait_for_app(page)
    expect(revenue_card(page)).to_have_text(format_value(before + ADDED, Unit.CURRENCY, "EUR"), timeout=30_000)
    full_screenshot(page, screenshot_dir / "one_view_after_import.png")

    page.get_by_role("link", name="Bring your own numbers").click()
    wait_for_app(page)
    page.get_by_role("tab", name="History").click()
    expect(page.get_by_role("button", name="Undo this import")).to_be_visible()
    page.get_by_role("button", name="Undo this import").click()
    expect(page.get_by_text(re.compile(r"Import #\d+ undone"))).to_be_visible(timeout=30_000)
    assert latest_revenue(database_url)[1] == pytest.approx(before)


def test_a_preview_never_follows_you_to_another_company(page: Page, app: tuple[str, str], tmp_path: Path) -> None:
    base_url, _ = app
    file = tmp_path / "takings.csv"
    file.write_text("Month,Revenue\n2026-09,1000\n")
    page.goto(base_url)
    wait_for_app(page)
    page.get_by_role("link", name="Bring your own numbers").click()
    wait_for_app(page)
    page.get_by_role("textbox", name="Imported by").fill("Dana")
    page.get_by_role("textbox", name="Imported by").press("Enter")
    wait_until_settled(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(file))
    page.get_by_role("button", name="Preview (dry run)").click()
    expect(page.get_by_text("Dry run passed: nothing written yet.")).to_be_visible(timeout=30_000)

    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Client company")
    picker.click()
    page.get_by_role("option", name="Northwind Analytics (demo)").click()
    wait_for_app(page)
    expect(page.get_by_test_id("client-banner")).to_contain_text("Northwind Analytics")
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
    expect(uploader).to_have_count(1, timeout=15_000)  # the first company's upload box is gone
    uploader.set_input_files(str(file))  # the same file, again
    expect(page.get_by_role("button", name="Preview (dry run)")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Dry run passed: nothing written yet.")).to_have_count(0)
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_disabled()
