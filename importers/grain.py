"""Daily, weekly or monthly rows: which one a file has, weeks that straddle two months split by days, and how
many days of each month the rows cover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from importers.cells import DateKind
from metrics.catalog import Aggregation, Catalog
from metrics.coverage import MonthCoverage, days_in_month, span_coverage, whole_months

DAY = np.timedelta64(1, "D")
COVERAGE_COLUMNS = ["metric", "month", "covered_days", "month_days"]


class Grain(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class WeekAnchor(StrEnum):
    START = "start"  # the date is the first day of the week
    END = "end"  # the date is the last day of the week


def detect_grain(dates: np.ndarray, kind: DateKind = DateKind.DAY) -> Grain:
    """The grain the dates point to: month names or first-of-month steps, seven-day steps, else days."""
    if kind == DateKind.MONTH:
        return Grain.MONTHLY
    if kind == DateKind.WEEK:
        return Grain.WEEKLY
    days = np.unique(dates[~np.isnat(dates)].astype("datetime64[D]"))
    if days.size == 0:
        return Grain.DAILY
    stamps = pd.DatetimeIndex(days)
    month_marks = bool((stamps.day == 1).all() or stamps.is_month_end.all())
    if days.size == 1:
        return Grain.MONTHLY if stamps.day[0] == 1 else Grain.DAILY
    steps = np.diff(days).astype(int)
    if month_marks and steps.min() >= 28:
        return Grain.MONTHLY
    if (steps % 7 == 0).all():
        return Grain.WEEKLY
    return Grain.DAILY


def split_weeks(long: pd.DataFrame, catalog: Catalog, anchor: WeekAnchor = WeekAnchor.START) -> pd.DataFrame:
    """Weekly long rows (date, metric, value, weight, …) to rows that each fall inside one month.

    A week straddling two months is split by its days: sums are shared out (4 of 7 days -> 4/7 of the
    value), weighted averages keep their value and share out their weight, first-of-period values stay with
    the week's first day and end-of-period values move to its last day.
    """
    if long.empty:
        return long
    start = long["date"].to_numpy(dtype="datetime64[D]") - (6 * DAY if anchor == WeekAnchor.END else 0 * DAY)
    next_month = (start.astype("datetime64[M]") + 1).astype("datetime64[D]")
    first_days = np.minimum((next_month - start).astype(int), 7)
    straddles = first_days < 7
    rule = long["metric"].map(lambda k: catalog[k].aggregation if k in catalog else Aggregation.SUM)
    first_part = long.assign(date=start.astype("datetime64[ns]"))
    second_part = long[straddles].assign(date=next_month[straddles].astype("datetime64[ns]"))
    share = first_days[straddles] / 7
    first_part = _share(first_part, straddles, first_days / 7, rule, keep=Aggregation.FIRST)
    second_part = _share(second_part, np.ones(len(second_part), dtype=bool), 1 - share, rule[straddles],
                         keep=Aggregation.LAST)
    return pd.concat([first_part, second_part], ignore_index=True)


def _share(part: pd.DataFrame, straddles: np.ndarray, fraction: np.ndarray, rule: pd.Series,
           keep: Aggregation) -> pd.DataFrame:
    """Scale one side of the split: sums by the share of days, weights likewise; drop values kept elsewhere."""
    rule = rule.to_numpy()
    summed = straddles & (rule == Aggregation.SUM)
    weighted = straddles & (rule == Aggregation.WEIGHTED_AVERAGE)
    other = Aggregation.LAST if keep == Aggregation.FIRST else Aggregation.FIRST
    dropped = straddles & (rule == other)
    value = np.where(summed, part["value"].to_numpy() * fraction, part["value"].to_numpy())
    weight = np.where(weighted, part["weight"].to_numpy() * fraction, part["weight"].to_numpy())
    return part.assign(value=value, weight=weight)[~dropped]


# --- Month coverage ------------------------------------------------------------------------------


def empty_coverage() -> pd.DataFrame:
    return pd.DataFrame({"metric": pd.Series(dtype=object), "month": pd.Series(dtype=object),
                         "covered_days": pd.Series(dtype=np.int64), "month_days": pd.Series(dtype=np.int64)})


def month_coverage(dated: pd.DataFrame, placed: pd.DataFrame, grain: Grain, today: dt.date,
                   anchor: WeekAnchor = WeekAnchor.START, whole: bool = False) -> pd.DataFrame:
    """Per metric, how many days of each month the file covers: one row per metric and month of ``placed``.

    ``dated`` holds the long rows as the file dates them (before weeks are split: a split week's days are
    gone), ``placed`` the rows as they are stored. Daily and weekly rows cover the span from a metric's first
    day to its last; monthly rows, and ``whole`` (CRM events, a file that is one month), whole months. The
    month holding ``today`` is covered only up to today.
    """
    if placed.empty:
        return empty_coverage()
    rows = _MetricDays.of(placed)
    present = rows.months()
    if grain == Grain.MONTHLY or whole:
        found = {metric: whole_months(months, today) for metric, months in present.items()}
    else:
        spans = (rows if dated is placed else _MetricDays.of(dated)).spans(grain == Grain.WEEKLY, anchor)
        found = {metric: span_coverage(*spans[metric], today) for metric in present if metric in spans}
    metrics, months, covered, month_days = [], [], [], []
    for metric, metric_months in present.items():
        by_month: dict[dt.date, MonthCoverage] = {c.month: c for c in found.get(metric, [])}
        for month in metric_months:
            metrics.append(metric)
            months.append(month)
            covered.append(by_month[month].covered_days if month in by_month else 0)  # after today: none yet
            month_days.append(days_in_month(month))
    return pd.DataFrame({"metric": pd.Series(metrics, dtype=object), "month": pd.Series(months, dtype=object),
                         "covered_days": np.array(covered, dtype=np.int64),
                         "month_days": np.array(month_days, dtype=np.int64)})


@dataclass(frozen=True)
class _MetricDays:
    """Long rows as integers: each row's metric code and day (days since 1970); a million rows stay quick."""

    codes: np.ndarray
    metrics: list[str]
    days: np.ndarray

    @classmethod
    def of(cls, long: pd.DataFrame) -> _MetricDays:
        codes, uniques = pd.factorize(long["metric"].to_numpy(dtype=object), sort=True)
        days = long["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
        return cls(codes.astype(np.int64), [str(m) for m in uniques], days)

    def months(self) -> dict[str, list[dt.date]]:
        """The months each metric has rows in, in order."""
        months = self.days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        low = int(months.min())
        span = int(months.max()) - low + 1
        keys = np.unique(pd.unique(self.codes * span + (months - low)))
        firsts = (low + keys % span).astype("datetime64[M]").astype("datetime64[D]").tolist()
        result: dict[str, list[dt.date]] = {}
        for code, month in zip((keys // span).tolist(), firsts, strict=True):
            result.setdefault(self.metrics[code], []).append(month)
        return result

    def spans(self, weekly: bool, anchor: WeekAnchor) -> dict[str, tuple[dt.date, dt.date]]:
        """Each metric's first and last day; a weekly row covers its whole week (from or up to its date)."""
        first = np.full(len(self.metrics), np.iinfo(np.int64).max)
        last = np.full(len(self.metrics), np.iinfo(np.int64).min)
        np.minimum.at(first, self.codes, self.days)
        np.maximum.at(last, self.codes, self.days)
        if weekly and anchor == WeekAnchor.START:
            last = last + 6
        elif weekly:
            first = first - 6
        return {metric: (_day(start), _day(end))
                for metric, start, end in zip(self.metrics, first.tolist(), last.tolist(), strict=True)}


def _day(days_since_1970: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(days_since_1970))
