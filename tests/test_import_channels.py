"""Several columns into one metric, each a channel of it: spend per channel in five columns, weekly, with
weeks that straddle months; the refusal that says how to fix it; weighted averages per channel; the
mapping screen's channel boxes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db.engine import session_scope
from db.imports import import_table
from db.queries import monthly_data
from importers.convert import Conversion, convert
from importers.grain import WeekAnchor
from importers.mapping import ColumnChoice, ImportMapping, Layout, Role
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

FIXTURES = Path(__file__).parent / "fixtures"
WEEKLY = "weekly_channels.csv"
TODAY = dt.date(2026, 11, 16)
SPEND = ["tv_spend", "search_spend", "social_spend", "display_spend", "radio_spend"]


def weekly_mapping(channels: dict[str, str] | None = None) -> tuple[object, ImportMapping]:
    """The fixture with every spend column mapped to marketing spend, named ``channels`` (column -> name)."""
    table = read_file(WEEKLY, (FIXTURES / WEEKLY).read_bytes())
    mapping = suggest(table, STANDARD_CATALOG)
    for column in SPEND:
        mapping.columns[column] = ColumnChoice(role=Role.METRIC, metric="marketing_spend",
                                               segment=(channels or {}).get(column, ""))
    return table, mapping


def named() -> dict[str, str]:
    return {c: c.removesuffix("_spend") for c in SPEND}


def weekly_conversion(channels: dict[str, str] | None = None, **changes: object) -> Conversion:
    table, mapping = weekly_mapping(channels)
    for name, value in changes.items():
        setattr(mapping, name, value)
    return convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)


def monthly(conversion: Conversion) -> dict[tuple[str, str, str], float]:
    long = conversion.long.assign(month=pd.to_datetime(conversion.long["date"]).dt.strftime("%Y-%m"))
    return long.groupby(["month", "metric", "segment"])["value"].sum().to_dict()


def expected_by_channel(anchor: WeekAnchor = WeekAnchor.START) -> dict[tuple[str, str, str], float]:
    """Each week's spend spread evenly over its seven days with pandas, then added up per month and channel."""
    raw = pd.read_csv(FIXTURES / WEEKLY, parse_dates=["week"])
    start = raw["week"] - pd.Timedelta(days=6 if anchor == WeekAnchor.END else 0)
    days = pd.concat([raw.assign(day=start + pd.Timedelta(days=i)) for i in range(7)])
    melted = days.melt(id_vars=["day"], value_vars=SPEND, var_name="column", value_name="spend")
    melted["segment"] = melted["column"].str.removesuffix("_spend")
    melted["month"] = melted["day"].dt.strftime("%Y-%m")
    sums = (melted.groupby(["month", "segment"])["spend"].sum() / 7).to_dict()
    return {(month, "marketing_spend", segment): value for (month, segment), value in sums.items()}


# --- Refusals that say how to fix them -------------------------------------------------------------


def test_several_columns_on_one_metric_without_channel_names_are_refused_with_the_fix() -> None:
    result = weekly_conversion()
    assert [(p.column, p.reason) for p in result.problems] == [(", ".join(SPEND), (
        "tv_spend, search_spend, social_spend, display_spend, radio_spend are all mapped to Marketing spend: give "
        "each a channel name to keep them as channels, or ignore all but one"))]
    assert result.long.empty


def test_two_columns_without_names_get_the_two_column_wording() -> None:
    table = read_file("spend.csv", b"Date,tv_spend,search_spend\n2026-03-02,10,20\n")
    mapping = suggest(table, STANDARD_CATALOG)
    for column in ("tv_spend", "search_spend"):
        mapping.columns[column] = ColumnChoice(role=Role.METRIC, metric="marketing_spend")
    result = convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)
    assert [p.reason for p in result.problems] == [
        "tv_spend, search_spend are both mapped to Marketing spend: give each a channel name to keep them as "
        "channels, or ignore one"]


def test_one_named_column_is_not_enough_when_another_has_no_name() -> None:
    result = weekly_conversion({"tv_spend": "tv", "search_spend": "search", "social_spend": "social",
                                "display_spend": "display"})
    assert len(result.problems) == 1 and result.problems[0].reason.startswith("tv_spend, search_spend, social_spend")


def test_two_columns_with_the_same_channel_name_are_refused() -> None:
    channels = {**named(), "radio_spend": "TV"}
    result = weekly_conversion(channels)
    assert [(p.column, p.reason) for p in result.problems] == [("tv_spend, radio_spend", (
        "tv_spend, radio_spend are mapped to Marketing spend with the same channel name 'tv': give each a channel "
        "name of its own"))]


# --- Channels imported -----------------------------------------------------------------------------


def test_five_spend_columns_become_five_channels_split_by_the_days_of_each_week() -> None:
    result = weekly_conversion(named())
    assert result.problems == [] and result.grain.value == "weekly"
    got = {k: v for k, v in monthly(result).items() if k[1] == "marketing_spend"}
    assert got == pytest.approx(expected_by_channel())
    # the first week of October holds the last week's 3 days: 3/7 of the week of 27 September
    raw = pd.read_csv(FIXTURES / WEEKLY)
    assert got[("2021-10", "marketing_spend", "tv")] == pytest.approx(raw["tv_spend"].iloc[-1] * 3 / 7)


def test_the_total_of_the_channels_is_the_sum_of_the_columns() -> None:
    result = weekly_conversion(named())
    total = result.long[result.long["metric"] == "marketing_spend"]["value"].sum()
    assert total == pytest.approx(pd.read_csv(FIXTURES / WEEKLY)[SPEND].to_numpy().sum())


def test_a_week_dated_by_its_last_day_spreads_backwards() -> None:
    result = weekly_conversion(named(), week_anchor=WeekAnchor.END)
    got = {k: v for k, v in monthly(result).items() if k[1] == "marketing_spend"}
    assert got == pytest.approx(expected_by_channel(WeekAnchor.END))
    assert ("2020-12", "marketing_spend", "radio") in got and ("2021-10", "marketing_spend", "radio") not in got


def test_channel_names_join_the_rows_own_segment() -> None:
    text = b"Date,Region,tv_spend,search_spend\n2026-03-02,US,10,20\n2026-03-02,EU,1,2\n2026-03-03,US,5,0\n"
    table = read_file("spend.csv", text)
    mapping = suggest(table, STANDARD_CATALOG)
    mapping.columns["Region"] = ColumnChoice(role=Role.SEGMENT)
    mapping.columns["tv_spend"] = ColumnChoice(role=Role.METRIC, metric="marketing_spend", segment="tv")
    mapping.columns["search_spend"] = ColumnChoice(role=Role.METRIC, metric="marketing_spend", segment="search")
    result = convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)
    assert result.problems == []
    spend = "marketing_spend"
    assert monthly(result) == {("2026-03", spend, "US / tv"): 15, ("2026-03", spend, "US / search"): 20,
                               ("2026-03", spend, "EU / tv"): 1, ("2026-03", spend, "EU / search"): 2}


def test_a_lone_column_with_a_channel_name_goes_to_that_channel() -> None:
    table = read_file("spend.csv", b"Date,tv_spend,Clicks\n2026-03-02,10,4\n2026-03-09,30,6\n")
    mapping = suggest(table, STANDARD_CATALOG)
    mapping.columns["tv_spend"] = ColumnChoice(role=Role.METRIC, metric="marketing_spend", segment=" TV ")
    result = convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)
    assert monthly(result) == {("2026-03", "marketing_spend", "TV"): 40, ("2026-03", "clicks", ""): 10}


# --- Weighted averages per channel -----------------------------------------------------------------


NPS = b"Month,nps_us,nps_eu,responses_us,responses_eu\n2026-01,40,10,300,100\n2026-02,20,50,100,300\n"


def nps_mapping(weights: dict[str, str]) -> tuple[object, ImportMapping]:
    table = read_file("nps.csv", NPS)
    mapping = ImportMapping(layout=Layout.WIDE, columns={"Month": ColumnChoice(role=Role.DATE)})
    mapping.columns["nps_us"] = ColumnChoice(role=Role.METRIC, metric="nps", segment="US")
    mapping.columns["nps_eu"] = ColumnChoice(role=Role.METRIC, metric="nps", segment="EU")
    for column, channel in weights.items():
        mapping.columns[column] = ColumnChoice(role=Role.METRIC, metric="nps_responses", segment=channel)
    return table, mapping


def test_nps_per_channel_is_weighted_by_the_responses_of_the_same_channel(engine: Engine, workspace_id: int) -> None:
    table, mapping = nps_mapping({"responses_us": "US", "responses_eu": "EU"})
    outcome = import_table(engine, workspace_id, table, mapping, today=TODAY)
    assert outcome.accepted, outcome.problems
    long = outcome.conversion.long
    weights = long[long["metric"] == "nps"].set_index(["segment"])["weight"].groupby(level=0).sum().to_dict()
    assert weights == {"US": 400, "EU": 400}
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, ["nps"])["nps"]
    raw = pd.read_csv(pd.io.common.BytesIO(NPS))
    expected = (raw["nps_us"] * raw["responses_us"] + raw["nps_eu"] * raw["responses_eu"]) / (
        raw["responses_us"] + raw["responses_eu"])
    assert [data[dt.date(2026, m, 1)].value for m in (1, 2)] == pytest.approx(expected.tolist())  # 32.5, 42.5


def test_nps_per_channel_with_one_shared_responses_column_is_refused_plainly() -> None:
    table, mapping = nps_mapping({"responses_us": ""})
    result = convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)
    reason = ("{} needs its own column of NPS responses (with the channel name '{}'): when Net Promoter Score or "
              "its NPS responses come in several columns, they are paired by channel name")
    assert [(p.column, p.reason) for p in result.problems] == [("nps_us", reason.format("nps_us", "US")),
                                                               ("nps_eu", reason.format("nps_eu", "EU"))]


# --- Coverage and the database ---------------------------------------------------------------------


def test_coverage_of_the_weekly_file_runs_from_the_first_weeks_first_day_to_the_last_weeks_last_day() -> None:
    result = weekly_conversion(named())
    raw = pd.read_csv(FIXTURES / WEEKLY, parse_dates=["week"])
    span = pd.date_range(raw["week"].min(), raw["week"].max() + pd.Timedelta(days=6))
    per_month = span.to_period("M").value_counts().sort_index()
    expected = {(p.to_timestamp().date(), int(n), p.days_in_month) for p, n in per_month.items()}
    for metric in ("marketing_spend", "sessions"):
        rows = result.coverage[result.coverage["metric"] == metric]
        assert set(zip(rows["month"], rows["covered_days"], rows["month_days"], strict=True)) == expected
    assert result.partial_months() == ["Oct 2021: 3 of 31 days", "Jan 2021: 28 of 31 days"]


def test_the_weekly_channel_file_imports_whole_with_the_channels_adding_up(engine: Engine, workspace_id: int) -> None:
    table, mapping = weekly_mapping(named())
    outcome = import_table(engine, workspace_id, table, mapping, today=TODAY)
    assert outcome.accepted, outcome.problems
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, ["marketing_spend"])["marketing_spend"]
    expected: dict[str, float] = {}
    for (month, _, _), value in expected_by_channel().items():
        expected[month] = expected.get(month, 0.0) + value
    assert {m.strftime("%Y-%m"): v.value for m, v in data.items()} == pytest.approx(expected)


# --- The mapping screen ------------------------------------------------------------------------------


def mapping_screen() -> None:
    """The mapping step alone, on a file with two spend columns, showing the mapping it returns."""
    import streamlit as st

    from components.import_mapping import mapping_editor
    from importers.mapping import ColumnChoice, Role
    from importers.reading import read_file
    from importers.suggest import suggest
    from metrics.catalog import STANDARD_CATALOG

    table = read_file("spend.csv", b"Date,tv_spend,search_spend\n2026-03-02,10,20\n2026-03-09,5,6\n")
    start = suggest(table, STANDARD_CATALOG)
    start.columns["tv_spend"] = ColumnChoice(role=Role.METRIC, metric="marketing_spend", segment="TV")
    mapping = mapping_editor(table, start, STANDARD_CATALOG, "t")
    st.code(mapping.model_dump_json(), language="json")


def screen_mapping(at: AppTest) -> ImportMapping:
    return ImportMapping.model_validate_json(at.code[0].value)


def test_the_mapping_screen_asks_for_a_channel_per_column_once_two_share_a_metric() -> None:
    at = AppTest.from_function(mapping_screen).run()
    assert not at.exception
    # both spend columns are suggested for one metric: a Channel box each, prefilled with its name
    boxes = [t for t in at.text_input if t.label == "Channel"]
    assert [t.value for t in boxes] == ["TV", "search"]
    boxes[1].input("Search").run()
    mapping = screen_mapping(at)
    assert {c: (ch.metric, ch.segment) for c, ch in mapping.columns.items() if ch.role == Role.METRIC} == {
        "tv_spend": ("marketing_spend", "TV"), "search_spend": ("marketing_spend", "Search")}
    at.selectbox(key="t-column-2").set_value("ignore").run()
    assert [t.value for t in at.text_input if t.label == "Channel"] == ["TV"]  # a lone column keeps its name
