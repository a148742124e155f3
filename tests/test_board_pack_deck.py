"""What a new user saw in the deck, read back with python-pptx: the outputs-vs-outcomes chart, axes in
the text's units, no "-0.0", no stray apostrophes, and tables whose words are all shown whole."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Emu

from metrics.catalog import MetricClass, Unit
from metrics.review import KpiSnapshot, ReviewSnapshot, TrendPoint, share_safe
from metrics.text_width import longest_word
from reports.board_pack import INDEX_CHART_NAME, build_board_pack, chart_format, compact_format
from reports.pdf import pdf_available, pptx_to_pdf
from reports.safe_text import neutralise, unsigned_zeros
from tests.review_samples import INDEX_SPECS, snapshot

MINUS_ZERO = re.compile(r"(?<![\d.])[-−]0(?:\.0+)?(?![\d.])")
LONG_OWNER = "Aisha Bello (VP Customer Success)"


def read(pptx: bytes) -> Presentation:
    return Presentation(io.BytesIO(pptx))


def all_texts(deck: Presentation) -> list[str]:
    found = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                found += [p.text for p in shape.text_frame.paragraphs]
            if shape.has_table:
                found += [c.text for row in shape.table.rows for c in row.cells]
    return found


def index_chart(deck: Presentation):  # noqa: ANN201 - a python-pptx Chart
    return next(shape.chart for slide in deck.slides for shape in slide.shapes
                if shape.has_chart and shape.name == INDEX_CHART_NAME)


# --- the outputs-vs-outcomes chart -------------------------------------------------------------

def test_the_deck_has_the_outputs_vs_outcomes_chart_with_the_snapshot_lines() -> None:
    review = snapshot()
    deck = read(build_board_pack(review, draft=False))
    assert deck.slides[2].shapes.title.text == "Outputs vs outcomes · 12 months to Sep 2026"
    chart = index_chart(deck)
    assert chart.chart_type == XL_CHART_TYPE.LINE
    assert chart.part.chart_workbook.xlsx_part is not None  # editable: the data travels with the chart
    series = chart.plots[0].series
    assert [s.name for s in series] == [label for label, _, _ in INDEX_SPECS]
    for plotted, (_, _, values) in zip(series, INDEX_SPECS, strict=True):
        assert list(plotted.values) == values  # the month without a figure stays a gap
    assert list(chart.plots[0].categories) == ["Oct 25", "Nov 25", "Dec 25", "Jan 26", "Feb 26", "Mar 26", "Apr 26",
                                               "May 26", "Jun 26", "Jul 26", "Aug 26", "Sep 26"]
    assert chart.value_axis.tick_labels.number_format == "0"


def test_outputs_are_dashed_and_outcomes_solid() -> None:
    chart = index_chart(read(build_board_pack(snapshot(), draft=False)))
    styles = [(s.name, s.format.line.dash_style) for s in chart.plots[0].series]
    dashed = {label: role == MetricClass.OUTPUT for label, role, _ in INDEX_SPECS}
    assert styles == [(name, MSO_LINE_DASH_STYLE.DASH if dashed[name] else None) for name, _ in styles]


def test_share_safe_keeps_the_indexed_chart() -> None:
    chart = index_chart(read(build_board_pack(share_safe(snapshot()), draft=False)))
    assert list(chart.plots[0].series[0].values) == INDEX_SPECS[0][2]


@pytest.mark.parametrize(("lines", "says"), [
    (None, "This review was closed before the board pack kept this chart"),
    ([], "None of these metrics has figures in the 12 months to this month."),
])
def test_without_lines_the_slide_says_why(lines, says) -> None:
    deck = read(build_board_pack(snapshot().model_copy(update={"index_lines": lines}), draft=False))
    slide = deck.slides[2]
    assert not [s for s in slide.shapes if s.has_chart]
    assert any(t.startswith(says) for t in all_texts(deck))


def test_an_old_frozen_snapshot_without_the_field_still_reads() -> None:
    frozen = snapshot().model_dump(mode="json")
    del frozen["index_lines"]
    assert ReviewSnapshot.model_validate(frozen).index_lines is None


# --- number formats ------------------------------------------------------------------------------

def kpi_with(unit: Unit, values: list[float], as_pct_of_target: bool = False) -> KpiSnapshot:
    import datetime as dt

    return KpiSnapshot(key="k", label="K", mandate="growth", unit=unit, trend_as_pct_of_target=as_pct_of_target,
                       trend=[TrendPoint(month=dt.date(2026, m, 1), actual=v, target=v) for m, v in
                              enumerate(values, start=1)])


@pytest.mark.parametrize(("unit", "values", "currency", "expected"), [
    (Unit.CURRENCY, [2_500_000, 3_500_000], "USD", '"$"0.0,,"M";-"$"0.0,,"M";"$"0'),  # $2.5M … $3.5M
    (Unit.CURRENCY, [420_000, 800_000], "USD", '"$"0,"K";-"$"0,"K";"$"0'),  # $420K … $800K
    (Unit.CURRENCY, [28_000, 49_300], "EUR", '"€"0,"K";-"€"0,"K";"€"0'),
    (Unit.CURRENCY, [1_200, 4_800], "CHF", '"CHF "0.0,"K";-"CHF "0.0,"K";"CHF "0'),  # CHF 1.2K
    (Unit.CURRENCY, [12_000_000_000], "GBP", '"£"0,,,"B";-"£"0,,,"B";"£"0'),
    (Unit.CURRENCY, [350, 900], "USD", '"$"#,##0;-"$"#,##0;"$"0'),
    (Unit.COUNT, [9_270_000], "USD", '0.0,,"M";-0.0,,"M";0'),  # 9.27M impressions: 9.3M
    (Unit.COUNT, [146_000], "USD", '0,"K";-0,"K";0'),
    (Unit.PERCENT, [0.12], "USD", "0.0%"),
    (Unit.RATIO, [2.0], "USD", '0.00"×"'),
    (Unit.MONTHS, [35.1], "USD", '0.0" mo"'),
    (Unit.SCORE, [33.8], "USD", "0.0"),
])
def test_chart_axes_use_the_units_of_the_text(unit, values, currency, expected) -> None:
    review = snapshot().model_copy(update={"currency": currency})
    assert chart_format(review, kpi_with(unit, values)) == expected


def test_share_safe_charts_are_percent_of_target() -> None:
    assert chart_format(snapshot(), kpi_with(Unit.CURRENCY, [1.0], as_pct_of_target=True)) == "0%"


def test_compact_format_without_values_is_plain_thousands() -> None:
    assert compact_format([]) == "#,##0;-#,##0;0"


def test_kpi_charts_read_back_with_the_compact_axis() -> None:
    deck = read(build_board_pack(snapshot(kpi_count=1), draft=False))
    chart = next(shape.chart for shape in deck.slides[5].shapes if shape.has_chart)  # pipeline: $72K … $100K
    assert chart.value_axis.tick_labels.number_format == '"$"0,"K";-"$"0,"K";"$"0'
    assert not chart.value_axis.tick_labels.number_format_is_linked


# --- text --------------------------------------------------------------------------------------

def nearly_zero_review() -> ReviewSnapshot:
    """A month in which several changes round to zero, and nobody has voted on a KPI yet."""
    review = snapshot(kpi_count=3)
    review.cards[1].change_month, review.cards[1].change_year = "-0.0 pts", "+0.0%"
    win_rate = review.kpis[2]
    win_rate.variance, win_rate.variance_pct = -0.00004, -0.00001  # shows as 0.0 pts and 0.0%
    win_rate.ceo_confidence = win_rate.cmo_confidence = None
    review.vanity_traps[0].outcome_growth = -0.0001
    return review


def test_no_change_that_rounds_to_zero_carries_a_sign() -> None:
    words = all_texts(read(build_board_pack(nearly_zero_review(), draft=False)))
    assert [t for t in words if MINUS_ZERO.search(t)] == []
    assert "0.0 pts" in words and "0.0%" in words  # the card's changes, in the One View table
    assert "Variance: 0.0 pts (0.0%)" in words


def test_no_apostrophe_where_nothing_could_run_as_a_formula() -> None:
    words = all_texts(read(build_board_pack(nearly_zero_review(), draft=False)))
    assert "- / -" in words  # no votes yet, in the scorecard table
    assert "Confidence CEO / CMO: - / -" in words
    assert [t for t in words if t.startswith("'")] == []


@pytest.mark.parametrize(("text", "shown"), [
    ("- / -", "- / -"), ("-0.0 pts", "-0.0 pts"), ("-$1.22M", "-$1.22M"), ("-", "-"), ("+3.1 pts / -2.0%", None),
    ("-CHF 5K", "-CHF 5K"), ("-12.0 (partial: 5 of 30 days)", None), ("=1+1", "'=1+1"), ("-2+3", "'-2+3"),
    ("- call the agency", "'- call the agency"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
])
def test_neutralising_only_where_a_spreadsheet_could_run_it(text, shown) -> None:
    assert neutralise(text) == (shown or text)


@pytest.mark.parametrize(("text", "tidy"), [
    ("-0.0 pts", "0.0 pts"), ("+0.0%", "0.0%"), ("-$0", "$0"), ("-0.04%", "-0.04%"), ("10-0.0", "10-0.0"),
    ("Variance: -0.0 pts (+0.0%)", "Variance: 0.0 pts (0.0%)"), ("-0.05 pts", "-0.05 pts"),
])
def test_unsigned_zeros(text, tidy) -> None:
    assert unsigned_zeros(text) == tidy


# --- tables that fit -----------------------------------------------------------------------------

def long_names_review() -> ReviewSnapshot:
    review = snapshot(kpi_count=7)
    for kpi in review.kpis:
        kpi.owner = LONG_OWNER
        kpi.ceo_confidence, kpi.cmo_confidence, kpi.disagree = 2, 4, True
    return review


def test_scorecard_columns_hold_their_widest_word_and_the_table_stays_on_the_slide() -> None:
    deck = read(build_board_pack(long_names_review(), draft=False))
    for slide in list(deck.slides)[3:5]:
        frame = next(s for s in slide.shapes if s.has_table)
        grid = frame.table
        size = grid.cell(1, 0).text_frame.paragraphs[0].runs[0].font.size.pt
        assert grid.cell(1, 1).text == LONG_OWNER  # shown whole, never shortened
        for index, column in enumerate(grid.columns):
            words = [grid.cell(r, index).text for r in range(1, len(grid.rows))]
            widest = max(longest_word(w, size) for w in words) / 72 + 0.12  # and the cell margins
            assert Emu(column.width).inches >= widest
        bottom = Emu(frame.top + sum(row.height for row in grid.rows)).inches
        right = Emu(frame.left + sum(column.width for column in grid.columns)).inches
        assert bottom <= 7.0 and right <= 12.8 + 1e-6  # above the footer, inside the margins


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed (apt-get install libreoffice-impress)")
def test_the_pdf_shows_long_names_whole_and_axes_in_compact_units(tmp_path) -> None:
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(pptx_to_pdf(build_board_pack(long_names_review(), draft=False)))
    try:
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
    except FileNotFoundError:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    growth = pages[4]
    for word in LONG_OWNER.split():
        assert re.search(rf"(?<!\S){re.escape(word)}(?!\S)", growth), word  # every word whole on the slide
    assert "Customer acquisition cost" in " ".join(growth.split()) or "acquisition" in growth
    assert "Share of voice" in pages[3]  # the last brand KPI is on its slide
    pipeline = pages[5]
    assert re.search(r"\$\d{2,3}K", pipeline) and not re.search(r"\$\d{1,3},\d{3}", pipeline)
