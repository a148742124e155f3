"""A small fault run on SQLite and PostgreSQL: hostile files, concurrent imports of one source and imports
killed mid-way lose, double and tear nothing (``python -m bench.faults`` runs the large one)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, update

from bench.faults import (
    GOAL_MB,
    GOAL_SECONDS,
    FileRun,
    measure,
    run_files,
    run_kills,
    run_pairs,
    totals_off,
    worst_candidates,
)
from bench.hostile import HostileFile, corpus, csv_files, xlsx_files
from db.engine import session_scope
from db.ingest import ingest
from db.models import MonthTotal


def small_corpus() -> list[HostileFile]:
    """The named files that are quick to build, and a few mutated ones."""
    named = [f for f in [*csv_files(), *xlsx_files()] if not f.large]
    return [*named, *[f for f in corpus(quick=True) if f.name[:3].isdigit()][:16]]


def test_hostile_files_are_refused_or_imported_whole(engine: Engine) -> None:
    run = run_files(engine, small_corpus())
    assert run.tried > 60
    assert run.unhandled == [] and run.partial == [] and run.non_finite == 0


def test_concurrent_imports_of_one_source_keep_one_version(engine: Engine) -> None:
    run = run_pairs(engine, pairs=2)
    assert run.pairs == 2 and run.errors == []
    assert (run.doubled, run.totals_off, run.mixed) == (0, 0, 0)


def test_imports_killed_mid_way_leave_no_partial_batch(database_url: str, tmp_path: Path) -> None:
    run = run_kills(database_url, rounds=2, folder=tmp_path, rows=40_000)
    assert run.errors == [] and run.rounds == 2
    assert (run.partial, run.totals_off) == (0, 0)


def test_the_slowest_hostile_file_stays_within_time_and_memory(tmp_path: Path) -> None:
    [slowest] = [f for f in csv_files() if f.name == "columns_500.csv"]  # the slowest of the fault run
    measured = measure(slowest, tmp_path)
    assert 0 < measured.seconds < GOAL_SECONDS and 0 < measured.peak_mb < GOAL_MB, measured


def test_the_worst_candidates_are_the_slowest_and_the_largest() -> None:
    files = [f for f in csv_files() if f.name in ("columns_501.csv", "one_1e309.csv", "line_2mb.csv")]
    run = FileRun(seconds={"columns_501.csv": 0.5, "one_1e309.csv": 0.01, "line_2mb.csv": 0.02})
    assert [f.name for f in worst_candidates(files, run, 1)] == ["columns_501.csv", "line_2mb.csv"]


def test_a_recomputation_sees_a_total_that_is_off(engine: Engine, workspace_id: int) -> None:
    ingest(engine, workspace_id, pd.DataFrame({"date": ["2026-01-05"], "metric": ["revenue"], "value": [5.0]}),
           source_name="s")
    assert totals_off(engine, workspace_id) == 0
    with session_scope(engine) as session:
        session.execute(update(MonthTotal).values(value=6.0))
    assert totals_off(engine, workspace_id) == 1
