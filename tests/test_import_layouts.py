"""Every layout and grain to long rows, the weekly split, CRM figures, suggestions, presets and problems."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from importers.convert import MISSING_DATE, Conversion, convert
from importers.grain import Grain, WeekAnchor, detect_grain
from importers.mapping import ColumnChoice, ImportMapping, Layout, NewMetric, Role, suggest_metric, suggest_source_name
from importers.reading import read_file
from importers.suggest import apply_preset, suggest
from metrics.catalog import STANDARD_CATALOG, Unit

TODAY = dt.date(2026, 11, 24)


def run(text: str, currency: str = "USD", file: str = "file.csv", **changes: object) -> tuple[ImportMapping,
                                                                                                 Conversion]:
    table = read_file(file, text.encode())
    mapping = suggest(table, STANDARD_CATALOG)
    for name, value in changes.items():
        setattr(mapping, name, value)
    return mapping, convert(table, mapping, STANDARD_CATALOG, currency, TODAY)


def totals(conversion: Conversion) -> dict[tuple[str, str, str], float]:
    """(month, metric, segment) -> value, the way the ingest path will roll them up (sums per month)."""
    long = conversion.long.assign(month=pd.to_datetime(conversion.long["date"]).dt.strftime("%Y-%m"))
    grouped = long.groupby(["month", "metric", "segment"])["value"].sum()
    return {key: round(value, 6) for key, value in grouped.items()}


def problems(conversion: Conversion) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.reason) for p in conversion.problems]


# --- Layouts -------------------------------------------------------------------------------------


def test_wide_monthly_finance_sheet() -> None:
    mapping, result = run("Month;Revenue (€);New customers\n2026-01;1.200.000,50;12\n2026-02;1.260.000,00;15\n",
                          currency="EUR")
    assert mapping.layout == Layout.WIDE and result.grain == Grain.MONTHLY and result.decimal == ","
    assert totals(result) == {("2026-01", "new_customers", ""): 12, ("2026-01", "revenue", ""): 1_200_000.5,
                              ("2026-02", "new_customers", ""): 15, ("2026-02", "revenue", ""): 1_260_000}
    assert result.problems == [] and result.periods_text() == "Jan 2026 – Feb 2026 (2 months)"


AD_EXPORT = """Campaign performance report
"March 1, 2026 - March 31, 2026"
Day,Platform,Campaign,Ad group,Impr.,Link clicks,Cost (USD),Conversions,Conv. value,CTR
2026-03-01,Google Ads,Brand,Exact,"1,000",50,$120.50,3,300,5%
2026-03-01,Google Ads,Brand,Broad,"2,000",70,$80.00,1,100,3.5%
2026-03-01,Meta,Prospecting,All,500,10,$40.00,0,0,2%
2026-04-02,Meta,Prospecting,All,100,1,$1.00,0,0,1%
Total: Account,,,,"3,600",131,$241.50,4,400,
"""


def test_ad_platform_rows_add_up_breakdowns_and_keep_platforms_apart() -> None:
    mapping, result = run(AD_EXPORT, file="google-ads-2026-03.csv")
    assert mapping.layout == Layout.AD_PLATFORM
    assert {c: (ch.role, ch.metric) for c, ch in mapping.columns.items()} == {
        "Day": (Role.DATE, None), "Platform": (Role.SEGMENT, None), "Campaign": (Role.DETAIL, None),
        "Ad group": (Role.DETAIL, None), "Impr.": (Role.METRIC, "impressions"), "Link clicks": (Role.METRIC, "clicks"),
        "Cost (USD)": (Role.METRIC, "marketing_spend"), "Conversions": (Role.METRIC, "conversions"),
        "Conv. value": (Role.METRIC, "conversion_value"), "CTR": (Role.IGNORE, None)}
    assert [m.key for m in mapping.new_metrics] == ["conversions", "conversion_value"]
    got = totals(result)
    assert got[("2026-03", "impressions", "Google Ads")] == 3000
    assert got[("2026-03", "marketing_spend", "Google Ads")] == 200.5
    assert got[("2026-03", "marketing_spend", "Meta")] == 40
    assert got[("2026-04", "clicks", "Meta")] == 1
    assert got[("2026-03", "conversion_value", "Google Ads")] == 400
    assert result.grain == Grain.DAILY and result.notes == ["Skipped the totals row(s) at the end (row 8)."]
    assert mapping.source_name == "google ads"


def test_long_sheet_with_units_and_a_segment() -> None:
    text = ("date,metric,value,segment,unit\n2026-01-31,Revenue,100,,USD\n2026-01-31,Impressions,1000,Google,\n"
            "2026-02-28,NPS,40,,score\n2026-02-28,Aided awareness,34,,%\n")
    mapping, result = run(text)
    assert mapping.layout == Layout.LONG
    assert mapping.metric_names == {"Revenue": "revenue", "Impressions": "impressions", "NPS": "nps",
                                    "Aided awareness": "aided_awareness"}
    assert totals(result) == {("2026-01", "impressions", "Google"): 1000, ("2026-01", "revenue", ""): 100,
                              ("2026-02", "aided_awareness", ""): 0.34, ("2026-02", "nps", ""): 40}


CRM = """Opportunity ID,Opportunity Name,Created Date,Close Date,Stage,Amount,Lead Source
1,Acme,2026-01-05,2026-02-10,Closed Won,"$10,000",Web
2,Beta,2026-01-20,2026-02-15,Closed Lost,5000,Outbound
3,Gamma,2026-02-01,2026-03-15,Closed Won,7000,Partner
4,Delta,2026-02-03,2026-12-01,Negotiation,9000,Webinar
5,Echo,2026-03-10,2026-03-20,Closed Won,2000,Webinar
"""


def test_crm_opportunities_become_pipeline_bookings_win_rate_inputs_and_marketing_sourced_revenue() -> None:
    mapping, result = run(CRM)
    assert mapping.layout == Layout.CRM
    assert mapping.won_stages == ["Closed Won"] and mapping.lost_stages == ["Closed Lost"]
    assert mapping.marketing_sources == ["Web", "Webinar"]
    got = totals(result)
    expected = {
        ("2026-01", "opportunities", ""): 2, ("2026-01", "pipeline_created", ""): 15_000,
        ("2026-02", "opportunities", ""): 2, ("2026-02", "pipeline_created", ""): 16_000,
        ("2026-03", "opportunities", ""): 1, ("2026-03", "pipeline_created", ""): 2_000,
        ("2026-02", "deals_won", ""): 1, ("2026-02", "deals_lost", ""): 1, ("2026-02", "new_bookings", ""): 10_000,
        ("2026-02", "marketing_sourced_revenue", ""): 10_000,
        ("2026-03", "deals_won", ""): 2, ("2026-03", "deals_lost", ""): 0, ("2026-03", "new_bookings", ""): 9_000,
        ("2026-03", "marketing_sourced_revenue", ""): 2_000,
    }
    assert got == expected
    assert result.problems == []


def test_crm_problems_name_rows_and_columns() -> None:
    text = CRM + "1,Dup,2026-03-01,2026-03-02,Closed Won,100,Web\n6,NoClose,2026-03-01,,Closed Won,100,Web\n"
    _, result = run(text)
    assert problems(result) == [(7, "Opportunity ID", "same opportunity ID as row 2"),
                                (8, "Close Date", MISSING_DATE)]


# --- Grains and the weekly split -----------------------------------------------------------------


@pytest.mark.parametrize(("days", "grain"), [
    (["2026-03-01", "2026-03-02", "2026-03-04"], Grain.DAILY),
    (["2026-03-02", "2026-03-09", "2026-03-23"], Grain.WEEKLY),
    (["2026-01-01", "2026-02-01", "2026-04-01"], Grain.MONTHLY),
    (["2026-01-31", "2026-02-28", "2026-03-31"], Grain.MONTHLY),
    (["2026-03-15"], Grain.DAILY),
    (["2026-03-01"], Grain.MONTHLY),
])
def test_grain_detection(days: list[str], grain: Grain) -> None:
    assert detect_grain(pd.to_datetime(days).to_numpy()) == grain


def test_a_week_straddling_two_months_is_split_by_its_days() -> None:
    text = ("Week,Sessions,MQLs,Customers,NPS,NPS responses\n2026-03-23,700,7,100,40,10\n"
            "2026-03-30,700,14,110,50,70\n")
    _, result = run(text)
    assert result.grain == Grain.WEEKLY
    got = totals(result)
    assert got[("2026-03", "sessions", "")] == 700 + 200  # 30 and 31 March: 2 of 7 days
    assert got[("2026-04", "sessions", "")] == 500
    assert got[("2026-03", "mqls", "")] == 7 + 4 and got[("2026-04", "mqls", "")] == 10
    assert got[("2026-04", "customers", "")] == 110 and got[("2026-03", "customers", "")] == 100  # end of week
    nps = result.long[result.long["metric"] == "nps"]
    assert nps["weight"].round(6).tolist() == [10, 20, 50] and nps["value"].tolist() == [40, 50, 50]


def test_week_dates_can_be_the_last_day_of_the_week() -> None:
    _, result = run("Week ending,Sessions\n2026-04-05,700\n", grain=Grain.WEEKLY, week_anchor=WeekAnchor.END)
    assert totals(result) == {("2026-03", "sessions", ""): 200, ("2026-04", "sessions", ""): 500}


# --- Suggestions and presets ---------------------------------------------------------------------


@pytest.mark.parametrize(("header", "unit", "expected"), [
    ("Cost (USD)", "USD", "marketing_spend"), ("Amount Spent (USD)", "USD", "marketing_spend"),
    ("Impr.", None, "impressions"), ("Impressions", None, "impressions"), ("Link clicks", None, "clicks"),
    ("Clicks (all)", None, "clicks"), ("Revenue (€)", "EUR", "revenue"), ("Net revenue", None, "revenue"),
    ("New customers", None, "new_customers"), ("MQLs", None, "mqls"), ("Sessions", None, "sessions"),
    ("Churned MRR", None, "churned_revenue"), ("Pipeline created", None, "pipeline_created"),
    ("NPS", None, "nps"), ("Ad spend", None, "marketing_spend"), ("Revenue (%)", "%", None),
    ("Campaign name", None, None),
])
def test_metric_suggestions_for_realistic_headers(header: str, unit: str | None, expected: str | None) -> None:
    assert suggest_metric(header, STANDARD_CATALOG, unit)[0] == expected


def test_crm_headers_get_their_roles() -> None:
    table = read_file("opps.csv", CRM.encode())
    mapping = suggest(table, STANDARD_CATALOG)
    assert {c: ch.role for c, ch in mapping.columns.items() if ch.role != Role.IGNORE} == {
        "Opportunity ID": Role.DEAL_ID, "Created Date": Role.CREATED_DATE, "Close Date": Role.CLOSE_DATE,
        "Stage": Role.STAGE, "Amount": Role.AMOUNT, "Lead Source": Role.LEAD_SOURCE}


@pytest.mark.parametrize(("file", "name"), [
    ("google-ads-2026-03.csv", "google ads"), ("Finance export March 2026.xlsx", "Finance"),
    ("2026-03.csv", "Spreadsheet"),
])
def test_source_names_drop_dates_and_export_words(file: str, name: str) -> None:
    assert suggest_source_name(file, Layout.WIDE) == name


def test_a_preset_survives_json_and_applies_to_next_months_file() -> None:
    mapping, _ = run(AD_EXPORT)
    mapping.columns["Campaign"] = ColumnChoice(role=Role.SEGMENT)
    mapping.new_metrics.append(NewMetric(key="demo_requests", label="Demo requests", unit=Unit.COUNT))
    restored = ImportMapping.model_validate_json(mapping.model_dump_json())
    assert restored == mapping
    next_month = AD_EXPORT.replace(",CTR", ",Video views").replace("Ad group,", "Ad set,")
    table = read_file("google-ads-2026-04.csv", next_month.encode())
    applied, missing = apply_preset(restored, table, STANDARD_CATALOG)
    assert missing == ["Ad group"]
    assert applied.columns["Campaign"].role == Role.SEGMENT
    assert applied.columns["Ad set"].role == Role.DETAIL  # new column: suggested
    assert "Ad group" not in applied.columns


# --- Problems, all at once -----------------------------------------------------------------------


def test_every_problem_is_reported_at_once_with_row_and_column() -> None:
    text = ("Date,Channel,Revenue,Clicks\n2026-01-01,Web,abc,5\n2026-13-01,Web,5,-3\n2026-01-01,Web,7,1\n"
            "2027-01-01,Web,5,5\n,Web,5,5\n2026-01-02,Web,€5,5\n2026-01-03,Web,5,12%\n")
    _, result = run(text)
    assert problems(result) == [
        (2, "Revenue", "not a number: 'abc'"),
        (3, "Date", "not a date: '2026-13-01'"),
        (3, "Clicks", "Clicks cannot be negative: '-3'"),
        (4, "Date, Channel", "same date, Channel as row 2"),
        (5, "Date", "the date is after today (2026-11-24)"),
        (6, "Date", MISSING_DATE),
        (7, "Revenue", "'€5' is not in USD, the currency this workspace reports in"),
        (8, "Clicks", "'12%' has a % sign but Clicks is not a percentage"),
    ]
    assert result.rows_rejected == 7 and result.rows_read == 7


def test_long_sheets_report_unknown_metrics_and_units() -> None:
    text = "date,metric,value,unit\n2026-01-31,kittens,3,\n2026-01-31,Clicks,4,kg\n2026-01-31,Revenue,4,GBP\n"
    _, result = run(text)
    assert problems(result) == [
        (2, "metric", "unknown metric 'kittens': choose the metric it is, or ignore it"),
        (3, "unit", "unknown unit 'kg'"),
        (4, "unit", "unit 'GBP' is not USD, the currency this workspace reports in"),
    ]


def test_a_header_currency_that_is_not_the_workspace_currency_is_refused_with_the_rows_checked_too() -> None:
    _, result = run("Month,Revenue (USD)\n2026-01,5\n2026-02,five\n", currency="EUR")
    assert problems(result) == [
        (None, "Revenue (USD)", "amounts are in USD but this workspace reports in EUR: convert them first"),
        (3, "Revenue (USD)", "not a number: 'five'")]
