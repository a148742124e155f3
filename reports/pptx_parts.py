"""Drawing helpers for 16:9 slides: title bar, text boxes, tables and native line charts.

Every piece of text goes through ``neutralise`` so nothing in a deck can be read as a formula
when a table is pasted into a spreadsheet.
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
from reports.safe_text import neutralise

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_ONLY = 5
INK = RGBColor(0x1C, 0x24, 0x30)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
GRID = RGBColor(0xD0, 0xD5, 0xDD)
DRAFT_NAME = "DRAFT mark"


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
    heading.text = neutralise(title)
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
         color: RGBColor = INK, align: PP_ALIGN = PP_ALIGN.LEFT, name: str = "") -> None:
    """A text box with one paragraph per line."""
    shape = slide.shapes.add_textbox(*box.emu())
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines or [""]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = neutralise(line)
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
    frame.text = neutralise(label)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    paragraph.runs[0].font.size, paragraph.runs[0].font.bold = Pt(14), True
    paragraph.runs[0].font.color.rgb = ink_on(color)


def table(slide: Slide, box: Box, header: Sequence[str], rows: Sequence[Sequence[str]],
          fills: dict[tuple[int, int], str] | None = None, size: int = 12, widths: Sequence[float] = (),
          header_color: str | None = None) -> None:
    """A plain table; ``fills`` colours body cells by (row, column), rows counted from 0 below the header."""
    shape = slide.shapes.add_table(len(rows) + 1, len(header), *box.emu())
    grid = shape.table
    for column, width in enumerate(widths):
        grid.columns[column].width = Inches(width)
    for column, label in enumerate(header):
        _cell(grid.cell(0, column), label, size, bold=True, fill=header_color)
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            fill = (fills or {}).get((row_index - 1, column))
            _cell(grid.cell(row_index, column), value, size, fill=fill)


def _cell(cell, value: str, size: int, bold: bool = False, fill: str | None = None) -> None:  # noqa: ANN001
    cell.text = neutralise(value)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.margin_left = cell.margin_right = Inches(0.06)
    run = cell.text_frame.paragraphs[0].runs
    for part in run:
        part.font.size, part.font.bold = Pt(size), bold
        if fill:
            part.font.color.rgb = ink_on(fill)
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb(fill)


def line_chart(slide: Slide, box: Box, categories: Sequence[str], series: dict[str, Sequence[float | None]],
               number_format: str, colors: Sequence[str]) -> None:
    """A native, editable PowerPoint line chart; the last series is drawn dashed (the target)."""
    data = CategoryChartData(number_format=number_format)
    data.categories = list(categories)
    for name, values in series.items():
        data.add_series(name, list(values), number_format)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE, *box.emu(), data).chart
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.value_axis.tick_labels.number_format = number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.major_gridlines.format.line.color.rgb = GRID
    floor = axis_floor([v for values in series.values() for v in values if v is not None])
    if floor is not None:
        chart.value_axis.minimum_scale = floor
    chart.font.size = Pt(11)
    for index, plotted in enumerate(chart.plots[0].series):
        plotted.smooth = False
        plotted.format.line.color.rgb = rgb(colors[index % len(colors)])
        plotted.format.line.width = Pt(2.5 if index == 0 else 1.75)
        if index == len(series) - 1 and index > 0:
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
