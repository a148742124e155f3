"""`python cli.py member add|list|remove`: who may see a company, from the command line, recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

import cli
from db.audit import events
from db.engine import session_scope


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(["member", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_members_are_added_listed_changed_and_removed(capsys: pytest.CaptureFixture, engine: Engine,
                                                      workspace_id: int) -> None:
    assert run(capsys, "add", "--workspace", "Test Co", "--email", "CEO@Test.co", "--role", "ceo", "--by", "Dana")[:2] \
        == (0, "ceo@test.co is CEO of Test Co.\n")
    assert run(capsys, "add", "--workspace", "Test Co", "--email", "b@test.co", "--role", "board")[0] == 0
    assert run(capsys, "list", "--workspace", "Test Co")[1].splitlines() == [
        "b@test.co\tboard\tnot yet signed in", "ceo@test.co\tceo\tnot yet signed in"]
    assert run(capsys, "add", "--workspace", "Test Co", "--email", "b@test.co", "--role", "cmo")[0] == 0
    assert "b@test.co\tcmo" in run(capsys, "list", "--workspace", "Test Co")[1]
    assert run(capsys, "remove", "--workspace", "Test Co", "--email", "b@test.co")[:2] == (
        0, "b@test.co no longer sees Test Co.\n")
    with session_scope(engine) as session:
        recorded = [(e.action, e.actor, e.detail) for e in events(session, workspace_id)]
    assert recorded[-1] == ("member.added", "Dana", {"email": "ceo@test.co", "role": "ceo"})
    assert recorded[0][0] == "member.removed"


@pytest.mark.parametrize(("args", "message"), [
    (("add", "--email", "not-an-address", "--role", "ceo"), "'not-an-address' does not look like an e-mail address"),
    (("remove", "--email", "nobody@test.co"), "nobody@test.co is not a member of Test Co"),
])
def test_a_refusal_is_one_line_and_exit_1(capsys: pytest.CaptureFixture, engine: Engine, workspace_id: int,
                                          args: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, args[0], "--workspace", "Test Co", *args[1:])
    assert (code, out) == (1, "") and err.strip() == f"Error: {message}."
