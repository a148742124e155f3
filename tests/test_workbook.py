"""The review workbook read back with openpyxl: headers in words, names not keys, units as number formats,
frozen headers, sensible widths, and no sheet left without its headers."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from metrics.review import ReviewSnapshot
from reports.workbook import review_workbook
from tests.review_samples import snapshot

SHEETS = ["Scorecard", "One View", "Vanity traps", "Actions", "Notes and decisions"]
USD = '"$"#,##0;-"$"#,##0'


def book(review: ReviewSnapshot) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(review_workbook(review)))


def rows(sheet: Worksheet) -> list[dict[str, openpyxl.cell.Cell]]:
    """Body rows as {header: cell}."""
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2)]


@pytest.fixture(scope="module")
def seven() -> openpyxl.Workbook:
    return book(snapshot(kpi_count=7))


def test_every_sheet_has_headers_in_words_and_a_frozen_header_row(seven) -> None:
    assert seven.sheetnames == SHEETS
    for sheet in seven:
        headers = [c.value for c in sheet[1]]
        in_words = [h for h in headers if (h[0].isupper() or h.startswith("% ")) and "_" not in h]
        assert headers and in_words == headers
        assert sheet.freeze_panes == "A2"
        assert all(c.font.bold for c in sheet[1])


def test_vanity_traps_have_readable_headers_and_growth_as_percent(seven) -> None:
    sheet = seven["Vanity traps"]
    assert [c.value for c in sheet[1]] == ["Output", "Output growth (quarter)", "Outcome it should drive",
                                           "Outcome growth (quarter)", "Reading"]
    trap = rows(sheet)[0]
    assert trap["Output growth (quarter)"].value == pytest.approx(0.22)
    assert trap["Output growth (quarter)"].number_format == "+0.0%;-0.0%;0.0%"
    assert trap["Outcome growth (quarter)"].value == pytest.approx(-0.09)


@pytest.mark.parametrize(("kpi", "unit_name", "actual", "actual_format", "variance", "variance_format"), [
    ("Pipeline created", "Currency (USD)", 80_000, USD, -20_000, '+"$"#,##0;-"$"#,##0;"$"#,##0'),
    ("Win rate", "Percent", 0.25, "0.0%", 1.0, '+0.0" pts";-0.0" pts";0.0" pts"'),  # 25% against 24%: 1 point
    ("Net Promoter Score", "Score", 41.0, "0.0", -4.0, "+0.0;-0.0;0.0"),
])
def test_scorecard_figures_carry_their_unit_as_a_number_format(seven, kpi, unit_name, actual, actual_format, variance,
                                                               variance_format) -> None:
    row = next(r for r in rows(seven["Scorecard"]) if r["KPI"].value == kpi)
    assert row["Unit"].value == unit_name
    assert (row["Actual"].value, row["Actual"].number_format) == (pytest.approx(actual), actual_format)
    assert row["Actual"].data_type == "n"
    assert (row["Variance"].value, row["Variance"].number_format) == (pytest.approx(variance), variance_format)
    assert row["% of target"].number_format == "0%"
    assert row["Variance %"].number_format == "+0.0%;-0.0%;0.0%"
    assert row["Streak (months)"].number_format == "#,##0"
    assert row["CEO and CMO disagree"].value in ("Yes", "No")


def test_the_company_currency_is_the_one_shown() -> None:
    review = snapshot(kpi_count=1).model_copy(update={"currency": "EUR"})
    actual = rows(book(review)["Scorecard"])[0]["Actual"]
    assert actual.number_format == '"€"#,##0;-"€"#,##0'


def test_a_change_that_rounds_to_zero_is_stored_as_zero() -> None:
    review = snapshot(kpi_count=3)
    win_rate = review.kpis[2]
    win_rate.variance, win_rate.variance_pct = -0.0001, -0.0004  # -0.01 points, -0.04%
    row = rows(book(review)["Scorecard"])[2]
    assert row["Variance"].value == 0 and row["Variance %"].value == 0


def test_one_view_cards_show_their_units_and_no_minus_zero() -> None:
    review = snapshot()
    review.cards[1].change_month = "-0.0 pts"
    sheet = book(review)["One View"]
    revenue, nps = rows(sheet)
    assert (revenue["Metric"].value, revenue["Value"].value, revenue["Value"].number_format) == (
        "Revenue", 1_200_000, USD)
    assert (nps["Value"].number_format, nps["Change vs last month"].value) == ("0.0", "0.0 pts")
    assert revenue["Story"].value == "The P&L" and revenue["Figures cover"].value == "Whole month"


def test_actions_name_their_kpi_and_dates_are_dates() -> None:
    review = snapshot(kpi_count=1)
    review.actions[0].action.kpi_key = "pipeline_created"  # on the scorecard
    review.actions[1].action.kpi_key = "mqls"  # not agreed, not a card: the catalog's name
    first, second, third = rows(book(review)["Actions"])
    assert (first["Linked KPI"].value, second["Linked KPI"].value, third["Linked KPI"].value) == (
        "Pipeline created", "MQLs", None)  # no linked KPI: an empty cell
    assert first["Due"].value == dt.datetime(2026, 9, 11) and first["Due"].number_format == "d mmm yyyy"
    assert first["Agreed in"].value == dt.datetime(2026, 7, 1) and first["Agreed in"].number_format == "mmm yyyy"
    assert (first["Status"].value, first["Carried over"].value, first["Overdue"].value) == ("Open", "Yes", "Yes")


def test_notes_name_their_agenda_item_in_words(seven) -> None:
    note = rows(seven["Notes and decisions"])[0]
    assert (note["Agenda item"].value, note["Kind"].value) == ("Decisions", "Decision")


def test_columns_are_as_wide_as_their_headers_and_long_text_wraps(seven) -> None:
    sheet = seven["Scorecard"]
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert len(cell.value) + 2 <= width <= 60, (cell.value, width)
    commentary = rows(sheet)[0]["What we are doing"]
    assert commentary.alignment.wrap_text


def test_an_empty_part_keeps_its_headers_and_says_there_is_nothing() -> None:
    review = snapshot(kpi_count=0, actions=0).model_copy(update={"vanity_traps": [], "notes": [], "cards": []})
    empty = book(review)
    assert empty.sheetnames == SHEETS
    for sheet in empty:
        assert sheet.max_row == 2, sheet.title
        assert all(isinstance(c.value, str) for c in sheet[1])
        message = sheet["A2"].value
        assert message.startswith("No ") and sheet["A2"].font.italic
        assert [c.value for c in sheet[2][1:]] == [None] * (sheet.max_column - 1)


def test_share_safe_leaves_currency_cells_empty_but_keeps_the_rest() -> None:
    from metrics.review import share_safe

    row = rows(book(share_safe(snapshot(kpi_count=3)))["Scorecard"])
    pipeline, win_rate = row[0], row[2]
    assert pipeline["Actual"].value is None and pipeline["% of target"].value == pytest.approx(0.8)
    assert win_rate["Actual"].value == pytest.approx(0.25)
    assert win_rate["Unit"].value == "Percent" and pipeline["Unit"].value == "Currency (USD)"
