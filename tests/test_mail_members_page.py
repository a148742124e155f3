"""Mail on the Members page: a member's own switches, the company's share-safe mail and "Send the pre-read now"
(advisors), all saved through the seam; a board member signed in sees only their own switch."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import clock
from components.text import as_typed
from db import schedule
from db.delivery import MailChoices, deliveries, mail_choices, share_safe_mail
from db.engine import engine_for, session_scope
from db.workspaces import WorkspaceIn, create_workspace
from tests.apptest_helpers import APP, open_page, shown_text
from tests.mail_fixtures import PEOPLE, Inbox, build_company

PAGE = "pages/members.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "test",
        "client_secret": "test", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "pdf_available", lambda: False)


@pytest.fixture
def company(sqlite_url: str) -> int:
    engine = engine_for(sqlite_url)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name="Test Co", currency="EUR")).id
    return build_company(engine, workspace_id)


def toggle(at: AppTest, label: str):  # noqa: ANN201 - an AppTest toggle
    return next(t for t in at.toggle if t.label == label)


def saved_choices(url: str, company: int) -> dict[str, MailChoices]:
    with session_scope(engine_for(url)) as session:
        return mail_choices(session, company)


def test_a_member_turns_a_kind_of_mail_off_and_it_is_kept(sqlite_url: str, company: int, inbox: Inbox) -> None:
    at = open_page(PAGE, company)
    [whose] = [s for s in at.selectbox if s.label == "Whose mail"]
    whose.set_value(PEOPLE["ceo"]).run()
    assert [t.label for t in at.toggle if t.key.startswith("mail_") and t.key.endswith(PEOPLE["ceo"])] == [
        "Pre-read before the review", "Final board pack", "Alerts"]
    toggle(at, "Alerts").set_value(False).run()
    assert not at.exception
    assert saved_choices(sqlite_url, company) == {PEOPLE["ceo"]: MailChoices(alerts=False)}
    [whose] = [s for s in at.selectbox if s.label == "Whose mail"]
    whose.set_value(PEOPLE["board"]).run()  # the board receives the final pack only
    assert [t.label for t in at.toggle if t.key.endswith(PEOPLE["board"])] == ["Final board pack"]


def test_an_advisor_makes_mail_share_safe_and_sends_the_pre_read_now(sqlite_url: str, company: int,
                                                                      inbox: Inbox) -> None:
    at = open_page(PAGE, company)
    toggle(at, "Share-safe mail (amounts of money hidden)").set_value(True).run()
    with session_scope(engine_for(sqlite_url)) as session:
        assert share_safe_mail(session, company)
    [button] = [b for b in at.button if b.label == "Send the pre-read now"]
    button.click().run()
    assert not at.exception
    assert sorted(rcpt[0] for rcpt, _ in inbox.received) == sorted(
        PEOPLE[r] for r in ("advisor", "ceo", "cmo", "contributor"))
    assert "sent the pre-read of Oct 2026 (with the draft board pack) to advisor@test.co" in as_typed(shown_text(at))
    assert "•••" in inbox.to(PEOPLE["ceo"])[0].get_body(("plain",)).get_content()  # share-safe, as just set
    [button] = [b for b in at.button if b.label == "Send the pre-read now"]
    button.click().run()  # again: everyone has it
    assert len(inbox.received) == 4
    assert "already has it; nothing was sent" in shown_text(at)
    with session_scope(engine_for(sqlite_url)) as session:
        assert {line.kind.value for line in deliveries(session, company)} == {"pre_read"}
    inbox.received.clear()
    report = schedule.run(engine_for(sqlite_url), clock.today(), dry_run=True, server=None)
    assert [line for line in report.lines if "pre-read" in line] == []  # the scheduled run will not send it again
    assert [line for line in report.lines if "alerts" in line]  # while the day's alerts are still due


def test_without_mail_settings_the_button_says_what_is_missing(company: int) -> None:
    at = open_page(PAGE, company)
    [button] = [b for b in at.button if b.label == "Send the pre-read now"]
    assert button.disabled
    assert "Mail is not set up: ALIGNBOARD_SMTP_HOST is not set" in shown_text(at)


def test_a_board_member_signed_in_sets_only_their_own_mail(sqlite_url: str, company: int,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", sqlite_url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": PEOPLE["board"], "name": "Bo"}
    at.session_state["workspace_id"] = company
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.label == "Whose mail"]
    assert [t.label for t in at.main.toggle] == ["Final board pack"]  # and no share-safe mail switch
    assert not [b for b in at.button if b.label == "Send the pre-read now"]
    toggle(at, "Final board pack").set_value(False).run()
    assert saved_choices(sqlite_url, company) == {PEOPLE["board"]: MailChoices(final_pack=False)}
