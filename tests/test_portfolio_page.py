"""The Portfolio page in AppTest: one row per company with its KPI chips, filters, a click that opens the company,
who sees it at all (several companies, an admin, the single user with two; never a member of one company, never
while presenting), and the review page's meeting dates."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db import access
from db.access import Role
from db.engine import engine_for, session_scope
from db.imports import workspace_catalog
from db.meetings import cadence
from db.scorecard import scorecard_for_month
from db.workspaces import workspace_by_name
from metrics.status import RAG_LABELS, Rag
from tests.apptest_helpers import APP, NORTHWIND, demo_workspace_id, open_app, open_page, shown_text
from tests.portfolio_samples import HARBOUR, OCT, add_harbour

BLOOM = "Bloom & Brew"
PAGE = "pages/portfolio.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "test",
        "client_secret": "test", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
CHIP = re.compile(r'data-testid="kpi-chip" data-status="([^"]+)"')


def navigation(at: AppTest) -> list[str]:
    """The titles of the pages the navigation offers, in order (AppTest keeps the last run's registry)."""
    return [page["page_name"] for page in at._registered_pages.values()]  # noqa: SLF001 - no public accessor


def expected_statuses(url: str, name: str, month: dt.date) -> list[str]:
    """The company's scorecard for the month, as its own page reads it: the status of each agreed KPI."""
    with session_scope(engine_for(url)) as session:
        workspace_id = workspace_by_name(session, name).id
    with session_scope(engine_for(url), workspace_id) as session:
        card = scorecard_for_month(session, workspace_id, month, catalog=workspace_catalog(session, workspace_id))
    return [RAG_LABELS[k.rag] for k in card.kpis]


def row_chips(at: AppTest) -> dict[int, list[str]]:
    """The statuses on each company's chips, in order (rows draw their name, then their chips)."""
    chips = [CHIP.findall(m.value) for m in at.markdown if 'data-testid="kpi-chip"' in m.value]
    companies = shown_companies(at)
    assert len(chips) == len(companies), "every company shown here has an agreement"
    return dict(zip(companies, chips, strict=True))


def shown_companies(at: AppTest) -> list[int]:
    return [int(b.key.removeprefix("open_company_")) for b in at.button if b.key and b.key.startswith("open_company_")]


# --- single-user mode with the two demo companies ----------------------------------------------------


def test_both_demo_companies_with_their_scorecards_statuses(seeded_url: str) -> None:
    at = open_app()
    assert navigation(at)[:2] == ["Portfolio", "One view of reality"]
    at.switch_page(PAGE).run()
    assert not at.exception
    northwind, bloom = demo_workspace_id(seeded_url), demo_workspace_id(seeded_url, BLOOM)
    assert sorted(shown_companies(at)) == sorted([northwind, bloom])
    text = shown_text(at)
    assert "Oct 2026" in text and "Next meeting" in text
    chips = row_chips(at)
    for name, workspace_id in ((NORTHWIND, northwind), (BLOOM, bloom)):
        assert chips[workspace_id] == expected_statuses(seeded_url, name, OCT), name


def test_the_filter_keeps_the_companies_with_a_kpi_off_track(seeded_url: str) -> None:
    at = open_page(PAGE)
    at.selectbox(key="portfolio_filter").set_value("A KPI off track").run()
    off = [name for name in (NORTHWIND, BLOOM) if RAG_LABELS[Rag.RED] in expected_statuses(seeded_url, name, OCT)]
    assert off, "the demo should have a company with a KPI off track"
    assert sorted(shown_companies(at)) == sorted(demo_workspace_id(seeded_url, n) for n in off)


def test_a_click_opens_the_company_on_the_one_view(seeded_url: str) -> None:
    bloom = demo_workspace_id(seeded_url, BLOOM)
    at = open_page(PAGE, demo_workspace_id(seeded_url))
    at.button(key=f"open_company_{bloom}").click().run()
    assert not at.exception
    assert at.session_state["workspace_id"] == bloom
    text = shown_text(at)
    assert "One view of reality" in text and "The month in brief" in text and BLOOM in text


def test_never_while_presenting(seeded_url: str) -> None:
    at = open_page(PAGE)
    assert shown_companies(at)
    at.session_state["presentation_mode"] = True  # the switch turned on while on the page
    at.run()
    assert not at.exception and "Portfolio" not in navigation(at) and shown_companies(at) == []
    alone = page_alone(presentation_mode=True)
    assert "not shown in presentation mode" in shown_text(alone) and shown_companies(alone) == []


def test_one_company_alone_has_no_portfolio(sqlite_url: str) -> None:
    add_harbour(engine_for(sqlite_url))
    at = open_app()
    assert not at.exception and "Portfolio" not in navigation(at)
    page = page_alone()
    assert "you may open only one" in shown_text(page) and shown_companies(page) == []


# --- signed in ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def people(seeded_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo companies and Harbour Tools; a CEO of Northwind only, and an advisor of both demo companies."""
    path = tmp_path_factory.mktemp("portfolio_people") / "alignboard.db"
    shutil.copy(seeded_file, path)
    url = f"sqlite:///{path}"
    add_harbour(engine_for(url))
    with session_scope(engine_for(url)) as session:
        northwind, bloom = (workspace_by_name(session, n).id for n in (NORTHWIND, BLOOM))
        access.add_member(session, northwind, "ceo@northwind.test", Role.CEO, invited_by="test")
        for workspace_id in (northwind, bloom):
            access.add_member(session, workspace_id, "advisor@pair.test", Role.ADVISOR, invited_by="test")
    yield url


def signed_in(url: str, person: str, monkeypatch: pytest.MonkeyPatch, script: str = APP, **state: object) -> AppTest:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", url)
    at = AppTest.from_file(script, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": person, "name": person.split("@")[0].upper()}
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def page_alone(**state: object) -> AppTest:
    """The page script run on its own, as when someone types its address: it must refuse by itself."""
    at = AppTest.from_file(str(Path(APP).parent / PAGE), default_timeout=60)
    for key, value in {"_frame_ready": True, **state}.items():
        at.session_state[key] = value
    return at.run()


def test_a_member_of_one_company_never_sees_it(people: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in(people, "ceo@northwind.test", monkeypatch)
    assert not at.exception and "Portfolio" not in navigation(at)
    at = signed_in(people, "ceo@northwind.test", monkeypatch, str(Path(APP).parent / PAGE), _frame_ready=True)
    text = shown_text(at)
    assert "you may open only one" in text and shown_companies(at) == []
    assert BLOOM not in text and HARBOUR not in text


def test_an_advisor_of_two_sees_exactly_those_two(people: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in(people, "advisor@pair.test", monkeypatch)
    assert navigation(at)[0] == "Portfolio"
    at.switch_page(PAGE).run()
    assert not at.exception
    assert sorted(shown_companies(at)) == sorted(demo_workspace_id(people, n) for n in (NORTHWIND, BLOOM))
    assert HARBOUR not in shown_text(at)


def test_an_admin_sees_every_company(people: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_ADMIN_EMAILS", "boss@alignboard.test")
    at = signed_in(people, "boss@alignboard.test", monkeypatch)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert len(shown_companies(at)) == 3 and HARBOUR in shown_text(at)


# --- the review page's meeting dates -----------------------------------------------------------------


def test_the_review_says_when_it_meets_and_a_planner_changes_it(seeded_url: str) -> None:
    at = open_page("pages/review.py", demo_workspace_id(seeded_url))
    assert "Next review: Tue 8 Dec 2026 (the second Tuesday of each month)" in shown_text(at)
    week = next(s for s in at.selectbox if s.label == "Meets on the")
    day = next(s for s in at.selectbox if s.label == "Day")
    week.set_value(-1)
    day.set_value(3)
    next(n for n in at.number_input if n.label == "Pre-read, days before").set_value(5)
    next(b for b in at.button if b.label == "Save meeting dates").click().run()
    assert not at.exception
    assert "Next review: Thu 26 Nov 2026 (the last Thursday of each month)" in shown_text(at)
    with session_scope(engine_for(seeded_url)) as session:  # the pre-read's lead time is the company's
        assert cadence(session, demo_workspace_id(seeded_url)).pre_read_days == 5
    next(d for d in at.date_input if d.label == "Move the next meeting to").set_value(dt.date(2026, 12, 3))
    next(b for b in at.button if b.label == "Save meeting dates").click().run()
    assert ("Next review: Thu 3 Dec 2026 (moved from Thu 26 Nov 2026; usually the last Thursday of each month)"
            in shown_text(at))
    at.switch_page(PAGE).run()
    assert "Thu 3 Dec 2026 (moved)" in shown_text(at) and "Tue 8 Dec 2026" in shown_text(at)  # Bloom's


def test_the_board_sees_the_date_but_cannot_change_it(people: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope(engine_for(people)) as session:
        bloom = workspace_by_name(session, BLOOM).id
        access.add_member(session, bloom, "board@bloom.test", Role.BOARD, invited_by="test")
    at = signed_in(people, "board@bloom.test", monkeypatch)
    at.switch_page("pages/review.py").run()
    assert not at.exception
    assert "Next review: Tue 8 Dec 2026 (the second Tuesday of each month)" in shown_text(at)
    assert not [b for b in at.button if b.label == "Save meeting dates"]
