"""The frame around every page: database start-up, the workspace picker, the current workspace, the page header."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlparse

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from components.client_banner import client_banner
from components.persistent_select import persistent_selectbox
from db import cached
from db.engine import engine_for
from sample_data.seed import seed_on_first_start
from settings import get_settings

log = logging.getLogger(__name__)
WORKSPACE_KEY = "workspace_id"
FRAME_KEY = "_frame_ready"
DEEP_LINK_KEY = "_deep_link"
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


def workspace_picker() -> None:
    """Sidebar choice of client company; kept in session state so every page shows the same one."""
    options = cached.workspaces(cached.database_url())
    if not options:
        return
    ids = [w["id"] for w in options]
    if st.session_state.get(WORKSPACE_KEY) not in ids:
        st.session_state[WORKSPACE_KEY] = ids[0]
    names = {w["id"]: w["name"] for w in options}
    persistent_selectbox("Client company", ids, WORKSPACE_KEY, names.__getitem__, container=st.sidebar)


def current_workspace() -> dict:
    """The chosen workspace as a dict (id, name, currency, color, fiscal_year_start_month); stops if none."""
    if not st.session_state.get(FRAME_KEY):
        # A fresh server opened at a page's own address runs that page without app.py (Streamlit's
        # pages/ folder convention): go through the frame so the database and picker are ready.
        st.session_state[DEEP_LINK_KEY] = urlparse(st.context.url).path.strip("/").rsplit("/", 1)[-1]
        st.switch_page("app.py")
    options = {w["id"]: w for w in cached.workspaces(cached.database_url())}
    workspace = options.get(st.session_state.get(WORKSPACE_KEY))
    if workspace is None:
        st.info("No client company yet. Run `python cli.py seed` for the demo companies, or import data.")
        st.stop()
    return workspace


@dataclass(frozen=True)
class PageContext:
    """What a page starts from: the chosen company, its id and the database URL."""

    workspace: dict
    workspace_id: int
    url: str

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
    client_banner(workspace["name"], workspace["color"], title)
    if needs_months is not None and not page.months:
        st.info(f"No figures for {workspace['name']} yet. {needs_months}")
        st.stop()
    return page
