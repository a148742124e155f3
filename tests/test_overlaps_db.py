"""A second source of the same figures, and the same file under another name: asked, never silently summed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from db.engine import session_scope
from db.imports import import_table
from db.ingest import ImportNeedsChoice, ingest, undo_batch
from db.models import ImportBatch, Observation
from db.overlaps import OverlapChoice, month_ranges
from db.queries import monthly_data
from db.sources import sources_of_record
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

TODAY = dt.date(2026, 11, 16)
MONTHS = [dt.date(2026, m, 1) for m in range(1, 11)]
FINANCE = pd.DataFrame({"date": [m.isoformat() for m in MONTHS], "metric": "revenue",
                        "value": [100_000 + 1_000 * i for i in range(10)]})
MINE = pd.DataFrame({"date": [m.isoformat() for m in MONTHS[4:]], "metric": "revenue", "value": 7_000.0})


def revenue(engine: Engine, workspace_id: int) -> dict[dt.date, float]:
    with session_scope(engine) as session:
        return {m: p.value for m, p in monthly_data(session, workspace_id, ["revenue"])["revenue"].items()}


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (session.scalar(select(func.count()).select_from(ImportBatch)),
                session.scalar(select(func.count()).select_from(Observation)))


def finance(engine: Engine, workspace_id: int) -> int:
    return ingest(engine, workspace_id, FINANCE, source_name="Finance", file_name="finance.csv", today=TODAY).batch_id


@pytest.mark.parametrize(("months", "text"), [
    ([dt.date(2026, 1, 1)], "Jan 2026"),
    (MONTHS, "Jan–Oct 2026"),
    ([dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)], "Nov 2025 – Feb 2026"),
    ([dt.date(2025, 3, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1)], "Mar 2025, May–Jul 2025"),
])
def test_months_read_as_short_ranges(months: list[dt.date], text: str) -> None:
    assert month_ranges(months) == text


def test_a_dry_run_names_the_other_source_and_the_import_waits_for_a_choice(engine: Engine, workspace_id: int) -> None:
    finance(engine, workspace_id)
    dry = ingest(engine, workspace_id, MINE, source_name="My sheet", file_name="mine.csv", today=TODAY, dry_run=True)
    assert [o.sentence() for o in dry.overlaps] == ["Revenue for May–Oct 2026 already comes from finance.csv"]
    assert dry.needs_choice
    before = counts(engine)
    with pytest.raises(ImportNeedsChoice) as waiting:
        ingest(engine, workspace_id, MINE, source_name="My sheet", file_name="mine.csv", today=TODAY)
    assert "Revenue for May–Oct 2026 already comes from finance.csv" in str(waiting.value.problems[0])
    assert counts(engine) == before  # nothing written, not even a batch row
    assert revenue(engine, workspace_id)[MONTHS[5]] == 105_000  # never 112,000


def test_replace_takes_those_months_over_and_undo_brings_the_other_source_back(engine: Engine,
                                                                                workspace_id: int) -> None:
    finance(engine, workspace_id)
    batch = ingest(engine, workspace_id, MINE, source_name="My sheet", today=TODAY,
                   overlap=OverlapChoice.REPLACE).batch_id
    values = revenue(engine, workspace_id)
    assert [values[m] for m in MONTHS] == [100_000, 101_000, 102_000, 103_000] + [7_000.0] * 6
    undo_batch(engine, workspace_id, batch)
    assert revenue(engine, workspace_id) == dict(zip(MONTHS, FINANCE["value"], strict=True))


def test_compare_keeps_the_new_file_beside_the_old_one_never_added(engine: Engine, workspace_id: int) -> None:
    finance(engine, workspace_id)
    ingest(engine, workspace_id, MINE, source_name="My sheet", today=TODAY, overlap=OverlapChoice.COMPARE)
    assert revenue(engine, workspace_id) == dict(zip(MONTHS, FINANCE["value"], strict=True))
    with session_scope(engine) as session:
        assert sources_of_record(session, workspace_id)["revenue"].source_name == "Finance"


def test_segment_adds_the_file_as_another_part_and_later_imports_do_not_ask_again(engine: Engine,
                                                                                 workspace_id: int) -> None:
    finance(engine, workspace_id)
    ingest(engine, workspace_id, MINE, source_name="Shop", today=TODAY, overlap=OverlapChoice.SEGMENT)
    assert revenue(engine, workspace_id)[MONTHS[9]] == 109_000 + 7_000
    updated = FINANCE.assign(value=FINANCE["value"] + 1)
    ingest(engine, workspace_id, updated, source_name="Finance", file_name="finance.csv", today=TODAY)  # no question
    assert revenue(engine, workspace_id)[MONTHS[9]] == 109_001 + 7_000


def test_a_company_with_a_source_of_record_is_not_asked(engine: Engine, workspace_id: int) -> None:
    finance(engine, workspace_id)
    ingest(engine, workspace_id, MINE, source_name="My sheet", today=TODAY, overlap=OverlapChoice.COMPARE)
    third = MINE.assign(value=1.0)
    result = ingest(engine, workspace_id, third, source_name="Third", today=TODAY)  # the record decides: no sum
    assert not result.overlaps
    assert revenue(engine, workspace_id)[MONTHS[9]] == 109_000


CSV = "Month,Revenue\n" + "".join(f"2026-{m:02d},{100 + m}\n" for m in range(1, 11))


def import_csv(engine: Engine, workspace_id: int, file_name: str, **choices: object):  # noqa: ANN201 - ImportOutcome
    table = read_file(file_name, CSV.encode())
    mapping = suggest(table, STANDARD_CATALOG)
    return import_table(engine, workspace_id, table, mapping, created_by="Dana", today=TODAY, **choices)


@pytest.mark.parametrize("copy_name", ["report (1).csv", "Copy of report.csv", "renamed.xlsx.csv"])
def test_the_same_file_under_another_name_is_caught_and_only_an_explicit_replace_writes(
        engine: Engine, workspace_id: int, copy_name: str) -> None:
    first = import_csv(engine, workspace_id, "report.csv")
    assert first.accepted
    before = counts(engine)
    copy = import_csv(engine, workspace_id, copy_name)
    assert not copy.accepted and copy.identical is not None and copy.identical.batch_id == first.result.batch_id
    assert copy.problems[0].reason.startswith("This file is identical to report.csv imported on")
    assert counts(engine) == before
    replaced = import_csv(engine, workspace_id, copy_name, replace_identical=True, overlap=OverlapChoice.REPLACE)
    assert replaced.accepted
    assert revenue(engine, workspace_id) == {dt.date(2026, m, 1): 100.0 + m for m in range(1, 11)}  # not doubled


def test_the_same_rows_in_another_format_are_caught_too(engine: Engine, workspace_id: int) -> None:
    ingest(engine, workspace_id, FINANCE, source_name="Finance", file_name="finance.csv", today=TODAY)
    reordered = FINANCE.iloc[::-1].reset_index(drop=True).assign(value=lambda f: f["value"].astype(float))
    dry = ingest(engine, workspace_id, reordered[["date", "metric", "value"]], source_name="Finance export",
                 file_name="finance.xlsx", file_digest="another-file", today=TODAY, dry_run=True)
    assert dry.identical is not None and dry.identical.file_name == "finance.csv"
