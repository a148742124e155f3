"""Growth over trailing windows: the shared yardstick for summaries, contrasts and vanity traps."""

from __future__ import annotations

from metrics.catalog import Catalog
from metrics.periods import Month, shift, trailing
from metrics.series import MonthlyData, growth, period_value


def trailing_growth(catalog: Catalog, key: str, data: MonthlyData, month: Month, months: int = 3) -> float | None:
    """Growth of the ``months`` ending at ``month`` over the ``months`` before them, as a fraction.

    Sums for summed metrics, ratios of sums for derived ones; None without data on both sides.
    """
    window = trailing(month, months)
    current = period_value(catalog, key, data, window)
    previous = period_value(catalog, key, data, shift(window, -months))
    return growth(current, previous)
