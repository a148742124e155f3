"""An empty install in Chromium: the welcome, a company added from it, and one added from the command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, StartApp, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def empty_app(start_app: StartApp, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A server on an empty database, no demo seeding: (base URL, database URL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('welcome') / 'alignboard.db'}"
    return start_app(ALIGNBOARD_DATABASE_URL=url, ALIGNBOARD_SEED_SAMPLE_DATA="false"), url


def logo_file(folder: Path) -> Path:
    """A wide two-colour logo, larger than the 512 pixels it is stored at."""
    image = Image.new("RGB", (1200, 400), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 360, 360), fill="#c0392b")
    draw.ellipse((440, 80, 760, 320), fill="#1f4e79")
    path = folder / "acme-logo.png"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_an_empty_install_welcomes_and_a_company_added_there_opens(page: Page, empty_app: tuple[str, str],
                                                                   screenshot_dir: Path, tmp_path: Path) -> None:
    base_url, _ = empty_app
    page.goto(base_url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Welcome to Alignboard")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Explore the demo companies")).to_be_visible()
    expect(page.get_by_text("No client company yet")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "welcome.png"))

    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Company name").fill("Acme Analytics")
    form.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(logo_file(tmp_path)))
    form.get_by_role("textbox", name="Your name").fill("Dana")
    form.get_by_role("button", name="Add your company").click()

    banner = page.get_by_test_id("client-banner")
    expect(banner).to_contain_text("Acme Analytics", timeout=30_000)
    expect(banner).to_contain_text("One view of reality")
    expect(banner.get_by_test_id("client-logo")).to_be_visible()
    expect(page.get_by_text("Acme Analytics is added.")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Client company")).to_have_value(
        "Acme Analytics")
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "added.png"))


def test_a_company_created_from_the_command_line_appears_after_a_reload(page: Page, empty_app: tuple[str, str],
                                                                        screenshot_dir: Path) -> None:
    base_url, database_url = empty_app
    page.goto(base_url)
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Client company")).to_be_visible(timeout=30_000)  # the first test's company
    created = subprocess.run([sys.executable, "cli.py", "workspace", "create", "Zeta Foods", "--currency", "GBP",
                              "--colour", "#7b1fa2"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "ALIGNBOARD_DATABASE_URL": database_url}, check=False)
    assert created.returncode == 0, created.stderr
    page.reload()
    wait_for_app(page)
    sidebar.get_by_role("combobox", name="Client company").click()
    options = page.get_by_role("option")
    expect(options.filter(has_text="Zeta Foods")).to_have_count(1, timeout=30_000)
    page.screenshot(path=str(screenshot_dir / "picker.png"))
    options.filter(has_text="Zeta Foods").click()
    expect(page.get_by_test_id("client-banner")).to_contain_text("Zeta Foods", timeout=30_000)
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "cli_company.png"))


def test_the_companies_page_lists_and_manages_them(page: Page, empty_app: tuple[str, str],
                                                   screenshot_dir: Path) -> None:
    base_url, _ = empty_app
    page.goto(f"{base_url}/companies")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Companies")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.get_by_role("tab", name="Logo").click()
    expect(page.get_by_role("button", name="Remove the logo")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshot_dir / "companies.png"))
    page.get_by_role("textbox", name="Your name").fill("Dana")
    page.get_by_role("textbox", name="Your name").press("Enter")
    wait_for_app(page)
    page.get_by_role("tab", name="Delete").click()
    page.wait_for_timeout(500)
    expect(page.get_by_text("Deleting Acme Analytics removes it and all its data for good")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "delete.png"))


def test_presenting_shows_the_logo_in_the_large_banner(page: Page, empty_app: tuple[str, str],
                                                       screenshot_dir: Path) -> None:
    base_url, _ = empty_app
    page.goto(f"{base_url}/?present=1")
    wait_for_app(page)
    banner = page.locator(".st-key-presentation_banner [data-testid='client-banner']")
    expect(banner).to_contain_text("Acme Analytics", timeout=30_000)
    expect(banner.get_by_test_id("client-logo")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "presenting.png"))
