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

from metrics.periods import Month, month_label, month_start, months_between

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
