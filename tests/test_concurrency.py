"""Two writers at once, on SQLite and PostgreSQL: nothing doubled, torn or silently overwritten.

Each case starts its writers together (a barrier), runs a few rounds and prints its counts.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from db.engine import session_scope, write_scope
from db.ingest import ingest
from db.models import ImportBatch, Observation
from db.queries import monthly_data
from db.review import close_month
from db.scorecard import EditConflict, cast_vote, save_commentary, scorecard_for_month
from metrics.agreement import Role
from tests.test_review_db import SEP, TODAY, agree, figures

ROUNDS = 4


def report(capsys: pytest.CaptureFixture, line: str) -> None:
    """Counts shown in the test run's output even when it captures."""
    with capsys.disabled():
        sys.stdout.write(f"\n  {line}\n")


def together(*work: Callable[[], object]) -> list[object]:
    """Run the callables at the same moment in threads; their results, or the exceptions they raised."""
    barrier, results = threading.Barrier(len(work)), [None] * len(work)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work[index]()
        except Exception as error:  # noqa: BLE001 - the test looks at what each writer met
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def revenue_rows(value: float) -> pd.DataFrame:
    months = [dt.date(2026, m, 1) for m in range(1, 10)]
    return pd.DataFrame({"date": [m.isoformat() for m in months], "metric": "revenue", "value": value})


def test_two_imports_of_one_source_at_once_leave_one_active_batch_and_right_totals(
        engine: Engine, workspace_id: int, capsys: pytest.CaptureFixture) -> None:
    doubled = errors = 0
    for round_number in range(ROUNDS):
        values = (1000.0 + round_number, 2000.0 + round_number)
        results = together(*(lambda v=v: ingest(engine, workspace_id, revenue_rows(v), source_name="Finance",
                                                today=TODAY) for v in values))
        errors += sum(isinstance(r, Exception) for r in results)
        with session_scope(engine) as session:
            active = session.scalar(select(func.count()).select_from(Observation).where(
                Observation.workspace_id == workspace_id, Observation.superseded_by.is_(None)))
            totals = {p.value for p in monthly_data(session, workspace_id)["revenue"].values()}
        doubled += active != 9  # nine months, one active value each
        assert totals <= set(values) and len(totals) == 1  # the later import's figure, never the sum
    report(capsys, f"same-source imports: {ROUNDS} pairs, {doubled} doubled, {errors} errors")
    assert (doubled, errors) == (0, 0)


def test_a_close_during_imports_freezes_one_consistent_snapshot(engine: Engine, workspace_id: int,
                                                               capsys: pytest.CaptureFixture) -> None:
    ingest(engine, workspace_id, figures(), source_name="ledger", today=TODAY)
    agree(engine, workspace_id)
    torn = 0
    for round_number in range(ROUNDS):
        restated = figures((800, 900, 1000 + 1_000_000 * (round_number + 1)))

        def close() -> object:
            with write_scope(engine, workspace_id) as session:
                return close_month(session, workspace_id, SEP, "Dana")

        def reopen() -> None:
            from db.review import reopen_month

            with write_scope(engine, workspace_id) as session:
                reopen_month(session, workspace_id, SEP, "Dana", "next round")

        imported, frozen = together(lambda r=restated: ingest(engine, workspace_id, r, source_name="ledger",
                                                              today=TODAY), close)
        assert not isinstance(imported, Exception) and not isinstance(frozen, Exception), (imported, frozen)
        card = next(c.value for c in frozen.cards if c.key == "revenue")
        torn += card != frozen.kpi("revenue").actual
        reopen()
    report(capsys, f"close during import: {ROUNDS} closes, {torn} torn snapshots")
    assert torn == 0


def test_simultaneous_votes_one_is_saved_the_other_is_told(engine: Engine, workspace_id: int,
                                                           capsys: pytest.CaptureFixture) -> None:
    ingest(engine, workspace_id, figures(), source_name="ledger", today=TODAY)
    agree(engine, workspace_id)
    lost = 0
    for _ in range(ROUNDS):
        with session_scope(engine) as session:  # both saw the same vote on their page
            seen = scorecard_for_month(session, workspace_id, SEP).kpi("revenue").ceo_confidence
        first = (seen or 0) % 5 + 1  # two new votes, each different from the one both saw
        second = first % 5 + 1

        def vote(value: int, seen: int | None = seen) -> None:
            with write_scope(engine, workspace_id) as session:
                cast_vote(session, workspace_id, "revenue", SEP, Role.CEO, value, voter="CEO", expected=seen)

        results = together(lambda v=first: vote(v), lambda v=second: vote(v))
        saved = [r for r in results if not isinstance(r, Exception)]
        told = [r for r in results if isinstance(r, EditConflict)]
        lost += not (len(saved) == 1 and len(told) == 1)
    report(capsys, f"simultaneous votes: {ROUNDS} pairs, {lost} lost updates")
    assert lost == 0


def test_simultaneous_commentary_one_is_saved_the_other_is_told(engine: Engine, workspace_id: int) -> None:
    ingest(engine, workspace_id, figures(), source_name="ledger", today=TODAY)
    agree(engine, workspace_id)

    def write(text: str) -> int:
        with write_scope(engine, workspace_id) as session:
            return save_commentary(session, workspace_id, "revenue", SEP, text, author="x", expected_version=None)

    results = together(lambda: write("first"), lambda: write("second"))
    assert sum(isinstance(r, EditConflict) for r in results) == 1 and sum(isinstance(r, int) for r in results) == 1
    with session_scope(engine) as session:
        kept = scorecard_for_month(session, workspace_id, SEP).kpi("revenue").commentary
        batches = session.scalar(select(func.count()).select_from(ImportBatch))
    assert kept in ("first", "second") and batches == 1
