"""Validation of observations before anything is written: every problem, with where and why."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pydantic import BaseModel

import clock
from metrics.catalog import Aggregation, Catalog
from metrics.refusal import Refused

LONG_COLUMNS = ("date", "metric", "value")
KEY_COLUMNS = ("date", "metric", "segment")  # one value per key
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


class ImportRejected(Refused):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(str(p) for p in problems[:5]))


def file_rows(frame: pd.DataFrame) -> pd.Series:
    """Line numbers in the source file: a ``row`` column when given, else header + 1-based index."""
    if "row" in frame.columns:
        return frame["row"]
    return pd.Series(np.arange(len(frame)) + 2, index=frame.index)


def _problems_where(mask: pd.Series | np.ndarray, rows: pd.Series, file: str, column: str,
                    reason: str) -> list[Problem]:
    hits = rows[np.asarray(mask, dtype=bool)]
    return [Problem(file=file, row=int(r), column=column, reason=reason) for r in hits.head(MAX_PROBLEMS)]


def parse_dates(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values.astype("string"), errors="coerce", format="ISO8601")


def as_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its key columns (date, metric, segment) as categoricals.

    A file of a million rows holds a few hundred dates, a few dozen metrics and segments: checking and
    rolling up each distinct value once, then spreading the answer by integer code, keeps imports fast.
    Blank cells stay missing (code -1). Already-categorical columns are kept as they are.
    """
    converted = {c: _categorical(frame[c]) for c in KEY_COLUMNS
                 if c in frame.columns and not isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.assign(**converted) if converted else frame


def _categorical(values: pd.Series) -> pd.Series:
    codes, distinct = pd.factorize(values)
    return pd.Series(pd.Categorical.from_codes(codes, categories=distinct), index=values.index)


def per_row(column: pd.Series, per_value: np.ndarray, blank: object) -> np.ndarray:
    """Spread an answer computed per distinct value of a categorical column to its rows (``blank`` for NaN)."""
    return np.append(per_value, np.array([blank], dtype=per_value.dtype))[column.cat.codes.to_numpy()]


def category_names(column: pd.Series) -> list[str]:
    return [str(value) for value in column.cat.categories]


def validate_long(frame: pd.DataFrame, catalog: Catalog, file: str, today: dt.date | None = None) -> list[Problem]:
    """Check a long table (date, metric, value[, segment, weight]) against the catalog."""
    missing = [c for c in LONG_COLUMNS if c not in frame.columns]
    if missing:
        return [Problem(file=file, column=c, reason="required column is missing") for c in missing]
    if frame.empty:
        return [Problem(file=file, reason="the file has no data rows")]
    frame = as_categories(frame)
    rows = file_rows(frame)
    problems = _date_problems(frame, rows, file, today or clock.today())
    problems += _metric_and_value_problems(frame, rows, catalog, file)
    problems += _duplicate_problems(frame, rows, file)
    return problems


def _date_problems(frame: pd.DataFrame, rows: pd.Series, file: str, today: dt.date) -> list[Problem]:
    dates = parse_dates(pd.Series(frame["date"].cat.categories))
    not_a_date = per_row(frame["date"], dates.isna().to_numpy(), True)
    problems = _problems_where(not_a_date, rows, file, "date", "not a date (expected YYYY-MM-DD)")
    future = per_row(frame["date"], (dates > pd.Timestamp(today)).fillna(False).to_numpy(dtype=bool), False)
    return problems + _problems_where(future, rows, file, "date", f"date is after today ({today})")


def _metric_flags(frame: pd.DataFrame, keys: set[str]) -> np.ndarray:
    """Per row: is the metric one of ``keys``? (Blank metrics are not.)"""
    return per_row(frame["metric"], np.array([k in keys for k in category_names(frame["metric"])], bool), False)


def _metric_and_value_problems(frame: pd.DataFrame, rows: pd.Series, catalog: Catalog, file: str) -> list[Problem]:
    problems: list[Problem] = []
    derived = {m.key for m in catalog if m.derived}
    problems += _problems_where(_metric_flags(frame, derived), rows, file, "metric",
                                "is computed from other metrics and cannot be imported")
    problems += _unknown_metric_problems(frame, rows, set(catalog.keys()), file)
    values = pd.to_numeric(frame["value"], errors="coerce")
    problems += _problems_where(values.isna() | ~np.isfinite(values.fillna(0)), rows, file, "value",
                                "not a number")
    negative = (values < 0).fillna(False).to_numpy() & _metric_flags(frame, {m.key for m in catalog if m.non_negative})
    problems += _problems_where(negative, rows, file, "value", "cannot be negative for this metric")
    if "weight" in frame.columns:
        weights = pd.to_numeric(frame["weight"], errors="coerce")
        # A blank weight is fine on rows whose metric is not a weighted average (it counts as 1).
        weighted = _metric_flags(frame, weighted_keys(catalog)) | frame["weight"].notna().to_numpy()
        problems += _problems_where(~(weights > 0).fillna(False).to_numpy() & weighted, rows, file, "weight",
                                    "weight must be a positive number")
    return problems


def _unknown_metric_problems(frame: pd.DataFrame, rows: pd.Series, known: set[str], file: str) -> list[Problem]:
    """One group of problems per unknown metric name, in order of first appearance (at most 50 names)."""
    names = category_names(frame["metric"])
    unknown = np.array([name not in known for name in names] + [True])  # last: blank
    codes = frame["metric"].cat.codes.to_numpy()
    problems: list[Problem] = []
    for code in pd.unique(codes[unknown[codes]])[:50]:
        name = names[code] if code >= 0 else "(blank)"
        problems += _problems_where(codes == code, rows, file, "metric", f"unknown metric '{name}'")
    return problems


def weighted_keys(catalog: Catalog) -> set[str]:
    return {m.key for m in catalog if m.aggregation == Aggregation.WEIGHTED_AVERAGE}


def _duplicate_problems(frame: pd.DataFrame, rows: pd.Series, file: str) -> list[Problem]:
    keys = [c for c in KEY_COLUMNS if c in frame.columns]
    return _problems_where(duplicated_keys(frame, keys), rows, file, ", ".join(keys),
                           "duplicates an earlier row with the same key")


def duplicated_keys(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Per row: does an earlier row have the same values in the categorical ``keys`` columns?"""
    combined, size = np.zeros(len(frame), dtype=np.int64), 1
    for key in keys:
        width = len(frame[key].cat.categories) + 1  # + blank
        if size * width > 2**62:
            return frame.duplicated(subset=keys, keep="first").to_numpy()
        combined, size = combined * width + frame[key].cat.codes.to_numpy() + 1, size * width
    if size <= 4 * len(frame) and np.bincount(combined, minlength=size).max() <= 1:
        return np.zeros(len(frame), dtype=bool)  # the usual case, found with a count instead of a hash table
    return pd.Series(combined).duplicated(keep="first").to_numpy()
