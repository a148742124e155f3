"""The One View's tiles as numbers: what a sparkline carries, its scale, agreed trends in share-safe mode, and a
company's arrangement (pinned first, hidden folded, its own order), against values worked out by hand."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from components.sparkline import sparkline_svg
from components.tile_bands import tile_rows
from metrics.catalog import STANDARD_CATALOG, Band, Unit
from metrics.one_view import (
    INDEXED_HOVER,
    PCT_OF_TARGET_HOVER,
    LayoutRefused,
    LayoutRow,
    TileLayout,
    TilePlacement,
    agreed_trend,
    arranged,
    chart_values,
    checked_layout,
    hidden_tiles,
    layout_rows,
    shown_tiles,
    sparkline_hovers,
    sparkline_scale,
)

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.mark.parametrize(("values", "unit", "safe", "expected"), [
    ([2_081_252.22, None, 2_000_000.0], Unit.CURRENCY, False, [2_081_252.0, None, 2_000_000.0]),
    ([200.0, 250.0, None, 150.0], Unit.CURRENCY, True, [100.0, 125.0, None, 75.0]),  # indexed: no amount
    ([None, 0.0, 40.0, 50.0], Unit.CURRENCY, True, [None, 0.0, 100.0, 125.0]),  # a zero cannot be the base
    ([0.042, 0.0456], Unit.PERCENT, True, [4.2, 4.6]),  # in points; share-safe leaves rates alone
    ([3.456, 2.0], Unit.RATIO, False, [3.46, 2.0]),
    ([12_499.6, 7.0], Unit.COUNT, True, [12_500.0, 7.0]),
    ([51.26], Unit.SCORE, False, [51.3]),
])
def test_chart_values(values, unit, safe, expected) -> None:
    assert chart_values(values, unit, mask_currency=safe) == expected


def _pieces(svg: str) -> list[str]:
    return re.findall(r'<path d="(M[^"]*)" fill="none"', svg)


@pytest.mark.parametrize(("values", "lines"), [
    ([1.0, None, 3.0], 2),  # a month without a value breaks the line
    ([1.0, 2.0, None, 4.0, 5.0], 2),
    ([1.0, 2.0, 3.0], 1),
])
def test_a_sparkline_breaks_at_gaps(values, lines) -> None:
    svg = sparkline_svg(values, [f"m{i}" for i in range(len(values))])
    assert len(_pieces(svg)) == lines
    assert json.loads(html.unescape(re.search(r'data-values="([^"]*)"', svg).group(1))) == values


@pytest.mark.parametrize("values", [[None, 5.0, None], [], [7.0]])
def test_one_point_draws_no_sparkline(values) -> None:
    assert sparkline_svg(values, ["x"] * len(values)) is None


def test_a_sparkline_spans_its_box_low_at_the_bottom_and_flat_in_the_middle() -> None:
    rising = _pieces(sparkline_svg([10.0, 20.0, 30.0], ["a", "b", "c"]))[0]
    assert rising == "M0.0,92.0 L50.0,50.0 L100.0,8.0"
    assert _pieces(sparkline_svg([4.0, 4.0], ["a", "b"]))[0] == "M0.0,50.0 L100.0,50.0"


def test_a_sparkline_hover_is_text_never_markup() -> None:
    svg = sparkline_svg([1.0, 2.0], ["Jan 2026: <b>x</b>", 'Feb 2026: "y" & z'], label='Ad <script>')
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg and "&quot;y&quot; &amp; z" in svg
    assert "<script>" not in svg


def test_sparkline_hovers_read_as_the_tile_writes_them() -> None:
    months = [JAN, FEB, MAR]
    assert sparkline_hovers(months, [1_200_000.0, None, 1_500_000.0], [1_200_000.0, None, 1_500_000.0],
                            Unit.CURRENCY, "USD") == ["Jan 2026: $1.2M", "Feb 2026: no data", "Mar 2026: $1.5M"]
    assert sparkline_hovers(months, [200.0, 250.0, 150.0], [100.0, 125.0, 75.0], Unit.CURRENCY, "USD",
                            rebased_as=INDEXED_HOVER)[1] == f"Feb 2026: 125 {INDEXED_HOVER}"
    assert sparkline_hovers(months[:1], [90.0], [96.0], Unit.CURRENCY, "USD",
                            rebased_as=PCT_OF_TARGET_HOVER) == ["Jan 2026: 96% of target"]


@pytest.mark.parametrize(("values", "unit", "safe", "expected"), [
    ([1_200_000.0, 900_000.0, 1_500_000.0], Unit.CURRENCY, False,
     "Sparkline Jan 2026 – Mar 2026, in $: low $900K (Feb 2026), high $1.5M (Mar 2026)."),
    ([1_200_000.0, 900_000.0, 1_500_000.0], Unit.CURRENCY, True,
     "Sparkline Jan 2026 – Mar 2026, indexed, first month with a value = 100: low 75 (Feb 2026), high 125 (Mar 2026)."),
    ([0.05, None, 0.031], Unit.PERCENT, True, "Sparkline Jan 2026 – Mar 2026, in %: low 3.1% (Mar 2026), high 5.0% "
                                              "(Jan 2026)."),
])
def test_sparkline_scale_names_low_and_high(values, unit, safe, expected) -> None:
    assert sparkline_scale([JAN, FEB, MAR], values, unit, "USD", mask_currency=safe).startswith(expected)
    assert "•••" not in sparkline_scale([JAN, FEB, MAR], values, unit, "USD", mask_currency=safe)


def test_sparkline_scale_is_empty_without_a_line() -> None:
    assert sparkline_scale([JAN, FEB, MAR], [None, 3.0, None], Unit.COUNT, "USD") == ""


@pytest.mark.parametrize(("points", "unit", "safe", "expected"), [
    ([(90.0, 100.0), (None, 100.0), (120.0, 80.0)], Unit.CURRENCY, True, [90.0, None, 150.0]),  # % of target
    ([(90.0, 100.0), (45.0, None)], Unit.CURRENCY, True, [100.0, 50.0]),  # a month without target: indexed
    ([(90.0, 100.0), (120.5, 80.0)], Unit.CURRENCY, False, [90.0, 120.0]),  # amounts when not share-safe
    ([(0.021, 0.02), (0.019, 0.02)], Unit.PERCENT, True, [2.1, 1.9]),  # rates stay rates
])
def test_agreed_trend(points, unit, safe, expected) -> None:
    assert agreed_trend(points, unit, mask_currency=safe) == expected


KEYS = ["revenue", "new_bookings", "gross_margin", "cac"]


def layout(*placements: tuple[str, int, bool, bool]) -> TileLayout:
    return TileLayout(placements=tuple(TilePlacement(metric_key=k, position=p, pinned=pin, hidden=hide)
                                       for k, p, pin, hide in placements))


@pytest.mark.parametrize(("saved", "shown", "hidden"), [
    (layout(), KEYS, []),
    (layout(("cac", 4, True, False)), ["cac", "revenue", "new_bookings", "gross_margin"], []),
    (layout(("gross_margin", 1, False, False), ("revenue", 2, False, True)), ["gross_margin", "new_bookings", "cac"],
     ["revenue"]),  # placed tiles by position, then the unplaced in their standard order
    (layout(("new_bookings", 2, True, False), ("cac", 1, True, False), ("revenue", 3, False, True)),
     ["cac", "new_bookings", "gross_margin"], ["revenue"]),  # pinned ones in their own order
])
def test_arranged_tiles(saved: TileLayout, shown: list[str], hidden: list[str]) -> None:
    assert shown_tiles(KEYS, saved) == shown
    assert hidden_tiles(KEYS, saved) == hidden
    assert sorted(arranged(KEYS, saved)) == sorted(KEYS)


def row(key: str, position: float | None, pinned: bool = False, hidden: bool = False) -> LayoutRow:
    return LayoutRow(metric_key=key, label=STANDARD_CATALOG[key].label if key in STANDARD_CATALOG else key,
                     position=position, pinned=pinned, hidden=hidden)


def test_checked_layout_orders_by_position_and_renumbers() -> None:
    saved = checked_layout([row("revenue", 3), row("cac", 1, pinned=True), row("gross_margin", 3, hidden=True)],
                           set(KEYS))
    assert [(p.metric_key, p.position, p.pinned, p.hidden) for p in saved.placements] == [
        ("cac", 1, True, False), ("revenue", 2, False, False), ("gross_margin", 3, False, True)]  # ties: table order


def test_checked_layout_names_every_problem_and_saves_nothing() -> None:
    with pytest.raises(LayoutRefused) as refused:
        checked_layout([row("revenue", 0), row("cac", None, pinned=True, hidden=True), row("old_metric", 2)],
                       set(KEYS))
    assert refused.value.problems == (
        "row 1 (Revenue): the position must be a number from 1 up",
        "row 2 (Customer acquisition cost): the position must be a number from 1 up",
        "row 2 (Customer acquisition cost): a tile cannot be pinned and hidden at once; untick one of them",
        "row 3 (old_metric): this tile is not on the One View any more; reload the page",
    )


def test_layout_rows_number_each_band_from_one_with_hidden_last() -> None:
    saved = layout(("revenue", 1, False, True), ("cac", 2, True, False))
    rows = layout_rows({Band.PNL: KEYS, Band.FEEL: ["nps"]}, saved, STANDARD_CATALOG)
    assert [(r.metric_key, r.position, r.pinned, r.hidden) for r in rows] == [
        ("cac", 1, True, False), ("new_bookings", 2, False, False), ("gross_margin", 3, False, False),
        ("revenue", 4, False, True), ("nps", 1, False, False)]


@pytest.mark.parametrize(("count", "lines"), [(0, [0]), (4, [4]), (9, [9]), (10, [5, 5]), (12, [6, 6]),
                                               (19, [7, 6, 6])])
def test_tile_rows_keep_a_band_on_one_line_up_to_nine(count: int, lines: list[int]) -> None:
    assert tile_rows(count) == lines
