"""Rows that cannot be placed in time, skipped by choice: early-stage CRM deals without dates, wide rows with
values but no date. Without the choice a missing date still refuses the file, and says how to go on."""

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
from importers.mapping import ColumnChoice, Role
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

FIXTURES = Path(__file__).parent / "fixtures"
CRM = "crm_early_stage.csv"
TODAY = dt.date(2026, 11, 16)
MISSING = "the date is missing: fill it in, or tick 'Skip rows without a date'"


def crm(**changes: object) -> Conversion:
    table = read_file(CRM, (FIXTURES / CRM).read_bytes())
    mapping = suggest(table, STANDARD_CATALOG)
    for name, value in changes.items():
        setattr(mapping, name, value)
    return convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)


def text_file(text: str, **changes: object) -> Conversion:
    table = read_file("file.csv", text.encode())
    mapping = suggest(table, STANDARD_CATALOG)
    for name, value in changes.items():
        setattr(mapping, name, value)
    return convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)


def monthly(conversion: Conversion) -> dict[tuple[str, str], float]:
    long = conversion.long.assign(month=pd.to_datetime(conversion.long["date"]).dt.strftime("%Y-%m"))
    return {k: round(v, 6) for k, v in long.groupby(["month", "metric"])["value"].sum().items()}


def expected_crm() -> dict[tuple[str, str], float]:
    """The fixture's figures worked out with pandas: dated deals only, opportunities by created month, won and
    lost by close month, zeros for the months of each family's range that have none."""
    raw = pd.read_csv(FIXTURES / CRM, parse_dates=["Created Date", "Close Date"])
    dated = raw[raw["Created Date"].notna()]
    created = dated["Created Date"].dt.strftime("%Y-%m")
    closing = dated[dated["Stage"].isin(["Closed Won", "Closed Lost"])]
    closed = closing["Close Date"].dt.strftime("%Y-%m")
    won = closing["Stage"] == "Closed Won"
    marketing = closing["Lead Source"].isin(["Paid search", "Webinar"])
    figures = {
        "opportunities": dated.groupby(created).size(),
        "pipeline_created": dated.groupby(created)["Amount"].sum(),
        "deals_won": won.groupby(closed).sum(),
        "deals_lost": (~won).groupby(closed).sum(),
        "new_bookings": closing["Amount"].where(won, 0).groupby(closed).sum(),
        "marketing_sourced_revenue": closing["Amount"].where(won & marketing, 0).groupby(closed).sum(),
    }
    result = {}
    for metric, series in figures.items():
        months = pd.period_range(series.index.min(), series.index.max(), freq="M").strftime("%Y-%m")
        for month in months:
            result[(month, metric)] = float(series.get(month, 0))
    return result


# --- CRM exports -----------------------------------------------------------------------------------


def test_early_stage_deals_without_dates_refuse_the_file_and_say_how_to_go_on() -> None:
    result = crm()
    raw = pd.read_csv(FIXTURES / CRM)
    undated = raw.index[raw["Created Date"].isna()] + 2  # file rows: the header is row 1
    assert [(p.row, p.column, p.reason) for p in result.problems] == [(r, "Created Date", MISSING) for r in undated]
    assert len(undated) == 530


def test_skipping_them_imports_the_dated_deals_and_counts_the_skipped_by_stage() -> None:
    result = crm(skip_undated=True)
    assert result.problems == []
    assert result.skipped_rows == 530
    assert result.skipped_notes == ["320 rows in stage Prospecting had no date and were skipped",
                                    "210 rows in stage Qualification had no date and were skipped"]
    assert monthly(result) == pytest.approx(expected_crm())


def test_crm_coverage_is_every_month_of_the_export_whole_up_to_today() -> None:
    result = crm(skip_undated=True)
    expected = []
    for (month, metric) in expected_crm():
        first = dt.date.fromisoformat(f"{month}-01")
        days = pd.Period(month, "M").days_in_month
        expected.append((metric, first, TODAY.day if first == TODAY.replace(day=1) else days, days))
    got = result.coverage.itertuples(index=False, name=None)
    assert sorted(got) == sorted(expected)


def test_a_bad_date_still_refuses_the_file_when_undated_rows_are_skipped() -> None:
    text = ("Opportunity ID,Created Date,Close Date,Stage,Amount\n1,2026-01-05,2026-02-01,Closed Won,100\n"
            "2,,,Prospecting,50\n3,soon,,Prospecting,70\n4,2026-02-01,,Closed Won,100\n")
    result = text_file(text, skip_undated=True)
    assert [(p.row, p.column, p.reason) for p in result.problems] == [(4, "Created Date", "not a date: 'soon'")]


def test_a_won_deal_without_a_close_date_is_skipped_whole_when_asked() -> None:
    text = ("Opportunity ID,Created Date,Close Date,Stage,Amount\n1,2026-01-05,2026-02-01,Closed Won,100\n"
            "2,2026-01-20,,Closed Won,50\n")
    assert [(p.row, p.reason) for p in text_file(text).problems] == [(3, MISSING)]
    result = text_file(text, skip_undated=True)
    assert result.skipped_notes == ["1 row in stage Closed Won had no date and was skipped"]
    assert monthly(result) == {("2026-01", "opportunities"): 1, ("2026-01", "pipeline_created"): 100,
                               ("2026-02", "deals_won"): 1, ("2026-02", "deals_lost"): 0,
                               ("2026-02", "new_bookings"): 100}


def test_an_export_of_open_deals_only_imports_its_pipeline() -> None:
    text = ("Opportunity ID,Created Date,Close Date,Stage,Amount\n1,2026-01-05,,Prospecting,100\n"
            "2,2026-03-20,,Negotiation,50\n")
    result = text_file(text)
    assert result.problems == []
    assert monthly(result) == {("2026-01", "opportunities"): 1, ("2026-01", "pipeline_created"): 100,
                               ("2026-02", "opportunities"): 0, ("2026-02", "pipeline_created"): 0,
                               ("2026-03", "opportunities"): 1, ("2026-03", "pipeline_created"): 50}


def test_an_export_whose_every_deal_lacks_its_dates_says_so_instead_of_failing() -> None:
    text = "Opportunity ID,Created Date,Close Date,Stage,Amount\n1,,,Prospecting,100\n2,,,Qualification,50\n"
    assert [(p.row, p.reason) for p in text_file(text).problems] == [(2, MISSING), (3, MISSING)]
    skipped = text_file(text, skip_undated=True)
    assert [(p.row, p.reason) for p in skipped.problems] == [
        (None, "every row with figures had no date and was skipped: nothing is left to import")]
    assert skipped.skipped_rows == 2


# --- Wide and long files ---------------------------------------------------------------------------


WIDE = "Date,Sessions,MQLs\n2026-03-02,100,4\n,20,1\n2026-03-03,90,\n,,\n,5,\n2026-03-04,80,3\n"


def test_wide_rows_with_values_but_no_date_are_skipped_with_their_rows_named() -> None:
    assert [(p.row, p.column, p.reason) for p in text_file(WIDE).problems] == [(3, "Date", MISSING),
                                                                              (6, "Date", MISSING)]
    result = text_file(WIDE, skip_undated=True)
    assert result.problems == [] and result.skipped_rows == 2
    assert result.skipped_notes == ["2 rows had no date and were skipped (rows 3, 6)"]
    raw = pd.read_csv(pd.io.common.StringIO(WIDE)).dropna(subset=["Date"])
    assert monthly(result) == {("2026-03", "sessions"): raw["Sessions"].sum(), ("2026-03", "mqls"): raw["MQLs"].sum()}


def test_many_skipped_rows_name_the_first_ten() -> None:
    text = "Date,Sessions\n2026-03-02,1\n" + "".join(",1\n" for _ in range(12))
    result = text_file(text, skip_undated=True)
    assert result.skipped_notes == ["12 rows had no date and were skipped (rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, …)"]


def test_long_rows_without_a_date_are_skipped_too() -> None:
    text = "date,metric,value\n2026-03-31,Revenue,100\n,Revenue,5\n2026-02-28,Revenue,90\n"
    result = text_file(text, skip_undated=True)
    assert result.skipped_notes == ["1 row had no date and was skipped (row 3)"]
    assert monthly(result) == {("2026-02", "revenue"): 90, ("2026-03", "revenue"): 100}


def test_a_date_column_with_no_date_at_all_is_reported_row_by_row() -> None:
    result = text_file("Date,Sessions\n,1\n,2\n", columns={"Date": ColumnChoice(role=Role.DATE),
                                                         "Sessions": ColumnChoice(role=Role.METRIC, metric="sessions")})
    assert [(p.row, p.reason) for p in result.problems] == [(2, MISSING), (3, MISSING)]


# --- Through the database ----------------------------------------------------------------------------


def test_the_crm_export_imports_with_its_undated_deals_skipped(engine: Engine, workspace_id: int) -> None:
    table = read_file(CRM, (FIXTURES / CRM).read_bytes())
    mapping = suggest(table, STANDARD_CATALOG)
    refused = import_table(engine, workspace_id, table, mapping, today=TODAY, dry_run=True)
    assert not refused.accepted and len({p.row for p in refused.problems}) == 530
    mapping.skip_undated = True
    outcome = import_table(engine, workspace_id, table, mapping, today=TODAY)
    assert outcome.accepted, outcome.problems[:3]
    assert outcome.conversion.skipped_rows == 530
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, ["opportunities", "new_bookings"])
    expected = expected_crm()
    for metric in ("opportunities", "new_bookings"):
        stored = {m.strftime("%Y-%m"): v.value for m, v in data[metric].items()}
        assert stored == pytest.approx({month: v for (month, key), v in expected.items() if key == metric})


def skip_mapping_screen() -> None:
    """The mapping step alone on a CRM export, showing the mapping it returns."""
    import streamlit as st

    from components.import_mapping import mapping_editor
    from importers.reading import read_file
    from importers.suggest import suggest
    from metrics.catalog import STANDARD_CATALOG

    table = read_file("crm.csv", b"Created Date,Stage,Amount\n2026-01-05,Closed Won,100\n,Prospecting,50\n")
    mapping = mapping_editor(table, suggest(table, STANDARD_CATALOG), STANDARD_CATALOG, "s")
    st.code(mapping.model_dump_json(), language="json")


def test_the_mapping_screen_has_the_skip_choice() -> None:
    from streamlit.testing.v1 import AppTest

    from importers.mapping import ImportMapping

    at = AppTest.from_function(skip_mapping_screen).run()
    assert not at.exception
    choice = at.checkbox(key="s-skip")
    assert choice.label == "Skip rows without a date" and not choice.value
    assert [c.key for c in at.checkbox] == ["s-skip"]  # a CRM export is never "one month"
    choice.check().run()
    assert ImportMapping.model_validate_json(at.code[0].value).skip_undated is True
