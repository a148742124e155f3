"""`python cli.py workspace ...` and `workspaces [--all]`: through cli.main on both engines, once as a subprocess."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from sqlalchemy import Engine

import cli
from db.audit import events
from db.engine import session_scope
from db.ingest import ingest
from db.workspaces import company_logo, find_company
from tests.test_cli import run_cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_create_then_list(database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "workspace", "create", "Acme Analytics", "--currency", "eur",
                         "--fiscal-year-start", "4", "--colour", "#1F4E79", "--by", "Dana")
    assert (code, err) == (0, [])
    assert out == ["Created Acme Analytics (EUR, fiscal year from April, colour #1f4e79)."]
    assert run(capsys, "workspace", "create", "Bloom")[:2] == (
        0, ["Created Bloom (USD, fiscal year from January, colour #1f4e79)."])
    assert run(capsys, "workspaces") == (0, ["Acme Analytics", "Bloom"], [])
    with session_scope(engine) as session:
        acme = find_company(session, "acme analytics")
        assert (acme.currency, acme.fiscal_year_start_month) == ("EUR", 4)
        assert [(e.action, e.actor) for e in events(session, acme.id)] == [("company.created", "Dana")]


@pytest.mark.parametrize("args, message", [
    (["Acme", "--colour", "blue"], "Error: the colour must look like #1F4E79, not 'blue'"),
    (["Acme", "--currency", "EU"],
     "Error: the currency must be a three-letter ISO 4217 code such as EUR or USD, not 'EU'"),
    (["Acme", "--fiscal-year-start", "13"],
     "Error: the fiscal year must start in a month from 1 (January) to 12 (December), not 13"),
    (["Acme", "--fiscal-year-start", "April"], "Error: --fiscal-year-start must be a month number from 1 to 12, "
                                               "not 'April'"),
    (["x" * 121], "Error: the name has 121 characters; at most 120 are allowed"),
    (["ACME LTD"], "Error: a company called 'Acme Ltd' already exists; choose another name"),
    (["Acme", "--logo", "/no/such/logo.png"], "Error: no such file: /no/such/logo.png"),
])
def test_create_refuses_plainly_and_changes_nothing(database_url: str, capsys: pytest.CaptureFixture[str],
                                                    args: list[str], message: str) -> None:
    run(capsys, "workspace", "create", "Acme Ltd")
    assert run(capsys, "workspace", "create", *args) == (1, [], [message])
    assert run(capsys, "workspaces")[1] == ["Acme Ltd"]


def test_create_with_a_logo(database_url: str, engine: Engine, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    logo, text = tmp_path / "acme.png", tmp_path / "notes.png"
    Image.new("RGB", (1000, 500), "#336699").save(logo)
    text.write_text("not a picture")
    assert run(capsys, "workspace", "create", "Notes Co", "--logo", str(text)) == (
        1, [], ["Error: notes.png is not a readable PNG or JPEG image"])
    code, out, _ = run(capsys, "workspace", "create", "Acme", "--logo", str(logo))
    assert code == 0 and out == ["Created Acme (USD, fiscal year from January, colour #1f4e79, with its logo)."]
    with session_scope(engine) as session:
        stored = company_logo(session, find_company(session, "Acme").id)
    assert Image.open(io.BytesIO(stored.data)).size == (512, 256)


def test_rename_archive_unarchive(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "workspace", "create", "Acme")
    run(capsys, "workspace", "create", "Zeta")
    assert run(capsys, "workspace", "rename", "acme", "Acme Group") == (0, ["Renamed Acme to Acme Group."], [])
    assert run(capsys, "workspace", "rename", "Acme Group", "zeta") == (
        1, [], ["Error: a company called 'Zeta' already exists; choose another name"])
    assert run(capsys, "workspace", "rename", "Nobody", "X") == (
        1, [], ["Error: no company called 'Nobody' (companies: Acme Group, Zeta)"])
    assert run(capsys, "workspace", "archive", "Acme Group") == (
        0, ["Archived Acme Group: it is off the company list; its data is kept."], [])
    assert run(capsys, "workspaces")[1] == ["Zeta"]
    assert run(capsys, "workspaces", "--all")[1] == ["Acme Group (archived)", "Zeta"]
    assert run(capsys, "workspace", "archive", "Acme Group") == (1, [], ["Error: Acme Group is already archived"])
    assert run(capsys, "workspace", "unarchive", "acme group") == (0, ["Acme Group is back on the company list."], [])
    assert run(capsys, "workspaces")[1] == ["Acme Group", "Zeta"]


def test_delete_says_what_would_go_and_needs_yes(database_url: str, engine: Engine,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "workspace", "create", "Acme")
    run(capsys, "workspace", "create", "Zeta")
    with session_scope(engine) as session:
        acme = find_company(session, "Acme").id
    frame = pd.DataFrame({"date": ["2026-01-01", "2026-02-01"], "metric": ["revenue", "revenue"],
                          "value": ["100", "110"]})
    ingest(engine, acme, frame, source_name="Ledger")  # one import, two figures, two monthly totals
    assert run(capsys, "workspace", "delete", "Acme") == (1, [], [
        "Error: deleting Acme would remove imports: 1, figures: 2, monthly totals: 2; nothing was deleted "
        "(add --yes to delete it)"])
    assert run(capsys, "workspaces")[1] == ["Acme", "Zeta"]
    assert run(capsys, "workspace", "delete", "Acme", "--yes", "--by", "Dana") == (
        0, ["Deleted Acme and all its data (imports: 1, figures: 2, monthly totals: 2)."], [])
    assert run(capsys, "workspaces", "--all")[1] == ["Zeta"]
    with session_scope(engine) as session:
        [deleted, _created] = events(session, acme)
    assert (deleted.action, deleted.actor, deleted.workspace_name) == ("company.deleted", "Dana", "Acme")


def test_the_commands_run_as_a_subprocess(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    created = run_cli("workspace", "create", "Acme Ltd", "--currency", "GBP", database_url=url)
    assert created.returncode == 0, created.stderr
    assert created.stdout == "Created Acme Ltd (GBP, fiscal year from January, colour #1f4e79).\n"
    refused = run_cli("workspace", "create", "acme ltd", database_url=url)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == "Error: a company called 'Acme Ltd' already exists; choose another name\n"
    listed = run_cli("workspaces", database_url=url)
    assert listed.stdout.splitlines() == ["Acme Ltd"]
    kept = run_cli("workspace", "delete", "Acme Ltd", database_url=url)
    assert kept.returncode == 1 and "nothing was deleted (add --yes to delete it)" in kept.stderr
    assert "Traceback" not in kept.stderr + refused.stderr


def test_the_default_actor_is_the_login_name_marked_as_from_the_command_line(
        database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "robin")
    assert cli.main(["workspace", "create", "Acme"]) == 0
    with session_scope(engine) as session:
        [created] = events(session, find_company(session, "Acme").id)
    assert created.actor == "robin (command line)" and created.verified is False
