"""The board pack read back with python-pptx: outline, native charts and their data, DRAFT marking, PDF."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu

from metrics.review import share_safe
from reports.board_pack import (
    ACTIONS_PER_SLIDE,
    INDEX_CHART_NAME,
    build_board_pack,
    deck_file_name,
    slide_titles,
)
from reports.pdf import PdfUnavailable, pdf_available, pptx_to_pdf
from reports.pptx_parts import DRAFT_NAME, axis_floor
from tests.review_samples import snapshot

EXPECTED_OUTLINE = [
    "Northwind Analytics",
    "One view of Sep 2026",
    "Outputs vs outcomes · 12 months to Sep 2026",
    "Scorecard · Brand (the meaning)",
    "Scorecard · Growth (the math)",
    "Pipeline created · Growth (the math)",
    "New bookings · Growth (the math)",
    "Win rate · Growth (the math)",
    "Aided awareness · Brand (the meaning)",
    "Net Promoter Score · Brand (the meaning)",
    "Customer acquisition cost · Growth (the math)",
    "Share of voice · Brand (the meaning)",
    "Output vs outcome",
    "Open actions",
]


def read(pptx: bytes) -> Presentation:
    return Presentation(io.BytesIO(pptx))


def charts(deck: Presentation) -> list:
    """The KPI charts, slide by slide (the outputs-vs-outcomes chart is tested in test_board_pack_deck.py)."""
    return [shape.chart for slide in deck.slides for shape in slide.shapes
            if shape.has_chart and shape.name != INDEX_CHART_NAME]


def texts(slide) -> list[str]:  # noqa: ANN001 - a python-pptx Slide
    found = [p.text for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
    return found + [c.text for shape in slide.shapes if shape.has_table for r in shape.table.rows for c in r.cells]


@pytest.fixture(scope="module")
def seven_kpis() -> bytes:
    return build_board_pack(snapshot(kpi_count=7), draft=False)


def test_outline_is_title_one_view_index_two_scorecards_kpis_vanity_actions(seven_kpis) -> None:
    assert slide_titles(seven_kpis) == EXPECTED_OUTLINE
    assert len(read(seven_kpis).slides) == 7 + 7


def test_deck_is_16_by_9(seven_kpis) -> None:
    deck = read(seven_kpis)
    assert (deck.slide_width, deck.slide_height) == (Emu(12191695), Emu(6858000))


def test_one_native_line_chart_per_kpi_with_the_snapshot_values(seven_kpis) -> None:
    deck, review = read(seven_kpis), snapshot(kpi_count=7)
    found = charts(deck)
    assert len(found) == 7
    for chart, kpi in zip(found, review.kpis, strict=True):
        assert chart.chart_type == XL_CHART_TYPE.LINE
        assert chart.part.partname.startswith("/ppt/charts/chart")
        assert chart.part.chart_workbook.xlsx_part is not None  # the data travels with the chart: editable
        actual, target = chart.plots[0].series
        assert (actual.name, target.name) == ("Actual", "Target")
        assert list(actual.values) == [p.actual for p in kpi.trend]
        assert list(target.values) == pytest.approx([p.target for p in kpi.trend])
        assert list(chart.plots[0].categories) == [f"{p.month:%b %y}" for p in kpi.trend]


def test_kpi_slide_shows_variance_status_and_commentary(seven_kpis) -> None:
    words = texts(read(seven_kpis).slides[5])
    assert "Actual: $80K" in words and "Target: $100K" in words
    assert "Variance: $-20K (-20.0%)" not in words  # the sign goes before the currency symbol
    assert "Variance: -$20K (-20.0%)" in words
    assert "Off track" in words
    assert "Work on pipeline created: moved $40K to webinars." in words


def test_scorecards_are_separate_and_coloured_by_status(seven_kpis) -> None:
    deck = read(seven_kpis)
    brand = next(s for s in deck.slides[3].shapes if s.has_table).table
    growth = next(s for s in deck.slides[4].shapes if s.has_table).table
    assert [r.cells[0].text for r in list(brand.rows)[1:]] == ["Aided awareness", "Net Promoter Score",
                                                               "Share of voice"]
    assert len(growth.rows) == 5
    status = list(growth.rows)[1].cells[7]
    assert status.text == "Off track" and str(status.fill.fore_color.rgb) == "C62828"


def test_client_colour_is_on_every_title_bar(seven_kpis) -> None:
    for slide in read(seven_kpis).slides:
        bar = next(s for s in slide.shapes if s.name == "Client colour bar")
        assert str(bar.fill.fore_color.rgb) == "1F4E79"


def test_a_closed_review_has_no_draft_mark(seven_kpis) -> None:
    deck = read(seven_kpis)
    assert not [s for slide in deck.slides for s in slide.shapes if s.name == DRAFT_NAME]
    assert not [t for slide in deck.slides for t in texts(slide) if "DRAFT" in t]
    assert "Northwind Analytics · Sep 2026 · Closed review · Dana Kim (CEO) · 06 Oct 2026" in texts(deck.slides[0])


def test_a_live_month_says_draft_on_every_slide() -> None:
    deck = read(build_board_pack(snapshot(kpi_count=4), draft=True))
    assert len(deck.slides) == 11
    for slide in deck.slides:
        marks = [s for s in slide.shapes if s.name == DRAFT_NAME]
        assert len(marks) == 1 and marks[0].text_frame.text == "DRAFT"
    assert deck_file_name(snapshot(), draft=True) == "northwind-analytics-board-pack-2026-09-DRAFT.pptx"


def test_many_actions_continue_on_another_slide() -> None:
    titles = slide_titles(build_board_pack(snapshot(kpi_count=3, actions=ACTIONS_PER_SLIDE + 2), draft=False))
    assert titles[-2:] == ["Open actions (1/2)", "Open actions (2/2)"]


def test_share_safe_deck_has_no_currency_amounts() -> None:
    deck = read(build_board_pack(share_safe(snapshot(kpi_count=7)), draft=False))
    words = [t for slide in deck.slides for t in texts(slide)]
    assert not [t for t in words if re.search(r"[$€£]\s?\d", t)]
    pipeline = charts(deck)[0]
    assert pipeline.plots[0].series[0].name == "Actual (% of target)"
    assert pipeline.plots[0].series[0].values[-1] == pytest.approx(0.8)


@pytest.mark.parametrize(("values", "floor"), [
    ([100, 120], 90), ([0.29, 0.38], 0.24), ([5, 100], 0.0), ([-10, 5], -20), ([], None),
])
def test_value_axis_starts_near_the_data(values, floor) -> None:
    assert axis_floor(values) == pytest.approx(floor) if floor is not None else axis_floor(values) is None


def test_pdf_without_libreoffice_says_what_to_install() -> None:
    with pytest.raises(PdfUnavailable, match="libreoffice-impress"):
        pptx_to_pdf(b"not used", path="no-such-libreoffice-command")


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed (apt-get install libreoffice-impress)")
def test_pdf_has_one_page_per_slide(seven_kpis, tmp_path) -> None:
    pdf = pptx_to_pdf(seven_kpis)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "deck.pdf").write_bytes(pdf)
    try:
        info = subprocess.run(["pdfinfo", str(tmp_path / "deck.pdf")], capture_output=True, text=True, check=True)
        pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    except FileNotFoundError:  # no poppler-utils: count page objects instead
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == len(EXPECTED_OUTLINE)
