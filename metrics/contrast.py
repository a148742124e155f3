"""The contrast: outputs beside the outcomes they are meant to drive, with growth over 3, 6 and 12 months."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.catalog import Catalog, Direction, Metric, MetricClass
from metrics.drivers import DriverMap, drivers_of
from metrics.formatting import NO_VALUE
from metrics.periods import Month
from metrics.series import MonthlyData
from metrics.trends import trailing_growth
from metrics.vanity import improvement

WINDOWS: tuple[int, ...] = (3, 6, 12)


@dataclass(frozen=True)
class ContrastRow:
    """One metric of the contrast; ``linked`` lists what it drives (outputs) or is driven by (outcomes)."""

    metric: Metric
    growth: dict[int, float | None]  # window in months -> growth as a fraction
    linked: tuple[str, ...]

    def good(self, window: int) -> bool | None:
        """Whether the growth over ``window`` moved the metric the right way (None: neutral or no data)."""
        value = self.growth.get(window)
        if value is None or value == 0 or self.metric.direction == Direction.NEUTRAL:
            return None
        return improvement(self.metric, value) > 0


def _row(catalog: Catalog, key: str, data: MonthlyData, month: Month, linked: tuple[str, ...]) -> ContrastRow:
    growth = {w: trailing_growth(catalog, key, data, month, w) for w in WINDOWS}
    return ContrastRow(catalog[key], growth, linked)


def contrast(catalog: Catalog, drivers: DriverMap, data: MonthlyData,
             month: Month) -> dict[MetricClass, list[ContrastRow]]:
    """Outputs in the driver map and the outcomes they drive, each with what it is linked to."""
    outcomes = list(dict.fromkeys(o for targets in drivers.values() for o in targets))
    return {
        MetricClass.OUTPUT: [_row(catalog, k, data, month, drivers[k]) for k in drivers],
        MetricClass.OUTCOME: [_row(catalog, k, data, month, tuple(drivers_of(drivers, k))) for k in outcomes],
    }


def growth_text(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value * 100:+.1f}%"
