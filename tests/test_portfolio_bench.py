"""The portfolio benchmark runs end to end on a few companies, and its monthly shortcut writes the same month
totals as the generator's daily rows."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.portfolio_bench import monthly_rows, parse_arguments, profile, run
from db.engine import engine_for, session_scope
from db.ingest import ingest
from db.queries import monthly_data
from db.workspaces import WorkspaceIn, create_workspace
from sample_data.generator import generate, last_complete_month


def test_monthly_rows_give_the_same_month_totals_as_daily_rows(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'totals.db'}")
    frame = generate(profile(1), last_complete_month(), seed=5)
    data = []
    for name, rows in (("daily", frame), ("monthly", monthly_rows(frame))):
        with session_scope(engine) as session:
            workspace_id = create_workspace(session, WorkspaceIn(name=name)).id
        ingest(engine, workspace_id, rows, source_name="bench")
        with session_scope(engine, workspace_id) as session:
            data.append(monthly_data(session, workspace_id))
    daily, monthly = data
    assert daily.keys() == monthly.keys() and len(daily["revenue"]) == 36
    for key, points in daily.items():
        assert points.keys() == monthly[key].keys(), key
        for month, point in points.items():
            assert math.isclose(point.value, monthly[key][month].value, rel_tol=1e-9), (key, month)
            assert point.coverage == monthly[key][month].coverage == 1.0


def test_the_report_names_both_goals(tmp_path: Path) -> None:
    report = run(2, None, False, tmp_path)
    assert "2 companies x 36 months (monthly rows)" in report
    assert "sqlite: portfolio of 2 companies" in report and "(goal <= 1.0 s)" in report
    assert "One View with 2 / with 2 companies" in report and "(goal <= 1.2x)" in report


@pytest.mark.parametrize(("argv", "companies", "daily"), [([], 100, False), (["--companies", "7", "--daily"], 7, True)])
def test_arguments(argv: list[str], companies: int, daily: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALIGNBOARD_BENCH_POSTGRESQL_URL", raising=False)
    args = parse_arguments(argv)
    assert (args.companies, args.daily, args.postgresql) == (companies, daily, None)
