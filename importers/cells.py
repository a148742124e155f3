"""Cell values as people type them: "€1.234,50", "(1,200)", "12 %", "Mar 2026", 46082, "01/03/2026".

Parsers work on a whole column at once (a million rows must stay fast) and report, per cell, what could
not be read so the caller can name the row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
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
    numbers = _as_floats(values.where(is_number))
    finite = np.isfinite(numbers)
    result.values = np.where(is_number & finite, numbers, result.values)
    other = values.notna().to_numpy() & ~is_text & ~is_number
    result.bad = result.bad | other | (is_number & ~finite & ~np.isnan(numbers))
    return result


def _as_floats(values: pd.Series) -> np.ndarray:
    """Numbers as floats; an integer beyond any float (a 400-digit cell) becomes infinity, so it is refused."""
    try:
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    except OverflowError:
        return np.array([_as_float(v) for v in values.tolist()], dtype=float)


def _as_float(value: object) -> float:
    try:
        return float(value) if value is not None and not pd.isna(value) else np.nan
    except OverflowError:
        return np.inf
    except (TypeError, ValueError):
        return np.nan


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
WORKBOOK_DATES = "the workbook's own dates"
# Numbers with separators: 16/11/2024, 2/11/24, 20-11-2024, 20.11.2024, 2024-11-16. Which number is the day is
# decided per value (and per column for values that read both ways), never by one format for the whole column.
NUMBERED_DATE = re.compile(r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})$")
TWO_DIGIT_CENTURY = 69  # strptime's %y: 69-99 are 1969-1999, 00-68 are 2000-2068


@dataclass(frozen=True)
class DateFormat:
    label: str
    pattern: str  # strptime pattern, or a name handled in code
    kind: DateKind = DateKind.DAY

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


# The written forms other than numbered dates; each reads only one way.
FORMATS: tuple[DateFormat, ...] = (
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
KIND_OF = {f.label: f.kind for f in FORMATS}
ANY_FORMAT = re.compile("|".join(f"(?:{f.shape.pattern})" for f in FORMATS), re.IGNORECASE)


class Reading(StrEnum):
    """Why a column's dates that read both ways (2/11/2024) were read the way they were."""

    CHOSEN = "chosen"  # the user chose the order
    COLUMN = "column"  # other dates of the column read only that way (11/16/2024)
    USUAL = "usual"  # nothing in the column says: the file's usual order (from its decimal mark)
    UNRESOLVED = "unresolved"  # the column has dates only day first and others only month first


@dataclass(frozen=True)
class AmbiguousDates:
    """How a column's dates that read both ways were read, with the first of them as the example."""

    reading: Reading
    order: DateOrder  # the order used; for Reading.UNRESOLVED the usual order, only tentatively
    example: str  # "2/11/2024", as written
    day_first: dt.date  # the example read day first (2 Nov 2024) …
    month_first: dt.date  # … and month first (11 Feb 2024)
    evidence: str = ""  # a value of the column that reads only one way (Reading.COLUMN)
    count: int = 1  # how many distinct values read both ways

    @property
    def example_date(self) -> dt.date:
        return self.day_first if self.order == DateOrder.DAY_FIRST else self.month_first


@dataclass
class DateColumn:
    """Parsed dates (NaT where blank or unreadable); ``bad`` marks unreadable cells.

    ``unresolved`` marks dates that read both ways (2/11/2024) in a column that holds evidence for both
    orders: their ``values`` are only the usual reading, so they must be refused until the user chooses.
    """

    values: np.ndarray  # datetime64[ns]
    bad: np.ndarray
    label: str = ""
    kind: DateKind = DateKind.DAY
    distinct: np.ndarray | None = None  # the distinct dates (cheaper to study than every row)
    codes: np.ndarray | None = None  # each row's index into ``distinct``, -1 where there is no date
    unresolved: np.ndarray | None = None  # None when there is none
    readings: np.ndarray | None = None  # per unresolved row: "2/11/2024 could be 2 Nov 2024 (day first) or …"
    ambiguous: AmbiguousDates | None = None  # None when no value reads both ways

    def distinct_dates(self) -> np.ndarray:
        return self.distinct if self.distinct is not None else pd.unique(self.values[~np.isnat(self.values)])

    def grouping(self) -> tuple[np.ndarray, np.ndarray]:
        """Integer codes per row and the date of each code; rows without a date share a code of their own."""
        if self.codes is None or self.distinct is None:
            codes, values = pd.factorize(self.values, use_na_sentinel=False)
            return codes.astype(np.int64), np.asarray(values, dtype="datetime64[ns]")
        values = np.append(self.distinct, np.datetime64("NaT", "ns")).astype("datetime64[ns]")
        return np.where(self.codes < 0, len(self.distinct), self.codes), values


def whole_month_dates(size: int, month: dt.date) -> DateColumn:
    """Every row dated ``month``: an export without dates that covers one month."""
    first = np.datetime64(month.replace(day=1), "ns")
    label = f"{month:%b %Y} for every row"
    return DateColumn(np.full(size, first), np.zeros(size, dtype=bool), label, DateKind.MONTH, np.array([first]),
                      np.zeros(size, dtype=np.int64))


@dataclass
class _Distinct:
    """The distinct values of a column, read: what the rows then take by their codes."""

    parsed: np.ndarray
    bad: np.ndarray
    label: str = ""
    kind: DateKind = DateKind.DAY
    unresolved: np.ndarray | None = None
    readings: np.ndarray | None = None
    ambiguous: AmbiguousDates | None = None


def parse_dates(values: pd.Series, order: DateOrder = DateOrder.AUTO, hint: str = ".") -> DateColumn:
    """Dates from a column of any type: real dates, Excel day numbers and the common written forms.

    Each distinct value is read on its own; a value such as 2/11/2024 that reads both ways follows the
    chosen ``order``, else the column's other values, else the file's usual order (``hint`` "," = day first).
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = pd.to_datetime(values).dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
        codes, uniques = pd.factorize(stamps.to_numpy(), use_na_sentinel=True)
        distinct = _Distinct(safe_ns(np.asarray(uniques)), np.zeros(len(uniques), dtype=bool), "YYYY-MM-DD")
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        distinct = _parse_unique(pd.Series(uniques, dtype=object), order, hint)
    return _spread(codes, distinct)


def _spread(codes: np.ndarray, distinct: _Distinct) -> DateColumn:
    """Each row takes its distinct value's reading."""
    size = len(codes)
    if len(distinct.parsed) == 0:  # not a single value in the column
        return DateColumn(np.full(size, np.datetime64("NaT", "ns")), np.zeros(size, dtype=bool), distinct.label,
                          distinct.kind, np.array([], dtype="datetime64[ns]"), np.full(size, -1, dtype=np.int64))
    found, at = codes >= 0, np.maximum(codes, 0)
    stamps = np.where(found, distinct.parsed[at], np.datetime64("NaT", "ns")).astype("datetime64[ns]")
    day_codes, days = pd.factorize(distinct.parsed, use_na_sentinel=True)  # two spellings of one day share a code
    row_codes = np.where(found, day_codes[at], -1)
    column = DateColumn(stamps, found & distinct.bad[at], distinct.label, distinct.kind,
                        np.asarray(days, dtype="datetime64[ns]"), row_codes.astype(np.int64),
                        ambiguous=distinct.ambiguous)
    if distinct.unresolved is not None and distinct.readings is not None:
        column.unresolved = found & distinct.unresolved[at]
        column.readings = np.where(column.unresolved, distinct.readings[at], "")
    return column


def _parse_unique(uniques: pd.Series, order: DateOrder, hint: str) -> _Distinct:
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    labels = np.full(len(uniques), "", dtype=object)
    for position, value in enumerate(uniques.tolist()):
        stamp = _date_object(value)
        if stamp is not None:
            parsed[position], labels[position] = stamp, WORKBOOK_DATES
    text = uniques.where((labels == "") & uniques.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool))
    text = text.map(lambda v: _strip_time(v) if isinstance(v, str) else None)
    blank = text.map(lambda v: isinstance(v, str) and v.lower() in BLANK_WORDS).to_numpy(dtype=bool)
    values = text.where(~blank).tolist()  # distinct values only: plain Python is quicker than pandas here
    distinct = _Distinct(parsed, blank)
    if any(isinstance(v, str) for v in values):
        numbered = _read_numbered(values, order, hint, parsed, labels, distinct)
        _read_written([None if done else v for v, done in zip(values, numbered, strict=True)], parsed, labels)
    distinct.bad = np.isnat(parsed) & ~blank
    distinct.label, distinct.kind = _column_label(labels)
    return distinct


def _read_numbered(values: list, order: DateOrder, hint: str, parsed: np.ndarray, labels: np.ndarray,
                   distinct: _Distinct) -> np.ndarray:
    """Numbered dates into ``parsed`` and ``labels``; returns which values were numbered dates at all."""
    matches = [NUMBERED_DATE.match(v) if isinstance(v, str) else None for v in values]
    numbered = np.fromiter((m is not None for m in matches), dtype=bool, count=len(matches))
    if not numbered.any():
        return numbered
    at = np.flatnonzero(numbered)
    groups = [m.groups() for m in matches if m is not None]
    first, middle, last = (np.array([int(g[i]) for g in groups], dtype=np.int64) for i in (0, 2, 3))
    first_digits, last_digits = (np.array([len(g[i]) for g in groups], dtype=np.int64) for i in (0, 3))
    year_first = (first_digits == 4) & (last_digits <= 2)
    year_last = (first_digits <= 2) & np.isin(last_digits, (2, 4))
    year = np.where(last_digits == 2, last + np.where(last < TWO_DIGIT_CENTURY, 2000, 1900), last)
    nat = np.datetime64("NaT", "ns")
    iso = np.where(year_first, civil_dates(first, middle, last), nat)
    day_first = np.where(year_last, civil_dates(year, middle, first), nat)
    month_first = np.where(year_last, civil_dates(year, first, middle), nat)
    written = [values[i] for i in at]
    chosen = _choose_order(written, order, hint, day_first, month_first, distinct, at, len(values))
    reads_day = ~np.isnat(day_first) & (np.isnat(month_first) | (chosen == DateOrder.DAY_FIRST))
    dates = np.where(year_first, iso, np.where(reads_day, day_first, month_first))
    parsed[at] = dates
    for position, group, ymd, day, date in zip(at, groups, year_first, reads_day, dates, strict=True):
        if not np.isnat(date):
            s, years = group[1], "YY" if len(group[3]) == 2 else "YYYY"
            labels[position] = f"YYYY{s}MM{s}DD" if ymd else f"DD{s}MM{s}{years}" if day else f"MM{s}DD{s}{years}"
    return numbered


def _choose_order(written: list[str], order: DateOrder, hint: str, day_first: np.ndarray, month_first: np.ndarray,
                  distinct: _Distinct, at: np.ndarray, size: int) -> DateOrder:
    """The order for values that read both ways; what the column says about them goes into ``distinct``.

    ``written`` are the column's numbered dates, at positions ``at`` of its ``size`` distinct values.
    """
    both = ~np.isnat(day_first) & ~np.isnat(month_first) & (day_first != month_first)
    only_day = np.flatnonzero(~np.isnat(day_first) & np.isnat(month_first))
    only_month = np.flatnonzero(np.isnat(day_first) & ~np.isnat(month_first))
    evidence = ""
    if order != DateOrder.AUTO:
        reading, chosen = Reading.CHOSEN, order
    elif len(only_day) and len(only_month):
        reading, chosen = Reading.UNRESOLVED, _usual_order(written, both, hint)
    elif len(only_day) or len(only_month):
        reading = Reading.COLUMN
        chosen = DateOrder.DAY_FIRST if len(only_day) else DateOrder.MONTH_FIRST
        evidence = written[(only_day if len(only_day) else only_month)[0]]
    else:
        reading, chosen = Reading.USUAL, _usual_order(written, both, hint)
    if both.any():
        first = int(np.flatnonzero(both)[0])
        distinct.ambiguous = AmbiguousDates(reading, chosen, written[first], _date(day_first[first]),
                                            _date(month_first[first]), evidence, int(both.sum()))
    if reading == Reading.UNRESOLVED and both.any():
        distinct.unresolved = np.zeros(size, dtype=bool)
        distinct.unresolved[at[both]] = True
        distinct.readings = np.full(size, "", dtype=object)
        for position in np.flatnonzero(both):
            distinct.readings[at[position]] = (
                f"{written[position]} could be {spoken_date(day_first[position])} (day first) or "
                f"{spoken_date(month_first[position])} (month first)")
    return chosen


def _usual_order(written: list[str], both: np.ndarray, hint: str) -> DateOrder:
    """The file's usual order (day first where the decimal mark is a comma); dotted dates are written day first."""
    dotted = bool(both.any()) and all("." in written[i] for i in np.flatnonzero(both))
    return DateOrder.DAY_FIRST if hint == "," or dotted else DateOrder.MONTH_FIRST


def civil_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Dates from year, month and day numbers; NaT where there is no such day (31/02, month 13)."""
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (year >= 0) & (year <= 9999)
    months = ((np.where(valid, year, 1970) - 1970) * 12 + np.where(valid, month, 1) - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    valid &= day <= ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    days = first + (np.where(valid, day, 1) - 1).astype("timedelta64[D]")
    return np.where(valid, safe_ns(days), np.datetime64("NaT", "ns"))


def spoken_date(day: np.datetime64 | dt.date) -> str:
    """'2 Nov 2024'."""
    stamp = pd.Timestamp(day)
    return f"{stamp.day} {stamp:%b %Y}"


def _date(day: np.datetime64) -> dt.date:
    return pd.Timestamp(day).date()


def _read_written(values: list, parsed: np.ndarray, labels: np.ndarray) -> None:
    """Month names, months alone, ISO weeks, YYYYMMDD and Excel day numbers: each by the first form that fits."""
    remaining = np.fromiter((isinstance(v, str) and ANY_FORMAT.fullmatch(v) is not None for v in values),
                            dtype=bool, count=len(values))
    for fmt in FORMATS:
        if not remaining.any():
            return
        shape = fmt.shape
        candidates = np.array([i for i in np.flatnonzero(remaining) if shape.match(values[i])], dtype=np.int64)
        if not len(candidates):
            continue
        read = _apply(pd.Series([values[i] for i in candidates], dtype=object), fmt)
        done = candidates[~np.isnat(read)]
        parsed[done], labels[done] = read[~np.isnat(read)], fmt.label
        remaining[done] = False


def _column_label(labels: np.ndarray) -> tuple[str, DateKind]:
    """How the column was read, most common form first ("MM/DD/YYYY and DD-MM-YYYY"), and that form's kind."""
    counts = Counter(label for label in labels.tolist() if label)
    if not counts:
        return "", DateKind.DAY
    forms = [form for form, _ in counts.most_common()]  # ties stay in the order the forms first appear
    kind = KIND_OF.get(forms[0], DateKind.DAY)
    if len(forms) > 3:
        forms = [*forms[:3], f"{len(forms) - 3} other forms"]
    text = forms[0] if len(forms) == 1 else ", ".join(forms[:-1]) + " and " + forms[-1]
    return text, kind


def _date_object(value: object) -> np.datetime64 | None:
    """Real dates (Excel, queries) and Excel day numbers; None for anything else."""
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return safe_ns(np.array([pd.Timestamp(value).tz_localize(None).normalize().to_datetime64()]))[0]
    if isinstance(value, dt.date):
        return safe_ns(np.array([value], dtype="datetime64[D]"))[0]
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            return None  # an integer of hundreds of digits: no date
        if number.is_integer() and 19000101 <= number <= 21001231:  # 20260301 written as a number
            return pd.to_datetime(str(int(number)), format="%Y%m%d", errors="coerce").to_datetime64()
        return _serial(number)
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
