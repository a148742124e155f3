"""The benchmark harness runs end to end on a tiny workspace (so it keeps working as the code changes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench.run import GOALS, SECTIONS, daily_rows, parse_sizes, run, size_label
from metrics.catalog import STANDARD_CATALOG
from metrics.validation import validate_long


@pytest.mark.parametrize(
    ("rows", "segments", "days"),
    [(310, 1, 10), (31 * 730, 1, 730), (31 * 730 * 2 + 5, 3, 730)],
)
def test_daily_rows_shape(rows: int, segments: int, days: int) -> None:
    frame = daily_rows(rows)
    assert len(frame) == rows
    assert list(frame.columns) == ["date", "metric", "segment", "value"]
    assert frame["segment"].nunique() == segments and frame["date"].nunique() == days
    assert set(frame["metric"]) <= set(STANDARD_CATALOG.base_keys())
    assert not frame.duplicated(["date", "metric", "segment"]).any()


def test_sizes() -> None:
    assert parse_sizes(["--quick"]) == [10_000, 100_000]
    assert parse_sizes([]) == [10_000, 1_000_000]
    assert parse_sizes(["--large"]) == [10_000, 1_000_000, 10_000_000]


def test_report_has_every_section_and_goal(tmp_path: Path) -> None:
    report = run([620, 3_100], tmp_path)
    for section in SECTIONS:
        assert section.name in report
    for goal in GOALS:
        assert goal.name in report
    assert "3,100" in report and "620" in report


def test_generated_rows_are_valid_imports(tmp_path: Path) -> None:
    daily_rows(2_000).to_csv(tmp_path / "rows.csv", index=False)
    assert validate_long(pd.read_csv(tmp_path / "rows.csv"), STANDARD_CATALOG, "rows.csv") == []


@pytest.mark.parametrize(("rows", "label"), [(10_000, "10k"), (1_000_000, "1M"), (10_000_000, "10M"), (3_100, "3,100")])
def test_size_label(rows: int, label: str) -> None:
    assert size_label(rows) == label
