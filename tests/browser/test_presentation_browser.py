"""An advisor presenting by link: the named company opens, previous / next and the page list lead through every
page of the navigation and back while the sidebar stays hidden, and presentation, share-safe and the company
survive every page change and a reload. Screenshots of every page, presenting and share-safe, are saved."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import WIDE, StartApp, full_screenshot, run_finished

pytestmark = pytest.mark.browser
NORTHWIND_SLUG = "northwind-analytics"
PRESENTED = ["One view of reality", "Scorecard", "KPI agreement", "Output vs outcome", "Review meeting", "Board pack"]
PATHS = ["", "scorecard", "agreement", "output_vs_outcome", "review", "board_pack"]  # in PRESENTED's order
MODES = {"normal": "", "presenting": "present=1&"}  # share-safe presenting: the walk through the pages below


def banner(page: Page):  # noqa: ANN201 - a Playwright Locator
    return page.locator(".st-key-presentation_banner [data-testid='client-banner']")


def address(page: Page) -> dict[str, str]:
    return {name: values[-1] for name, values in parse_qs(urlparse(page.url).query).items()}


def expect_presenting(page: Page, title: str, company: str = "Northwind Analytics") -> None:
    """The page ``title`` for ``company``, presenting and share-safe: banner, no sidebar, modes in the address."""
    expect(banner(page)).to_contain_text(title, timeout=60_000)
    run_finished(page)
    expect(banner(page)).to_contain_text(company)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    assert address(page) == {"present": "1", "safe": "1", "client": NORTHWIND_SLUG}, page.url
    expect(page.get_by_role("switch", name="Share-safe")).to_be_checked()


def controls(page: Page):  # noqa: ANN201 - a Playwright Locator
    return page.locator(".st-key-presentation_controls")


def test_an_advisor_presents_through_every_page_and_back(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.set_viewport_size(WIDE)
    page.goto(f"{app_url}/?present=1&safe=1&client={NORTHWIND_SLUG}")  # the first company is Bloom & Brew
    expect_presenting(page, PRESENTED[0])
    expect(controls(page).get_by_text(re.compile("^Previous"))).to_have_count(0)
    for number, title in enumerate(PRESENTED, start=1):
        expect(controls(page).get_by_text(f"Page {number} of {len(PRESENTED)} · {title}")).to_be_visible()
        full_screenshot(page, screenshot_dir / f"{number:02d}_{title.lower().replace(' ', '_')}_presenting.png")
        if number < len(PRESENTED):
            controls(page).get_by_role("link", name=f"Next: {PRESENTED[number]}").click()
            expect_presenting(page, PRESENTED[number])
    expect(controls(page).get_by_text(re.compile("^Next"))).to_have_count(0)
    for title in reversed(PRESENTED[:-1]):
        controls(page).get_by_role("link", name=f"Previous: {title}").click()
        expect_presenting(page, title)

    controls(page).get_by_role("button", name=re.compile(r"^Page 1 of 6")).click()  # the page list
    page.get_by_role("link", name="5. Review meeting").click()
    expect_presenting(page, "Review meeting")
    page.reload()
    expect_presenting(page, "Review meeting")  # a reload keeps the modes and the company
    assert "•••" in page.get_by_test_id("stMain").inner_text()


@pytest.mark.parametrize("mode", list(MODES))
def test_every_page_normally_and_presenting_without_share_safe(page: Page, app_url: str, screenshot_dir: Path,
                                                               mode: str) -> None:
    """The same pages as the walk, with the amounts shown: in the sidebar's frame, and presenting."""
    page.set_viewport_size(WIDE)
    for number, (path, title) in enumerate(zip(PATHS, PRESENTED, strict=True), start=1):
        page.goto(f"{app_url}/{path}?{MODES[mode]}client={NORTHWIND_SLUG}")
        if mode == "presenting":
            expect(banner(page)).to_contain_text(title, timeout=60_000)
            run_finished(page)
            expect(page.get_by_test_id("stSidebar")).to_be_hidden()
            assert address(page) == {"present": "1", "client": NORTHWIND_SLUG}, page.url
        else:
            expect(page.get_by_test_id("client-banner").first).to_contain_text("Northwind Analytics", timeout=60_000)
            run_finished(page)
            expect(page.get_by_test_id("stSidebar")).to_be_visible()
            assert address(page) == {"client": NORTHWIND_SLUG}, page.url
        assert "•••" not in page.get_by_test_id("stMain").inner_text()
        full_screenshot(page, screenshot_dir / f"{number:02d}_{title.lower().replace(' ', '_')}_{mode}.png")


def test_a_link_to_a_company_one_may_not_open_says_so(page: Page, app_url: str, screenshot_dir: Path) -> None:
    page.set_viewport_size(WIDE)
    page.goto(f"{app_url}/scorecard?present=1&safe=1&client=acme-holdings")
    expect(page.get_by_text("The company in this link is not available to you")).to_be_visible(timeout=60_000)
    run_finished(page)
    text = page.get_by_test_id("stMain").inner_text()
    assert "Northwind" not in text and "Bloom" not in text and "acme" not in text.lower()
    expect(page.get_by_test_id("client-banner")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "company_not_available.png"))
    page.get_by_role("button", name="Open my companies").click()
    expect(page.get_by_test_id("client-banner").first).to_contain_text("Bloom & Brew", timeout=60_000)


def test_a_shared_page_link_opens_on_a_fresh_server(page: Page, start_app: StartApp, screenshot_dir: Path) -> None:
    """The link to the scorecard, opened first thing on a server just started: the frame runs, nothing is lost."""
    page.set_viewport_size(WIDE)
    page.goto(f"{start_app()}/scorecard?present=1&safe=1&client={NORTHWIND_SLUG}")
    expect_presenting(page, "Scorecard")
    expect(page.get_by_role("heading", name=re.compile(r"^Scorecard · "))).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "scorecard_by_link_on_a_fresh_server.png"))
