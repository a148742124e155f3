"""Imports end to end on the database: dry run, replace-not-duplicate, undo, all-or-nothing, presets, custom
metrics, history and data health (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from db.engine import session_scope
from db.import_models import CustomMetric
from db.imports import (
    add_custom_metrics,
    custom_metrics,
    data_health,
    delete_preset,
    import_history,
    import_table,
    presets,
    save_preset,
    undo_import,
    workspace_catalog,
)
from db.ingest import ingest
from db.models import ImportBatch, Observation
from db.overlaps import OverlapChoice
from db.queries import monthly_data
from importers.mapping import ColumnChoice, ImportMapping, NewMetric, Role
from importers.reading import read_file
from importers.suggest import suggest
from importers.summary import change_lines
from metrics.catalog import STANDARD_CATALOG, Unit

TODAY = dt.date(2026, 11, 24)
MAR = dt.date(2026, 3, 1)
FINANCE = "Month,Revenue,New customers\n2026-02,1100000,10\n2026-03,1200000,12\n"


def run(engine: Engine, workspace_id: int, text: str, *, file: str = "finance.csv", dry_run: bool = False,
        mapping: ImportMapping | None = None, source: str = "Finance sheet",
        **choices: object):  # noqa: ANN201 - ImportOutcome
    table = read_file(file, text.encode())
    with session_scope(engine) as session:
        catalog = workspace_catalog(session, workspace_id)
    mapping = mapping or suggest(table, catalog)
    mapping.source_name = source
    return import_table(engine, workspace_id, table, mapping, created_by="Dana", dry_run=dry_run, today=TODAY,
                        **choices)


def values(engine: Engine, workspace_id: int, key: str) -> dict[dt.date, float]:
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, [key], workspace_catalog(session, workspace_id))
    return {month: point.value for month, point in data.get(key, {}).items()}


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (session.scalar(select(func.count()).select_from(ImportBatch)),
                session.scalar(select(func.count()).select_from(Observation)))


def test_a_dry_run_says_what_changes_and_writes_nothing(engine: Engine, workspace_id: int) -> None:
    run(engine, workspace_id, FINANCE)
    before = counts(engine)
    outcome = run(engine, workspace_id, FINANCE.replace("1200000", "1260000"), dry_run=True)
    assert outcome.accepted and outcome.result.dry_run
    assert counts(engine) == before
    assert values(engine, workspace_id, "revenue")[MAR] == 1_200_000
    lines = change_lines(list(outcome.result.changes), STANDARD_CATALOG, "EUR")
    assert [str(line) for line in lines if line.kind == "changed"] == ["Mar 2026 Revenue €1.2M → €1.26M"]
    assert outcome.result.replaced == 4


def test_re_importing_a_source_replaces_its_values_and_other_sources_stay(engine: Engine, workspace_id: int) -> None:
    run(engine, workspace_id, FINANCE)
    assert run(engine, workspace_id, FINANCE).accepted  # the same source again only replaces its own values
    assert values(engine, workspace_id, "revenue") == {dt.date(2026, 2, 1): 1_100_000, MAR: 1_200_000}
    run(engine, workspace_id, "Month,Revenue\n2026-03,50000\n", source="Shop", overlap=OverlapChoice.SEGMENT)
    run(engine, workspace_id, "Month,Revenue\n2026-03,1300000\n")
    assert values(engine, workspace_id, "revenue") == {dt.date(2026, 2, 1): 1_100_000, MAR: 1_350_000}
    assert values(engine, workspace_id, "new_customers") == {dt.date(2026, 2, 1): 10, MAR: 12}


def test_undo_takes_an_import_out_and_brings_back_what_it_replaced(engine: Engine, workspace_id: int) -> None:
    run(engine, workspace_id, FINANCE)
    second = run(engine, workspace_id, "Month,Revenue\n2026-03,1300000\n")
    assert values(engine, workspace_id, "revenue")[MAR] == 1_300_000
    undo_import(engine, workspace_id, second.result.batch_id)
    assert values(engine, workspace_id, "revenue")[MAR] == 1_200_000
    with session_scope(engine) as session:
        history = import_history(session, workspace_id)
    assert [(h.status, h.rows, h.created_by) for h in history] == [("undone", 1, "Dana"), ("active", 2, "Dana")]
    with pytest.raises(ValueError, match="not an active import"):
        undo_import(engine, workspace_id, second.result.batch_id)


def test_history_keeps_who_when_file_digest_rows_and_periods(engine: Engine, workspace_id: int) -> None:
    outcome = run(engine, workspace_id, FINANCE, file="finance-2026.csv")
    with session_scope(engine) as session:
        [entry] = import_history(session, workspace_id)
    table = read_file("finance-2026.csv", FINANCE.encode())
    assert entry.batch_id == outcome.result.batch_id and entry.file_name == "finance-2026.csv"
    assert entry.file_digest == table.digest and len(entry.file_digest) == 64
    assert (entry.rows, entry.period_start, entry.period_end) == (2, dt.date(2026, 2, 1), MAR)
    assert entry.source_name == "Finance sheet" and entry.created_at is not None


def test_one_bad_row_at_the_end_of_100k_rows_rejects_all_of_them(engine: Engine, workspace_id: int) -> None:
    start = dt.date(2020, 1, 1)
    lines = ["Day,Channel,Sessions"]
    for i in range(100_000):
        lines.append(f"{start + dt.timedelta(days=i % 2000)},channel {i // 2000},{i % 97}")
    lines.append(f"{start},channel 999,not-a-number")
    before = counts(engine)
    outcome = run(engine, workspace_id, "\n".join(lines) + "\n", file="sessions.csv")
    assert not outcome.accepted and outcome.result is None
    assert [(p.row, p.column, p.reason) for p in outcome.problems] == [
        (100_002, "Sessions", "not a number: 'not-a-number'")]
    assert counts(engine) == before
    good = run(engine, workspace_id, "\n".join(lines[:-1]) + "\n", file="sessions.csv")
    assert good.accepted and good.conversion.rows_read == 100_000
    assert sum(values(engine, workspace_id, "sessions").values()) == sum(i % 97 for i in range(100_000))


def test_a_rejected_import_writes_nothing_and_lists_every_problem(engine: Engine, workspace_id: int) -> None:
    before = counts(engine)
    outcome = run(engine, workspace_id, "Month,Revenue,Clicks\n2026-03,abc,-1\n2027-01,5,5\n")
    assert [(p.row, p.column) for p in outcome.problems] == [(2, "Revenue"), (2, "Clicks"), (3, "Month")]
    assert counts(engine) == before


def test_presets_round_trip_and_overwrite(engine: Engine, workspace_id: int) -> None:
    mapping = ImportMapping(columns={"Day": ColumnChoice(role=Role.DATE),
                                     "Cost": ColumnChoice(role=Role.METRIC, metric="marketing_spend")},
                            source_name="Google Ads")
    with session_scope(engine) as session:
        save_preset(session, workspace_id, "Google Ads monthly", mapping, "Dana")
    with session_scope(engine) as session:
        assert presets(session, workspace_id) == {"Google Ads monthly": mapping}
        changed = mapping.model_copy(update={"source_name": "Google Ads (EU)"})
        save_preset(session, workspace_id, "Google Ads monthly", changed, "Sam")
    with session_scope(engine) as session:
        assert presets(session, workspace_id)["Google Ads monthly"].source_name == "Google Ads (EU)"
        delete_preset(session, workspace_id, "Google Ads monthly")
    with session_scope(engine) as session:
        assert presets(session, workspace_id) == {}
        with pytest.raises(ValueError, match="needs a name"):
            save_preset(session, workspace_id, "  ", mapping)


def test_a_column_mapped_to_a_new_metric_defines_it_on_import_only(engine: Engine, workspace_id: int) -> None:
    text = "Month,Demo requests\n2026-03,42\n"
    table = read_file("demos.csv", text.encode())
    mapping = suggest(table, STANDARD_CATALOG)
    demo = NewMetric(key="demo_requests", label="Demo requests", unit=Unit.COUNT)
    mapping.columns["Demo requests"] = ColumnChoice(role=Role.METRIC, metric="demo_requests")
    mapping.new_metrics = [demo]
    dry = import_table(engine, workspace_id, table, mapping, dry_run=True, today=TODAY)
    assert dry.accepted
    with session_scope(engine) as session:
        assert custom_metrics(session, workspace_id) == []
    import_table(engine, workspace_id, table, mapping, today=TODAY)
    with session_scope(engine) as session:
        assert custom_metrics(session, workspace_id) == [demo]
        assert workspace_catalog(session, workspace_id)["demo_requests"].label == "Demo requests"
    assert values(engine, workspace_id, "demo_requests") == {MAR: 42}


def test_custom_metrics_are_kept_once_per_workspace(engine: Engine, workspace_id: int) -> None:
    demo = NewMetric(key="demo_requests", label="Demo requests")
    with session_scope(engine) as session:
        assert add_custom_metrics(session, workspace_id, [demo, demo], "Dana") == 1
        assert add_custom_metrics(session, workspace_id, [demo, NewMetric(key="revenue", label="Revenue")]) == 0
        assert session.scalar(select(func.count()).select_from(CustomMetric)) == 1


def test_data_health_names_the_last_month_missing_months_and_unusual_values(engine: Engine,
                                                                             workspace_id: int) -> None:
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    rows = [(m, 100 + (m.month % 3)) for m in months if m.month != 4]
    rows[6] = (rows[6][0], 900)  # August 2025 jumps
    text = "Month,Sessions\n" + "".join(f"{m:%Y-%m},{v}\n" for m, v in rows)
    assert run(engine, workspace_id, text).accepted
    with session_scope(engine) as session:
        [health] = data_health(session, workspace_id, today=dt.date(2026, 2, 10))
    assert health.key == "sessions" and health.last_month == dt.date(2025, 12, 1)
    assert health.missing == [dt.date(2025, 4, 1), dt.date(2026, 1, 1)]
    assert [o.month for o in health.outliers] == [dt.date(2025, 8, 1)]


def test_ingest_dry_run_rolls_everything_back(engine: Engine, workspace_id: int) -> None:
    import pandas as pd

    frame = pd.DataFrame({"date": ["2026-03-05"], "metric": ["revenue"], "value": ["5"]})
    result = ingest(engine, workspace_id, frame, source_name="s", today=TODAY, dry_run=True)
    assert counts(engine) == (0, 0)
    assert [(c.metric_key, c.month, c.before, c.after) for c in result.changes] == [("revenue", MAR, None, 5.0)]


def test_the_benchmark_ad_platform_export_imports_cleanly(tmp_path, sqlite_url: str) -> None:  # noqa: ANN001
    from bench.import_bench import ad_platform_csv, ad_platform_frame, import_file
    from db.engine import engine_for
    from db.workspaces import WorkspaceIn, create_workspace

    with session_scope(engine_for(sqlite_url)) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name="Bench Co", currency="USD")).id
    import_file(sqlite_url, workspace_id, ad_platform_csv(tmp_path, 5_000))
    spend = values(engine_for(sqlite_url), workspace_id, "marketing_spend")
    assert sum(spend.values()) == pytest.approx(ad_platform_frame(5_000)["Cost"].sum())
