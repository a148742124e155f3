"""`python cli.py import`: the Data page's checks and messages at the terminal, with exit codes to script on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

import cli
import clock
from db.engine import engine_for, session_scope
from db.imports import import_history, save_preset
from db.workspaces import WorkspaceIn, create_workspace
from importers.mapping import ColumnChoice, ImportMapping, Role

ROOT = Path(__file__).resolve().parents[1]
GOOD = "Month,Revenue,New customers\n2026-02,1100000,10\n2026-03,1200000,12\n"
BAD = "Month,Revenue,New customers\n2026-02,abc,10\n2026-03,1200000,-12\n2999-01,1,1\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"good": tmp_path / "finance.csv", "bad": tmp_path / "broken.csv", "odd": tmp_path / "odd.csv"}
    paths["good"].write_text(GOOD)
    paths["bad"].write_text(BAD)
    paths["odd"].write_text("When,Takings\n2026-03,5\n")
    return paths


def import_cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(["import", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def batches(engine: Engine, workspace_id: int) -> list:
    with session_scope(engine) as session:
        return import_history(session, workspace_id)


def test_a_good_file_is_imported_and_the_changes_listed(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                                         engine: Engine, workspace_id: int) -> None:
    code, out, err = import_cli(capsys, str(files["good"]), "--workspace", "Test Co", "--by", "Dana")
    assert (code, err) == (0, "")
    assert "Read finance.csv: CSV, UTF-8, comma-separated, header on row 1, 2 rows." in out
    assert "Imported 2 rows (monthly grain, Feb 2026 – Mar 2026 (2 months)) as source 'finance'." in out
    assert "  Mar 2026 Revenue no data → €1.2M" in out
    [entry] = batches(engine, workspace_id)
    assert (entry.created_by, entry.file_name, entry.rows) == ("Dana", "finance.csv", 2)


def test_a_dry_run_writes_nothing(capsys: pytest.CaptureFixture, files: dict[str, Path], engine: Engine,
                                  workspace_id: int) -> None:
    code, out, _ = import_cli(capsys, str(files["good"]), "--workspace", "Test Co", "--dry-run")
    assert code == 0
    assert "Dry run, nothing written: would import 2 rows" in out and "4 of 4 monthly value(s) change:" in out
    assert batches(engine, workspace_id) == []


def test_a_rejected_file_exits_2_with_every_problem(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                                    engine: Engine, workspace_id: int) -> None:
    code, _, err = import_cli(capsys, str(files["bad"]), "--workspace", "Test Co")
    assert code == 2
    lines = err.splitlines()
    assert lines[:4] == [
        "Rejected: 3 problem(s); nothing was imported.",
        "  broken.csv, row 2, column 'Revenue': not a number: 'abc'",
        "  broken.csv, row 3, column 'New customers': New customers cannot be negative: '-12'",
        f"  broken.csv, row 4, column 'Month': the date is after today ({clock.today()})",
    ]
    # then the file's columns and what the app would make of them, so the next try can use --map
    assert lines[4] == "Columns in broken.csv and what Alignboard suggests:"
    assert [line.split(":")[0] for line in lines[5:8]] == ["  Month", "  Revenue", "  New customers"]
    assert "Revenue [revenue]" in lines[6] and lines[-1].startswith("Map columns with --map COL=METRIC")
    assert batches(engine, workspace_id) == []


def test_a_preset_maps_a_file_the_suggestions_cannot(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                                     engine: Engine, workspace_id: int) -> None:
    code, _, err = import_cli(capsys, str(files["odd"]), "--workspace", "Test Co")
    assert code == 2 and "odd.csv: map at least one column to a metric" in err
    preset = ImportMapping(columns={"When": ColumnChoice(role=Role.DATE),
                                    "Takings": ColumnChoice(role=Role.METRIC, metric="revenue")},
                           source_name="Till")
    with session_scope(engine) as session:
        save_preset(session, workspace_id, "Till export", preset)
    code, out, _ = import_cli(capsys, str(files["odd"]), "--workspace", "Test Co", "--preset", "Till export")
    assert code == 0 and "as source 'Till'" in out


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv", "--workspace", "Test Co"], "Error: no such file: missing.csv"),
    (["{good}", "--workspace", "Nobody"], "Error: no workspace called 'Nobody' (workspaces: Test Co)"),
    (["{good}", "--workspace", "Test Co", "--preset", "Nope"],
     "Error: no preset called 'Nope' in this workspace (presets: none saved yet)"),
])
def test_mistakes_exit_1_with_one_plain_line(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                             workspace_id: int, args: list[str], message: str) -> None:
    code, _, err = import_cli(capsys, *[a.format(good=files["good"]) for a in args])
    assert code == 1 and err.strip() == message


def test_the_real_command_line_exit_codes(sqlite_url: str, files: dict[str, Path]) -> None:
    env = {**os.environ, "ALIGNBOARD_DATABASE_URL": sqlite_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120, check=False)

    with session_scope(engine_for(sqlite_url)) as session:
        create_workspace(session, WorkspaceIn(name="Acme", currency="USD"))
    rejected = run("import", str(files["bad"]), "--workspace", "Acme")
    assert rejected.returncode == 2 and "Traceback" not in rejected.stderr
    assert "broken.csv, row 2, column 'Revenue': not a number: 'abc'" in rejected.stderr
    imported = run("import", str(files["good"]), "--workspace", "Acme", "--source", "Finance")
    assert imported.returncode == 0 and "as source 'Finance'" in imported.stdout
