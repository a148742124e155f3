"""Alignboard works offline: no page asks any host but the app's own for anything (fonts, icons, images,
scripts, the page icon), on every page, in presentation mode too. Requests elsewhere are blocked and counted."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route

pytestmark = pytest.mark.browser

# every page of the navigation in app.py, by its address
PAGES = ["", "scorecard", "agreement", "output_vs_outcome", "review", "board_pack", "data", "members", "audit",
         "companies"]
OWN_HOSTS = {"127.0.0.1"}
SETTLED = ("() => document.querySelector('[data-testid=\"stApp\"]')"
           " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
           " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0")


def open_and_settle(page: Page, url: str) -> None:
    """Open ``url`` and wait until the script has run (the first visit seeds the demo companies: slow)."""
    page.goto(url)
    page.wait_for_timeout(500)
    page.wait_for_function(SETTLED, timeout=180_000)
    page.wait_for_timeout(1500)  # charts, tables and the page icon load after the script has run


@pytest.fixture
def elsewhere(page: Page) -> list[str]:
    """The addresses of requests to any other host, which are refused (so the test needs no network)."""
    seen: list[str] = []

    def refuse_other_hosts(route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname in OWN_HOSTS or not request.url.startswith("http"):
            route.continue_()
        else:
            seen.append(request.url)
            route.abort()

    page.route("**/*", refuse_other_hosts)
    return seen


def test_no_page_asks_another_host_for_anything(page: Page, app_url: str, elsewhere: list[str]) -> None:
    own = []
    page.on("request", lambda request: own.append(request.url))
    for path in [*PAGES, "?present=1&safe=1"]:
        open_and_settle(page, f"{app_url}/{path}")
    assert elsewhere == []
    assert any(urlsplit(url).path.startswith("/static/") for url in own)  # the app's own files were fetched
    assert page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href").startswith("data:image/svg")
