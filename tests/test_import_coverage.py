"""How many days of each month a file covers, per metric, from its grain and dates; and an undated export
imported as "the whole file is month X"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from db.engine import session_scope
from db.imports import import_table
from db.queries import monthly_data
from importers.convert import Conversion, convert
from importers.grain import Grain, WeekAnchor, month_coverage
from importers.mapping import ColumnChoice, Layout, Role
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

FIXTURES = Path(__file__).parent / "fixtures"
UNDATED = "undated_channels.csv"
TODAY = dt.date(2026, 11, 16)


def long_rows(rows: list[tuple[str, str]]) -> pd.DataFrame:
    """Long rows of (date, metric) with a value of 1."""
    return pd.DataFrame({"date": pd.to_datetime([d for d, _ in rows]), "metric": [m for _, m in rows],
                         "value": 1.0, "segment": "", "weight": 1.0, "row": range(2, len(rows) + 2)})


def covered(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    return {(m, f"{month:%Y-%m}"): (int(c), int(d)) for m, month, c, d in frame.itertuples(index=False, name=None)}


def undated(**changes: object) -> Conversion:
    table = read_file(UNDATED, (FIXTURES / UNDATED).read_bytes())
    mapping = suggest(table, STANDARD_CATALOG)
    for name, value in changes.items():
        setattr(mapping, name, value)
    return convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)


# --- The rules, case by case ------------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "grain", "anchor", "expected"), [
    # daily: first to last day, per metric; a quiet day inside the span is not a gap
    ([("2021-01-04", "clicks"), ("2021-01-20", "clicks"), ("2021-02-03", "clicks")], Grain.DAILY, WeekAnchor.START,
     {("clicks", "2021-01"): (28, 31), ("clicks", "2021-02"): (3, 28)}),
    ([("2024-02-10", "clicks"), ("2024-02-12", "nps")], Grain.DAILY, WeekAnchor.START,
     {("clicks", "2024-02"): (1, 29), ("nps", "2024-02"): (1, 29)}),
    # weekly: the first week's first day to the last week's last day
    ([("2021-09-06", "sessions"), ("2021-09-13", "sessions"), ("2021-09-20", "sessions"), ("2021-09-26", "sessions")],
     Grain.WEEKLY, WeekAnchor.START, {("sessions", "2021-09"): (25, 30), ("sessions", "2021-10"): (2, 31)}),
    ([("2021-09-12", "sessions"), ("2021-09-19", "sessions"), ("2021-09-26", "sessions"), ("2021-10-03", "sessions")],
     Grain.WEEKLY, WeekAnchor.END, {("sessions", "2021-09"): (25, 30), ("sessions", "2021-10"): (3, 31)}),
    # monthly rows are whole months, a month without a row is not listed
    ([("2026-01-01", "revenue"), ("2026-03-01", "revenue")], Grain.MONTHLY, WeekAnchor.START,
     {("revenue", "2026-01"): (31, 31), ("revenue", "2026-03"): (31, 31)}),
    # the month holding today is covered up to today, whatever the grain
    ([("2026-10-30", "clicks"), ("2026-11-16", "clicks")], Grain.DAILY, WeekAnchor.START,
     {("clicks", "2026-10"): (2, 31), ("clicks", "2026-11"): (16, 30)}),
    ([("2026-11-09", "clicks")], Grain.WEEKLY, WeekAnchor.START, {("clicks", "2026-11"): (7, 30)}),
    ([("2026-11-13", "clicks")], Grain.WEEKLY, WeekAnchor.START, {("clicks", "2026-11"): (4, 30)}),  # 13–16 Nov
    ([("2026-11-01", "revenue")], Grain.MONTHLY, WeekAnchor.START, {("revenue", "2026-11"): (16, 30)}),
])
def test_coverage_rules(rows: list[tuple[str, str]], grain: Grain, anchor: WeekAnchor,
                        expected: dict[tuple[str, str], tuple[int, int]]) -> None:
    long = long_rows(rows)
    placed = long
    if grain == Grain.WEEKLY:  # the stored rows after the split: each week's months, by hand
        start = long["date"] - pd.Timedelta(days=6 if anchor == WeekAnchor.END else 0)
        placed = pd.concat([long.assign(date=start), long.assign(date=start + pd.Timedelta(days=6))])
    assert covered(month_coverage(long, placed, grain, TODAY, anchor)) == expected


def test_crm_events_cover_whole_months() -> None:
    long = long_rows([("2026-01-17", "deals_won"), ("2026-03-02", "deals_won"), ("2026-11-03", "deals_won")])
    assert covered(month_coverage(long, long, Grain.DAILY, TODAY, whole=True)) == {
        ("deals_won", "2026-01"): (31, 31), ("deals_won", "2026-03"): (31, 31), ("deals_won", "2026-11"): (16, 30)}


def test_a_month_the_split_reaches_after_today_is_not_covered_yet() -> None:
    long = long_rows([("2026-11-30", "clicks")])
    placed = pd.concat([long, long.assign(date=pd.to_datetime(["2026-12-01"]))])
    assert covered(month_coverage(long, placed, Grain.WEEKLY, dt.date(2026, 11, 30))) == {
        ("clicks", "2026-11"): (1, 30), ("clicks", "2026-12"): (0, 31)}


def test_no_rows_no_coverage() -> None:
    empty = long_rows([])
    frame = month_coverage(empty, empty, Grain.DAILY, TODAY)
    assert frame.empty and list(frame.columns) == ["metric", "month", "covered_days", "month_days"]


def test_a_daily_file_stopping_mid_month_shows_the_partial_months_in_the_preview() -> None:
    days = pd.date_range("2026-08-26", "2026-09-05")
    text = "Date,Clicks,Sessions\n" + "".join(f"{d:%Y-%m-%d},{i},{2 * i}\n" for i, d in enumerate(days))
    table = read_file("daily.csv", text.encode())
    result = convert(table, suggest(table, STANDARD_CATALOG), STANDARD_CATALOG, "USD", TODAY)
    per_month = days.to_period("M").value_counts()
    assert result.partial_months() == [f"Sep 2026: {per_month[pd.Period('2026-09')]} of 30 days",
                                       f"Aug 2026: {per_month[pd.Period('2026-08')]} of 31 days"]
    assert list(result.coverage.columns) == ["metric", "month", "covered_days", "month_days"]
    assert isinstance(result.coverage["month"].iloc[0], dt.date)


def test_metrics_that_cover_a_month_differently_are_named() -> None:
    text = "Date,Clicks,Sessions\n2026-08-01,1,\n2026-08-10,1,5\n2026-08-31,,5\n"
    table = read_file("daily.csv", text.encode())
    result = convert(table, suggest(table, STANDARD_CATALOG), STANDARD_CATALOG, "USD", TODAY)
    assert result.partial_months({"clicks": "Clicks", "sessions": "Sessions"}) == [
        "Aug 2026: 10 of 31 days (Clicks), 22 of 31 days (Sessions)"]


# --- An export without dates: the whole file is one month ------------------------------------------


def test_an_undated_export_needs_a_date_column_or_a_month() -> None:
    assert [p.reason for p in undated().problems] == [
        "choose the column that holds the date, or tick 'This file has no date column: import it as one month'"]


def test_an_undated_export_as_one_month_puts_every_row_in_that_month() -> None:
    result = undated(whole_file_month=dt.date(2026, 10, 1))
    assert result.problems == [] and result.grain == Grain.MONTHLY and result.date_format == "Oct 2026 for every row"
    raw = pd.read_csv(FIXTURES / UNDATED)
    expected = raw.melt(id_vars=["Channel"], var_name="column").assign(
        metric=lambda f: f["column"].map({"Spend": "marketing_spend", "Clicks": "clicks",
                                          "Impressions": "impressions"}))
    got = result.long.assign(month=pd.to_datetime(result.long["date"]).dt.strftime("%Y-%m"))
    assert set(got["month"]) == {"2026-10"}
    assert got.set_index(["metric", "segment"])["value"].sort_index().to_dict() == pytest.approx(
        expected.set_index(["metric", "Channel"])["value"].sort_index().to_dict())
    assert covered(result.coverage) == {(m, "2026-10"): (31, 31) for m in ("clicks", "impressions",
                                                                           "marketing_spend")}
    assert result.partial_months() == []


def test_the_current_month_as_the_whole_file_is_covered_up_to_today() -> None:
    result = undated(whole_file_month=dt.date(2026, 11, 1))
    assert set(covered(result.coverage).values()) == {(16, 30)}
    assert result.partial_months() == ["Nov 2026: 16 of 30 days"]


@pytest.mark.parametrize(("changes", "reason"), [
    ({"whole_file_month": dt.date(2026, 12, 1)}, "Dec 2026 has not begun yet: choose the month the file covers"),
    ({"whole_file_month": dt.date(2026, 10, 1), "columns": {"Channel": ColumnChoice(role=Role.DATE),
                                                            "Spend": ColumnChoice(role=Role.METRIC,
                                                                                  metric="marketing_spend")}},
     "'Channel' holds the dates, and the whole file is also set to be Oct 2026: ignore the column or clear the month"),
    ({"whole_file_month": dt.date(2026, 10, 1), "layout": Layout.CRM},
     "a CRM export is dated by its created and close dates: it cannot be imported as Oct 2026"),
])
def test_one_month_files_are_refused_when_the_month_cannot_be_right(changes: dict, reason: str) -> None:
    assert reason in [p.reason for p in undated(**changes).problems]


def test_an_undated_export_imports_as_one_month(engine: Engine, workspace_id: int) -> None:
    table = read_file(UNDATED, (FIXTURES / UNDATED).read_bytes())
    mapping = suggest(table, STANDARD_CATALOG)
    mapping.whole_file_month = dt.date(2026, 10, 1)
    outcome = import_table(engine, workspace_id, table, mapping, today=TODAY)
    assert outcome.accepted, outcome.problems
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, ["marketing_spend", "clicks"])
    raw = pd.read_csv(FIXTURES / UNDATED)
    stored = {(k, m): v.value for k, points in data.items() for m, v in points.items()}
    assert stored == pytest.approx({("marketing_spend", dt.date(2026, 10, 1)): raw["Spend"].sum(),
                                    ("clicks", dt.date(2026, 10, 1)): raw["Clicks"].sum()})


# --- What the screens show ---------------------------------------------------------------------------


def undated_mapping_screen() -> None:
    """The mapping step alone on a file without a date column, showing the mapping it returns."""
    import streamlit as st

    from components.import_mapping import mapping_editor
    from importers.reading import read_file
    from importers.suggest import suggest
    from metrics.catalog import STANDARD_CATALOG

    table = read_file("undated.csv", b"Channel,Spend\nMeta,10\nGoogle Ads,20\n")
    mapping = mapping_editor(table, suggest(table, STANDARD_CATALOG), STANDARD_CATALOG, "u")
    st.code(mapping.model_dump_json(), language="json")


def test_the_mapping_screen_offers_one_month_when_no_column_holds_dates() -> None:
    from streamlit.testing.v1 import AppTest

    from importers.mapping import ImportMapping

    at = AppTest.from_function(undated_mapping_screen).run()
    assert not at.exception
    offer = at.checkbox(key="u-whole")
    assert offer.label == "This file has no date column: import it as one month" and not offer.value
    assert ImportMapping.model_validate_json(at.code[0].value).whole_file_month is None
    offer.check().run()
    picker = at.selectbox(key="u-whole-month")
    assert picker.value == dt.date(2026, 10, 1)  # last month, by the pinned today
    picker.set_value(dt.date(2026, 9, 1)).run()
    assert ImportMapping.model_validate_json(at.code[0].value).whole_file_month == dt.date(2026, 9, 1)


def preview_screen() -> None:
    """The dry-run summary of a weekly file whose edge weeks cover parts of months."""
    from components.import_results import outcome_summary
    from db.imports import ImportOutcome
    from importers.convert import convert
    from importers.reading import read_file
    from importers.suggest import suggest
    from metrics.catalog import STANDARD_CATALOG

    text = b"Week,Sessions\n2021-01-04,70\n2021-01-11,70\n,5\n2021-01-18,70\n2021-01-25,70\n"
    table = read_file("weekly.csv", text)
    mapping = suggest(table, STANDARD_CATALOG)
    mapping.skip_undated = True
    conversion = convert(table, mapping, STANDARD_CATALOG, "USD")
    outcome_summary(ImportOutcome(conversion, "weekly"), "USD", dry_run=True)


def test_the_preview_shows_skipped_rows_and_partial_months() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(preview_screen).run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in [*at.info, *at.caption]]  # markdown escapes removed
    assert "Skipped: 1 row had no date and was skipped (row 4)." in shown
    assert "Partial months: Jan 2021: 28 of 31 days" in shown  # 4 to 31 January: the last week ends on the 31st
