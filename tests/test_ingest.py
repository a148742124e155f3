"""The one way data enters: all rows or none, replacement by source, workspaces apart, undo."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, MetaData, select

from db import ingest as ingest_module
from db.engine import session_scope
from db.ingest import frame_digest, ingest, undo_batch
from db.overlaps import OverlapChoice
from db.queries import monthly_data, segment_totals
from db.workspaces import WorkspaceIn, create_workspace
from metrics.validation import ImportRejected, as_categories

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
TODAY = dt.date(2026, 1, 1)


def rows(*records: tuple) -> pd.DataFrame:
    """Long rows as a CSV reader gives them: date, metric, segment, value (and weight when given)."""
    columns = ["date", "metric", "segment", "value", "weight"][: len(records[0])]
    return pd.DataFrame([[str(v) for v in r] for r in records], columns=columns)


def load(engine: Engine, workspace_id: int, frame: pd.DataFrame, source: str = "ads", **choices: object) -> int:
    """Import ``frame`` as ``source``; other sources of the same months are parts of the total unless told."""
    choices = {"overlap": OverlapChoice.SEGMENT, **choices}
    return ingest(engine, workspace_id, frame, source_name=source, file_name=f"{source}.csv", today=TODAY,
                  **choices).batch_id


def read(engine: Engine, workspace_id: int, key: str) -> dict[dt.date, float]:
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, [key])
    return {month: point.value for month, point in data.get(key, {}).items()}


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {name: sorted(connection.execute(select(table)).all(), key=repr)
                for name, table in metadata.tables.items()}


DAILY = rows(
    ("2025-01-03", "clicks", "search", 10),
    ("2025-01-04", "clicks", "search", 5),
    ("2025-01-04", "clicks", "social", 7),
    ("2025-02-10", "clicks", "search", 3),
    ("2025-01-31", "revenue", "", 1000),
    ("2025-01-31", "customers", "smb", 40),
    ("2025-01-15", "customers", "smb", 35),
    ("2025-01-31", "customers", "enterprise", 8),
)


def test_monthly_data_sums_days_and_segments(engine: Engine, workspace_id: int) -> None:
    result = ingest(engine, workspace_id, DAILY, source_name="ads", today=TODAY)
    assert (result.rows_read, result.observations, result.replaced) == (8, 6, 0)
    assert (result.period_start, result.period_end) == (JAN, FEB)
    assert read(engine, workspace_id, "clicks") == {JAN: 22.0, FEB: 3.0}  # 10 + 5 + 7
    assert read(engine, workspace_id, "revenue") == {JAN: 1000.0}
    assert read(engine, workspace_id, "customers") == {JAN: 48.0}  # each segment's month end: 40 + 8


def test_weighted_average_across_days_and_segments(engine: Engine, workspace_id: int) -> None:
    frame = rows(
        ("2025-01-05", "nps", "emea", 50, 10),
        ("2025-01-20", "nps", "emea", 20, 30),
        ("2025-01-09", "nps", "us", -10, 60),
        ("2025-02-09", "nps", "us", 30, 5),
    )
    load(engine, workspace_id, frame)
    with session_scope(engine) as session:
        nps = monthly_data(session, workspace_id)["nps"]
    # January: (50*10 + 20*30 - 10*60) / 100 = 5 on 100 responses.
    assert nps[JAN].value == pytest.approx(5.0) and nps[JAN].weight == pytest.approx(100.0)
    assert (nps[FEB].value, nps[FEB].weight) == (pytest.approx(30.0), pytest.approx(5.0))
    assert nps[FEB].coverage == pytest.approx(9 / 28)  # the file's days run from 5 Jan to 9 Feb


def test_blank_weight_on_an_unweighted_row_is_accepted(engine: Engine, workspace_id: int) -> None:
    frame = pd.DataFrame({"date": ["2025-01-05", "2025-01-06", "2025-01-06"], "metric": ["nps", "nps", "clicks"],
                          "value": ["40", "10", "9"], "weight": ["30", "10", None]})
    load(engine, workspace_id, frame)
    assert read(engine, workspace_id, "nps") == {JAN: pytest.approx(32.5)}
    assert read(engine, workspace_id, "clicks") == {JAN: 9.0}


def test_one_bad_row_rejects_the_whole_file(engine: Engine, workspace_id: int) -> None:
    load(engine, workspace_id, DAILY)
    before = dump(engine)
    bad = pd.concat([DAILY.assign(value=[str(float(v) * 2) for v in DAILY["value"]]),
                     rows(("2025-02-11", "clicks", "search", "twelve"))], ignore_index=True)
    with pytest.raises(ImportRejected) as caught:
        load(engine, workspace_id, bad)
    assert [(p.row, p.column) for p in caught.value.problems] == [(10, "value")]  # header + 8 good rows
    assert dump(engine) == before
    assert read(engine, workspace_id, "clicks") == {JAN: 22.0, FEB: 3.0}


def test_failure_while_writing_leaves_nothing_behind(engine: Engine, workspace_id: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    load(engine, workspace_id, DAILY)
    before = dump(engine)

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_module, "_insert_observations", broken)
    with pytest.raises(RuntimeError):
        load(engine, workspace_id, DAILY)  # the batch row and the replacement marks are rolled back too
    assert dump(engine) == before


def test_reimport_replaces_the_same_source_only(engine: Engine, workspace_id: int) -> None:
    load(engine, workspace_id, rows(("2025-01-05", "clicks", "", 10), ("2025-02-05", "clicks", "", 4)), "ads")
    load(engine, workspace_id, rows(("2025-01-07", "clicks", "", 5)), "social")
    load(engine, workspace_id, rows(("2025-01-31", "revenue", "", 900)), "crm")
    result = ingest(engine, workspace_id, rows(("2025-01-05", "clicks", "", 12), ("2025-01-06", "clicks", "", 1)),
                    source_name="ads", today=TODAY, overlap=OverlapChoice.SEGMENT)
    assert result.replaced == 1
    assert read(engine, workspace_id, "clicks") == {JAN: 18.0, FEB: 4.0}  # ads 13 (not 23) + social 5
    assert read(engine, workspace_id, "revenue") == {JAN: 900.0}
    load(engine, workspace_id, rows(("2025-01-05", "clicks", "", 12), ("2025-01-06", "clicks", "", 1)), "ads")
    assert read(engine, workspace_id, "clicks") == {JAN: 18.0, FEB: 4.0}  # the same file again: no doubling


def test_workspaces_never_mix(engine: Engine, workspace_id: int) -> None:
    with session_scope(engine) as session:
        other = create_workspace(session, WorkspaceIn(name="Other Co")).id
    load(engine, workspace_id, rows(("2025-01-05", "revenue", "", 100)))
    load(engine, other, rows(("2025-01-05", "revenue", "", 7)))  # same source name, same metric and month
    assert read(engine, workspace_id, "revenue") == {JAN: 100.0}
    assert read(engine, other, "revenue") == {JAN: 7.0}
    with pytest.raises(ValueError):
        undo_batch(engine, other, 1)  # batch 1 belongs to the first workspace


def test_undo_removes_values_and_restores_replaced_ones(engine: Engine, workspace_id: int) -> None:
    first = load(engine, workspace_id, rows(("2025-01-05", "clicks", "a", 10), ("2025-02-05", "clicks", "a", 2)))
    second = load(engine, workspace_id, rows(("2025-01-05", "clicks", "b", 30)))
    assert read(engine, workspace_id, "clicks") == {JAN: 30.0, FEB: 2.0}
    undo_batch(engine, workspace_id, second)
    assert read(engine, workspace_id, "clicks") == {JAN: 10.0, FEB: 2.0}
    undo_batch(engine, workspace_id, first)
    assert read(engine, workspace_id, "clicks") == {}
    with pytest.raises(ValueError):
        undo_batch(engine, workspace_id, first)  # already undone


@pytest.mark.parametrize(
    ("undo", "expected"),
    [
        (["second"], 3.0),  # the third import still replaces the first: no 1 + 3
        (["first"], 3.0),
        (["third"], 2.0),
        (["second", "third"], 1.0),
        (["third", "second"], 1.0),
        (["first", "third"], 2.0),
        (["first", "second", "third"], None),
    ],
)
def test_undo_in_any_order_never_doubles(engine: Engine, workspace_id: int, undo: list[str],
                                         expected: float | None) -> None:
    batches = {name: load(engine, workspace_id, rows(("2025-01-05", "clicks", "", value)))
               for name, value in (("first", 1), ("second", 2), ("third", 3))}
    for name in undo:
        undo_batch(engine, workspace_id, batches[name])
    assert read(engine, workspace_id, "clicks") == ({} if expected is None else {JAN: expected})


def test_digest_does_not_depend_on_how_text_columns_are_held() -> None:
    assert frame_digest(DAILY) == frame_digest(as_categories(DAILY))
    assert frame_digest(DAILY) != frame_digest(DAILY.iloc[::-1])


def test_undo_with_segments_and_partly_overlapping_imports(engine: Engine, workspace_id: int) -> None:
    first = rows(("2025-01-05", "clicks", "a", 1), ("2025-01-05", "clicks", "b", 2), ("2025-02-05", "clicks", "a", 4))
    second = rows(("2025-01-09", "clicks", "a", 10))  # January only
    third = rows(("2025-01-07", "clicks", "c", 100), ("2025-02-07", "clicks", "c", 200))
    batch_ids = [load(engine, workspace_id, frame) for frame in (first, second, third)]
    assert read(engine, workspace_id, "clicks") == {JAN: 100.0, FEB: 200.0}
    undo_batch(engine, workspace_id, batch_ids[1])
    assert read(engine, workspace_id, "clicks") == {JAN: 100.0, FEB: 200.0}
    undo_batch(engine, workspace_id, batch_ids[2])
    assert read(engine, workspace_id, "clicks") == {JAN: 3.0, FEB: 4.0}  # the first import, both segments


def test_an_import_larger_than_one_insert_statement(engine: Engine, workspace_id: int) -> None:
    # 12 months x 110 segments = 1,320 monthly rows, written in several multi-row statements on SQLite.
    frame = pd.DataFrame([(f"2024-{month:02d}-15", "clicks", f"campaign {segment}", str(segment))
                          for month in range(1, 13) for segment in range(110)],
                         columns=["date", "metric", "segment", "value"])
    load(engine, workspace_id, frame)
    assert ingest_module.SQLITE_ROWS_PER_INSERT < 1_320
    with session_scope(engine) as session:
        assert segment_totals(session, workspace_id, "clicks", [dt.date(2024, 3, 1)])["campaign 109"] == 109.0
    values = read(engine, workspace_id, "clicks")
    assert len(values) == 12 and set(values.values()) == {float(sum(range(110)))}  # 5,995 every month
