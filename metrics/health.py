"""Data health per metric: the last month with data, months missing, values far outside their own history."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from metrics.catalog import Catalog
from metrics.periods import Month, months_between
from metrics.series import MonthlyData

OUTLIER_SCORE = 3.5  # Iglewicz and Hoaglin's cut-off for the modified z-score
MIN_HISTORY = 6  # months needed before a value can be called unusual
MAD_SCALE = 0.6745  # makes the median absolute deviation comparable to a standard deviation
MEAN_AD_SCALE = 0.7979  # the same for the mean absolute deviation, used when half the values are equal


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


def robust_scores(values: list[float]) -> list[float | None]:
    """Modified z-scores (median and median absolute deviation); None when the spread is zero."""
    median = statistics.median(values)
    deviations = [abs(v - median) for v in values]
    mad = statistics.median(deviations)
    if mad > 0:
        return [MAD_SCALE * (v - median) / mad for v in values]
    mean_ad = statistics.fmean(deviations)
    if mean_ad > 0:
        return [MEAN_AD_SCALE * (v - median) / mean_ad for v in values]
    return [None for _ in values]


def outliers(series: dict[Month, float]) -> list[Outlier]:
    """Months whose value is far from the metric's own typical month (|modified z| above 3.5)."""
    if len(series) < MIN_HISTORY:
        return []
    months = sorted(series)
    scores = robust_scores([series[m] for m in months])
    return [Outlier(m, series[m], s) for m, s in zip(months, scores, strict=True)
            if s is not None and abs(s) > OUTLIER_SCORE]


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
