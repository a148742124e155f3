"""How quick Alignboard feels in Chromium, side by side with hello-world Streamlit apps started in the same run.

    python -m bench.browser_speed              # 5 first views, 7 warm switches each way
    python -m bench.browser_speed --runs 3     # quicker

Four apps are started with ``streamlit run`` on free ports: Alignboard (``serve.py``, as the README starts it) on
a SQLite file seeded beforehand with the demo companies, a two-page ``st.navigation`` hello-world, a one-page
app with one ``st.metric``, and Streamlit's own frame around one metric (the page list, a sidebar select box and
two toggles, as Alignboard's first screen has them; all written to a temporary folder).
Two things are timed, as a person meets them, at 1440×900:

* first view: a freshly started server, the first ``goto`` until the first tile (``st.metric``) is visible;
* warm page switch: a click on a page in the sidebar until that page's content is visible and the status widget
  is idle (the script has finished), after the server and the browser have each page loaded once. Each click
  comes a second after the previous page finished, as a person reads a page before moving on (``--settle``;
  0 clicks straight away, while the browser may still be drawing the last page's charts).

It prints a table of medians with the ratios to the hello-worlds and the goals (a switch at most 3× the
hello-world's, the first One View at most 1.5× the hello-world's first metric), and saves it to
``bench/results/browser_speed.txt``. Needs Chromium (``ALIGNBOARD_CHROMIUM``, default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = os.environ.get("ALIGNBOARD_CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_MS = 60_000

HELLO_NAVIGATION = '''
import streamlit as st

def first():
    st.title("First page")
    st.write("Hello, world.")

def second():
    st.title("Second page")
    st.write("Hello again.")

st.navigation([st.Page(first, title="First page"), st.Page(second, title="Second page")]).run()
'''
HELLO_METRIC = '''
import streamlit as st

st.metric("Revenue", "$1.2M", "+3.2%", chart_data=[1, 3, 2, 4, 5, 4, 6], border=True)
'''
IDLE = """(marker) => {
  const main = document.querySelector('[data-testid="stMain"]');
  return !!main && main.innerText.includes(marker)
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]');
}"""
# Streamlit's own frame as Alignboard's first screen has it: ten pages in three sections with icons, a select
# box in the sidebar (the company), two toggles, then one metric. What the frame costs before any figure.
HELLO_FRAME = '''
import streamlit as st

def page():
    st.metric("Revenue", "$1.2M", "+3.2%", border=True)

SECTIONS = {"Monthly review": ["One view", "Scorecard", "Agreement", "Output vs outcome", "Review", "Board pack"],
            "Data": ["Data"], "Settings": ["Members", "History", "Companies"]}
pages = {section: [st.Page(page, title=title, url_path=title.lower().replace(" ", "_"), icon=":material/dashboard:",
                           default=title == "One view") for title in titles] for section, titles in SECTIONS.items()}
current = st.navigation(pages)
st.sidebar.selectbox("Client company", ["Bloom & Brew", "Northwind Analytics"])
st.sidebar.toggle("Presentation mode", help="Larger type, no sidebar.")
st.sidebar.toggle("Share-safe", help="No amounts of money.")
current.run()
'''
FIRST_METRIC = "[data-testid='stMetric']"
SETTLE_S = 1.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"streamlit did not answer at {url}")


@contextmanager
def streamlit_server(script: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """``streamlit run script`` on a free port until the block ends; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with log.open("a") as output:
        process = subprocess.Popen(command, cwd=script.parent, env={**os.environ, **env}, stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass(frozen=True)
class App:
    """An app to time: its script, its environment, the two pages to switch between and what marks each."""

    name: str
    script: Path
    env: dict[str, str]
    # (sidebar link text, text only that page shows: a marker the page left behind would pass at once)
    pages: tuple[tuple[str, str], tuple[str, str]]


def seeded_database(folder: Path) -> str:
    """A SQLite file with the demo companies, made before the server starts (first start seeds otherwise)."""
    sys.path.insert(0, str(ROOT))
    from db.engine import engine_for
    from sample_data.seed import ensure_sample_data

    url = f"sqlite:///{folder / 'alignboard.db'}"
    engine = engine_for(url)
    ensure_sample_data(engine)
    engine.dispose()
    return url


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def first_view(browser, app: App, log: Path) -> float:  # noqa: ANN001 - a Playwright Browser
    """A fresh server, a fresh browser context: the first goto until the first metric is visible."""
    with streamlit_server(app.script, app.env, log) as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        try:
            return timed(lambda: (page.goto(url), page.wait_for_selector(FIRST_METRIC, timeout=TIMEOUT_MS)))
        finally:
            context.close()


def click_page(page: Page, link: str, marker: str, settle: float = 0.0) -> float:
    page.wait_for_timeout(settle * 1000)
    nav = page.get_by_test_id("stSidebarNav")
    target = nav.get_by_role("link", name=link, exact=True)
    return timed(lambda: (target.click(), page.wait_for_function(IDLE, arg=marker, timeout=TIMEOUT_MS)))


def warm_switches(browser, app: App, runs: int, log: Path,  # noqa: ANN001 - a Playwright Browser
                  settle: float = SETTLE_S) -> dict[str, list[float]]:
    """Switch back and forth ``runs`` times after one warm-up round; seconds per switch, by destination."""
    (first_link, first_marker), (second_link, second_marker) = app.pages
    times: dict[str, list[float]] = {first_link: [], second_link: []}
    with streamlit_server(app.script, app.env, log) as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(IDLE, arg=first_marker, timeout=TIMEOUT_MS)
        for round_number in range(runs + 1):
            to_second = click_page(page, second_link, second_marker, settle)
            to_first = click_page(page, first_link, first_marker, settle)
            if round_number:  # the first round loads each page's code and data once
                times[second_link].append(to_second)
                times[first_link].append(to_first)
        context.close()
    return times


def apps(folder: Path) -> tuple[App, App, App, App]:
    (folder / "hello_navigation.py").write_text(HELLO_NAVIGATION)
    (folder / "hello_metric.py").write_text(HELLO_METRIC)
    (folder / "hello_frame.py").write_text(HELLO_FRAME)
    env = {"ALIGNBOARD_DATABASE_URL": seeded_database(folder), "ALIGNBOARD_SEED_SAMPLE_DATA": "false"}
    alignboard = App("Alignboard", ROOT / "serve.py", env,
                     (("One view of reality", "The month in brief"), ("Scorecard", "Scorecard · ")))
    navigation = App("hello st.navigation", folder / "hello_navigation.py", {},
                     (("First page", "Hello, world."), ("Second page", "Hello again.")))
    metric = App("hello st.metric", folder / "hello_metric.py", {}, (("", ""), ("", "")))
    frame = App("hello frame", folder / "hello_frame.py", {}, (("", ""), ("", "")))
    return alignboard, navigation, metric, frame


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(first: dict[str, list[float]], switches: dict[str, dict[str, list[float]]], runs: int,
           settle: float = SETTLE_S) -> str:
    hello_first, hello_switch = median(first["hello st.metric"]), median(
        [t for ts in switches["hello st.navigation"].values() for t in ts])
    rows = [("first view: Alignboard One View", median(first["Alignboard"]), hello_first, 1.5),
            ("first view: hello st.metric", hello_first, hello_first, None),
            ("first view: hello frame + st.metric", median(first["hello frame"]), hello_first, None),
            *[(f"switch to {link}", median(ts), hello_switch, 3.0 if link == "One view of reality" else None)
              for link, ts in switches["Alignboard"].items()],
            ("switch: hello st.navigation", hello_switch, hello_switch, None)]
    lines = [f"Browser speed, Chromium {VIEWPORT['width']}×{VIEWPORT['height']}, medians of {runs} runs "
             f"({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores)",
             f"{'what':<38}{'median s':>10}{'× hello':>10}{'goal':>8}  ok"]
    for name, value, base, goal in rows:
        ratio = value / base if base else float("nan")
        verdict = "" if goal is None else ("yes" if ratio <= goal else "NO")
        goal_text = "" if goal is None else f"≤ {goal:g}×"
        lines.append(f"{name:<38}{value:>10.3f}{ratio:>10.2f}{goal_text:>8}  {verdict}")
    lines.append("first view: fresh server, first goto until the first tile (st.metric) is visible; hello frame: "
                 "ten pages in st.navigation, a sidebar select box and two toggles, then the metric; switch: a "
                 "click in the sidebar until the page's content shows and the status widget is idle, "
                 f"{settle:g} s after the previous page finished.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="first views per app (switches: runs + 2 each way)")
    parser.add_argument("--settle", type=float, default=SETTLE_S,
                        help="seconds between a page finishing and the next click (default 1)")
    arguments = parser.parse_args(argv)
    runs, settle = arguments.runs, arguments.settle
    with tempfile.TemporaryDirectory(prefix="alignboard-speed-") as temp, sync_playwright() as playwright:
        folder = Path(temp)
        log = folder / "streamlit.log"
        alignboard, navigation, metric, frame = apps(folder)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            first: dict[str, list[float]] = {alignboard.name: [], metric.name: [], frame.name: []}
            for _ in range(runs):  # interleaved, so a busy moment of the machine falls on each
                for app in (metric, frame, alignboard):
                    first[app.name].append(first_view(browser, app, log))
            switches = {app.name: warm_switches(browser, app, runs + 2, log, settle)
                        for app in (navigation, alignboard)}
        except Exception:
            sys.stderr.write("The servers' log ends with:\n" + log.read_text()[-3000:] + "\n")
            raise
        finally:
            browser.close()
    table = report(first, switches, runs, settle)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser_speed.txt").write_text(table + "\n")
    sys.stdout.write(table + "\n")
    return table


if __name__ == "__main__":
    main()
