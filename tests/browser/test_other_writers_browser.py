"""A write from another process shows on the next rerun: the command line beside a running server, and two app
servers on one PostgreSQL database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from db.engine import engine_for, session_scope
from db.queries import monthly_data
from db.scorecard_models import KpiCommentaryRow
from db.workspaces import workspace_by_name
from metrics.catalog import Unit
from metrics.formatting import format_value
from tests.browser.conftest import ROOT, StartApp, wait_for_app, wait_until_settled
from tests.conftest import _reset_postgres

pytestmark = pytest.mark.browser
COMPANY = "Bloom & Brew"  # the first company in the picker
RESTATED = 12_345_678.0


def latest_revenue(url: str) -> tuple[str, str]:
    """The company's newest revenue month (YYYY-MM) and its figure as the pages show it."""
    with session_scope(engine_for(url)) as session:
        workspace = workspace_by_name(session, COMPANY)
        revenue = monthly_data(session, workspace.id, ["revenue"])["revenue"]
        currency = workspace.currency
    month = max(revenue)
    return month.strftime("%Y-%m"), format_value(revenue[month].value, Unit.CURRENCY, currency)


def restate_from_the_command_line(url: str, month: str, folder: Path) -> None:
    file = folder / "restated.csv"
    file.write_text(f"Month,Revenue\n{month},{RESTATED:.2f}\n")
    done = subprocess.run([sys.executable, "cli.py", "import", str(file), "--workspace", COMPANY, "--replace",
                           "--by", "Finance"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ALIGNBOARD_DATABASE_URL": url}, check=False)
    assert done.returncode == 0, done.stderr


def wait_until_saved(url: str, text: str, timeout: float = 30) -> None:
    """Wait until the company's KPI commentary holds ``text`` in the database."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(engine_for(url)) as session:
            workspace_id = workspace_by_name(session, COMPANY).id
            saved = session.scalars(select(KpiCommentaryRow.text).where(
                KpiCommentaryRow.workspace_id == workspace_id)).all()
        if text in saved:
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} was not saved within {timeout:.0f} s")


def brief(page: Page) -> str:
    """The month in brief, which names the month's revenue."""
    return page.get_by_text("The month in brief").locator("xpath=..").inner_text()


def test_a_command_line_import_shows_in_the_running_app_without_a_restart(page: Page, start_app: StartApp,
                                                                          tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'alignboard.db'}"
    base = start_app(ALIGNBOARD_DATABASE_URL=url)
    page.goto(base)
    wait_for_app(page)
    expect(page.get_by_text("The month in brief")).to_be_visible(timeout=60_000)
    month, before = latest_revenue(url)
    expect(page.get_by_text(before).first).to_be_visible()
    restate_from_the_command_line(url, month, tmp_path)
    after = format_value(RESTATED, Unit.CURRENCY, "EUR")
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text(after).first).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Bring your own numbers").click()
    wait_for_app(page)
    page.get_by_role("tab", name="History").click()
    expect(page.get_by_text("restated.csv").first).to_be_attached(timeout=30_000)  # the history has the new batch


def test_two_app_servers_on_one_postgresql_stay_consistent(browser, start_app: StartApp, postgres_url: str,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    _reset_postgres(postgres_url)
    first = start_app(ALIGNBOARD_DATABASE_URL=postgres_url)
    second = start_app(ALIGNBOARD_DATABASE_URL=postgres_url)
    one, two = browser.new_page(viewport={"width": 1600, "height": 1000}), browser.new_page(
        viewport={"width": 1600, "height": 1000})
    for page, base in ((one, first), (two, second)):
        page.goto(base)
        wait_for_app(page)
        expect(page.get_by_text("The month in brief")).to_be_visible(timeout=90_000)
    month, before = latest_revenue(postgres_url)
    for page in (one, two):
        expect(page.get_by_text(before).first).to_be_visible()

    restate_from_the_command_line(postgres_url, month, tmp_path)  # a third process writes
    after = format_value(RESTATED, Unit.CURRENCY, "EUR")
    for page in (one, two):
        page.reload()
        wait_for_app(page)
        expect(page.get_by_text(after).first).to_be_visible(timeout=30_000)

    # a write through the first server shows on the second
    one.get_by_test_id("stSidebarNav").get_by_text("Scorecard").click()
    wait_until_settled(one)  # typed into a page still drawing, the text is drawn over and never sent
    note = "Restated by finance on the first server"
    box = one.get_by_role("textbox", name="What we are doing to improve it").first
    box.fill(note)
    expect(box).to_have_value(note)
    one.get_by_role("button", name="Save").first.click()
    wait_until_saved(postgres_url, note)  # committed through the first server before the second reads
    two.get_by_test_id("stSidebarNav").get_by_text("Scorecard").click()
    wait_for_app(two)
    expect(two.get_by_role("textbox", name="What we are doing to improve it").first).to_have_value(note,
                                                                                                  timeout=30_000)
    one.close()
    two.close()
