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


# --- amounts of money written in free text (share-safe) ----------------------------------------
# Commentary, rationales and notes are typed by people in every locale, so the mask reads an amount the
# way it may be written: the symbol, code or word before or after, any common grouping and a scale word.

_SYMBOLS = r"(?:US\$|A\$|C\$|NZ\$|HK\$|S\$|R\$|[$€£¥₹₩₽₺₪₫฿₱₦₴₲₡₵]|Rs\.?|Fr\.)"
_CODES = (r"(?:USD|EUR|GBP|CHF|JPY|CNY|RMB|CAD|AUD|NZD|SEK|NOK|DKK|ISK|PLN|CZK|HUF|RON|BGN|TRY|RUB|UAH|ILS|AED|"
          r"SAR|QAR|INR|PKR|BDT|LKR|IDR|MYR|SGD|HKD|THB|PHP|VND|KRW|TWD|BRL|MXN|ARS|CLP|COP|PEN|ZAR|NGN|KES|EGP|"
          r"MAD)")
_WORDS = (r"(?:(?:US\s|Canadian\s|Australian\s|Swiss\s)?dollars?|euros?|pounds?(?:\ssterling)?|sterling|rupees?|"
          r"francs?|yen|yuan|renminbi|pesos?|rand|reais|rubles?|roubles?|lira|liras|kronor|kronur|kroner|kronas?|"
          r"kronen?|zloty|zlotys|forints?|dirhams?|riyals?|ringgit|baht|bucks|quid|cents?)")
_GROUP_SPACE = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space (French, Swiss, SI style)
_NUMBER = (r"(?<![\d.,'’])"  # not the tail of another number
           rf"(?:\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?:[.,]\d+)?"  # 1 234 567,89
           r"|\d+(?:[,.'’]\d+)*)")  # 1,234,567.89 · 1.234.567,89 · 1'234'567 · 5,00,000 (lakh)
_SCALE = (r"(?:\s?(?:thousands?|millions?|billions?|lakhs?|crores?|Mio\.?|Mrd\.?|Tsd\.?|mil|Mn|mn|MM|bn|Bn|k|K|M|m|B|"
          r"Cr\.?)(?![A-Za-z]))")
_AMOUNT = rf"[-−]?{_NUMBER}(?:\s?[-–]\s?{_NUMBER})?{_SCALE}?"  # a range "1.2–1.5M" is one amount
_CURRENCY_TEXT = re.compile(
    rf"(?:{_SYMBOLS}|(?<![A-Za-z]){_CODES}\.?)\s?{_AMOUNT}"  # $3.1M · EUR 45,000 · Rs. 5,00,000 · € -5K
    # 45.000 € · 3.1 M$ · 1.2M USD (a symbol or code that opens the next amount is that amount's) · 40k euros
    rf"|{_AMOUNT}\s?(?:(?:{_SYMBOLS}|{_CODES}(?![A-Za-z]))(?!\s?[-−]?\d)|{_WORDS}\b)"
    rf"|{_NUMBER}\s?(?:lakhs?|crores?)\b"  # 12 lakh, 3 crore: Indian amounts named by their size alone
)


def mask_currency_text(text: str) -> str:
    """Replace amounts of money written in free text ("$1.2M", "EUR 300K", "45.000 €", "40k euros",
    "₹5,00,000", "12 lakh") with the mask; percentages, years, dates and counts stay."""
    return _CURRENCY_TEXT.sub(MASK, text)
