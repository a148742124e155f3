"""`python cli.py portfolio`: every company's month as a fixed-width table, or CSV with the documented header."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from sqlalchemy import Engine

import cli
from db.engine import engine_for, session_scope
from db.workspaces import WorkspaceIn, create_workspace
from settings import PROJECT_ROOT
from tests.portfolio_samples import HARBOUR, SOURCE, add_harbour

HEADER = ("company,month,kpis,on_track,at_risk,off_track,off_track_change,partial,no_target,no_data,review,"
          "review_closed_on,next_meeting,meeting_moved,overdue_actions,vanity_traps,latest_complete_month,"
          "last_import,late_sql_sources,widest_confidence_gap,confidence_gaps_of_2_or_more,attention")


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def two_companies(engine: Engine) -> Engine:
    """Harbour Tools (worked out in tests.portfolio_samples) and an empty company whose name looks like a formula."""
    add_harbour(engine)
    with session_scope(engine) as session:
        create_workspace(session, WorkspaceIn(name="=HYPERLINK(1)"))
    return engine


def test_csv_of_every_company(capsys: pytest.CaptureFixture, two_companies: Engine) -> None:
    code, out, err = run(capsys, "portfolio", "--month", "2026-10", "--csv")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == HEADER
    rows = {r["company"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {HARBOUR, "'=HYPERLINK(1)"}  # a formula-like name is neutralised
    harbour = rows[HARBOUR]
    assert harbour["kpis"] == "Revenue: on track; Pipeline created: off track; Net Promoter Score: no data"
    assert (harbour["on_track"], harbour["off_track"], harbour["off_track_change"], harbour["no_data"]) == \
        ("1", "1", "1", "1")
    assert (harbour["review"], harbour["next_meeting"], harbour["meeting_moved"]) == ("open", "2026-12-02", "yes")
    assert (harbour["overdue_actions"], harbour["vanity_traps"], harbour["late_sql_sources"]) == ("1", "0", SOURCE)
    assert (harbour["widest_confidence_gap"], harbour["confidence_gaps_of_2_or_more"]) == ("3", "1")
    empty = rows["'=HYPERLINK(1)"]
    assert (empty["kpis"], empty["off_track_change"], empty["latest_complete_month"], empty["last_import"]) == \
        ("", "", "", "")
    assert empty["attention"] == "no signed KPI agreement; no figures for Oct 2026"


def test_the_table_most_attention_first(capsys: pytest.CaptureFixture, two_companies: Engine) -> None:
    code, out, err = run(capsys, "portfolio", "--month", "2026-10")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Portfolio · Oct 2026 · 2 companies, most attention first"
    assert lines[2].split()[:2] == ["Company", "KPIs"]
    assert lines[4].startswith(HARBOUR)  # five reasons against two
    assert "1 on track, 1 off track, 1 no data" in lines[4] and "1 (+1)" in lines[4]
    assert lines[5].startswith("=HYPERLINK(1)") and "no agreed KPIs" in lines[5]


@pytest.mark.parametrize("month", ["2026-13", "October", ""])
def test_a_month_that_is_not_one(capsys: pytest.CaptureFixture, engine: Engine, month: str) -> None:
    code, out, err = run(capsys, "portfolio", "--month", month)
    assert (code, out) == (1, "")
    assert err == f"Error: --month wants YYYY-MM, not '{month}'\n"


def test_no_company_yet(capsys: pytest.CaptureFixture, engine: Engine) -> None:
    assert run(capsys, "portfolio", "--month", "2026-10") == (0, "No client companies yet.\n", "")
    code, out, _ = run(capsys, "portfolio", "--month", "2026-10", "--csv")
    assert (code, out) == (0, HEADER + "\n")


def test_from_a_terminal(sqlite_url: str) -> None:
    """The real command: its own process, the database from ALIGNBOARD_DATABASE_URL."""
    add_harbour(engine_for(sqlite_url))
    done = subprocess.run([sys.executable, "cli.py", "portfolio", "--month", "2026-11", "--csv"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["kpis"], row["partial"], row["off_track_change"]) == (
        "Revenue: partial month; Pipeline created: no target; Net Promoter Score: no target", "1", "-1")
