"""Month arithmetic and the periods a review compares: month, quarter, year to date, trailing."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

Month = dt.date  # always the first day of a month


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR_TO_DATE = "ytd"
    TRAILING_3 = "t3m"


def month_start(day: dt.date) -> Month:
    return day.replace(day=1)


def add_months(month: Month, n: int) -> Month:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i) for i in range(max(count, 0))]


def trailing(month: Month, n: int) -> list[Month]:
    """The ``n`` months ending with ``month``."""
    return months_between(add_months(month, -(n - 1)), month)


def previous_month(month: Month) -> Month:
    return add_months(month, -1)


def same_month_last_year(month: Month) -> Month:
    return add_months(month, -12)


def fiscal_year_start(month: Month, fiscal_start_month: int = 1) -> Month:
    year = month.year if month.month >= fiscal_start_month else month.year - 1
    return dt.date(year, fiscal_start_month, 1)


def year_to_date(month: Month, fiscal_start_month: int = 1) -> list[Month]:
    return months_between(fiscal_year_start(month, fiscal_start_month), month)


def quarter_to_date(month: Month, fiscal_start_month: int = 1) -> list[Month]:
    """Months of the fiscal quarter containing ``month``, up to and including it."""
    offset = (month.month - fiscal_start_month) % 3
    return months_between(add_months(month, -offset), month)


def period_months(kind: PeriodKind, month: Month, fiscal_start_month: int = 1) -> list[Month]:
    if kind == PeriodKind.MONTH:
        return [month]
    if kind == PeriodKind.QUARTER:
        return quarter_to_date(month, fiscal_start_month)
    if kind == PeriodKind.YEAR_TO_DATE:
        return year_to_date(month, fiscal_start_month)
    return trailing(month, 3)


def shift(months: list[Month], n: int) -> list[Month]:
    """The same period moved ``n`` months (-1: previous month, -12: last year)."""
    return [add_months(m, n) for m in months]


def month_label(month: Month) -> str:
    return month.strftime("%b %Y")


def parse_month(text: str) -> Month:
    """Parse ``YYYY-MM`` into a month."""
    return dt.datetime.strptime(text.strip(), "%Y-%m").date()
