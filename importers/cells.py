"""Cell values as people type them: "€1.234,50", "(1,200)", "12 %", "Mar 2026", 46082, "01/03/2026".

Parsers work on a whole column at once (a million rows must stay fast) and report, per cell, what could
not be read so the caller can name the row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

BLANK_WORDS = frozenset({"", "-", "--", "—", "–", "n/a", "na", "none", "null", "nan"})
CURRENCY_CODES = ("USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
                  "INR", "BRL", "MXN", "ZAR", "SGD", "HKD", "CNY")
CURRENCY_PATTERN = r"(US\$|C\$|A\$|NZ\$|[$€£¥]|\b(?:" + "|".join(CURRENCY_CODES) + r"|kr)\b)"
SYMBOL_CURRENCIES = {
    "€": {"EUR"}, "£": {"GBP"}, "¥": {"JPY", "CNY"}, "US$": {"USD"}, "C$": {"CAD"}, "A$": {"AUD"},
    "NZ$": {"NZD"}, "$": {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}, "kr": {"SEK", "NOK", "DKK"},
}
EXCEL_EPOCH = np.datetime64("1899-12-30")
EARLIEST_DATE, LATEST_DATE = "1900-01-01", "2200-01-01"
SERIAL_RANGE = (20000, 80000)  # 1954 to 2119: plausible reporting dates stored as Excel day numbers
TIME_SUFFIX = re.compile(r"^(.+?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?"
                         r"\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?)$")
ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def currency_matches(marker: str, currency: str) -> bool:
    """Whether an amount written with ``marker`` ($, €, USD…) can be in the workspace's ``currency``."""
    return currency.upper() in SYMBOL_CURRENCIES.get(marker, {marker.upper()})


# --- Numbers -------------------------------------------------------------------------------------


@dataclass
class NumberColumn:
    """A parsed numeric column: NaN where blank or unreadable; ``bad`` marks unreadable cells."""

    values: np.ndarray
    bad: np.ndarray
    percent: np.ndarray  # the cell carried a % sign (its value is already divided by 100)
    currency: np.ndarray | None  # currency marker written in each cell ("" when none), None if no cell had one
    decimal: str = "."


def parse_numbers(values: pd.Series, decimal: str = "auto", hint: str = ".") -> NumberColumn:
    """Numbers from a column of any type; text with currency, thousands separators and % is understood."""
    size = len(values)
    no = np.zeros(size, dtype=bool)
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return NumberColumn(np.full(size, np.nan), values.notna().to_numpy(), no, None)
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _by_category(values, decimal, hint)
    if pd.api.types.is_integer_dtype(values) and not values.hasnans:
        return NumberColumn(values.to_numpy(dtype=float), no, no, None)
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        infinite = np.isinf(numbers)
        if infinite.any():
            numbers = np.where(infinite, np.nan, numbers)
        return NumberColumn(numbers, infinite, no, None)
    if values.dtype == object:
        return _mixed_numbers(values, decimal, hint)
    fast = _fast_numbers(values) if (decimal if decimal != "auto" else hint) == "." else None
    if fast is not None:
        return NumberColumn(fast, no, no, None)
    return _text_numbers(values.astype("str"), decimal, hint)


def _by_category(values: pd.Series, decimal: str, hint: str) -> NumberColumn:
    """Parse each distinct text once, then spread the answers to the rows by category code."""
    parsed = parse_numbers(pd.Series(values.cat.categories).astype(object), decimal, hint)
    codes = values.cat.codes.to_numpy()
    missing = codes < 0

    def spread(per_category: np.ndarray, blank: object) -> np.ndarray:
        return np.where(missing, blank, per_category[np.maximum(codes, 0)])

    currency = spread(parsed.currency, "") if parsed.currency is not None else None
    return NumberColumn(spread(parsed.values, np.nan).astype(float), spread(parsed.bad, False).astype(bool),
                        spread(parsed.percent, False).astype(bool), currency, parsed.decimal)


def _fast_numbers(values: pd.Series) -> np.ndarray | None:
    """Plain numbers ("1234.5") straight through Arrow; None when any cell needs cleaning."""
    try:
        numbers = pc.cast(pa.array(values, from_pandas=True), pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, TypeError, ValueError):
        return None
    return numbers if np.isfinite(numbers[~np.isnan(numbers)]).all() else None


def _mixed_numbers(values: pd.Series, decimal: str, hint: str) -> NumberColumn:
    """Excel and query columns: real numbers kept, text cells parsed, dates and booleans unreadable."""
    is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    is_number = values.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool)).to_numpy(
        dtype=bool)
    result = _text_numbers(values.where(is_text).astype("str"), decimal, hint)
    numbers = pd.to_numeric(values.where(is_number), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(numbers)
    result.values = np.where(is_number & finite, numbers, result.values)
    other = values.notna().to_numpy() & ~is_text & ~is_number
    result.bad = result.bad | other | (is_number & ~finite & ~np.isnan(numbers))
    return result


def _text_numbers(text: pd.Series, decimal: str, hint: str) -> NumberColumn:
    currency = text.str.extract(CURRENCY_PATTERN, expand=False)
    cleaned = text.str.replace(CURRENCY_PATTERN, "", regex=True)
    cleaned = cleaned.str.replace("[\\s\u00a0\u202f'’]", "", regex=True).str.replace("−", "-", regex=False)
    blank = text.isna().to_numpy() | cleaned.str.lower().isin(BLANK_WORDS).to_numpy()
    percent = cleaned.str.contains("%", regex=False).fillna(False).to_numpy(dtype=bool)
    cleaned = cleaned.str.replace("%", "", regex=False)
    negative = cleaned.str.match(r"^\(.*\)$").fillna(False).to_numpy(dtype=bool)
    cleaned = cleaned.str.strip("()")
    chosen = decide_decimal(cleaned[~blank], hint) if decimal == "auto" else decimal
    if chosen == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        cleaned = cleaned.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(cleaned.where(~blank), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~blank & ~np.isfinite(numbers)
    numbers = np.where(bad | blank, np.nan, numbers)
    numbers = np.where(negative, -numbers, numbers)
    numbers = np.where(percent, numbers / 100, numbers)
    markers = currency.fillna("").to_numpy(dtype=object)
    has_currency = bool((markers != "").any())
    return NumberColumn(numbers, bad, percent & ~blank, markers if has_currency else None, chosen)


def decide_decimal(cleaned: pd.Series, hint: str = ".") -> str:
    """"," or ".": the decimal mark the column's own values point to, else the file's hint."""
    values = cleaned.dropna()
    if values.empty:
        return hint
    both = values.str.contains(",", regex=False) & values.str.contains(".", regex=False)
    last_comma = values.str.rfind(",") > values.str.rfind(".")
    comma_votes = int((both & last_comma).sum())
    dot_votes = int((both & ~last_comma).sum())
    only_comma = values[~both & values.str.contains(",", regex=False)]
    only_dot = values[~both & values.str.contains(".", regex=False)]
    comma_votes += int((~only_comma.str.fullmatch(r"-?\d{1,3}(,\d{3})+")).sum())
    comma_votes += int(only_dot.str.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}").sum())
    dot_votes += int((~only_dot.str.fullmatch(r"-?\d{1,3}(\.\d{3})+")).sum())
    dot_votes += int(only_comma.str.fullmatch(r"-?\d{1,3}(,\d{3}){2,}").sum())
    if comma_votes == dot_votes:
        return hint
    return "," if comma_votes > dot_votes else "."


# --- Dates ---------------------------------------------------------------------------------------


class DateOrder(StrEnum):
    AUTO = "auto"
    DAY_FIRST = "dmy"
    MONTH_FIRST = "mdy"


class DateKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


SHAPES = {"%Y": r"\d{4}", "%m": r"\d{1,2}", "%d": r"\d{1,2}", "%y": r"\d{2}", "%b": r"[^\W\d_]{3,4}\.?",
          "%B": r"[^\W\d_]{3,10}"}


@dataclass(frozen=True)
class DateFormat:
    label: str
    pattern: str  # strptime pattern, or a name handled in code
    kind: DateKind = DateKind.DAY
    order: DateOrder = DateOrder.AUTO  # which reading of 01/03 it implies

    @property
    def shape(self) -> re.Pattern[str]:
        """A quick test of whether a value could have this format (cheaper than trying to parse it)."""
        return _shape(self.pattern)


@lru_cache(maxsize=64)
def _shape(pattern: str) -> re.Pattern[str]:
    if pattern == "serial":
        return re.compile(r"^\d{5}(\.\d+)?$")
    if pattern == "isoweek":
        return ISO_WEEK
    parts = re.split(r"(%[A-Za-z])", pattern)
    return re.compile("^" + "".join(SHAPES.get(p, re.escape(p)) for p in parts) + "$", re.IGNORECASE)


FORMATS: tuple[DateFormat, ...] = (
    DateFormat("YYYY-MM-DD", "%Y-%m-%d"),
    DateFormat("YYYY/MM/DD", "%Y/%m/%d"),
    DateFormat("DD/MM/YYYY", "%d/%m/%Y", order=DateOrder.DAY_FIRST),
    DateFormat("MM/DD/YYYY", "%m/%d/%Y", order=DateOrder.MONTH_FIRST),
    DateFormat("DD.MM.YYYY", "%d.%m.%Y", order=DateOrder.DAY_FIRST),
    DateFormat("DD-MM-YYYY", "%d-%m-%Y", order=DateOrder.DAY_FIRST),
    DateFormat("MM-DD-YYYY", "%m-%d-%Y", order=DateOrder.MONTH_FIRST),
    DateFormat("DD/MM/YY", "%d/%m/%y", order=DateOrder.DAY_FIRST),
    DateFormat("MM/DD/YY", "%m/%d/%y", order=DateOrder.MONTH_FIRST),
    DateFormat("DD.MM.YY", "%d.%m.%y", order=DateOrder.DAY_FIRST),
    DateFormat("YYYYMMDD", "%Y%m%d"),
    DateFormat("Mar 1, 2026", "%b %d, %Y"),
    DateFormat("March 1, 2026", "%B %d, %Y"),
    DateFormat("1 Mar 2026", "%d %b %Y"),
    DateFormat("1 March 2026", "%d %B %Y"),
    DateFormat("01-Mar-2026", "%d-%b-%Y"),
    DateFormat("01-Mar-26", "%d-%b-%y"),
    DateFormat("YYYY-MM (month)", "%Y-%m", DateKind.MONTH),
    DateFormat("YYYY/MM (month)", "%Y/%m", DateKind.MONTH),
    DateFormat("MM/YYYY (month)", "%m/%Y", DateKind.MONTH),
    DateFormat("MM.YYYY (month)", "%m.%Y", DateKind.MONTH),
    DateFormat("Mar 2026 (month)", "%b %Y", DateKind.MONTH),
    DateFormat("March 2026 (month)", "%B %Y", DateKind.MONTH),
    DateFormat("Mar-26 (month)", "%b-%y", DateKind.MONTH),
    DateFormat("Mar-2026 (month)", "%b-%Y", DateKind.MONTH),
    DateFormat("2026-W10 (ISO week)", "isoweek", DateKind.WEEK),
    DateFormat("Excel day numbers", "serial"),
)


@dataclass
class DateColumn:
    """Parsed dates (NaT where blank or unreadable); ``bad`` marks unreadable cells."""

    values: np.ndarray  # datetime64[ns]
    bad: np.ndarray
    label: str = ""
    kind: DateKind = DateKind.DAY
    distinct: np.ndarray | None = None  # the distinct dates (cheaper to study than every row)
    codes: np.ndarray | None = None  # each row's index into ``distinct``, -1 where there is no date

    def distinct_dates(self) -> np.ndarray:
        return self.distinct if self.distinct is not None else pd.unique(self.values[~np.isnat(self.values)])

    def grouping(self) -> tuple[np.ndarray, np.ndarray]:
        """Integer codes per row and the date of each code; rows without a date share a code of their own."""
        if self.codes is None or self.distinct is None:
            codes, values = pd.factorize(self.values, use_na_sentinel=False)
            return codes.astype(np.int64), np.asarray(values, dtype="datetime64[ns]")
        values = np.append(self.distinct, np.datetime64("NaT", "ns")).astype("datetime64[ns]")
        return np.where(self.codes < 0, len(self.distinct), self.codes), values


def parse_dates(values: pd.Series, order: DateOrder = DateOrder.AUTO, hint: str = ".") -> DateColumn:
    """Dates from a column of any type: real dates, Excel day numbers and the common written forms."""
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = pd.to_datetime(values).dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
        codes, uniques = pd.factorize(stamps.to_numpy(), use_na_sentinel=True)
        parsed, bad = safe_ns(np.asarray(uniques)), np.zeros(len(uniques), dtype=bool)
        label, kind = "YYYY-MM-DD", DateKind.DAY
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        parsed, bad, label, kind = _parse_unique(pd.Series(uniques, dtype=object), order, hint)
    found = codes >= 0
    stamps = np.where(found, parsed[np.maximum(codes, 0)], np.datetime64("NaT", "ns")).astype("datetime64[ns]")
    day_codes, days = pd.factorize(parsed, use_na_sentinel=True)  # two spellings of one day share a code
    row_codes = np.where(found, day_codes[np.maximum(codes, 0)], -1)
    return DateColumn(stamps, found & bad[np.maximum(codes, 0)], label, kind,
                      np.asarray(days, dtype="datetime64[ns]"), row_codes.astype(np.int64))


def _parse_unique(uniques: pd.Series, order: DateOrder, hint: str) -> tuple[np.ndarray, np.ndarray, str, DateKind]:
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    done = np.zeros(len(uniques), dtype=bool)
    for position, value in enumerate(uniques.tolist()):
        stamp = _date_object(value)
        if stamp is not None:
            parsed[position], done[position] = stamp, True
    text = uniques.where(~done & uniques.map(lambda v: isinstance(v, str)))
    text = text.map(lambda v: _strip_time(v) if isinstance(v, str) else None)
    blank = text.map(lambda v: isinstance(v, str) and v.lower() in BLANK_WORDS).to_numpy(dtype=bool)
    text = text.where(~blank)
    label, kind = ("the workbook's own dates", DateKind.DAY) if done.any() else ("", DateKind.DAY)
    if text.notna().any():
        best = _best_format(text, order, hint)
        if best is not None:
            label, kind = best.label, best.kind
            for candidate in _fallbacks(best):
                missing = text.notna().to_numpy() & np.isnat(parsed)
                if not missing.any():
                    break
                parsed[missing] = _apply(text[missing], candidate)
    bad = np.isnat(parsed) & ~blank
    return parsed, bad, label, kind


def _date_object(value: object) -> np.datetime64 | None:
    """Real dates (Excel, queries) and Excel day numbers; None for anything else."""
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return safe_ns(np.array([pd.Timestamp(value).tz_localize(None).normalize().to_datetime64()]))[0]
    if isinstance(value, dt.date):
        return safe_ns(np.array([value], dtype="datetime64[D]"))[0]
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:  # 20260301 written as a number
            return pd.to_datetime(str(int(value)), format="%Y%m%d", errors="coerce").to_datetime64()
        return _serial(float(value))
    return None


def safe_ns(values: np.ndarray) -> np.ndarray:
    """Dates in nanoseconds without overflow: before 1900 unreadable (NaT), after 2200 kept as 2200-01-01
    (still "after today", so still refused)."""
    values = np.asarray(values)
    if values.dtype.kind != "M":
        values = values.astype("datetime64[us]")
    days = values.astype("datetime64[D]")
    latest, earliest = np.datetime64(LATEST_DATE, "D"), np.datetime64(EARLIEST_DATE, "D")
    clipped = np.where(days > latest, latest.astype(values.dtype), values)
    clipped = np.where(days < earliest, np.datetime64("NaT").astype(values.dtype), clipped)
    return clipped.astype("datetime64[ns]")


def _serial(number: float) -> np.datetime64 | None:
    if not (np.isfinite(number) and SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]):
        return None
    return (EXCEL_EPOCH + np.timedelta64(int(number), "D")).astype("datetime64[ns]")


def _strip_time(text: str) -> str:
    text = text.strip()
    match = TIME_SUFFIX.match(text)
    return match.group(1) if match else text


def _best_format(text: pd.Series, order: DateOrder, hint: str) -> DateFormat | None:
    """The format that reads the most values; ties go to the chosen (or the file's usual) day/month order."""
    preferred = order if order != DateOrder.AUTO else (DateOrder.DAY_FIRST if hint == "," else DateOrder.MONTH_FIRST)
    sample = text.dropna()
    sample = sample.iloc[:: max(1, len(sample) // 2000)]
    probe = sample.head(50).tolist()
    allowed = [f for f in FORMATS if (order == DateOrder.AUTO or f.order in (DateOrder.AUTO, order))
               and any(f.shape.match(v) for v in probe)]
    if not allowed:
        return None
    scored = [(int((~np.isnat(_apply(sample, f))).sum()), f.order == preferred, -i, f) for i, f in enumerate(allowed)]
    count, _, _, best = max(scored, key=lambda s: s[:3])
    return best if count else None


def _fallbacks(best: DateFormat) -> list[DateFormat]:
    """The chosen format first, then the others that do not contradict its day/month order."""
    others = [f for f in FORMATS if f is not best and f.order in (DateOrder.AUTO, best.order)]
    return [best, *others]


def _apply(text: pd.Series, fmt: DateFormat) -> np.ndarray:
    if fmt.pattern == "serial":
        numbers = pd.to_numeric(text.where(text.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False)), errors="coerce")
        return np.array([_serial(n) if not np.isnan(n) else np.datetime64("NaT") for n in numbers],
                        dtype="datetime64[ns]")
    if fmt.pattern == "isoweek":
        parts = text.str.extract(ISO_WEEK)
        joined = parts[0] + "-W" + parts[1].str.zfill(2) + "-1"
        return safe_ns(pd.to_datetime(joined, format="%G-W%V-%u", errors="coerce").to_numpy())
    stamps = pd.to_datetime(text, format=fmt.pattern, errors="coerce")
    return safe_ns(stamps.to_numpy())
