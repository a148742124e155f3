"""Column widths, font size and row heights for a table on a slide, so every word is shown whole.

A column gets at least the width of its widest word, and its share of the rest by how much text it
holds; rows grow with the lines their cells wrap to. The largest font size at which the table fits its
box is chosen. Sizes are estimated with metrics.text_width (a wide font), so renderers never need more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metrics.text_width import longest_word, text_width, wrapped_lines

CELL_MARGIN_X = 0.06  # inches, left and right of the text in a cell
CELL_MARGIN_Y = 0.03  # inches, above and below
SLACK_X = 0.05  # inches a renderer may take beyond the measured text
LINE_HEIGHT = 1.25  # a line of text is this many times the font size
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class TableLayout:
    size: int  # font size in points
    widths: tuple[float, ...]  # column widths in inches
    heights: tuple[float, ...]  # row heights in inches, the header row first

    @property
    def height(self) -> float:
        return sum(self.heights)


def _padding() -> float:
    return 2 * CELL_MARGIN_X + SLACK_X


def _inches(points: float) -> float:
    return points / POINTS_PER_INCH


def _column_needs(header: Sequence[str], rows: Sequence[Sequence[str]], size: int) -> list[tuple[float, float]]:
    """(narrowest, comfortable) width of each column in inches: its widest word, and its longest cell on one line."""
    needs = []
    for column, label in enumerate(header):
        cells = [(label, True)] + [(row[column], False) for row in rows]
        narrowest = max(_inches(longest_word(text, size, bold)) for text, bold in cells) + _padding()
        comfortable = max(_inches(text_width(text, size, bold)) for text, bold in cells) + _padding()
        needs.append((narrowest, comfortable))
    return needs


def share_width(needs: Sequence[tuple[float, float]], width: float) -> tuple[float, ...] | None:
    """Column widths filling ``width``. Each column gets its narrowest width; the rest goes first to the
    columns that need little more to keep their cells on one line (names, figures), and what remains is
    shared by the long-text columns in proportion to their text. None when even the narrowest do not fit."""
    narrowest = [low for low, _ in needs]
    if sum(narrowest) > width:
        return None
    comfortable = [high for _, high in needs]
    if sum(comfortable) <= width:
        spare = width - sum(comfortable)
        return tuple(high + spare * high / sum(comfortable) for high in comfortable)
    widths, spare = list(narrowest), width - sum(narrowest)
    waiting = sorted(range(len(needs)), key=lambda c: comfortable[c] - narrowest[c])
    while waiting and comfortable[waiting[0]] - narrowest[waiting[0]] <= spare / len(waiting):
        column = waiting.pop(0)  # takes less than an equal share: give it all it needs
        spare -= comfortable[column] - narrowest[column]
        widths[column] = comfortable[column]
    wants = sum(comfortable[c] - narrowest[c] for c in waiting)
    for column in waiting:
        widths[column] += spare * (comfortable[column] - narrowest[column]) / wants
    return tuple(widths)


def row_height(cells: Sequence[str], widths: Sequence[float], size: int, bold: bool = False) -> float:
    """The height of a row whose cells wrap within their columns, in inches."""
    lines = max(wrapped_lines(text, (width - _padding()) * POINTS_PER_INCH, size, bold)
                for text, width in zip(cells, widths, strict=True))
    return _inches(lines * size * LINE_HEIGHT) + 2 * CELL_MARGIN_Y


def fit_table(header: Sequence[str], rows: Sequence[Sequence[str]], width: float, height: float,
              sizes: Sequence[int] = (12, 11, 10, 9, 8)) -> TableLayout:
    """The largest of ``sizes`` at which the table fits ``width`` × ``height`` inches with no word cut;
    the smallest size when none does (the table then runs taller than the box, never narrower)."""
    layout = None
    for size in sizes:
        widths = share_width(_column_needs(header, rows, size), width)
        if widths is None:
            continue
        heights = (row_height(header, widths, size, bold=True),
                   *(row_height(row, widths, size) for row in rows))
        layout = TableLayout(size, widths, heights)
        if layout.height <= height:
            return layout
    return layout or _narrowest(header, rows, sizes[-1])


def _narrowest(header: Sequence[str], rows: Sequence[Sequence[str]], size: int) -> TableLayout:
    """Every column at its widest word, wider than asked: a word is never cut, even in an overfull table."""
    widths = tuple(low for low, _ in _column_needs(header, rows, size))
    heights = (row_height(header, widths, size, bold=True), *(row_height(row, widths, size) for row in rows))
    return TableLayout(size, widths, heights)


def fitted_size(lines: Sequence[str], width: float, height: float, size: int, smallest: int = 9,
                bold: bool = False) -> int:
    """The largest font size from ``size`` down to ``smallest`` at which the paragraphs fit the box (inches)."""
    for candidate in range(size, smallest - 1, -1):
        used = sum(wrapped_lines(line, (width - 0.2) * POINTS_PER_INCH, candidate, bold) for line in lines or [""])
        if _inches(used * candidate * LINE_HEIGHT) + 0.1 <= height:
            return candidate
    return smallest
