"""The frame around every page: database start-up, the workspace picker, the current workspace, the page header.

An install without an active client company opens on the welcome instead of a page.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlparse

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from components.client_banner import client_banner
from components.company_form import CompanyDraft
from components.persistent_select import persistent_selectbox
from components.saving import save_in_one_transaction
from components.text import plain
from components.welcome import welcome
from db import cached
from db.engine import engine_for, session_scope
from db.workspaces import company_logo, create_company, find_company, unarchive_company
from metrics.company import CompanyRefused, checked_company, tidy_name
from metrics.logo import Logo
from sample_data.generator import DEMO_COMPANIES
from sample_data.seed import ensure_sample_data, seed_on_first_start
from settings import get_settings

log = logging.getLogger(__name__)
WORKSPACE_KEY = "workspace_id"
FRAME_KEY = "_frame_ready"
DEEP_LINK_KEY = "_deep_link"
ADDED_KEY = "_company_added"
_start_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alignboard-start")
_start_lock = threading.Lock()
_start_ups: dict[tuple[str, bool], Future[None]] = {}


def _prepare(url: str, seed: bool) -> None:
    """Migrate, and on an empty database seed the demo companies, in a worker of its own.

    A worker keeps going when the user clicks during the first start, so a rerun can never leave a
    half-seeded database; every session waits for the same start-up.
    """
    with _start_lock:
        start_up = _start_ups.get((url, seed))
        if start_up is None or (start_up.done() and start_up.exception() is not None):
            start_up = _start_ups[url, seed] = _start_pool.submit(_migrate_and_seed, url, seed)
    if not start_up.done():
        with st.spinner("Preparing the database…"):
            start_up.result()
    start_up.result()  # raises the start-up's error, if any


def _migrate_and_seed(url: str, seed: bool) -> None:
    engine = engine_for(url)
    if seed:
        seed_on_first_start(engine)


def bootstrap_database() -> None:
    """Migrate the database and, on a first start, seed the demo companies. Stops with a plain message on failure."""
    settings = get_settings()
    st.session_state[FRAME_KEY] = True
    try:
        _prepare(settings.database_url, settings.seed_sample_data)
    except Exception:  # noqa: BLE001 - the user sees a short message, the log keeps the detail
        log.exception("database start-up failed")
        st.error("Alignboard could not open its database. Check ALIGNBOARD_DATABASE_URL and the server log.")
        st.stop()


def follow_deep_link(pages: Iterable[StreamlitPage]) -> None:
    """Open the page a visitor asked for before the frame was ready (see ``current_workspace``)."""
    wanted = st.session_state.pop(DEEP_LINK_KEY, None)
    match = next((page for page in pages if wanted and page.url_path == wanted), None)
    if match is not None:
        st.switch_page(match)


def company_label(workspace: dict) -> str:
    """The name as the picker shows it: demo companies are marked, so nobody mistakes them for a client."""
    return workspace["name"] + (" (demo)" if workspace.get("is_demo") else "")


def workspace_picker() -> None:
    """Sidebar choice of client company; kept in session state so every page shows the same one.

    The list is read fresh on every rerun, so a company added or archived elsewhere shows at once.
    """
    options = cached.workspaces(cached.database_url())
    if not options:
        return
    ids = [w["id"] for w in options]
    if st.session_state.get(WORKSPACE_KEY) not in ids:
        st.session_state[WORKSPACE_KEY] = ids[0]
    labels = {w["id"]: company_label(w) for w in options}
    persistent_selectbox("Client company", ids, WORKSPACE_KEY, labels.__getitem__, container=st.sidebar)


def through_the_frame() -> None:
    """Make sure app.py has run for this session (database ready, picker drawn) before a page draws."""
    if not st.session_state.get(FRAME_KEY):
        # A fresh server opened at a page's own address runs that page without app.py (Streamlit's
        # pages/ folder convention): go through the frame so the database and picker are ready.
        st.session_state[DEEP_LINK_KEY] = urlparse(st.context.url).path.strip("/").rsplit("/", 1)[-1]
        st.switch_page("app.py")


def current_workspace() -> dict:
    """The chosen workspace as a dict (id, name, currency, color, fiscal_year_start_month, ...).

    Without an active company the welcome is shown instead and the page stops.
    """
    through_the_frame()
    options = {w["id"]: w for w in cached.workspaces(cached.database_url())}
    workspace = options.get(st.session_state.get(WORKSPACE_KEY))
    if workspace is None:
        welcome_screen()
        st.stop()
    return workspace


def welcome_screen() -> None:
    """The welcome of an empty install: the demo companies, or the form for one's own company."""
    url = cached.database_url()
    archived = len(cached.workspaces(url, include_archived=True)) - len(cached.workspaces(url))
    choice = welcome(archived)
    if choice == "demo":
        explore_demo_companies(url)
    elif isinstance(choice, CompanyDraft):
        add_company(choice)


def open_company(workspace_id: int) -> None:
    """Make ``workspace_id`` the chosen company on every page, from the next rerun."""
    st.session_state[WORKSPACE_KEY] = workspace_id


def explore_demo_companies(url: str) -> None:
    """Create the demo companies (or bring back archived ones) and open the first of them."""
    try:
        with st.spinner("Creating the demo companies with three years of figures…"):
            ensure_sample_data(engine_for(url))
            _bring_back_demo_companies(url)
    except Exception:  # noqa: BLE001 - the log keeps the detail; the person sees what to do
        log.exception("seeding the demo companies failed")
        st.error("Sorry, the demo companies could not be created. Try again; if it persists, check the server log.")
        return
    demos = [w for w in cached.workspaces(url) if w["is_demo"]]
    if demos:
        open_company(demos[0]["id"])
    st.rerun()


def _bring_back_demo_companies(url: str) -> None:
    with session_scope(engine_for(url)) as session:
        for profile in DEMO_COMPANIES:
            workspace = find_company(session, profile.name)
            if workspace is not None and workspace.is_demo and workspace.archived_at is not None:
                unarchive_company(session, workspace.id, actor="")


def refusal_message(error: Exception) -> str:
    """A refusal as the page shows it: every problem on a line of its own."""
    problems = error.problems if isinstance(error, CompanyRefused) else (str(error),)
    return "Nothing was saved:\n" + "\n".join(f"- {plain(p[:1].upper() + p[1:])}." for p in problems)


def add_company(draft: CompanyDraft) -> None:
    """Check and save the new company, then open it (the page reruns); a refusal is shown and nothing saved."""
    created: list[int] = []

    def save(session) -> None:  # noqa: ANN001 - a Session
        details = checked_company(draft.name, draft.currency, draft.fiscal_year_start_month, draft.color,
                                  logo=draft.logo, logo_name=draft.logo_name)
        created.append(create_company(session, details, actor=draft.actor).id)

    if save_in_one_transaction(save, refusals=(CompanyRefused,), describe=refusal_message):
        open_company(created[0])
        st.session_state[ADDED_KEY] = tidy_name(draft.name)
        st.rerun()


def company_added_note() -> None:
    """Once, after a company was added: where its numbers go next."""
    name = st.session_state.pop(ADDED_KEY, None)
    if name:
        st.success(f"{plain(name)} is added. Bring its numbers in under Data → Bring your own numbers.",
                   icon=":material/check_circle:")


def workspace_logo(workspace: dict) -> Logo | None:
    """The company's logo, read fresh (a single row), or None when it has none."""
    if not workspace.get("has_logo"):
        return None
    with session_scope(engine_for(cached.database_url())) as session:
        return company_logo(session, workspace["id"])


@dataclass(frozen=True)
class PageContext:
    """What a page starts from: the chosen company, its id and the database URL."""

    workspace: dict
    workspace_id: int
    url: str

    @cached_property
    def logo(self) -> Logo | None:
        """The company's logo for the banner and the board pack, or None."""
        return workspace_logo(self.workspace)

    @property
    def months(self) -> list[dt.date]:
        """The company's months with figures, oldest first (cached; read only by pages that use them)."""
        return cached.months_with_data(self.url, self.workspace_id)


def page_header(title: str, *, needs_months: str | None = None) -> PageContext:
    """The client banner with this page's title, and the page's context.

    With `needs_months`, a company without figures sees "No figures for <company> yet." followed by that
    sentence, and the page stops there; pages that work without figures leave it out.
    """
    workspace = current_workspace()
    page = PageContext(workspace, workspace["id"], cached.database_url())
    client_banner(workspace["name"], workspace["color"], title, logo=page.logo)
    company_added_note()
    if needs_months is not None and not page.months:
        st.info(f"No figures for {plain(workspace['name'])} yet. {needs_months}")
        st.stop()
    return page
