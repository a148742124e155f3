"""Typed text is text: names, notes and reasons written as markdown, HTML and script are shown as typed, on every page.

A demo company is renamed like ``Acme ![x](…/img) [c](…/link) <img src=x onerror=alert(1)> **b** $x$ :red[r]``
and its KPI owner and rationale, commentary, a note, a decision, an action, the names of who signed and closed,
a reopening reason and a member's address are written the same way, pointing at a small local server that
counts every request it gets. Every page is opened in Chromium (single-user mode): no link or image leads to
that server, no image or script of the text exists, no dialog opens, the server is never asked for anything,
and the text reads exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from components.text import as_typed
from db.access import Role as MemberRole
from db.access import add_member
from db.engine import engine_for, session_scope
from db.review import ActionIn, NoteIn, add_action, add_note, close_month, reopen_month
from db.scorecard import commentary_for, current_agreement, save_commentary, save_draft, sign_agreement
from db.workspaces import find_company, rename_company
from metrics.agreement import Role
from metrics.company import NAME_MAX
from metrics.people import unverified_name
from sample_data.seed import ensure_sample_data
from tests.browser.conftest import StartApp, wait_for_app, wait_until_settled
from tests.browser.oidc import loopback_only

pytestmark = pytest.mark.browser

MONTH = dt.date(2026, 10, 1)  # the newest demo month (today is pinned to 2026-11-16): open until the test closes it
PAGES = {"One view of reality": "One view of reality", "Scorecard": "Scorecard", "KPI agreement": "KPI agreement",
         "Output vs outcome": "Output vs outcome", "Review meeting": "Monthly review", "Board pack": "Board pack",
         "Bring your own numbers": "Data", "Members": "Members", "History of changes": "History of changes",
         "Companies": "Companies"}
"""Each page in the sidebar's list, with the title its banner (or, without a banner, its heading) shows."""
UNSAFE_ATTRIBUTES = ("href", "src", "srcset", "xlink:href", "action", "formaction", "poster", "data", "background")
FOUND_MARKUP = """([addresses, attributes]) => {
    const found = [];
    for (const element of document.querySelectorAll('*')) {
        for (const name of attributes) {
            const value = element.getAttribute(name);
            if (value && addresses.some(address => value.includes(address))) {
                found.push(`${element.tagName} ${name}=${value}`);
            }
        }
        if (element.hasAttribute('onerror')) found.push(`${element.tagName} onerror`);
        if (element.tagName === 'IMG' && element.getAttribute('src') === 'x') found.push('IMG src=x');
        if (element.tagName === 'SCRIPT' && element.textContent.includes('alert(')) found.push('SCRIPT alert');
        if (element.tagName === 'A' && (element.getAttribute('href') || '').startsWith('mailto:')) {
            found.push(`A ${element.getAttribute('href')}`);
        }
    }
    if (document.querySelector('.katex')) found.push('maths');
    return found;
}"""


@dataclass
class Trap:
    """A local web server that answers every request and remembers it: any request is a failure."""

    origin: str
    requests: list[str] = field(default_factory=list)

    def text(self, what: str) -> str:
        """Free text of the hostile kind, starting with ``what`` so each field can be told apart."""
        return (f"{what} ![x]({self.origin}/img) [click]({self.origin}/link) <img src=x onerror=alert(1)> "
                f"<script>alert(2)</script> **bold** $x$ :red[red] www.example.com")

    @property
    def company(self) -> str:
        return (f"Acme ![x]({self.origin}/img) [c]({self.origin}/link) <img src=x onerror=alert(1)> **b** $x$ "
                ":red[r]")

    @property
    def person(self) -> str:
        return f"Dana [me]({self.origin}/link) <i>x</i> **y** $z$"

    @property
    def email(self) -> str:
        return f"[m]({self.origin}/link)**x**@evil.test"


@contextmanager
def trap_server() -> Iterator[Trap]:
    requests: list[str] = []

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"caught")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Trap(f"http://127.0.0.1:{server.server_port}", requests)
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class HostileApp:
    url: str
    trap: Trap


def write_hostile_company(url: str, trap: Trap) -> None:
    """Seed the demo companies and give Northwind hostile text everywhere a person types it."""
    assert len(trap.company) <= NAME_MAX and len(trap.person) <= 80  # stored whole, not cut short
    engine = engine_for(url)
    ensure_sample_data(engine)
    typed_by = unverified_name(trap.person)  # as single-user mode records a typed name
    with session_scope(engine) as session:
        workspace = find_company(session, "Northwind Analytics")
        ws = workspace.id
        rename_company(session, ws, trap.company, actor=typed_by)
        agreed = current_agreement(session, ws)
        first = agreed.kpis[0].model_copy(update={"owner_name": trap.person, "rationale": trap.text("Why")})
        draft = save_draft(session, ws, [first, *agreed.kpis[1:]], based_on=(agreed.number, agreed.edit),
                           by=typed_by)
        for role in Role:
            sign_agreement(session, ws, draft.number, draft.edit, role, typed_by)
        before = commentary_for(session, ws, [first.metric_key], [MONTH]).get((first.metric_key, MONTH))
        save_commentary(session, ws, first.metric_key, MONTH, trap.text("Doing"), author=typed_by,
                        expected_version=before.version if before else None)
        add_note(session, ws, MONTH, NoteIn(item_key="scorecard", kind="note", text=trap.text("Note"),
                                            author=typed_by))
        add_note(session, ws, MONTH, NoteIn(item_key="scorecard", kind="decision", text=trap.text("Decision"),
                                            author=typed_by))
        add_action(session, ws, MONTH, ActionIn(title=trap.text("Action"), owner=trap.person,
                                                due=dt.date(2026, 11, 30), kpi_key=first.metric_key))
        close_month(session, ws, MONTH, typed_by)
        reopen_month(session, ws, MONTH, typed_by, trap.text("Reason"))
        close_month(session, ws, MONTH, typed_by)
        add_member(session, ws, trap.email, MemberRole.CMO, invited_by=typed_by)


@pytest.fixture(scope="module")
def hostile_app(start_app: StartApp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileApp]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'alignboard.db'}"
    with trap_server() as trap:
        write_hostile_company(url, trap)
        yield HostileApp(start_app(ALIGNBOARD_DATABASE_URL=url, ALIGNBOARD_SEED_SAMPLE_DATA="false"), trap)


@dataclass
class Watch:
    """What the page did that typed text must never make it do: open dialogs, ask the trap for something."""

    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def watch(context: BrowserContext, page: Page, hostile_app: HostileApp) -> Watch:
    loopback_only(context)
    seen = Watch()

    def dialog(opened) -> None:  # noqa: ANN001 - a Playwright Dialog
        seen.dialogs.append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    page.on("request", lambda request: seen.requests.append(request.url)
            if request.url.startswith(hostile_app.trap.origin) else None)
    return seen


def shown_text(page: Page) -> str:
    """The page's text as a person reads it (the invisible word joiners that keep addresses from becoming links
    left out)."""
    return as_typed(page.locator("body").inner_text())


def expect_inert(page: Page, app: HostileApp, watch: Watch, where: str) -> None:
    found = page.evaluate(FOUND_MARKUP, [[app.trap.origin, "example.com"], list(UNSAFE_ATTRIBUTES)])
    assert not found, f"{where}: {found}"
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not watch.dialogs, f"{where}: dialogs {watch.dialogs}"
    assert not watch.requests and not app.trap.requests, f"{where}: {watch.requests or app.trap.requests}"


def expect_literal(page: Page, where: str, *texts: str) -> None:
    shown = shown_text(page)
    for text in texts:
        assert text in shown, f"{where}: {text!r} not shown as typed"


def tall_screenshot(page: Page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": min(max(1000, height + 40), 12_000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    drawn = page.get_by_test_id("client-banner").or_(page.get_by_role("heading", name=PAGES[title], exact=True))
    expect(drawn.first).to_contain_text(PAGES[title], timeout=30_000)
    wait_until_settled(page)


def test_typed_text_is_shown_as_text_on_every_page(page: Page, hostile_app: HostileApp, watch: Watch,
                                                   screenshot_dir: Path) -> None:
    trap, typed_by = hostile_app.trap, unverified_name(hostile_app.trap.person)
    page.goto(hostile_app.url)
    wait_for_app(page)
    expect(page.get_by_test_id("client-banner")).to_contain_text(trap.company, timeout=60_000)
    for title in PAGES:
        open_page(page, title)
        tall_screenshot(page, screenshot_dir / f"{title.lower().replace(' ', '_')}.png")
        expect_inert(page, hostile_app, watch, title)
        if title != "Companies":  # the one page without the banner
            expect(page.get_by_test_id("client-banner")).to_contain_text(trap.company)
        if title == "Companies":  # the list and the pickers draw no markdown: the tabs' sentences do
            for tab, sentence in (("Logo", f"{trap.company} has no logo yet."), ("Archive", f"Archive {trap.company}")):
                page.get_by_test_id("stMain").get_by_role("tab", name=tab, exact=True).click()
                wait_until_settled(page)
                expect_inert(page, hostile_app, watch, f"{title}, {tab}")
                expect_literal(page, f"{title}, {tab}", sentence)
        else:
            expect_literal(page, title, trap.company)  # the banner
        if title == "Scorecard":
            expect_literal(page, title, f"Owner: {trap.person}", trap.text("Why"), typed_by)
        if title == "KPI agreement":
            expect_literal(page, title, typed_by)
        if title == "Review meeting":
            expect_literal(page, title, f"Closed by {typed_by}", f"Note: {trap.text('Note')} — {typed_by}",
                           f"Decision: {trap.text('Decision')} — {typed_by}", f"({trap.text('Reason')})")
        if title == "Board pack":
            expect_literal(page, title, f"closed by {typed_by}")

    page.goto(f"{hostile_app.url}/scorecard?present=1")  # presenting, the commentary is text, not an edit box
    wait_until_settled(page)
    expect(page.get_by_text("What we are doing to improve it").first).to_be_visible(timeout=30_000)
    tall_screenshot(page, screenshot_dir / "scorecard_presenting.png")
    expect_inert(page, hostile_app, watch, "Scorecard, presenting")
    expect_literal(page, "Scorecard, presenting", trap.text("Doing"), trap.company)
