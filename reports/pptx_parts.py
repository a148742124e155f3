"""Drawing helpers for 16:9 slides: title bar, text boxes, tables and native line charts.

Every piece of text goes through ``slide_text``: nothing in a deck can be read as a formula when a
table is pasted into a spreadsheet, and no change that rounds to zero carries a sign. Tables and text
boxes are sized so every word is shown whole.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from metrics.colors import text_color_on
from reports.safe_text import neutralise, unsigned_zeros
from reports.table_layout import CELL_MARGIN_X, CELL_MARGIN_Y, fit_table, fitted_size

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_ONLY = 5
INK = RGBColor(0x1C, 0x24, 0x30)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
GRID = RGBColor(0xD0, 0xD5, 0xDD)
DRAFT_NAME = "DRAFT mark"


def slide_text(text: str) -> str:
    """Text as a slide shows it: "0.0 pts" rather than "-0.0 pts", and nothing a spreadsheet would run."""
    return neutralise(unsigned_zeros(text))


def rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.removeprefix("#"))


def ink_on(color: str) -> RGBColor:
    """Dark or white text, whichever reads better on ``color``: the app's banner rule, as a slide colour."""
    return rgb(text_color_on(color))


def new_deck() -> Presentation:
    """An empty 16:9 deck (13.333 × 7.5 in)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    return deck


def titled_slide(deck: Presentation, title: str, color: str) -> Slide:
    """A slide with the title placeholder laid over a bar in the client's colour."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_WIDTH, Inches(1.0))
    bar.fill.solid()
    bar.fill.fore_color.rgb = rgb(color)
    bar.line.fill.background()
    bar.name = "Client colour bar"
    heading = slide.shapes.title
    heading.left, heading.top = MARGIN, Inches(0.1)
    heading.width, heading.height = SLIDE_WIDTH - 2 * MARGIN, Inches(0.8)
    heading.text = slide_text(title)
    frame = heading.text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(28), True, ink_on(color)
    slide.shapes._spTree.remove(heading._element)  # keep the title above the bar in z-order
    slide.shapes._spTree.append(heading._element)
    return slide


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches."""

    left: float
    top: float
    width: float
    height: float

    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        return Inches(self.left), Inches(self.top), Inches(self.width), Inches(self.height)


def text(slide: Slide, box: Box, lines: Sequence[str], size: int = 14, bold: bool = False,
         color: RGBColor = INK, align: PP_ALIGN = PP_ALIGN.LEFT, name: str = "", smallest: int | None = None) -> None:
    """A text box with one paragraph per line; with ``smallest``, the type shrinks (not below it) until the
    text fits the box."""
    if smallest is not None:
        size = fitted_size(lines, box.width, box.height, size, smallest, bold)
    shape = slide.shapes.add_textbox(*box.emu())
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines or [""]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = slide_text(line)
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color


def picture(slide: Slide, box: Box, image: bytes, pixels: tuple[int, int], name: str = "") -> None:
    """An image as large as fits in ``box`` without stretching, against the box's top right corner."""
    width, height = pixels
    scale = min(box.width / width, box.height / height)
    shown_width, shown_height = width * scale, height * scale
    shape = slide.shapes.add_picture(io.BytesIO(image), Inches(box.left + box.width - shown_width), Inches(box.top),
                                     Inches(shown_width), Inches(shown_height))
    if name:
        shape.name = name


def chip(slide: Slide, box: Box, label: str, color: str, name: str = "") -> None:
    """A filled rounded label, e.g. a RAG status."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *box.emu())
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(color)
    shape.line.fill.background()
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.text = slide_text(label)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    paragraph.runs[0].font.size, paragraph.runs[0].font.bold = Pt(14), True
    paragraph.runs[0].font.color.rgb = ink_on(color)


def table(slide: Slide, box: Box, header: Sequence[str], rows: Sequence[Sequence[str]],
          fills: dict[tuple[int, int], str] | None = None, size: int = 12, header_color: str | None = None,
          smallest: int = 8) -> float:
    """A plain table laid out to fit ``box``: columns as wide as their words need, the largest font from
    ``size`` down to ``smallest`` that fits, rows as tall as their wrapped lines. ``fills`` colours body
    cells by (row, column), rows counted from 0 below the header. Returns the table's height in inches."""
    header, rows = [slide_text(h) for h in header], [[slide_text(v) for v in row] for row in rows]
    layout = fit_table(header, rows, box.width, box.height, sizes=range(size, smallest - 1, -1))
    left, top, _, _ = box.emu()
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, Inches(sum(layout.widths)),
                                   Inches(layout.height))
    grid = shape.table
    for column, width in enumerate(layout.widths):
        grid.columns[column].width = Inches(width)
    for row, height in enumerate(layout.heights):
        grid.rows[row].height = Inches(height)
    for column, label in enumerate(header):
        _cell(grid.cell(0, column), label, layout.size, bold=True, fill=header_color)
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            fill = (fills or {}).get((row_index - 1, column))
            _cell(grid.cell(row_index, column), value, layout.size, fill=fill)
    return layout.height


def _cell(cell, value: str, size: int, bold: bool = False, fill: str | None = None) -> None:  # noqa: ANN001
    cell.text = value
    cell.margin_top = cell.margin_bottom = Inches(CELL_MARGIN_Y)
    cell.margin_left = cell.margin_right = Inches(CELL_MARGIN_X)
    cell.text_frame.word_wrap = True
    run = cell.text_frame.paragraphs[0].runs
    for part in run:
        part.font.size, part.font.bold = Pt(size), bold
        if fill:
            part.font.color.rgb = ink_on(fill)
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb(fill)


@dataclass(frozen=True)
class Line:
    """One series of a line chart and how it is drawn."""

    name: str
    values: Sequence[float | None]
    color: str
    dashed: bool = False
    width: float = 2.5  # points


def line_chart(slide: Slide, box: Box, categories: Sequence[str], lines: Sequence[Line], number_format: str,
               legend: XL_LEGEND_POSITION = XL_LEGEND_POSITION.BOTTOM, name: str = "") -> None:
    """A native, editable PowerPoint line chart: its data travels inside it, and its value axis and data use
    ``number_format`` (an Excel number format, so the axis reads in the same units as the slide's text)."""
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    for line in lines:
        data.add_series(line.name, list(line.values), number_format)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE, *box.emu(), data)
    if name:
        frame.name = name
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = legend, False
    chart.value_axis.tick_labels.number_format = number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.major_gridlines.format.line.color.rgb = GRID
    floor = axis_floor([v for line in lines for v in line.values if v is not None])
    if floor is not None:
        chart.value_axis.minimum_scale = floor
    chart.font.size = Pt(11)
    for line, plotted in zip(lines, chart.plots[0].series, strict=True):
        plotted.smooth = False
        plotted.format.line.color.rgb = rgb(line.color)
        plotted.format.line.width = Pt(line.width)
        if line.dashed:
            plotted.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH


def axis_floor(values: Sequence[float]) -> float | None:
    """A round lower bound for the value axis, so a line moving from 100 to 120 does not look flat;
    zero when positive values come close to it anyway, None without values."""
    if not values:
        return None
    low, high = min(values), max(values)
    span = high - low or abs(high) or 1.0
    floor = low - span * 0.5
    if low >= 0 and floor <= low * 0.25:
        return 0.0
    step = 10 ** math.floor(math.log10(span))
    return math.floor(floor / step) * step
