"""How wide a text runs and how many lines it wraps to, so tables on slides and pages can be laid out
with every name shown whole.

Widths are the advance widths of DejaVu Sans, in thousandths of the font size. It is wider than Calibri,
Carlito and Source Sans, so a column measured here is wide enough in any of them (LibreOffice falls
back to DejaVu Sans when Calibri is missing, which is where a board pack is turned into PDF).
"""

from __future__ import annotations

import math

BOLD_FACTOR = 1.13  # DejaVu Sans Bold runs about 13% wider than the regular face
_ASCII = "".join(chr(code) for code in range(32, 127))
_ASCII_WIDTHS = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838,
)
_WIDTHS = dict(zip(_ASCII, _ASCII_WIDTHS, strict=True)) | {
    "·": 318, "×": 838, "•": 590, "–": 500, "—": 1000, "€": 636, "£": 636, "¥": 636, "−": 838, "…": 1000,
    "⚠": 1000,
}
_OTHER = 700  # letters with accents are as wide as their base letter; 700 covers the widest of them


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` on one line, in the unit of ``size`` (points in, points out; pixels in, pixels out)."""
    width = sum(_WIDTHS.get(char, _OTHER) for char in text) * size / 1000
    return width * BOLD_FACTOR if bold else width


def longest_word(text: str, size: float, bold: bool = False) -> float:
    """The width of the widest word: a column narrower than this would break a word in two."""
    return max((text_width(word, size, bold) for word in text.split()), default=0.0)


def wrapped_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines ``text`` takes when wrapped at spaces into ``width`` (same unit as ``size``);
    a word wider than the line is broken and counts as many lines as it needs."""
    space = text_width(" ", size, bold)
    lines, used = 0, 0.0
    for paragraph in text.split("\n") or [""]:
        lines, used = lines + 1, 0.0
        for word in paragraph.split():
            word_width = text_width(word, size, bold)
            if used and used + space + word_width > width:
                lines, used = lines + 1, 0.0
            if word_width > width:
                lines += math.ceil(word_width / width) - 1
                used = word_width % width
            else:
                used = used + space + word_width if used else word_width
    return max(lines, 1)
