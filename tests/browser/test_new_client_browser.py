"""A real client from scratch, as a new user would: create the company on the welcome, import a weekly
marketing-mix file the demo generator did not write (revenue, impressions, spend in five channel columns, a
last week reaching into the next month), and read its One View."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from metrics.catalog import Unit
from metrics.formatting import format_value
from tests.browser.conftest import StartApp, wait_for_app

pytestmark = pytest.mark.browser
CHANNELS = ("tv", "search", "social", "display", "radio")
FIRST_WEEK = dt.date(2025, 6, 2)  # a Monday
LAST_WEEK = dt.date(2026, 8, 31)  # its days run to 6 Sep: September is partial


def weekly_file(folder: Path) -> tuple[Path, pd.DataFrame]:
    """The file, and the same figures as a frame for the test's own arithmetic."""
    rng = np.random.default_rng(5)
    weeks = pd.date_range(FIRST_WEEK, LAST_WEEK, freq="7D")
    frame = pd.DataFrame({"DATE": weeks.strftime("%Y-%m-%d"),
                          "revenue": rng.integers(40_000, 90_000, len(weeks)),
                          "facebook_I": rng.integers(200_000, 900_000, len(weeks))})
    for channel in CHANNELS:
        frame[f"{channel}_spend"] = rng.integers(1_000, 9_000, len(weeks))
    frame["competitor_sales_B"] = rng.integers(500_000, 900_000, len(weeks))  # never the company's own revenue
    path = folder / "mmm_weekly.csv"
    frame.to_csv(path, index=False)
    return path, frame


def month_total(frame: pd.DataFrame, columns: list[str], month: str) -> float:
    """Independent arithmetic: each week's value spread evenly over its seven days, summed by month."""
    days = pd.DataFrame({"day": pd.to_datetime(frame["DATE"]).repeat(7).to_numpy()
                         + np.tile(np.arange(7), len(frame)) * np.timedelta64(1, "D"),
                         "value": frame[columns].sum(axis=1).repeat(7).to_numpy() / 7})
    return float(days.loc[days["day"].dt.strftime("%Y-%m") == month, "value"].sum())


def card(page: Page, label: str):  # noqa: ANN201 - a Locator
    name = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=name).get_by_test_id("stMetricValue")


@pytest.fixture(scope="module")
def empty_app(start_app: StartApp, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('new_client') / 'alignboard.db'}"
    return start_app(ALIGNBOARD_DATABASE_URL=url, ALIGNBOARD_SEED_SAMPLE_DATA="false")


def test_a_company_from_scratch_imports_a_weekly_mix_file_and_reads_its_one_view(
        page: Page, empty_app: str, screenshot_dir: Path, tmp_path: Path) -> None:
    page.goto(empty_app)
    wait_for_app(page)
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Company name").fill("Acme Roasters")
    form.get_by_role("textbox", name="Your name").fill("Dana")
    form.get_by_role("button", name="Add your company").click()
    expect(page.get_by_test_id("client-banner")).to_contain_text("Acme Roasters", timeout=30_000)
    wait_for_app(page)
    currency = "USD"  # the form's first currency

    path, frame = weekly_file(tmp_path)
    page.get_by_role("link", name="Bring your own numbers").click()
    wait_for_app(page)
    page.get_by_role("textbox", name="Imported by").fill("Dana")
    page.get_by_role("textbox", name="Imported by").press("Enter")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    expect(page.get_by_text("Read as CSV")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Preview (dry run)").click()
    expect(page.get_by_text("Dry run passed: nothing written yet.")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Sep 2026: 6 of 30 days").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "new_client_dry_run.png"), full_page=True)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("link", name="See it in the one view")).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="See it in the one view").click()
    wait_for_app(page)

    picker = page.get_by_role("combobox", name="Month")
    expect(picker).to_have_value("Aug 2026", timeout=30_000)  # the latest complete month, not partial September
    revenue = month_total(frame, ["revenue"], "2026-08")
    spend = month_total(frame, [f"{c}_spend" for c in CHANNELS], "2026-08")  # all five channels, not one
    expect(card(page, "Revenue")).to_have_text(format_value(revenue, Unit.CURRENCY, currency))
    expect(card(page, "Marketing spend")).to_have_text(format_value(spend, Unit.CURRENCY, currency))
    expect(page.get_by_text("Not tracked yet:")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(3)  # revenue, spend, impressions: no empty cards
    page.screenshot(path=str(screenshot_dir / "new_client_one_view.png"), full_page=True)

    picker.click()
    page.get_by_role("option", name="Sep 2026 (partial: 6 of 30 days)").click()
    wait_for_app(page)
    expect(page.get_by_text("Sep 2026 is a partial month (partial: 6 of 30 days)")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "new_client_partial_month.png"), full_page=True)
