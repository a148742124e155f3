"""A local OpenID Connect provider for the sign-in browser tests, and what the app and the browser need with it.

The provider is `oidc-provider-mock` on a free loopback port, in a thread of the test process: its sign-in page
has one button per predefined person, named after their address, and it accepts any client id and secret. The
app's ``[auth]`` secrets are written to a temporary file and given to `streamlit run` with ``--secrets.files``,
so no secret is ever written into the project.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import werkzeug.serving
from oidc_provider_mock import User, app
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.conftest import wait_for_app

LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


@dataclass(frozen=True)
class Person:
    """Someone the provider can sign in: their address, their name and whether the provider vouches for the
    address (None: the claim is left out, as some providers do)."""

    email: str
    name: str
    email_verified: bool | None = True

    def claims(self) -> dict[str, object]:
        claims: dict[str, object] = {"email": self.email, "name": self.name}
        if self.email_verified is not None:
            claims["email_verified"] = self.email_verified
        return claims


@dataclass(frozen=True)
class Provider:
    url: str

    @property
    def port(self) -> int:
        return urlparse(self.url).port or 80

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"


@contextmanager
def running_provider(people: Sequence[Person]) -> Iterator[Provider]:
    """The provider on a free loopback port, knowing ``people``, until the block ends."""
    users = [User(sub=person.email, claims=person.claims()) for person in people]
    server = werkzeug.serving.make_server("127.0.0.1", 0, app(user_claims=users), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def auth_secrets(folder: Path, app_port: int, provider: Provider) -> Path:
    """A secrets.toml turning sign-in on for an app on ``app_port``, with fresh random secrets; returns its path."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "alignboard-tests"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
    )
    return path


def loopback_only(context: BrowserContext) -> None:
    """Let the browser reach this machine only (the provider's page links a stylesheet on the internet)."""
    def only_here(route: Route) -> None:
        if urlparse(route.request.url).hostname in LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_here)


def sign_in(page: Page, app_url: str, provider: Provider, email: str) -> None:
    """Open the app signed out, click its Sign in button, choose ``email`` on the provider's page, come back."""
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider.url}/**", timeout=30_000)
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    wait_for_app(page)


def sign_out(page: Page, app_url: str, provider: Provider) -> None:
    """Click Sign out in the sidebar and end the session on the provider's page, back to the app."""
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider.url}/**", timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    wait_for_app(page)


def expect_sign_in_screen(page: Page) -> None:
    """Signed out: the sign-in button, and neither the page list nor a company picker."""
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_text("Client company")).to_have_count(0)
