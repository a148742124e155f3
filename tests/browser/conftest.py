"""Browser tests: Debian's Chromium driven by Playwright against a real `streamlit run serve.py` (as the README
starts it)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ALIGNBOARD_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
        for item in items:
            if "tests/browser" in str(item.path):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url}")


StartApp = Callable[..., str]


@pytest.fixture(scope="module")
def start_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartApp]:
    """Start `streamlit run serve.py` (the app, readied at start-up) on a free port with its own SQLite file;
    returns the base URL.

    The database is seeded with the demo companies on first start, as for a new user. ``options`` are further
    `streamlit run` options; ``port`` a port chosen beforehand (sign-in needs it in its secrets); ``env`` the
    environment (ALIGNBOARD_DATABASE_URL among it, to start on a database prepared by the test). Secrets come
    only from ``--secrets.files`` when given, else from an empty file: a secrets.toml of the machine's (with
    sign-in on) never reaches a test server.
    """
    processes: list[subprocess.Popen] = []

    def start(*options: str, port: int | None = None, **env: str) -> str:
        folder = tmp_path_factory.mktemp("app")
        port = port or free_port()
        environment = {**os.environ, "ALIGNBOARD_DATABASE_URL": f"sqlite:///{folder / 'alignboard.db'}",
                       "ALIGNBOARD_SEED_SAMPLE_DATA": "true", **env}
        if "--secrets.files" not in options:
            (folder / "secrets.toml").write_text("")
            options = (*options, "--secrets.files", str(folder / "secrets.toml"))
        command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
                   "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *options]
        log = open(folder / "streamlit.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, process)
        return url

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def app_url(start_app: StartApp) -> str:
    """One seeded app server shared by the tests of a module."""
    return start_app()


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest, output_path: str) -> Path:
    """Where a test saves its screenshots: pytest-playwright's per-test output folder."""
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for_app(page) -> None:  # noqa: ANN001 - a Playwright Page
    """Wait until Streamlit has finished running the script (no spinner, no 'running' status)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=30_000,
    )


def wait_until_settled(page, quiet_ms: int = 700, timeout: float = 30) -> None:  # noqa: ANN001 - a Playwright Page
    """Wait for the app, then until the page's text has stayed the same for ``quiet_ms``: a page opened from the
    sidebar can report idle before its first elements arrive."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        wait_for_app(page)
        text = page.locator("body").inner_text()
        if text == last:
            return
        last = text
        page.wait_for_timeout(quiet_ms)


def shown_as(text: str) -> re.Pattern[str]:
    """``text`` as a page shows typed text: the invisible word joiners that keep addresses from becoming links
    may stand between any two characters."""
    return re.compile("\u2060?".join(re.escape(character) for character in text))


WIDE = {"width": 1440, "height": 900}


def run_finished(page, timeout: int = 60_000) -> None:  # noqa: ANN001 - a Playwright Page
    """Wait until the script run has finished (Streamlit marks it on the app's root), then as the others do."""
    page.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')"
                           "?.getAttribute('data-test-script-state') === 'notRunning'", timeout=timeout)
    wait_for_app(page)


def full_screenshot(page, path: Path, size: dict[str, int] = WIDE) -> None:  # noqa: ANN001 - a Playwright Page
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    page.mouse.move(700, 5)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 40)})
    page.wait_for_timeout(1200)  # charts redraw on resize
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
