"""Roll raw observations up to months, following each metric's aggregation rule.

Rows are grouped by integer codes (metric, month, segment) and summed with ``np.bincount``: a file of
a million daily rows becomes a few tens of thousands of monthly rows in a fraction of a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalog import Aggregation, Catalog
from metrics.validation import as_categories, category_names, parse_dates

ROLLUP_COLUMNS = ["metric_key", "month", "segment", "value", "weight"]


def monthly_rollup(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Validated long rows (date, metric, value[, segment, weight]) to one row per metric, month, segment."""
    frame = as_categories(frame)
    groups = _Groups(frame)
    values = pd.to_numeric(frame["value"]).to_numpy(dtype=float)
    weights = _weights(frame)
    rules = np.array([catalog[name].aggregation.value for name in category_names(frame["metric"])])
    rule = rules[groups.metric_of(groups.keys)]
    count = len(groups.keys)
    result = pd.DataFrame({
        "metric_key": np.array(category_names(frame["metric"]), dtype=object)[groups.metric_of(groups.keys)],
        "month": groups.months[groups.month_of(groups.keys)],
        "segment": groups.segments[groups.segment_of(groups.keys)],
        "value": np.bincount(groups.ids, weights=values, minlength=count),
        "weight": np.ones(count),
    })
    _weighted_averages(result, rule == Aggregation.WEIGHTED_AVERAGE.value, groups, values, weights)
    for aggregation in (Aggregation.FIRST, Aggregation.LAST):
        _first_or_last(result, rule == aggregation.value, aggregation, groups, values)
    return result[ROLLUP_COLUMNS].sort_values(["metric_key", "month", "segment"]).reset_index(drop=True)


class _Groups:
    """Each row's group (metric, month, segment) as one integer, and what the integers stand for."""

    def __init__(self, frame: pd.DataFrame) -> None:
        days = parse_dates(pd.Series(frame["date"].cat.categories)).to_numpy().astype("datetime64[D]")
        month_codes, months = pd.factorize(days.astype("datetime64[M]"))
        self.months = np.array([month.date() for month in pd.to_datetime(months)], dtype=object)
        self.days = days[frame["date"].cat.codes.to_numpy()]
        segment_codes, self.segments = _segments(frame)
        self.month_count, self.segment_count = len(self.months), len(self.segments)
        combined = ((frame["metric"].cat.codes.to_numpy().astype(np.int64) * self.month_count
                     + month_codes[frame["date"].cat.codes.to_numpy()]) * self.segment_count + segment_codes)
        self.ids, self.keys = pd.factorize(combined)

    def metric_of(self, keys: np.ndarray) -> np.ndarray:
        return keys // (self.month_count * self.segment_count)

    def month_of(self, keys: np.ndarray) -> np.ndarray:
        return keys // self.segment_count % self.month_count

    def segment_of(self, keys: np.ndarray) -> np.ndarray:
        return keys % self.segment_count


def _segments(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Segment code per row and the segment names; a blank segment and no segment column both mean ''."""
    if "segment" not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64), np.array([""], dtype=object)
    names = [*category_names(frame["segment"]), ""]  # the last one stands for blank cells (code -1)
    canonical, segments = pd.factorize(np.array(names, dtype=object))
    return canonical[frame["segment"].cat.codes.to_numpy()], np.asarray(segments, dtype=object)


def _weights(frame: pd.DataFrame) -> np.ndarray:
    """Row weights; blank (allowed on metrics that are not weighted averages) counts as 1."""
    if "weight" not in frame:
        return np.ones(len(frame))
    return pd.to_numeric(frame["weight"], errors="coerce").fillna(1.0).to_numpy(dtype=float)


def _weighted_averages(result: pd.DataFrame, selected: np.ndarray, groups: _Groups, values: np.ndarray,
                       weights: np.ndarray) -> None:
    """Weighted mean and total weight for the groups in ``selected``."""
    if not selected.any():
        return
    count = len(groups.keys)
    total_weight = np.bincount(groups.ids, weights=weights, minlength=count)
    weighted_sum = np.bincount(groups.ids, weights=values * weights, minlength=count)
    mean = np.divide(weighted_sum, total_weight, out=np.full(count, np.nan), where=total_weight > 0)
    result.loc[selected, "value"] = mean[selected]
    result.loc[selected, "weight"] = total_weight[selected]


def _first_or_last(result: pd.DataFrame, selected: np.ndarray, aggregation: Aggregation, groups: _Groups,
                   values: np.ndarray) -> None:
    """The value of the earliest (first) or latest (last) day of each selected group; ties go by file order."""
    if not selected.any():
        return
    rows = np.flatnonzero(selected[groups.ids])
    ordered = rows[np.lexsort((rows, groups.days[rows], groups.ids[rows]))]
    ids = groups.ids[ordered]
    boundary = np.flatnonzero(np.diff(ids)) + 1
    pick = np.r_[0, boundary] if aggregation == Aggregation.FIRST else np.r_[boundary - 1, len(ids) - 1]
    result.loc[ids[pick], "value"] = values[ordered[pick]]
