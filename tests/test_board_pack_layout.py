"""Laying out slide tables: text widths, wrapping, column shares and the font size that fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.text_width import longest_word, text_width, wrapped_lines
from reports.table_layout import LINE_HEIGHT, fit_table, fitted_size, share_width

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# DejaVu Sans advance widths, in thousandths of the size: a 613, A 684, space 318, M 863, i 278, 0 636
@pytest.mark.parametrize(("text", "size", "width"), [
    ("a", 1000, 613), ("Aa", 10, 12.97), ("a a", 100, 154.4), ("Mi0", 1, 1.777), ("", 12, 0.0),
])
def test_text_width_adds_the_advance_widths(text, size, width) -> None:
    assert text_width(text, size) == pytest.approx(width)


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
@pytest.mark.parametrize("text", ["Aisha Bello (VP Customer Success)", "CEO 2 · CMO 4 ⚠ we disagree",
                                  "Customer acquisition cost", "-$1.22M", "Overdue · Carried over since Aug 2026"])
def test_measured_widths_are_never_narrower_than_the_font_draws_them(text) -> None:
    from PIL import ImageFont

    drawn = ImageFont.truetype(str(DEJAVU), 100).getlength(text)
    assert text_width(text, 100) >= drawn - 1


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("aa aa", 3000, 1),  # 1226 + 318 + 1226 = 2770 fits in 3000
    ("aa aa", 1300, 2),  # each word (1226) fits alone
    ("aaaa", 1000, 3),  # one word of 2452 broken over three lines of 1000
    ("aa\naa", 5000, 2),  # a line break always starts a line
    ("", 100, 1),
])
def test_wrapping_counts_lines_at_spaces(text, width, lines) -> None:
    assert wrapped_lines(text, width, 1000) == lines


def test_the_longest_word_is_the_widest_one() -> None:
    assert longest_word("ii MMM i", 1000) == pytest.approx(3 * 863)


@pytest.mark.parametrize(("needs", "width", "widths"), [
    ([(1, 2), (1, 3)], 6, (2.4, 3.6)),  # both fit on one line: the 1 inch left over shared 2:3
    ([(1, 1.5), (1, 5)], 4, (1.5, 2.5)),  # the short column is satisfied first; the long one takes the rest
    ([(1, 1.2), (1, 1.4), (2, 8)], 6, (1.2, 1.4, 3.4)),
    ([(1, 4), (1, 4)], 4, (2.0, 2.0)),  # two equally long columns share equally
    ([(3, 4), (2, 2)], 4, None),  # even the widest words do not fit
])
def test_columns_share_the_width_by_what_they_need(needs, width, widths) -> None:
    shared = share_width(needs, width)
    assert shared == (pytest.approx(widths) if widths else None)


def test_a_long_owner_keeps_every_word_whole_and_the_table_fits_its_box() -> None:
    header = ["KPI", "Owner", "Actual", "Target", "Variance", "Variance %", "% of target", "Status", "Streak",
              "Confidence CEO / CMO"]
    rows = [["Net revenue retention", "Aisha Bello (VP Customer Success)", "99.4%", "99.3%", "+0.1 pts", "+0.1%",
             "100%", "On track", "23", "4 / 5"]] * 7
    layout = fit_table(header, rows, width=12.3, height=5.5)
    owner = layout.widths[1]
    assert owner * 72 >= text_width("Customer", layout.size) + 0.12 * 72  # its widest word and the cell margins
    assert sum(layout.widths) == pytest.approx(12.3) and layout.height <= 5.5
    one_line = layout.size * LINE_HEIGHT / 72
    assert all(height >= one_line for height in layout.heights)


def test_a_table_too_tall_for_its_box_gets_smaller_type() -> None:
    rows = [["A fairly long action title that needs some room to be read", "Someone (CMO)"]] * 12
    roomy = fit_table(["Action", "Owner"], rows, width=8.0, height=6.0, sizes=range(12, 7, -1))
    cramped = fit_table(["Action", "Owner"], rows, width=8.0, height=3.0, sizes=range(12, 7, -1))
    # 13 one-line rows of size × 1.25 / 72 + 0.06 inches: 3.04 in at 10 pt, 2.81 in at 9 pt
    assert roomy.size == 12 and cramped.size == 9 and cramped.height <= 3.0


def test_text_boxes_shrink_until_the_text_fits() -> None:
    long = ["word " * 200]
    assert fitted_size(["Short."], 3.9, 1.8, 12) == 12
    assert 8 <= fitted_size(long, 3.9, 1.8, 12, smallest=8) < 12
