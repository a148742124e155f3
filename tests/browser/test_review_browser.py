"""The review meeting in Chromium: carried-over actions, adding one, closing the month, the deck download,
and presentation mode with share-safe on for screen-sharing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pptx import Presentation

from reports.pptx_parts import DRAFT_NAME
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser
MONEY = re.compile(r"[$€£]\s?\d")


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def full_screenshot(page: Page, path) -> None:  # noqa: ANN001 - a Path
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, height + 40)})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def open_review(page: Page, app_url: str, company: str = "Northwind Analytics") -> None:
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_test_id("client-banner")).to_be_visible(timeout=60_000)  # the first start seeds
    for _ in range(2):  # the first choice after a server start can be lost; choose again
        choose(page, "Client company", f"{company} (demo)")
        try:
            expect(page.get_by_test_id("client-banner")).to_contain_text(company, timeout=10_000)
            break
        except AssertionError:
            continue
    page.get_by_test_id("stSidebar").get_by_role("link", name="Review meeting").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile(r"^Monthly review · "))).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Decisions")).to_be_visible(timeout=30_000)  # the whole agenda is in


def test_hold_the_meeting_close_the_month_and_download_the_deck(page: Page, app_url: str, screenshot_dir) -> None:
    open_review(page, app_url)
    expect(page.get_by_role("heading", name="The agreed scorecard")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Vanity trap: "))).to_have_count(3)
    expect(page.get_by_text("3 open, 3 carried over, 1 overdue.")).to_be_visible()
    full_screenshot(page, screenshot_dir / "review_meeting.png")

    page.get_by_role("textbox", name="Your name").fill("Dana Kim (CEO)")
    page.get_by_role("textbox", name="Your name").press("Enter")
    wait_for_app(page)
    page.get_by_role("textbox", name="Action", exact=True).fill("Call the ten largest lost prospects")
    page.get_by_role("textbox", name="Owner", exact=True).fill("Maria Lopez (CMO)")
    page.get_by_role("button", name="Add action").click()
    wait_for_app(page)
    expect(page.get_by_text("4 open, 3 carried over, 1 overdue.")).to_be_visible(timeout=30_000)

    page.get_by_role("button", name=re.compile(r"^Close ")).click()
    wait_for_app(page)
    closed = re.compile(r"^Closed by Dana Kim \(CEO\) \(unverified — sign-in is off\) on ")  # sign-in is off here
    expect(page.get_by_text(closed)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Add note")).to_have_count(0)
    full_screenshot(page, screenshot_dir / "review_closed.png")

    page.get_by_test_id("stSidebar").get_by_role("link", name="Board pack").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Built from the closed review"))).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PowerPoint").click()
    assert download.value.suggested_filename.startswith("northwind-analytics-board-pack-")
    deck = Presentation(download.value.path())
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == "Northwind Analytics" and titles[-1] == "Open actions"
    assert not [s for slide in deck.slides for s in slide.shapes if s.name == DRAFT_NAME]
    actions = next(s.table for s in deck.slides[-1].shapes if s.has_table)
    assert "Call the ten largest lost prospects" in [row.cells[0].text for row in actions.rows]
    full_screenshot(page, screenshot_dir / "board_pack.png")


def test_presentation_mode_for_screen_sharing(page: Page, app_url: str, screenshot_dir) -> None:
    open_review(page, app_url)
    main = page.get_by_test_id("stMain")
    assert MONEY.search(main.inner_text())  # amounts are shown normally
    page.get_by_test_id("stSidebar").get_by_text("Presentation mode").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_role("button", name="Add note").first).to_be_hidden()
    expect(page.get_by_role("textbox", name="Your name")).to_be_hidden()
    banner = page.locator(".st-key-presentation_banner [data-testid='client-banner']")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Northwind Analytics")
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "20px"
    assert "present=1" in page.url
    full_screenshot(page, screenshot_dir / "presentation_mode.png")

    main.get_by_text("Share-safe").click()
    wait_for_app(page)
    expect(main.get_by_text("•••").first).to_be_visible(timeout=30_000)
    visible = main.inner_text()
    assert not MONEY.search(visible), MONEY.findall(visible)
    assert "% of target" in visible
    full_screenshot(page, screenshot_dir / "presentation_share_safe.png")


def test_a_shared_link_opens_in_presentation_mode(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?present=1&safe=1")
    wait_for_app(page)
    expect(page.locator(".st-key-presentation_banner [data-testid='client-banner']")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
