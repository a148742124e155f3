"""Strictly apart: every role of two companies, on every page and command, sees nothing of the other company.

Sign-in is on (an ``[auth]`` secret) and the identity is the one Streamlit hands the app (``AppTest.user``), so
the frame, the seam and the pages run as for a signed-in person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

import cli
from db import access
from db.access import Identity, NoAccess, NotAllowed, Permission, Role
from db.engine import engine_for, session_scope
from db.queries import monthly_data
from db.service import open_scope, write
from db.workspaces import workspace_by_name
from metrics.catalog import Unit
from metrics.formatting import format_value
from tests.apptest_helpers import APP, shown_text

PAGES = ["pages/one_view.py", "pages/scorecard.py", "pages/agreement.py", "pages/output_vs_outcome.py",
         "pages/review.py", "pages/board_pack.py", "pages/data.py", "pages/members.py", "pages/audit.py",
         "pages/companies.py"]
COMPANIES = {"Northwind Analytics": ("USD", "northwind.test"), "Bloom & Brew": ("EUR", "bloom.test")}
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "test",
        "client_secret": "test", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
WRITE_BUTTONS = ("Save", "Sign as CEO", "Sign as CMO", "Close", "Invite", "Import", "Adopt as leading indicator",
                 "Add action", "Add note", "Record decision", "Save as draft")


def email(role: Role, company: str) -> str:
    return f"{role.value}@{COMPANIES[company][1]}"


@pytest.fixture(scope="module")
def members(seeded_file, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001 - fixtures
    """A copy of the demo companies where each role of each company has one member."""
    import shutil

    path = tmp_path_factory.mktemp("isolation") / "alignboard.db"
    shutil.copy(seeded_file, path)
    url = f"sqlite:///{path}"
    with session_scope(engine_for(url)) as session:
        for name in COMPANIES:
            workspace_id = workspace_by_name(session, name).id
            for role in Role:
                access.add_member(session, workspace_id, email(role, name), role, invited_by="test")
    yield url


def traces(url: str, name: str) -> list[str]:
    """Text only this company shows: its name and its latest revenue and pipeline as the pages format them."""
    with session_scope(engine_for(url)) as session:
        workspace = workspace_by_name(session, name)
        data = monthly_data(session, workspace.id, ["revenue", "pipeline_created"])
    latest = max(data["revenue"])
    return [name, *(format_value(data[k][latest].value, Unit.CURRENCY, workspace.currency)
                    for k in ("revenue", "pipeline_created"))]


def signed_in(url: str, person: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": person, "name": person.split("@")[0].upper()}
    return at.run()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("company", list(COMPANIES))
def test_every_page_shows_only_the_members_company(members: str, company: str, role: Role,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    other = next(c for c in COMPANIES if c != company)
    at = signed_in(members, email(role, company), monkeypatch)
    foreign = traces(members, other)
    with session_scope(engine_for(members)) as session:
        at.session_state["workspace_id"] = workspace_by_name(session, other).id  # a session-state trick
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        text = shown_text(at)
        assert company in text or page == "pages/companies.py", page
        leaked = [t for t in foreign if t in text]
        assert not leaked, (page, leaked)
        if role == Role.BOARD:  # the board reads and writes nothing
            shown = [b.label for b in at.button]
            assert not [b for b in shown if b.startswith(WRITE_BUTTONS)], (page, shown)


def test_someone_without_a_membership_sees_no_company(members: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = signed_in(members, "stranger@elsewhere.test", monkeypatch)
    assert not at.exception
    text = shown_text(at)
    assert "No company yet" in text and not any(name in text for name in COMPANIES)


def test_an_admin_sees_both(members: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_ADMIN_EMAILS", "boss@alignboard.test")
    at = signed_in(members, "boss@alignboard.test", monkeypatch)
    assert not at.exception
    [picker] = [s for s in at.sidebar.selectbox if s.label == "Client company"]
    assert sorted(picker.options) == sorted(f"{name} (demo)" for name in COMPANIES)


# --- the seam itself ---------------------------------------------------------------------------


def identity(person: str) -> Identity:
    return Identity(email=person, name=person, verified=True)


def test_no_membership_no_scope(members: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", members)
    with session_scope(engine_for(members)) as session:
        bloom = workspace_by_name(session, "Bloom & Brew").id
    with pytest.raises(NoAccess):
        open_scope(identity(email(Role.CEO, "Northwind Analytics")), bloom, single_user=False)
    scope = open_scope(identity(email(Role.CEO, "Bloom & Brew")), bloom, single_user=False)
    import dataclasses

    with pytest.raises(NoAccess):  # a scope copied to another company is not a scope
        dataclasses.replace(scope, workspace_id=bloom + 1)
    with pytest.raises(NoAccess):  # nor one with more roles
        dataclasses.replace(scope, roles=frozenset(Role))


@pytest.mark.parametrize(("role", "permission", "allowed"), [
    (Role.CEO, Permission.SIGN_CEO, True), (Role.CEO, Permission.SIGN_CMO, False),
    (Role.CMO, Permission.SIGN_CMO, True), (Role.CMO, Permission.SIGN_CEO, False),
    (Role.CONTRIBUTOR, Permission.IMPORT, True), (Role.CONTRIBUTOR, Permission.COMMENT, True),
    (Role.CONTRIBUTOR, Permission.SIGN_CEO, False), (Role.CONTRIBUTOR, Permission.CLOSE, False),
    (Role.BOARD, Permission.COMMENT, False), (Role.BOARD, Permission.IMPORT, False),
    (Role.ADVISOR, Permission.ADMINISTER, True), (Role.ADVISOR, Permission.SIGN_CEO, False),
    (Role.CEO, Permission.ADMINISTER, False),
])
def test_writes_check_the_role(members: str, monkeypatch: pytest.MonkeyPatch, role: Role, permission: Permission,
                               allowed: bool) -> None:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", members)
    with session_scope(engine_for(members)) as session:
        bloom = workspace_by_name(session, "Bloom & Brew").id
    scope = open_scope(identity(email(role, "Bloom & Brew")), bloom, single_user=False)
    ran: list[bool] = []
    if allowed:
        write(scope, permission, "test.write", lambda _session: ran.append(True))
        assert ran == [True]
    else:
        with pytest.raises(NotAllowed, match=f"cannot {permission.value}"):
            write(scope, permission, "test.write", lambda _session: ran.append(True))
        assert ran == []


def test_a_session_bound_to_one_company_cannot_read_another(engine: Engine, workspace_id: int) -> None:
    from db.workspaces import WorkspaceIn, create_workspace

    with session_scope(engine) as session:
        other = create_workspace(session, WorkspaceIn(name="Other Co")).id
    import pandas as pd

    from db.ingest import ingest

    ingest(engine, other, pd.DataFrame({"date": ["2026-01-01"], "metric": ["revenue"], "value": [7.0]}),
           source_name="x", today=dt.date(2026, 11, 16))
    with session_scope(engine, workspace_id) as session:  # bound to the first company, asking for the other
        assert monthly_data(session, other) == {}
        from db.models import Workspace

        assert session.get(Workspace, other) is None or session.query(Workspace).filter_by(id=other).count() == 0


def test_the_cli_prints_only_the_named_company(members: str, capsys: pytest.CaptureFixture,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", members)
    for name in COMPANIES:
        other = next(c for c in COMPANIES if c != name)
        for command in (["figures", "--workspace", name, "--metric", "revenue"], ["imports", "--workspace", name],
                        ["member", "list", "--workspace", name]):
            assert cli.main(command) == 0
            out = capsys.readouterr().out
            assert COMPANIES[other][1] not in out and other not in out
