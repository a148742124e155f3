"""How much of each month a source's figures cover: "Sep 2021: 5 of 30 days".

A file that starts or stops inside a month (the last week of a weekly export, a campaign report run on the
15th) gives that month only part of its figures. Such a month is *partial*: it is shown with its coverage and
left out of growth, vanity traps, the month in brief and the validator's sample unless the user includes it.

Coverage is a share of the month's days, from the span the source's rows cover (first to last day), never
from which days happen to have rows: a quiet weekend inside the span is not missing data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.periods import Month, month_label, month_start, months_between
from metrics.series import MonthlyData

COMPLETE = 0.999  # a share at or above this is a full month (floating sums of day shares)


@dataclass(frozen=True)
class MonthCoverage:
    """The days of ``month`` that a source's rows cover."""

    month: Month
    covered_days: int
    month_days: int

    @property
    def share(self) -> float:
        return self.covered_days / self.month_days if self.month_days else 0.0

    @property
    def complete(self) -> bool:
        return is_complete(self.share)

    def text(self) -> str:
        """'Sep 2021: 5 of 30 days'."""
        return f"{month_label(self.month)}: {self.covered_days} of {self.month_days} days"


def days_in_month(month: Month) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def is_complete(share: float | None) -> bool:
    """Whether a coverage share is a whole month; None (no coverage known) counts as whole."""
    return share is None or share >= COMPLETE


def span_coverage(first_day: dt.date, last_day: dt.date, today: dt.date | None = None) -> list[MonthCoverage]:
    """The coverage of each month from ``first_day`` to ``last_day`` (both included).

    The month holding ``today`` can never be complete: it is capped at the days up to today.
    """
    if today is not None:
        last_day = min(last_day, today)
    if last_day < first_day:
        return []
    result = []
    for month in months_between(month_start(first_day), month_start(last_day)):
        start = max(first_day, month)
        end = min(last_day, month.replace(day=days_in_month(month)))
        result.append(MonthCoverage(month, (end - start).days + 1, days_in_month(month)))
    return result


def whole_months(months: Iterable[Month], today: dt.date | None = None) -> list[MonthCoverage]:
    """Monthly rows cover their whole month, except the month still running on ``today``."""
    result = []
    for month in sorted(set(months)):
        month_days = days_in_month(month)
        covered = month_days
        if today is not None and month_start(today) == month:
            covered = today.day
        result.append(MonthCoverage(month, covered, month_days))
    return result


def partial_months(coverage: Mapping[Month, float]) -> set[Month]:
    """The months whose coverage share is below a whole month."""
    return {month for month, share in coverage.items() if not is_complete(share)}


def coverage_of(month: Month, share: float) -> MonthCoverage:
    """A share of a month as whole days: 0.1667 of Sep 2021 -> 5 of 30 days."""
    month_days = days_in_month(month)
    return MonthCoverage(month, round(share * month_days), month_days)


def partial_label(month: Month, share: float) -> str:
    """'partial: 5 of 30 days'."""
    covered = coverage_of(month, share)
    return f"partial: {covered.covered_days} of {covered.month_days} days"


def latest_complete_month(coverage: Mapping[Month, float]) -> Month | None:
    """The newest month every metric covers in full; None when there is none."""
    complete = [month for month, share in coverage.items() if is_complete(share)]
    return max(complete, default=None)


def without_partial(data: MonthlyData) -> MonthlyData:
    """The same figures without the points of partial months: what growth, traps and the brief compare."""
    return {key: {m: p for m, p in points.items() if is_complete(p.coverage)} for key, points in data.items()}


def point_coverage(keys: Iterable[str], data: MonthlyData, month: Month) -> float | None:
    """The least coverage among ``keys``' values for ``month`` (a derived metric is as partial as its inputs);
    None when none of them has a value."""
    shares = [data[k][month].coverage for k in keys if month in data.get(k, {})]
    return min(shares) if shares else None


# --- Tables of coverage, as the importers hand them over ------------------------------------------

COVERAGE_COLUMNS = ["metric", "month", "covered_days", "month_days"]


def coverage_frame(rows: Iterable[tuple[str, MonthCoverage]]) -> pd.DataFrame:
    """(metric, coverage) pairs as the table the ingest path takes."""
    records = [(metric, c.month, c.covered_days, c.month_days) for metric, c in rows]
    return pd.DataFrame(records, columns=COVERAGE_COLUMNS)


def inferred_coverage(frame: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """Coverage of long rows (date, metric, …) that come without a table of their own: a metric whose dates
    are all first days of months is monthly (whole months); any other covers the span of its days."""
    if frame.empty:
        return coverage_frame([])
    pairs = pd.DataFrame({"metric": frame["metric"].astype(str).to_numpy(),
                          "day": pd.to_datetime(frame["date"]).dt.normalize().to_numpy()}).dropna().drop_duplicates()
    rows: list[tuple[str, MonthCoverage]] = []
    for metric, metric_days in pairs.groupby("metric", sort=True)["day"]:
        distinct = sorted(d.date() for d in pd.to_datetime(metric_days))
        if all(d.day == 1 for d in distinct):
            rows += [(str(metric), c) for c in whole_months(distinct, today)]
        else:
            rows += [(str(metric), c) for c in span_coverage(distinct[0], distinct[-1], today)]
    return coverage_frame(rows)


def coverage_shares(metric_keys: pd.Series, months: pd.Series, coverage: pd.DataFrame) -> np.ndarray:
    """The coverage share of each (metric, month); 1 where the table says nothing."""
    if coverage.empty:
        return np.ones(len(metric_keys))
    share = coverage["covered_days"].to_numpy(dtype=float) / coverage["month_days"].to_numpy(dtype=float)
    lookup = dict(zip(zip(coverage["metric"].astype(str), coverage["month"], strict=True), share, strict=True))
    return np.array([min(1.0, lookup.get((str(k), m), 1.0)) for k, m in zip(metric_keys, months, strict=True)])
