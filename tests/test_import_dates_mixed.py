"""Dates read one way only when the file says so: each value on its own, a column's evidence for its
ambiguous values, a refusal (with both readings) when the column points both ways, and the user's choice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from importers.cells import DateOrder, Reading, parse_dates
from importers.convert import Conversion, convert
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 16)
MIXED = "campaign_mixed_dates.csv"

# How a person reads each value of the fixture, worked out by hand: ISO and month names as written, values
# whose first number is above 12 day first, values whose second number is above 12 month first.
ONLY_ONE_WAY = {
    "11/16/2024": dt.date(2024, 11, 16), "20-11-2024": dt.date(2024, 11, 20), "2024-11-05": dt.date(2024, 11, 5),
    "11/18/2024": dt.date(2024, 11, 18), "25.11.2024": dt.date(2024, 11, 25), "Nov 8, 2024": dt.date(2024, 11, 8),
    "11/21/2024": dt.date(2024, 11, 21), "22-11-2024": dt.date(2024, 11, 22), "2024-11-12": dt.date(2024, 11, 12),
    "27/11/2024": dt.date(2024, 11, 27), "11/28/2024": dt.date(2024, 11, 28),
}
BOTH_WAYS = {  # value -> (day first, month first)
    "2/11/2024": (dt.date(2024, 11, 2), dt.date(2024, 2, 11)),
    "3/11/2024": (dt.date(2024, 11, 3), dt.date(2024, 3, 11)),
    "4/11/2024": (dt.date(2024, 11, 4), dt.date(2024, 4, 11)),
}


def read(values: list, order: DateOrder = DateOrder.AUTO, hint: str = ".") -> list[dt.date | None]:
    parsed = parse_dates(pd.Series(values, dtype=object), order, hint)
    return [None if np.isnat(v) else pd.Timestamp(v).date() for v in parsed.values]


def mixed_file(**changes: object) -> Conversion:
    table = read_file(MIXED, (FIXTURES / MIXED).read_bytes())
    mapping = suggest(table, STANDARD_CATALOG)
    for name, value in changes.items():
        setattr(mapping, name, value)
    return convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)


def expected_daily(order: DateOrder) -> pd.DataFrame:
    """The fixture's clicks and impressions per day, read with pandas and the hand-made readings above."""
    raw = pd.read_csv(FIXTURES / MIXED, dtype={"Date": str})
    pick = 0 if order == DateOrder.DAY_FIRST else 1
    day = raw["Date"].map(lambda v: ONLY_ONE_WAY.get(v) or BOTH_WAYS[v][pick])
    frame = raw.assign(date=pd.to_datetime(day))
    totals = frame.groupby("date")[["Clicks", "Impressions"]].sum()
    return totals.rename(columns={"Clicks": "clicks", "Impressions": "impressions"}).stack().rename("value")


def daily(conversion: Conversion) -> pd.Series:
    long = conversion.long.assign(date=pd.to_datetime(conversion.long["date"]))
    return long.set_index(["date", "metric"])["value"].sort_index()


# --- Each value on its own -----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("20-11-2024", dt.date(2024, 11, 20)),  # first number above 12: day first, whatever the separator
    ("16/11/2024", dt.date(2024, 11, 16)),
    ("16.11.2024", dt.date(2024, 11, 16)),
    ("11/16/2024", dt.date(2024, 11, 16)),  # second number above 12: month first
    ("11-16-2024", dt.date(2024, 11, 16)),
    ("11.16.2024", dt.date(2024, 11, 16)),
    ("16/11/24", dt.date(2024, 11, 16)),
    ("2024-11-16", dt.date(2024, 11, 16)),
    ("2024/11/16", dt.date(2024, 11, 16)),
    ("2024.11.16", dt.date(2024, 11, 16)),
    ("05/05/2024", dt.date(2024, 5, 5)),  # reads the same both ways
    ("Nov 16, 2024", dt.date(2024, 11, 16)),
    ("16 November 2024", dt.date(2024, 11, 16)),
])
def test_a_value_that_reads_one_way_reads_that_way_in_any_order(value: str, expected: dt.date) -> None:
    for order in DateOrder:
        assert read([value], order) == [expected], order


@pytest.mark.parametrize("value", ["31/02/2024", "13/13/2024", "2024-13-01", "32-11-2024", "1/2/3", "2024-16-11"])
def test_numbers_that_make_no_date_either_way_are_not_dates(value: str) -> None:
    parsed = parse_dates(pd.Series([value, "2024-11-16"], dtype=object))
    assert parsed.bad.tolist() == [True, False]


def test_a_column_that_points_one_way_reads_its_ambiguous_values_that_way() -> None:
    assert read(["11/16/2024", "2/11/2024"]) == [dt.date(2024, 11, 16), dt.date(2024, 2, 11)]
    assert read(["20-11-2024", "2/11/2024"], hint=".") == [dt.date(2024, 11, 20), dt.date(2024, 11, 2)]
    found = parse_dates(pd.Series(["20-11-2024", "2/11/2024"], dtype=object)).ambiguous
    assert (found.reading, found.order, found.evidence) == (Reading.COLUMN, DateOrder.DAY_FIRST, "20-11-2024")


def test_iso_and_month_names_are_no_evidence_for_either_order() -> None:
    values = ["2024-11-20", "Nov 21, 2024", "01/02/2024"]
    assert read(values, hint=".") == [dt.date(2024, 11, 20), dt.date(2024, 11, 21), dt.date(2024, 1, 2)]
    assert read(values, hint=",") == [dt.date(2024, 11, 20), dt.date(2024, 11, 21), dt.date(2024, 2, 1)]


def test_evidence_for_both_orders_leaves_the_ambiguous_values_unresolved() -> None:
    parsed = parse_dates(pd.Series(["11/16/2024", "20-11-2024", "2/11/2024", None], dtype=object))
    assert parsed.unresolved.tolist() == [False, False, True, False]
    assert parsed.bad.tolist() == [False, False, False, False]
    assert parsed.readings[2] == "2/11/2024 could be 2 Nov 2024 (day first) or 11 Feb 2024 (month first)"


def test_the_users_order_settles_only_the_values_that_read_both_ways() -> None:
    values = ["11/16/2024", "20-11-2024", "2/11/2024"]
    assert read(values, DateOrder.DAY_FIRST) == [dt.date(2024, 11, 16), dt.date(2024, 11, 20), dt.date(2024, 11, 2)]
    assert read(values, DateOrder.MONTH_FIRST) == [dt.date(2024, 11, 16), dt.date(2024, 11, 20), dt.date(2024, 2, 11)]


def test_dotted_dates_without_evidence_are_day_first_as_they_are_written() -> None:
    assert read(["1.3.2026", "2.3.2026"], hint=".") == [dt.date(2026, 3, 1), dt.date(2026, 3, 2)]


def test_a_few_thousand_distinct_dates_in_a_million_rows_read_quickly() -> None:
    days = pd.date_range("2016-01-01", periods=3_000, freq="D")
    written = days.strftime("%m/%d/%Y").to_numpy()
    rows = pd.Series(written[np.arange(1_000_000) % len(written)], dtype=object)
    start = pd.Timestamp.now()
    parsed = parse_dates(rows)
    seconds = (pd.Timestamp.now() - start).total_seconds()
    assert (parsed.values[:3_000] == days.to_numpy()).all() and not parsed.bad.any()
    assert seconds < 5  # per distinct value, not per row (a loaded laptop still does it in well under one)


# --- The campaign report with mixed dates --------------------------------------------------------


def test_the_mixed_report_is_refused_naming_every_ambiguous_row_with_both_readings() -> None:
    result = mixed_file()
    raw = pd.read_csv(FIXTURES / MIXED, dtype={"Date": str})
    rows = {value: int(line) + 2 for line, value in raw["Date"].items()}  # header is row 1
    expected = [(rows[value], "Date", f"{value} could be {day.day} {day:%b %Y} (day first) or {month.day} "
                 f"{month:%b %Y} (month first), and this column has both kinds: choose how to read such dates "
                 "('Dates like 01/03/2026')") for value, (day, month) in BOTH_WAYS.items()]
    assert [(p.row, p.column, p.reason) for p in result.problems] == sorted(expected)
    assert str(result.problems[0]) == (
        "campaign_mixed_dates.csv, row 4, column 'Date': 2/11/2024 could be 2 Nov 2024 (day first) or 11 Feb 2024 "
        "(month first), and this column has both kinds: choose how to read such dates ('Dates like 01/03/2026')")


@pytest.mark.parametrize("order", [DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST])
def test_choosing_the_order_imports_the_report_with_each_value_read_its_only_way(order: DateOrder) -> None:
    result = mixed_file(date_order=order)
    assert result.problems == []
    expected = expected_daily(order)
    assert daily(result).to_dict() == pytest.approx(expected.sort_index().to_dict())
    assert result.notes[-1].startswith("Column 'Date' read as "
                                       f"{'day' if order == DateOrder.DAY_FIRST else 'month'} first, as chosen")


def test_coverage_spans_each_metrics_first_to_last_day_with_quiet_days_inside_it_covered() -> None:
    result = mixed_file(date_order=DateOrder.MONTH_FIRST)
    days = pd.Series(expected_daily(DateOrder.MONTH_FIRST).index.get_level_values(0).unique())
    per_month = pd.date_range(days.min(), days.max()).to_period("M").value_counts()
    expected = {p.to_timestamp().date(): int(per_month[p]) for p in set(days.dt.to_period("M"))}
    for metric in ("clicks", "impressions"):
        got = result.coverage[result.coverage["metric"] == metric]
        assert dict(zip(got["month"], got["covered_days"], strict=True)) == expected
    assert expected[dt.date(2024, 2, 1)] == 19 and expected[dt.date(2024, 11, 1)] == 28  # 11–29 Feb, 1–28 Nov
    assert result.partial_months() == ["Nov 2024: 28 of 30 days", "Feb 2024: 19 of 29 days"]


def test_without_evidence_the_preview_says_which_reading_was_used_and_how_to_change_it() -> None:
    table = read_file("weekly.csv", b"Date,Clicks\n01/02/2024,5\n03/02/2024,7\n")
    mapping = suggest(table, STANDARD_CATALOG)
    result = convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)
    assert daily(result).to_dict() == {(pd.Timestamp("2024-01-02"), "clicks"): 5.0,
                                       (pd.Timestamp("2024-03-02"), "clicks"): 7.0}
    assert result.notes == ["Column 'Date' read as month first: 01/02/2024 = 2 Jan 2024. Nothing in the column "
                            "shows which comes first; if that is wrong, change 'Dates like 01/03/2026'."]
    semicolons = read_file("weekly.csv", b"Date;Clicks\n01/02/2024;5\n03/02/2024;7\n")  # a European file
    result = convert(semicolons, suggest(semicolons, STANDARD_CATALOG), STANDARD_CATALOG, "USD", TODAY)
    assert result.notes[0].startswith("Column 'Date' read as day first: 01/02/2024 = 1 Feb 2024.")


def test_a_column_that_points_one_way_says_so_in_the_preview() -> None:
    table = read_file("report.csv", b"Date,Clicks\n11/16/2024,5\n2/11/2024,7\n")
    result = convert(table, suggest(table, STANDARD_CATALOG), STANDARD_CATALOG, "USD", TODAY)
    assert result.problems == []
    assert daily(result).to_dict() == {(pd.Timestamp("2024-02-11"), "clicks"): 7.0,
                                       (pd.Timestamp("2024-11-16"), "clicks"): 5.0}
    assert result.notes == ["Column 'Date' read as month first: 2/11/2024 = 11 Feb 2024, as 11/16/2024 in it can "
                            "only be month first."]


def test_a_day_first_date_with_dashes_is_never_not_a_date() -> None:
    table = read_file("report.csv", b"Date,Clicks\n20-11-2024,5\n21-11-2024,7\n")
    result = convert(table, suggest(table, STANDARD_CATALOG), STANDARD_CATALOG, "USD", TODAY)
    assert result.problems == [] and result.date_format == "DD-MM-YYYY"
    assert daily(result).to_dict() == {(pd.Timestamp("2024-11-20"), "clicks"): 5.0,
                                       (pd.Timestamp("2024-11-21"), "clicks"): 7.0}
