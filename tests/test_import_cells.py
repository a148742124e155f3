"""Numbers and dates as people write them, checked value by value."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from importers.cells import DateKind, DateOrder, currency_matches, parse_dates, parse_numbers


def number(text: str, hint: str = ".") -> float:
    return float(parse_numbers(pd.Series([text, "1"], dtype="str"), hint=hint).values[0])


@pytest.mark.parametrize(("text", "hint", "expected"), [
    ("1234.5", ".", 1234.5),
    ("1,234.56", ".", 1234.56),
    ("1.234,56", ".", 1234.56),
    ("1.234,56", ",", 1234.56),
    ("12,5", ".", 12.5),
    ("1 234,56", ",", 1234.56),
    ("1\u00a0234,56", ",", 1234.56),
    ("1'234.50", ".", 1234.5),
    ("1.234.567", ".", 1234567.0),
    ("1,234,567", ",", 1234567.0),
    ("1.234", ",", 1234.0),  # a European file: the dot groups thousands
    ("1.234", ".", 1.234),
    ("$1,234.50", ".", 1234.5),
    ("€ 1.234,50", ",", 1234.5),
    ("1.234,50 €", ",", 1234.5),
    ("USD 1,200", ".", 1200.0),
    ("(1,200)", ".", -1200.0),
    ("−7", ".", -7.0),
    ("12%", ".", 0.12),
    ("12,5 %", ",", 0.125),
])
def test_number_formats(text: str, hint: str, expected: float) -> None:
    assert number(text, hint) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "-", "--", "—", "n/a", "N/A"])
def test_placeholders_are_blank_not_problems(text: str) -> None:
    parsed = parse_numbers(pd.Series([text], dtype="str"))
    assert math.isnan(parsed.values[0]) and not parsed.bad[0]


@pytest.mark.parametrize("text", ["abc", "12 kg", "inf", "1e400", "#DIV/0!", "1..2"])
def test_text_in_a_number_column_is_marked_bad(text: str) -> None:
    parsed = parse_numbers(pd.Series([text, "5"], dtype="str"))
    assert parsed.bad.tolist() == [True, False]
    assert math.isnan(parsed.values[0])


def test_currency_signs_and_percent_signs_are_reported_per_cell() -> None:
    parsed = parse_numbers(pd.Series(["$5", "€6", "7", "8%"], dtype="str"))
    assert parsed.currency.tolist() == ["$", "€", "", ""]
    assert parsed.percent.tolist() == [False, False, False, True]


@pytest.mark.parametrize(("marker", "currency", "fits"), [
    ("$", "USD", True), ("$", "CAD", True), ("$", "EUR", False), ("€", "EUR", True), ("USD", "USD", True),
    ("GBP", "EUR", False), ("£", "GBP", True),
])
def test_currency_markers_fit_the_workspace_currency(marker: str, currency: str, fits: bool) -> None:
    assert currency_matches(marker, currency) is fits


def test_excel_and_query_columns_mix_numbers_and_text() -> None:
    parsed = parse_numbers(pd.Series([1, 2.5, "3,5", None, True, dt.date(2026, 1, 1)], dtype=object))
    assert parsed.values[:3].tolist() == [1.0, 2.5, 3.5]
    assert parsed.bad.tolist() == [False, False, False, False, True, True]


def dates(values: list, order: DateOrder = DateOrder.AUTO, hint: str = "."):  # noqa: ANN201
    return parse_dates(pd.Series(values, dtype=object), order, hint)


def days(parsed) -> list[str]:  # noqa: ANN001
    return [str(v)[:10] for v in parsed.values]


@pytest.mark.parametrize(("values", "expected", "label"), [
    (["2026-03-01", "2026-03-15"], ["2026-03-01", "2026-03-15"], "YYYY-MM-DD"),
    (["2026-03-01 13:45:00", "2026-03-15T08:00:00Z"], ["2026-03-01", "2026-03-15"], "YYYY-MM-DD"),
    (["01/03/2026", "13/03/2026"], ["2026-03-01", "2026-03-13"], "DD/MM/YYYY"),
    (["03/01/2026", "03/13/2026"], ["2026-03-01", "2026-03-13"], "MM/DD/YYYY"),
    (["1.3.2026", "15.3.2026"], ["2026-03-01", "2026-03-15"], "DD.MM.YYYY"),
    (["Mar 1, 2026", "Mar 15, 2026"], ["2026-03-01", "2026-03-15"], "Mar 1, 2026"),
    (["1 March 2026", "15 March 2026"], ["2026-03-01", "2026-03-15"], "1 March 2026"),
    (["46082", "46096"], ["2026-03-01", "2026-03-15"], "Excel day numbers"),
    (["20260301", "20260315"], ["2026-03-01", "2026-03-15"], "YYYYMMDD"),
])
def test_day_formats(values: list, expected: list[str], label: str) -> None:
    parsed = dates(values)
    assert days(parsed) == expected and parsed.label == label and parsed.kind == DateKind.DAY


@pytest.mark.parametrize(("values", "expected", "kind"), [
    (["2026-03", "2026-04"], ["2026-03-01", "2026-04-01"], DateKind.MONTH),
    (["Mar 2026", "April 2026"], ["2026-03-01", "2026-04-01"], DateKind.MONTH),
    (["Mar-26", "Apr-26"], ["2026-03-01", "2026-04-01"], DateKind.MONTH),
    (["2026-W10", "2026-W11"], ["2026-03-02", "2026-03-09"], DateKind.WEEK),
])
def test_months_and_weeks(values: list, expected: list[str], kind: DateKind) -> None:
    parsed = dates(values)
    assert days(parsed) == expected and parsed.kind == kind


def test_excel_serial_numbers_and_real_dates_from_a_workbook() -> None:
    parsed = dates([46082, 46083.0, dt.datetime(2026, 3, 3, 9, 30), dt.date(2026, 3, 4)])
    assert days(parsed) == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]


def test_ambiguous_day_and_month_follow_the_file_then_the_users_choice() -> None:
    ambiguous = ["01/03/2026", "02/03/2026"]
    assert days(dates(ambiguous, hint=".")) == ["2026-01-03", "2026-02-03"]
    assert days(dates(ambiguous, hint=",")) == ["2026-03-01", "2026-03-02"]
    assert days(dates(ambiguous, DateOrder.DAY_FIRST)) == ["2026-03-01", "2026-03-02"]
    # the choice is for dates that read both ways: 13/03/2026 can only be 13 March, whatever was chosen
    assert days(dates(["13/03/2026", "01/03/2026"], DateOrder.MONTH_FIRST)) == ["2026-03-13", "2026-01-03"]


def test_unreadable_dates_are_bad_and_blanks_are_not() -> None:
    parsed = dates(["2026-03-01", "2026-13-01", "soon", None, "", "n/a"])
    assert parsed.bad.tolist() == [False, True, True, False, False, False]
    assert np.isnat(parsed.values[1:]).all()


def test_typed_date_columns_pass_straight_through() -> None:
    parsed = parse_dates(pd.Series(pd.to_datetime(["2026-03-01", None])))
    assert days(parsed) == ["2026-03-01", "NaT"] and not parsed.bad.any()


def test_dates_beyond_what_a_clock_can_hold_do_not_wrap_around() -> None:
    parsed = dates(["2999-01", "1066-10-14", dt.datetime(2999, 1, 1)])
    assert days(parsed) == ["2200-01-01", "NaT", "2200-01-01"]  # still after today, so still refused
    assert parsed.bad.tolist() == [False, True, False]
