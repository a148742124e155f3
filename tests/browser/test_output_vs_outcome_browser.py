"""What a person sees on Output vs outcome: the vanity alert, the validator run end to end, an adoption listed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox by its label, typing to filter long (virtualised) lists."""
    box = page.get_by_role("combobox", name=label)
    expect(box).to_have_count(1)  # a box whose options changed is briefly drawn twice while the page reruns
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    wait_for_app(page)


def open_page(page: Page, app_url: str, company: str) -> None:
    page.goto(app_url)
    # the first start seeds the demo companies: wait for the first page before touching anything
    expect(page.get_by_test_id("client-banner")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    choose(page, "Client company", f"{company} (demo)")
    expect(page.get_by_test_id("client-banner")).to_contain_text(company)
    page.get_by_test_id("stSidebarNav").get_by_text("Output vs outcome").click()
    expect(page.get_by_test_id("client-banner")).to_contain_text("Output vs outcome")
    expect(page.get_by_test_id("client-banner")).to_contain_text(company)
    wait_for_app(page)


def test_validator_end_to_end_and_adopt(page: Page, app_url: str, screenshot_dir) -> None:
    page.set_viewport_size({"width": 1600, "height": 2600})  # Streamlit scrolls inside the page: tall shots
    open_page(page, app_url, "Northwind Analytics")
    expect(page.get_by_test_id("stAlert").filter(has_text="Vanity traps:")).to_be_visible()
    expect(page.get_by_text("Outputs (activity)")).to_be_visible()
    expect(page.get_by_text("Outcomes (results)")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "output_vs_outcome_contrast.png"))

    page.get_by_role("tab", name="Vanity traps").click()
    expect(page.get_by_text("is not reaching").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "output_vs_outcome_vanity.png"))

    page.get_by_role("tab", name="Journey momentum").click()
    expect(page.get_by_text("Buyers lose the most momentum between")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "output_vs_outcome_journey.png"))

    page.get_by_role("tab", name="The five-step validator").click()
    for step in range(1, 6):
        expect(page.get_by_text(f"Step {step} ·")).to_be_visible()
    choose(page, "Business outcome", "New bookings")
    panel = page.get_by_role("tabpanel", name="The five-step validator")
    expect(panel.get_by_test_id("stAlert").filter(has_text="new bookings")).to_be_visible()  # step 4 followed
    wait_for_app(page)
    choose(page, "Candidate predictor", "Opportunities")
    verdict = page.get_by_test_id("stAlert").filter(has_text="Opportunities predicts new bookings 1 month ahead")
    expect(verdict).to_be_visible()
    expect(verdict).to_contain_text("Holm-corrected p")
    expect(panel.locator(".js-plotly-plot")).to_have_count(2)  # the lag chart and the scatter

    adopter = page.get_by_label("Adopted by")
    adopter.fill("Dana (CMO)")
    adopter.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Adopt as leading indicator").click()
    expect(page.get_by_text("Adopted Opportunities as a leading indicator of new bookings")).to_be_visible()
    wait_for_app(page)
    page.screenshot(path=str(screenshot_dir / "output_vs_outcome_validator.png"))

    page.get_by_role("tab", name="Adopted indicators").click()
    listed = page.get_by_role("tabpanel", name="Adopted indicators")
    expect(listed.get_by_text("Opportunities → New bookings, 1 month ahead")).to_be_visible()
    expect(listed.get_by_text("Awaiting next month")).to_be_visible()
    expect(listed.get_by_text("Adopted by Dana (CMO)")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "output_vs_outcome_adopted.png"))
