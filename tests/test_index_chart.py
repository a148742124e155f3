"""The outputs-vs-outcomes chart as the page draws it (inline SVG and HTML): its scale, its lines and gaps, its
legend and hovers, against values worked out by hand."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from components.index_chart import index_chart_html, nice_ticks
from metrics.catalog import MetricClass
from metrics.one_view import IndexLine

MONTHS = [dt.date(2026, m, 1) for m in range(1, 5)]


def line(key: str, label: str, role: MetricClass, index: list[float | None]) -> IndexLine:
    return IndexLine(key=key, label=label, metric_class=role, months=MONTHS, index=index)


CLICKS = line("clicks", "Clicks", MetricClass.OUTPUT, [100.0, 120.0, 150.0, 130.0])
REVENUE = line("revenue", "Revenue", MetricClass.OUTCOME, [100.0, None, 90.0, 80.0])


def lines_sent(chart: str) -> list[dict]:
    return json.loads(html.unescape(re.search(r'data-lines="([^"]*)"', chart).group(1)))


def paths(chart: str, color: str, width: str) -> list[str]:
    return re.findall(rf'<path d="([^"]*)"[^>]*stroke="{color}" stroke-width="{width}"', chart)


@pytest.mark.parametrize(("low", "high", "expected"), [
    (80.0, 150.0, [80, 100, 120, 140, 160]),
    (100.0, 100.0, [99.0, 99.5, 100.0, 100.5, 101.0]),  # a flat line still gets a scale around it
    (-100.0, 100.0, [-100, -50, 0, 50, 100]),
    (97.0, 103.0, [96, 98, 100, 102, 104]),
    (100.0, 1240.0, [0, 500, 1000, 1500]),
])
def test_nice_ticks_are_round_and_cover_the_values(low: float, high: float, expected: list[float]) -> None:
    ticks = nice_ticks(low, high)
    assert ticks == expected
    assert ticks[0] <= low and ticks[-1] >= high


def test_the_chart_sends_the_indices_it_plots_and_nothing_else() -> None:
    chart = index_chart_html([CLICKS, REVENUE])
    assert lines_sent(chart) == [
        {"metric": "Clicks", "group": "Outputs (activity)", "index": [100.0, 120.0, 150.0, 130.0]},
        {"metric": "Revenue", "group": "Outcomes (results)", "index": [100.0, None, 90.0, 80.0]}]


def test_outputs_are_dashed_outcomes_solid_and_a_gap_breaks_the_line() -> None:
    chart = index_chart_html([CLICKS, REVENUE])
    clicks_color, revenue_color = "#c08a3e", "#1f4e79"  # the first output and the first outcome tone
    assert len(paths(chart, clicks_color, "2.5")) == 1
    assert len(paths(chart, revenue_color, "2.5")) == 2  # Jan, then Mar–Apr: never joined across Feb
    assert re.search(rf'stroke="{clicks_color}" stroke-width="2.5" stroke-dasharray="6 4"', chart)
    assert re.search(rf'stroke="{revenue_color}" stroke-width="2.5" stroke-dasharray="1 0"', chart)
    dots = paths(chart, revenue_color, "5")
    assert sum(part.count("h0") for part in dots) == 3  # one dot per month with a value


def test_the_scale_spans_the_lines_and_100_and_each_line_is_placed_on_it() -> None:
    chart = index_chart_html([CLICKS, REVENUE])
    labels = re.findall(r">(-?\d+)</span>", chart)
    assert labels[:5] == ["80", "100", "120", "140", "160"]  # the scale, bottom to top
    clicks = paths(chart, "#c08a3e", "2.5")[0]
    ys = [float(point.split(",")[1]) for point in clicks.lstrip("M").split(" L")]
    assert ys == [75.0, 50.0, 12.5, 37.5]  # 100, 120, 150, 130 on 80–160, measured from the top
    xs = [float(point.split(",")[0]) for point in clicks.lstrip("M").split(" L")]
    assert xs[0] == 2.0 and xs[-1] == 98.0 and xs == sorted(xs)


def test_a_month_hover_reads_every_line_and_names_typed_by_people_stay_text() -> None:
    hostile = line("custom_1", "<b>Leads</b> & \"MQLs\"", MetricClass.OUTPUT, [100.0, 110.0, None, 105.0])
    chart = index_chart_html([hostile, REVENUE])
    hovers = [html.unescape(t) for t in re.findall(r"<title>([^<]*)</title>", chart)]
    assert hovers[0] == 'Jan 2026 — index (first month = 100): <b>Leads</b> & "MQLs" 100; Revenue 100'
    assert hovers[1] == 'Feb 2026 — index (first month = 100): <b>Leads</b> & "MQLs" 110'
    assert "<b>Leads" not in chart  # escaped everywhere: legend, hover and the data attribute
    assert html.escape(hostile.label) in chart  # the legend shows it as typed


def test_two_metrics_with_the_same_label_are_told_apart_in_the_legend() -> None:
    twin = line("pipeline_created", "Revenue", MetricClass.OUTCOME, [100.0, 101.0, 102.0, 103.0])
    legend = re.search(r'data-testid="index-chart-legend"[^>]*>(.*)', index_chart_html([REVENUE, twin])).group(1)
    names = re.findall(r"<span[^>]*>([^<]+)</span>", legend)
    assert names[:2] == ["Revenue (revenue)", "Revenue (pipeline_created)"]


def test_a_negative_base_and_a_single_month_draw_without_error() -> None:
    falling = IndexLine(key="margin", label="Margin", metric_class=MetricClass.OUTCOME, months=MONTHS[:1],
                        index=[-100.0])
    chart = index_chart_html([falling])
    assert "-100" in re.findall(r">(-?\d+)</span>", chart)
    assert paths(chart, "#1f4e79", "5") == ["M50.0,100.0 h0"]  # the one month in the middle, at the bottom
