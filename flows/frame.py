"""The frame around every page: database start-up, sign-in, the company picker, the scope of the rerun, the header.

Who is asking comes from Streamlit's own sign-in (``st.login``, OpenID Connect, configured under ``[auth]`` in
``.streamlit/secrets.toml``). Without it the app runs in single-user mode (one person on their own machine):
names are typed, and every record made so is marked as unverified. Each rerun opens the ``Scope`` (who, which
company, which roles) from a membership; pages take it from ``page_header`` and reach data only through
``db.service`` with it. An install without a company the person may open shows the welcome (or, for a
member without companies, says whom to ask).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlparse

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.navigation.page import StreamlitPage

from components.client_banner import client_banner
from components.company_form import CompanyDraft
from components.persistent_select import persistent_selectbox
from components.presentation import CLIENT_PARAM  # ?client=<slug>: the company a link opens
from components.text import plain
from components.welcome import welcome
from db import service
from db.access import ROLE_TITLES, SINGLE_USER, Identity, NoAccess, Scope
from db.engine import engine_for, session_scope
from db.workspaces import create_company, find_company, unarchive_company
from flows.rerun import forget_reads, once_per_rerun
from flows.saving import attempt
from metrics.company import checked_company, tidy_name
from metrics.logo import Logo
from sample_data.generator import DEMO_COMPANIES
from sample_data.seed import ensure_sample_data, seed_on_first_start
from settings import get_settings

log = logging.getLogger(__name__)
WORKSPACE_KEY = "workspace_id"
FRAME_KEY = "_frame_ready"
DEEP_LINK_KEY = "_deep_link"
ADDED_KEY = "_company_added"
SIGNED_IN_KEY = "_signed_in_noted"
CLIENT_SEEN_KEY = "_client_in_address"  # the slug this session last followed or wrote: a new one is a new request
_start_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alignboard-start")
_start_lock = threading.Lock()
_start_ups: dict[tuple[str, bool], Future[None]] = {}


# --- Start-up ------------------------------------------------------------------------------------


def start_database() -> Future[None]:
    """Start migrating (and on an empty database seeding) the configured database in the start-up worker, or
    return the start-up already under way; a start-up that failed is tried again."""
    settings = get_settings()
    key = (settings.database_url, settings.seed_sample_data)
    with _start_lock:
        start_up = _start_ups.get(key)
        if start_up is None or (start_up.done() and start_up.exception() is not None):
            start_up = _start_ups[key] = _start_pool.submit(_migrate_and_seed, *key)
    return start_up


def _prepare() -> None:
    """Wait for the database start-up, in a worker of its own.

    A worker keeps going when the user clicks during the first start, so a rerun can never leave a
    half-seeded database; every session waits for the same start-up.
    """
    start_up = start_database()
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
    st.session_state[FRAME_KEY] = True
    try:
        _prepare()
    except Exception:  # noqa: BLE001 - the user sees a short message, the log keeps the detail
        log.exception("database start-up failed")
        st.error("Alignboard could not open its database. Check ALIGNBOARD_DATABASE_URL and the server log.")
        st.stop()


def follow_deep_link(pages: Iterable[StreamlitPage]) -> None:
    """Open the page a visitor asked for before the frame was ready (see ``through_the_frame``)."""
    wanted = st.session_state.pop(DEEP_LINK_KEY, None)
    match = next((page for page in pages if wanted and page.url_path == wanted), None)
    if match is not None:
        st.switch_page(match, query_params=st.query_params.to_dict())  # ?present=1&client=… go along


def through_the_frame() -> None:
    """Make sure app.py has run for this session (database ready, picker drawn) before a page draws."""
    if not st.session_state.get(FRAME_KEY):
        # A fresh server opened at a page's own address runs that page without app.py (Streamlit's
        # pages/ folder convention): go through the frame so the database and picker are ready.
        st.session_state[DEEP_LINK_KEY] = urlparse(st.context.url).path.strip("/").rsplit("/", 1)[-1]
        st.switch_page("app.py", query_params=st.query_params.to_dict())


# --- Who is asking -------------------------------------------------------------------------------


def sign_in_configured() -> bool:
    """Whether ``[auth]`` is set in secrets.toml: then everyone signs in, else one person uses the app alone."""
    try:
        return "auth" in st.secrets
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return False


def single_user() -> bool:
    return not sign_in_configured()


def current_identity() -> Identity:
    """The signed-in person (stops on the sign-in screen until they are), or the single user."""
    if single_user():
        return SINGLE_USER
    if not st.user.is_logged_in:
        sign_in_screen()
        st.stop()
    identity = Identity(email=str(st.user.get("email") or "").strip().lower(),
                        name=str(st.user.get("name") or "").strip(), verified=True)
    if not identity.email or st.user.get("email_verified") is False:
        address_refused(identity)
        st.stop()
    if st.session_state.get(SIGNED_IN_KEY) != identity.email:
        service.note_sign_in(identity)
        st.session_state[SIGNED_IN_KEY] = identity.email
    return identity


def sign_in_screen() -> None:
    """The one screen before sign-in: no page list and nothing of any company, only the way to sign in."""
    _screen_alone(_sign_in_page)


def _screen_alone(draw: Callable[[], None]) -> None:
    """Run ``draw`` as the only page, with no page list: before sign-in no page of the app may be opened."""
    st.navigation([st.Page(draw, title="Sign in", url_path="sign-in", icon=":material/login:")],
                  position="hidden").run()


def _sign_in_page() -> None:
    st.title("Alignboard")
    st.markdown("Sign in to see your companies. Access is given by e-mail address: an advisor of your company "
                "invites you, and your access starts the first time you sign in with that address.")
    st.button("Sign in", type="primary", icon=":material/login:", on_click=st.login)


def address_refused(identity: Identity) -> None:
    """Access is granted by address, so an address the provider did not give, or has not verified, opens nothing."""
    _screen_alone(lambda: _address_refused_page(identity))


def _address_refused_page(identity: Identity) -> None:
    st.title("Alignboard")
    if identity.email:
        st.error(f"Your sign-in provider has not verified the address {plain(identity.email)}, and access is "
                 "granted by address. Verify it with your provider (or ask its administrator to), then sign in "
                 "again.", icon=":material/gpp_bad:")
    else:
        st.error("Your sign-in provider gave no e-mail address, and access is granted by address. Ask its "
                 "administrator to add the `email` scope for Alignboard.", icon=":material/gpp_bad:")
    st.button("Sign out", on_click=st.logout, icon=":material/logout:")


def who_line(identity: Identity, scope: Scope | None) -> None:
    """The sidebar says how the app knows who you are: signed in as whom, with which roles here, or single-user
    mode."""
    if single_user():
        st.sidebar.caption(":material/person: **Single-user mode** — sign-in is off. Names you type are recorded "
                           "as unverified.")
        return
    roles = ", ".join(ROLE_TITLES[role] for role in sorted(scope.roles)) if scope else "no company yet"
    person = f"**{plain(identity.name)}** ({plain(identity.email)})" if identity.name else \
        f"**{plain(identity.email)}**"
    st.sidebar.caption(f":material/verified_user: Signed in as {person} · {plain(roles)}")
    st.sidebar.button("Sign out", on_click=st.logout, key="sign_out", type="tertiary", icon=":material/logout:")


# --- The company and the scope of the rerun ------------------------------------------------------


def company_label(workspace: dict) -> str:
    """The name as the picker shows it: demo companies are marked, so nobody mistakes them for a client."""
    return workspace["name"] + (" (demo)" if workspace.get("is_demo") else "")


def companies(identity: Identity, include_archived: bool = False) -> list[dict]:
    """The companies the person may open, read once per rerun (``flows.rerun``)."""
    return once_per_rerun(("companies", identity, include_archived), lambda: service.visible_companies(
        identity, single_user=single_user(), include_archived=include_archived))


def open_scope(identity: Identity, workspace_id: int) -> Scope:
    """The person's scope in the company, opened once per rerun (NoAccess, raised each time, is not kept)."""
    return once_per_rerun(("scope", identity, workspace_id), lambda: service.open_scope(
        identity, workspace_id, single_user=single_user()))


def frame_scope(identity: Identity) -> Scope | None:
    """Draw the company picker and open the rerun's scope for the chosen company (None: no company to open).

    The list is read fresh on every rerun, so a company added, archived or shared elsewhere shows at once.
    """
    options = companies(identity)
    if not options:
        return None
    follow_client_in_address(options)
    ids = [w["id"] for w in options]
    if st.session_state.get(WORKSPACE_KEY) not in ids:
        st.session_state[WORKSPACE_KEY] = ids[0]
    labels = {w["id"]: company_label(w) for w in options}
    persistent_selectbox("Client company", ids, WORKSPACE_KEY, labels.__getitem__, container=st.sidebar)
    try:
        return open_scope(identity, st.session_state[WORKSPACE_KEY])
    except NoAccess:
        return None


def company_in_address(slug: str, options: Iterable[dict]) -> int | None:
    """The company a link names by its slug, among those the person may open (None: not one of them)."""
    return next((w["id"] for w in options if w["slug"] == slug), None)


def follow_client_in_address(options: list[dict]) -> None:
    """Open the company named in the address (``?client=<slug>``) when the person may open it; otherwise say
    it is not available, without naming or showing it, and stop. A slug already followed (or written by
    ``keep_client_in_address``) is not followed again, so the picker's choice stands."""
    slug = st.query_params.get(CLIENT_PARAM)
    if not slug or slug == st.session_state.get(CLIENT_SEEN_KEY):
        return
    chosen = company_in_address(slug, options)
    if chosen is None:
        company_not_available()
        st.stop()
    st.session_state[WORKSPACE_KEY] = chosen
    st.session_state[CLIENT_SEEN_KEY] = slug


def _forget_client_in_address() -> None:
    st.query_params.pop(CLIENT_PARAM, None)
    st.session_state.pop(CLIENT_SEEN_KEY, None)


def company_not_available() -> None:
    """The one answer for a link to a company the person may not open, or that does not exist (or no longer)."""
    st.title("Company not available")
    st.info("The company in this link is not available to you: it may have been archived or deleted, or you are "
            "not a member of it. Ask the company's advisor for access, or open one of your own companies.",
            icon=":material/lock:")
    st.button("Open my companies", icon=":material/domain:", on_click=_forget_client_in_address)


def keep_client_in_address(workspace: dict | None) -> None:
    """Keep ``?client=<slug>`` of the open company in the address, so a reload or a copied link opens it."""
    if workspace is None:
        return
    if st.query_params.get(CLIENT_PARAM) != workspace["slug"]:
        st.query_params[CLIENT_PARAM] = workspace["slug"]
    st.session_state[CLIENT_SEEN_KEY] = workspace["slug"]


def current_scope() -> Scope:
    """The scope of this rerun, opened for the chosen company (a cheap read: the membership and the version);
    without a company to open, the welcome (or a word on whom to ask) and the page stops."""
    through_the_frame()
    identity = current_identity()
    visible = [w["id"] for w in companies(identity)]
    if st.session_state.get(WORKSPACE_KEY) not in visible and visible:
        st.session_state[WORKSPACE_KEY] = visible[0]  # a company the person may not open is never opened
    if visible:
        try:
            return open_scope(identity, st.session_state[WORKSPACE_KEY])
        except NoAccess:
            pass
    if service.may_create_companies(identity, single_user=single_user()):
        welcome_screen(identity)
    else:
        st.title("No company yet")
        st.info(f"{plain(identity.label)} is not a member of any company yet. Ask your advisor to invite this "
                "address; your access starts the next time you sign in.", icon=":material/lock:")
    st.stop()


def welcome_screen(identity: Identity) -> None:
    """The welcome of an empty install: the demo companies, or the form for one's own company."""
    archived = len(companies(identity, include_archived=True)) - len(companies(identity))
    choice = welcome(archived, ask_actor=single_user())
    if choice == "demo":
        explore_demo_companies(identity)
    elif isinstance(choice, CompanyDraft):
        add_company(identity, choice)


def open_company(workspace_id: int) -> None:
    """Make ``workspace_id`` the chosen company on every page, from the next rerun."""
    st.session_state[WORKSPACE_KEY] = workspace_id


def explore_demo_companies(identity: Identity) -> None:
    """Create the demo companies (or bring back archived ones) and open the first of them."""
    url = service.database_url()
    try:
        with st.spinner("Creating the demo companies with three years of figures…"):
            ensure_sample_data(engine_for(url))
            _bring_back_demo_companies(url, identity)
    except Exception:  # noqa: BLE001 - the log keeps the detail; the person sees what to do
        log.exception("seeding the demo companies failed")
        st.error("Sorry, the demo companies could not be created. Try again; if it persists, check the server log.")
        return
    forget_reads()  # the companies were read before they existed, earlier in this rerun
    demos = [w for w in companies(identity) if w["is_demo"]]
    if demos:
        open_company(demos[0]["id"])
    st.rerun()


def _bring_back_demo_companies(url: str, identity: Identity) -> None:
    with session_scope(engine_for(url)) as session:
        for profile in DEMO_COMPANIES:
            workspace = find_company(session, profile.name)
            if workspace is not None and workspace.is_demo and workspace.archived_at is not None:
                unarchive_company(session, workspace.id, actor=identity.recorded_name("welcome"))


def add_company(identity: Identity, draft: CompanyDraft) -> None:
    """Check and save the new company, then open it (the page reruns); a refusal is shown and nothing saved."""
    def save(session) -> int:  # noqa: ANN001 - a Session
        details = checked_company(draft.name, draft.currency, draft.fiscal_year_start_month, draft.color,
                                  logo=draft.logo, logo_name=draft.logo_name)
        return create_company(session, details, actor=identity.recorded_name(draft.actor)).id

    saved, created = attempt(lambda: service.write_directory(identity, single_user=single_user(), work=save))
    if saved:
        open_company(created)
        st.session_state[ADDED_KEY] = tidy_name(draft.name)
        st.rerun()


def company_added_note() -> None:
    """Once, after a company was added: where its numbers go next."""
    name = st.session_state.pop(ADDED_KEY, None)
    if name:
        st.success(f"{plain(name)} is added. Bring its numbers in under Data → Bring your own numbers.",
                   icon=":material/check_circle:")


# --- What a page starts from ---------------------------------------------------------------------


@dataclass(frozen=True)
class PageContext:
    """What a page starts from: the rerun's scope (who, which company, which roles) and the company's details."""

    scope: Scope
    workspace: dict

    @property
    def workspace_id(self) -> int:
        return self.scope.workspace_id

    @property
    def single_user(self) -> bool:
        return self.scope.single_user

    @cached_property
    def logo(self) -> Logo | None:
        """The company's logo for the banner and the board pack, or None."""
        return service.logo(self.scope) if self.workspace.get("has_logo") else None

    @property
    def months(self) -> list[dt.date]:
        """The company's months with figures, oldest first (cached; read only by pages that use them)."""
        return service.months_with_data(self.scope)


def current_workspace(scope: Scope) -> dict:
    """The scope's company as the picker lists it (name, currency, colour, …)."""
    return next(w for w in companies(scope.identity, include_archived=True) if w["id"] == scope.workspace_id)


def page_header(title: str, *, needs_months: str | None = None) -> PageContext:
    """The client banner with this page's title, and the page's context.

    With `needs_months`, a company without figures sees "No figures for <company> yet." followed by that
    sentence, and the page stops there; pages that work without figures leave it out.
    """
    scope = current_scope()
    page = PageContext(scope, current_workspace(scope))
    client_banner(page.workspace["name"], page.workspace["color"], title, logo=page.logo)
    company_added_note()
    if needs_months is not None and not page.months:
        st.info(f"No figures for {plain(page.workspace['name'])} yet. {needs_months}")
        st.stop()
    return page
