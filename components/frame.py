"""The frame around every page: database start-up, the workspace picker, the current workspace."""

from __future__ import annotations

import logging

import streamlit as st

from components.persistent_select import persistent_selectbox
from db import cached
from db.engine import engine_for
from sample_data.seed import ensure_sample_data
from settings import get_settings

log = logging.getLogger(__name__)
WORKSPACE_KEY = "workspace_id"
FRAME_KEY = "_frame_ready"


@st.cache_resource(show_spinner="Preparing the database…")
def _prepare(url: str, seed: bool) -> None:
    engine = engine_for(url)
    if seed and not cached.workspaces(url):
        ensure_sample_data(engine)


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
        st.switch_page("app.py")
    options = {w["id"]: w for w in cached.workspaces(cached.database_url())}
    workspace = options.get(st.session_state.get(WORKSPACE_KEY))
    if workspace is None:
        st.info("No client company yet. Run `python cli.py seed` for the demo companies, or import data.")
        st.stop()
    return workspace
