"""Validation of observations before anything is written: every problem, with where and why."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pydantic import BaseModel

from metrics.catalog import Catalog

LONG_COLUMNS = ("date", "metric", "value")
MAX_PROBLEMS = 1000


class Problem(BaseModel):
    """One reason a file cannot be imported. ``row`` is the line in the file (header is line 1)."""

    file: str
    row: int | None = None
    column: str | None = None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}"


class ImportRejected(ValueError):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(str(p) for p in problems[:5]))


def file_rows(frame: pd.DataFrame) -> pd.Series:
    """Line numbers in the source file: a ``row`` column when given, else header + 1-based index."""
    if "row" in frame.columns:
        return frame["row"]
    return pd.Series(np.arange(len(frame)) + 2, index=frame.index)


def _problems_where(mask: pd.Series, rows: pd.Series, file: str, column: str, reason: str) -> list[Problem]:
    hits = rows[mask.to_numpy()]
    return [Problem(file=file, row=int(r), column=column, reason=reason) for r in hits.head(MAX_PROBLEMS)]


def parse_dates(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values.astype("string"), errors="coerce", format="ISO8601")


def validate_long(frame: pd.DataFrame, catalog: Catalog, file: str, today: dt.date | None = None) -> list[Problem]:
    """Check a long table (date, metric, value[, segment, weight]) against the catalog."""
    missing = [c for c in LONG_COLUMNS if c not in frame.columns]
    if missing:
        return [Problem(file=file, column=c, reason="required column is missing") for c in missing]
    if frame.empty:
        return [Problem(file=file, reason="the file has no data rows")]
    rows = file_rows(frame)
    problems = _date_problems(frame, rows, file, today or dt.date.today())
    problems += _metric_and_value_problems(frame, rows, catalog, file)
    problems += _duplicate_problems(frame, rows, file)
    return problems


def _date_problems(frame: pd.DataFrame, rows: pd.Series, file: str, today: dt.date) -> list[Problem]:
    dates = parse_dates(frame["date"])
    problems = _problems_where(dates.isna(), rows, file, "date", "not a date (expected YYYY-MM-DD)")
    future = dates > pd.Timestamp(today)
    return problems + _problems_where(future.fillna(False), rows, file, "date", f"date is after today ({today})")


def _metric_and_value_problems(frame: pd.DataFrame, rows: pd.Series, catalog: Catalog, file: str) -> list[Problem]:
    problems: list[Problem] = []
    metric = frame["metric"].astype("string")
    known = set(catalog.base_keys())
    derived = {m.key for m in catalog if m.derived}
    problems += _problems_where(metric.isin(derived).fillna(False), rows, file, "metric",
                                "is computed from other metrics and cannot be imported")
    unknown = ~metric.isin(known | derived).fillna(False)
    for key in metric[unknown].fillna("(blank)").unique()[:50]:
        mask = unknown & (metric.fillna("(blank)") == key)
        problems += _problems_where(mask, rows, file, "metric", f"unknown metric '{key}'")
    values = pd.to_numeric(frame["value"], errors="coerce")
    problems += _problems_where(values.isna() | ~np.isfinite(values.fillna(0)), rows, file, "value",
                                "not a number")
    non_negative = {m.key for m in catalog if m.non_negative}
    negative = (values < 0).fillna(False) & metric.isin(non_negative).fillna(False)
    problems += _problems_where(negative, rows, file, "value", "cannot be negative for this metric")
    if "weight" in frame.columns:
        weights = pd.to_numeric(frame["weight"], errors="coerce")
        problems += _problems_where(~(weights > 0).fillna(False), rows, file, "weight",
                                    "weight must be a positive number")
    return problems


def _duplicate_problems(frame: pd.DataFrame, rows: pd.Series, file: str) -> list[Problem]:
    keys = ["date", "metric"] + (["segment"] if "segment" in frame.columns else [])
    duplicated = frame.duplicated(subset=keys, keep="first")
    return _problems_where(duplicated, rows, file, ", ".join(keys), "duplicates an earlier row with the same key")
