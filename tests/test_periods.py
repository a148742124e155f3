"""Month arithmetic and review periods, including a fiscal year starting in April."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.periods import (
    PeriodKind,
    add_months,
    fiscal_year_start,
    month_label,
    month_start,
    months_between,
    parse_month,
    period_months,
    previous_month,
    quarter_to_date,
    same_month_last_year,
    shift,
    trailing,
    year_to_date,
)


def m(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [
        (m(2025, 1), 1, m(2025, 2)),
        (m(2025, 12), 1, m(2026, 1)),
        (m(2025, 1), -1, m(2024, 12)),
        (m(2025, 11), 14, m(2027, 1)),
        (m(2025, 3), -15, m(2023, 12)),
        (m(2025, 6), 0, m(2025, 6)),
        (m(2025, 1), -12, m(2024, 1)),
        (m(2025, 1), 24, m(2027, 1)),
    ],
)
def test_add_months_across_years(month: dt.date, n: int, expected: dt.date) -> None:
    assert add_months(month, n) == expected


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [
        (m(2025, 2), 3, [m(2024, 12), m(2025, 1), m(2025, 2)]),
        (m(2025, 6), 1, [m(2025, 6)]),
        (m(2025, 1), 2, [m(2024, 12), m(2025, 1)]),
    ],
)
def test_trailing(month: dt.date, n: int, expected: list[dt.date]) -> None:
    assert trailing(month, n) == expected


@pytest.mark.parametrize(
    ("month", "fiscal_start", "expected_first", "expected_count"),
    [
        (m(2025, 3), 1, m(2025, 1), 3),  # calendar year
        (m(2025, 1), 1, m(2025, 1), 1),
        (m(2025, 4), 4, m(2025, 4), 1),  # first month of an April year
        (m(2025, 6), 4, m(2025, 4), 3),
        (m(2026, 2), 4, m(2025, 4), 11),  # February belongs to the year that began last April
        (m(2026, 3), 4, m(2025, 4), 12),
        (m(2025, 12), 4, m(2025, 4), 9),
    ],
)
def test_year_to_date_with_fiscal_year(month: dt.date, fiscal_start: int, expected_first: dt.date,
                                       expected_count: int) -> None:
    months = year_to_date(month, fiscal_start)
    assert months == months_between(expected_first, month)
    assert len(months) == expected_count
    assert fiscal_year_start(month, fiscal_start) == expected_first


@pytest.mark.parametrize(
    ("month", "fiscal_start", "expected"),
    [
        (m(2025, 2), 1, [m(2025, 1), m(2025, 2)]),
        (m(2025, 3), 1, [m(2025, 1), m(2025, 2), m(2025, 3)]),
        (m(2025, 4), 1, [m(2025, 4)]),
        (m(2025, 5), 4, [m(2025, 4), m(2025, 5)]),  # April quarters: Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar
        (m(2025, 7), 4, [m(2025, 7)]),
        (m(2026, 2), 4, [m(2026, 1), m(2026, 2)]),
        (m(2026, 3), 4, [m(2026, 1), m(2026, 2), m(2026, 3)]),
        (m(2025, 12), 2, [m(2025, 11), m(2025, 12)]),  # February quarters: Nov-Jan spans a new year
        (m(2026, 1), 2, [m(2025, 11), m(2025, 12), m(2026, 1)]),
    ],
)
def test_quarter_to_date(month: dt.date, fiscal_start: int, expected: list[dt.date]) -> None:
    assert quarter_to_date(month, fiscal_start) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [(m(2025, 3), m(2024, 3)), (m(2024, 1), m(2023, 1)), (m(2025, 12), m(2024, 12))],
)
def test_same_month_last_year(month: dt.date, expected: dt.date) -> None:
    assert same_month_last_year(month) == expected


def test_previous_month_and_shift() -> None:
    assert previous_month(m(2025, 1)) == m(2024, 12)
    assert shift([m(2025, 1), m(2025, 2)], -12) == [m(2024, 1), m(2024, 2)]


@pytest.mark.parametrize(
    ("kind", "month", "fiscal_start", "expected"),
    [
        (PeriodKind.MONTH, m(2025, 5), 4, [m(2025, 5)]),
        (PeriodKind.QUARTER, m(2025, 5), 4, [m(2025, 4), m(2025, 5)]),
        (PeriodKind.YEAR_TO_DATE, m(2025, 5), 4, [m(2025, 4), m(2025, 5)]),
        (PeriodKind.YEAR_TO_DATE, m(2025, 5), 1, months_between(m(2025, 1), m(2025, 5))),
        (PeriodKind.TRAILING_3, m(2025, 1), 4, [m(2024, 11), m(2024, 12), m(2025, 1)]),
    ],
)
def test_period_months(kind: PeriodKind, month: dt.date, fiscal_start: int, expected: list[dt.date]) -> None:
    assert period_months(kind, month, fiscal_start) == expected


def test_months_between_is_empty_when_reversed() -> None:
    assert months_between(m(2025, 3), m(2025, 1)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025-03", m(2025, 3)), (" 2024-12 ", m(2024, 12)), ("2025-1", m(2025, 1))],
)
def test_parse_month(text: str, expected: dt.date) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2025-13", "March 2025", "2025/03", "", "2025-03-01"])
def test_parse_month_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_month(text)


def test_month_start_and_label() -> None:
    assert month_start(dt.date(2025, 3, 17)) == m(2025, 3)
    assert month_label(m(2025, 3)) == "Mar 2025"
