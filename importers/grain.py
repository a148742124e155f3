"""Daily, weekly or monthly rows: which one a file has, and weeks that straddle two months split by days."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from importers.cells import DateKind
from metrics.catalog import Aggregation, Catalog

DAY = np.timedelta64(1, "D")


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
