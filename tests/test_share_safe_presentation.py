"""Presentation mode an advisor can drive: previous, next and the page list while the sidebar is hidden, the
company named in the address (``?client=<slug>``, members only), and the modes kept in the address."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

import flows.frame as frame
from components.presentation import PRESENT_KEY, SAFE_KEY, neighbours, page_list_label
from db.access import Identity, Role, add_member
from db.engine import engine_for, session_scope
from tests.apptest_helpers import APP, demo_workspace_id

NORTHWIND, BLOOM = "Northwind Analytics", "Bloom & Brew"
NORTHWIND_SLUG, BLOOM_SLUG = "northwind-analytics", "bloom-brew"
# the presentation's pages, in app.py's navigation order: (url path, title)
PRESENTED = [("", "One view of reality"), ("scorecard", "Scorecard"), ("agreement", "KPI agreement"),
             ("output_vs_outcome", "Output vs outcome"), ("review", "Review meeting"), ("board_pack", "Board pack")]
NOT_AVAILABLE = "The company in this link is not available to you"


def stand_in(url_path: str, title: str = "") -> SimpleNamespace:
    return SimpleNamespace(url_path=url_path, title=title or url_path, icon=None)


PAGES = [stand_in(path, title) for path, title in PRESENTED]


@pytest.mark.parametrize(("current", "before", "after", "label"), [
    ("", None, "scorecard", "Page 1 of 6 · One view of reality"),
    ("scorecard", "", "agreement", "Page 2 of 6 · Scorecard"),
    ("review", "output_vs_outcome", "board_pack", "Page 5 of 6 · Review meeting"),
    ("board_pack", "review", None, "Page 6 of 6 · Board pack"),
    ("companies", None, "", "Pages"),  # a page outside the presentation leads back to its first page
])
def test_previous_and_next_follow_the_navigation_order(current: str, before, after, label: str) -> None:
    page = next((p for p in PAGES if p.url_path == current), stand_in(current))
    found = neighbours(PAGES, page)
    assert tuple(p.url_path if p is not None else None for p in found) == (before, after)
    assert page_list_label(PAGES, page) == label


def run_app(query: dict[str, str], **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.query_params.update(query)
    return at.run()


def page_links(at: AppTest) -> list[tuple[str, str, dict[str, list[str]], bool]]:
    return [(link.proto.label, link.proto.page, parse_qs(link.proto.query_string), link.proto.disabled)
            for link in at.get("page_link")]


def address(at: AppTest) -> dict[str, str]:
    """The address's query, one value per name (AppTest keeps the script's writes as lists)."""
    return {name: value if isinstance(value, str) else value[-1] for name, value in at.query_params.items()}


def texts(at: AppTest) -> str:
    found = [e.value for kind in ("markdown", "title", "info", "caption", "header", "subheader")
             for e in at.get(kind) if isinstance(getattr(e, "value", None), str)]
    return "\n".join(found)


def test_a_presentation_link_opens_the_named_company_with_the_way_through_the_pages(seeded_url: str) -> None:
    at = run_app({"present": "1", "safe": "1", "client": NORTHWIND_SLUG})
    assert not at.exception
    assert at.session_state["workspace_id"] == demo_workspace_id(seeded_url, NORTHWIND)  # not the first, Bloom & Brew
    expected_query = {"present": ["1"], "safe": ["1"], "client": [NORTHWIND_SLUG]}
    listed = [(f"{n}. {title}", path, expected_query, path == "") for n, (path, title) in enumerate(PRESENTED, 1)]
    assert page_links(at) == [*listed, ("Next: Scorecard", "scorecard", expected_query, False)]
    assert [t.label for t in at.main.get("toggle")] == ["Presentation mode", "Share-safe"]  # under the banner


def test_the_address_keeps_the_modes_and_the_company(seeded_url: str) -> None:
    at = run_app({"present": "1", "safe": "1"}, workspace_id=demo_workspace_id(seeded_url, BLOOM))
    # the company is added for the open one, so a reload opens it
    assert address(at) == {"present": "1", "safe": "1", "client": BLOOM_SLUG}


def test_a_mode_switched_off_leaves_the_address_and_the_links(seeded_url: str) -> None:
    """Share-safe switched off in the session (the toggle's value on the next run): the address and every link
    lose ``safe=1``, presentation stays."""
    at = run_app({"present": "1", "safe": "1", "client": BLOOM_SLUG}, **{SAFE_KEY: False})
    assert address(at) == {"present": "1", "client": BLOOM_SLUG}
    assert page_links(at) and all(query == {"present": ["1"], "client": [BLOOM_SLUG]}
                                  for _, _, query, _ in page_links(at))


def test_a_link_already_followed_leaves_the_picker_its_choice(seeded_url: str) -> None:
    """After the link opened Northwind, the picker chose Bloom & Brew: the address follows the picker."""
    bloom = demo_workspace_id(seeded_url, BLOOM)
    at = run_app({"client": NORTHWIND_SLUG}, workspace_id=bloom, **{frame.CLIENT_SEEN_KEY: NORTHWIND_SLUG})
    assert at.session_state["workspace_id"] == bloom and address(at)["client"] == BLOOM_SLUG


def test_single_user_mode_opens_any_company_by_its_link(seeded_url: str) -> None:
    at = run_app({"client": BLOOM_SLUG}, workspace_id=demo_workspace_id(seeded_url, NORTHWIND))
    assert at.session_state["workspace_id"] == demo_workspace_id(seeded_url, BLOOM)


def test_an_unknown_company_is_not_available_and_nothing_of_another_is_shown(seeded_url: str) -> None:
    at = run_app({"present": "1", "client": "no-such-company"})
    assert not at.exception
    assert NOT_AVAILABLE in texts(at)
    assert not at.get("metric") and not at.get("plotly_chart") and not at.sidebar.get("selectbox")
    assert NORTHWIND not in texts(at) and BLOOM not in texts(at)
    assert [b.label for b in at.button] == ["Open my companies"]


@pytest.fixture
def signed_in(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Identity:
    """Sign-in on, as the CMO of Northwind only (invited to Northwind, not to Bloom & Brew)."""
    person = Identity(email="cmo@northwind.example", name="Nora", verified=True)
    with session_scope(engine_for(seeded_url)) as session:
        add_member(session, demo_workspace_id(seeded_url, NORTHWIND), person.email, Role.CMO, invited_by="test")
    monkeypatch.setattr(frame, "sign_in_configured", lambda: True)
    monkeypatch.setattr(frame, "current_identity", lambda: person)
    return person


def test_signed_in_a_member_opens_their_company_by_its_link(seeded_url: str, signed_in: Identity) -> None:
    at = run_app({"present": "1", "client": NORTHWIND_SLUG})
    assert not at.exception and at.session_state["workspace_id"] == demo_workspace_id(seeded_url, NORTHWIND)
    assert at.get("metric")


def test_signed_in_a_company_one_is_not_a_member_of_is_not_available(seeded_url: str, signed_in: Identity) -> None:
    at = run_app({"present": "1", "safe": "1", "client": BLOOM_SLUG})
    assert not at.exception and NOT_AVAILABLE in texts(at)
    assert BLOOM not in texts(at) and NORTHWIND not in texts(at)  # neither named nor swapped for another
    assert not at.get("metric")


def test_signed_in_an_admin_opens_any_company(seeded_url: str, signed_in: Identity,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_ADMIN_EMAILS", signed_in.email)
    at = run_app({"client": BLOOM_SLUG})
    assert at.session_state["workspace_id"] == demo_workspace_id(seeded_url, BLOOM)


@pytest.mark.parametrize(("state", "client", "expected"), [
    ({PRESENT_KEY: True, SAFE_KEY: True}, "acme", {"present": "1", "safe": "1", "client": "acme"}),
    ({PRESENT_KEY: True, SAFE_KEY: False}, "acme", {"present": "1", "client": "acme"}),
    ({PRESENT_KEY: False, SAFE_KEY: False}, None, {}),
])
def test_links_carry_the_modes_that_are_on(state: dict, client: str | None, expected: dict) -> None:
    script = AppTest.from_function(_params_script, args=(client,), default_timeout=30)
    for key, value in state.items():
        script.session_state[key] = value
    script.run()
    assert script.session_state["params"] == expected


def _params_script(client: str | None) -> None:
    import streamlit as st

    from components.presentation import address_params

    st.session_state["params"] = address_params(client)

