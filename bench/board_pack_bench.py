"""Benchmark sections for the board pack of a 7-KPI agreement, on the workspace the ingest section filled.

``review_snapshot`` times what closing a month reads (scorecard, One View, vanity traps, actions);
``board_pack_pptx`` the PowerPoint from that snapshot (goal: under 2 s); ``board_pack_pdf`` the
LibreOffice conversion, timed apart (nan when LibreOffice is not installed).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from db.engine import engine_for, session_scope
from db.queries import monthly_data
from db.review import live_snapshot
from db.scorecard import save_draft, sign_agreement
from metrics.agreement import Role
from metrics.catalog import STANDARD_CATALOG, Mandate
from metrics.review import ReviewSnapshot
from metrics.scorecard import KpiTerms
from metrics.series import monthly_values
from reports.board_pack import build_board_pack
from reports.pdf import pdf_available, pptx_to_pdf

SEVEN_KPIS = (("revenue", Mandate.GROWTH), ("new_bookings", Mandate.GROWTH), ("pipeline_created", Mandate.GROWTH),
              ("cac", Mandate.GROWTH), ("win_rate", Mandate.GROWTH), ("nps", Mandate.BRAND),
              ("aided_awareness", Mandate.BRAND))
PPTX_GOAL_SECONDS = 2.0
_snapshots: dict[str, ReviewSnapshot] = {}
_decks: dict[str, bytes] = {}


def _timed(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _agree_seven(url: str, workspace_id: int) -> dt.date:
    """Agreement v1 on seven KPIs, each targeted 5% above its own actuals; returns the newest month."""
    with session_scope(engine_for(url)) as session:
        data = monthly_data(session, workspace_id)
        month = max(max(points) for points in data.values())
        months = sorted({m for points in data.values() for m in points})
        kpis = []
        for key, mandate in SEVEN_KPIS:
            actuals = monthly_values(STANDARD_CATALOG, key, data, months)
            targets = {m: v * 1.05 for m, v in actuals.items() if v is not None}
            kpis.append(KpiTerms(metric_key=key, mandate=mandate, owner_name="Bench", owner_role="CMO",
                                 targets=targets))
        draft = save_draft(session, workspace_id, kpis, based_on=None, by="bench")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CEO, "CEO")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CMO, "CMO")
    return month


def _snapshot(bench, rows: int) -> ReviewSnapshot:  # noqa: ANN001 - bench.run.Bench
    url, workspace_id = bench.workspace(rows)
    if url not in _snapshots:
        month = _agree_seven(url, workspace_id)
        with session_scope(engine_for(url)) as session:
            _snapshots[url] = live_snapshot(session, workspace_id, month)
    return _snapshots[url]


def review_snapshot(bench, rows: int) -> float:  # noqa: ANN001 - bench.run.Bench
    url, workspace_id = bench.workspace(rows)
    month = _snapshot(bench, rows).month

    def read() -> None:
        with session_scope(engine_for(url)) as session:
            live_snapshot(session, workspace_id, month)
    return _timed(read, 3)


def board_pack_pptx(bench, rows: int) -> float:  # noqa: ANN001 - bench.run.Bench
    snapshot = _snapshot(bench, rows)
    assert len(snapshot.kpis) == len(SEVEN_KPIS)
    _decks[bench.workspace(rows)[0]] = build_board_pack(snapshot, draft=False)
    return _timed(lambda: build_board_pack(snapshot, draft=False), 3)


def board_pack_pdf(bench, rows: int) -> float:  # noqa: ANN001 - bench.run.Bench
    if not pdf_available():
        return float("nan")
    deck = _decks.get(bench.workspace(rows)[0]) or build_board_pack(_snapshot(bench, rows), draft=False)
    return _timed(lambda: pptx_to_pdf(deck), 1)
