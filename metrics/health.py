"""Data health per metric: the last month with data, months missing, values far outside their own history."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from metrics.catalog import Catalog
from metrics.periods import Month, months_between
from metrics.series import MonthlyData

OUTLIER_SCORE = 3.5  # Iglewicz and Hoaglin's cut-off for the modified z-score
MIN_HISTORY = 6  # months needed before a value can be called unusual
MAD_SCALE = 0.6745  # makes the median absolute deviation comparable to a standard deviation
MEAN_AD_SCALE = 0.7979  # the same for the mean absolute deviation, used when half the values are equal
SMALLEST_MOVE = 0.01  # a month-on-month move of 1% (of the typical level) is never a spread too small to matter


@dataclass(frozen=True)
class Outlier:
    month: Month
    value: float
    score: float  # modified z-score: how many "robust standard deviations" from the median


@dataclass(frozen=True)
class MetricHealth:
    key: str
    label: str
    first_month: Month
    last_month: Month
    missing: list[Month] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.outliers


def robust_scores(values: list[float], floor: float = 0.0) -> list[float | None]:
    """Modified z-scores: distance from the median in robust standard deviations (median absolute deviation,
    or mean absolute deviation when more than half the values are equal). The deviation is at least
    ``floor``, so tiny wobbles around a very steady series are not unusual; None when there is no spread."""
    median = statistics.median(values)
    deviations = [abs(v - median) for v in values]
    mad = statistics.median(deviations)
    spread = mad / MAD_SCALE if mad > 0 else statistics.fmean(deviations) / MEAN_AD_SCALE
    spread = max(spread, floor)
    if spread <= 0:
        return [None for _ in values]
    return [(v - median) / spread for v in values]


def outliers(series: dict[Month, float]) -> list[Outlier]:
    """Months whose move from the month before is far outside the metric's usual moves.

    Moves, not levels: a metric that grows steadily is not unusual at its newest high. Moves are
    compared as ratios (log differences) when every value is positive, else as differences. A spike
    shows as a jump and a jump back; only the jump is reported.
    """
    months = sorted(series)
    if len(months) < MIN_HISTORY + 1:
        return []
    values = [series[m] for m in months]
    positive = all(v > 0 for v in values)
    levels = [math.log(v) for v in values] if positive else values
    moves = [b - a for a, b in zip(levels, levels[1:], strict=False)]
    floor = SMALLEST_MOVE if positive else SMALLEST_MOVE * statistics.median(abs(v) for v in values)
    found: list[Outlier] = []
    last_jump = 0.0  # the score of the previous month's reported jump, 0 when there was none
    for month, value, score in zip(months[1:], values[1:], robust_scores(moves, floor), strict=True):
        unusual = score is not None and abs(score) > OUTLIER_SCORE
        jump_back = unusual and last_jump * (score or 0.0) < 0
        if unusual and not jump_back:
            found.append(Outlier(month, value, score or 0.0))
        last_jump = (score or 0.0) if unusual and not jump_back else 0.0
    return found


def metric_health(catalog: Catalog, data: MonthlyData, through: Month) -> list[MetricHealth]:
    """Health of every stored metric with data; months are missing between its first month and ``through``."""
    report = []
    for key, points in sorted(data.items(), key=lambda item: _label(catalog, item[0])):
        if not points:
            continue
        months = sorted(points)
        expected = months_between(months[0], max(through, months[-1]))
        missing = [m for m in expected if m not in points]
        values = {m: points[m].value for m in months}
        report.append(MetricHealth(key, _label(catalog, key), months[0], months[-1], missing, outliers(values)))
    return report


def _label(catalog: Catalog, key: str) -> str:
    metric = catalog.get(key)
    return metric.label if metric else key
