"""Human-readable numbers: a value always carries its unit.

Share-safe mode (for screen-sharing) masks absolute currency amounts here, at the one place every
screen formats a figure, so changes, % of target and RAG stay while money reads as ``MASK``.
"""

from __future__ import annotations

import re

from metrics.catalog import Direction, Metric, Unit
from metrics.series import Change, ChangeKind

CURRENCY_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF "}
NO_VALUE = "no data"
MASK = "•••"
"""What share-safe mode shows instead of an absolute currency figure."""


def compact(number: float) -> str:
    """1234 -> 1.2K, 1_250_000 -> 1.25M."""
    size = abs(number)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= limit:
            return f"{number / limit:.3g}{suffix}"
    return f"{number:,.0f}" if size >= 100 or float(number).is_integer() else f"{number:.3g}"


def currency_symbol(currency: str) -> str:
    return CURRENCY_SYMBOLS.get(currency.upper(), currency.upper() + " ")


def masked(unit: Unit, mask_currency: bool) -> bool:
    """Whether share-safe hides a figure of this unit: money only, whether or not there is a value."""
    return mask_currency and unit == Unit.CURRENCY


def format_value(value: float | None, unit: Unit, currency: str = "USD", mask_currency: bool = False) -> str:
    """A value with its unit; ``mask_currency`` (share-safe) turns currency amounts into ``MASK``."""
    if masked(unit, mask_currency):
        return MASK
    if value is None:
        return NO_VALUE
    if unit == Unit.CURRENCY:
        sign = "-" if value < 0 else ""
        return f"{sign}{currency_symbol(currency)}{compact(abs(value))}"
    if unit == Unit.PERCENT:
        return f"{value * 100:.1f}%"
    if unit == Unit.RATIO:
        return f"{value:.2f}×"
    if unit == Unit.MONTHS:
        return f"{value:.1f} mo"
    if unit == Unit.SCORE:
        return f"{value:.1f}"
    return compact(value)


def format_change(change: Change | None) -> str:
    if change is None:
        return "n/a"
    if change.kind == ChangeKind.POINTS:
        return f"{change.value:+.1f} pts"
    return f"{change.value:+.1f}%"


def is_good(metric: Metric, change: Change | None) -> bool | None:
    """True when the change moves the metric in its good direction; None when neutral or unknown."""
    if change is None or change.value == 0 or metric.direction == Direction.NEUTRAL:
        return None
    return (change.value > 0) == (metric.direction == Direction.UP)


_SCALE = r"(?:\s?(?:[KMB]|bn|million|thousand)\b)?"
_CODES = r"(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK)"
_CURRENCY_TEXT = re.compile(
    rf"[$€£¥]\s?-?\d[\d,.]*{_SCALE}"
    rf"|\b{_CODES}\s?-?\d[\d,.]*{_SCALE}"
    rf"|-?\d[\d,.]*{_SCALE}\s?{_CODES}\b"
)


def mask_currency_text(text: str) -> str:
    """Replace amounts of money written in free text ("$1.2M", "EUR 300K", "40,000 GBP") with the mask."""
    return _CURRENCY_TEXT.sub(MASK, text)
