"""The board pack: a 16:9 PowerPoint of a month's review, built from its snapshot.

Built from a closed review it shows exactly what was frozen; built from the live month every slide
says DRAFT. Charts are native PowerPoint charts with their data inside, so they can be restyled.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.enum.chart import XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.slide import Slide

from metrics.catalog import BAND_TITLES, MANDATE_TITLES, Mandate, MetricClass, Unit
from metrics.coverage import is_complete, partial_label
from metrics.formatting import currency_symbol
from metrics.logo import Logo, pixel_size
from metrics.one_view import IndexLine
from metrics.periods import month_label
from metrics.review import KpiSnapshot, ReviewSnapshot, percent, shown, shown_gap
from metrics.status import RAG_COLORS, RAG_LABELS, Rag
from reports.pptx_parts import (
    DRAFT_NAME,
    MUTED,
    Box,
    Line,
    chip,
    line_chart,
    new_deck,
    picture,
    table,
    text,
    titled_slide,
)

ACTIONS_PER_SLIDE = 10
VANITY_ROWS = 6  # the widest gaps; more would not fit a slide
TARGET_COLOR = "#7a8594"
LOGO_BOX = Box(9.8, 1.2, 3.0, 0.95)  # the title slide's top right, below the colour bar
LOGO_NAME = "Client logo"
DRAFT_RED = "#c62828"
INDEX_CHART_NAME = "Outputs vs outcomes chart"
# the One View chart's tones: outputs in muted warm colours (dashed), outcomes in deeper cool ones (solid)
OUTPUT_COLORS = ("#c08a3e", "#a3a3a3", "#b5838d")
OUTCOME_COLORS = ("#1f4e79", "#2a7f62", "#5b5f97")
FOOTER_TOP = 7.0  # inches: tables and text stop above the footer
COMPACT_STEPS = ((1e9, ",,,", "B"), (1e6, ",,", "M"), (1e3, ",", "K"))  # Excel scales by 1000 per trailing comma


def build_board_pack(snapshot: ReviewSnapshot, draft: bool, logo: Logo | None = None) -> bytes:
    """The deck as .pptx bytes: title (with the client's logo, if any), One View, outputs vs outcomes over 12
    months, the two scorecards, one slide per KPI, the vanity traps, open actions."""
    deck = new_deck()
    title_slide(deck, snapshot, draft, logo)
    one_view_slide(deck, snapshot)
    index_slide(deck, snapshot)
    for mandate in Mandate:
        scorecard_slide(deck, snapshot, mandate)
    for kpi in snapshot.kpis:
        kpi_slide(deck, snapshot, kpi)
    vanity_slide(deck, snapshot)
    actions_slides(deck, snapshot)
    for number, slide in enumerate(deck.slides, start=1):
        footer(slide, snapshot, draft, number)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def deck_file_name(snapshot: ReviewSnapshot, draft: bool, extension: str = "pptx") -> str:
    name = "".join(c if c.isalnum() else "-" for c in snapshot.workspace_name).strip("-").lower()
    return f"{name}-board-pack-{snapshot.month:%Y-%m}{'-DRAFT' if draft else ''}.{extension}"


def footer(slide: Slide, snapshot: ReviewSnapshot, draft: bool, number: int) -> None:
    """Client, month and provenance on every slide; a red DRAFT mark when built from live figures."""
    if draft:
        provenance = "Live figures, not a closed review"
    else:
        provenance = f"Closed review · {snapshot.closed_by}" + (
            f" · {snapshot.taken_at:%d %b %Y}" if snapshot.taken_at else "")
    safe = " · share-safe: currency amounts hidden" if snapshot.share_safe else ""
    text(slide, Box(0.5, 7.0, 11.5, 0.35), [f"{snapshot.workspace_name} · {month_label(snapshot.month)} · "
                                            f"{provenance}{safe}"], size=10, color=MUTED)
    text(slide, Box(12.2, 7.0, 0.7, 0.35), [str(number)], size=10, color=MUTED, align=PP_ALIGN.RIGHT)
    if draft:
        chip(slide, Box(11.3, 0.25, 1.6, 0.5), "DRAFT", DRAFT_RED, name=DRAFT_NAME)


def title_slide(deck: Presentation, snapshot: ReviewSnapshot, draft: bool, logo: Logo | None = None) -> None:
    slide = titled_slide(deck, snapshot.workspace_name, snapshot.color)
    if logo is not None:
        picture(slide, LOGO_BOX, logo.data, pixel_size(logo), name=LOGO_NAME)
    text(slide, Box(0.5, 2.3, 12.3, 1.0), [f"Monthly review · {month_label(snapshot.month)}"], size=40, bold=True)
    agreed = snapshot.agreement or "No scorecard agreed yet"
    status = "DRAFT from live figures" if draft else f"Closed by {snapshot.closed_by}"
    text(slide, Box(0.5, 3.5, 12.3, 1.2), [agreed, status], size=20, color=MUTED)


def one_view_slide(deck: Presentation, snapshot: ReviewSnapshot) -> None:
    """The month in plain words on top; the three bands side by side below, as on the One View."""
    slide = titled_slide(deck, f"One view of {month_label(snapshot.month)}", snapshot.color)
    text(slide, Box(0.5, 1.2, 12.3, 1.6), snapshot.summary or ["No summary for this month."], size=14, smallest=10)
    for index, (band, title) in enumerate(BAND_TITLES.items()):
        cards = [c for c in snapshot.cards if c.band == band and (c.value is not None or _masked(snapshot, c.unit))]
        rows = [[c.label + _partial_mark(snapshot, c.coverage), shown(snapshot, c.value, c.unit), c.change_month,
                 c.change_year] for c in cards]
        left = 0.5 + index * 4.15
        text(slide, Box(left, 2.85, 4.0, 0.35), [title], size=13, bold=True)
        if rows:
            table(slide, Box(left, 3.25, 4.0, FOOTER_TOP - 3.25), ["Metric", "Value", "vs month", "vs year"],
                  rows, size=10, smallest=7, header_color=snapshot.color)


def index_slide(deck: Presentation, snapshot: ReviewSnapshot) -> None:
    """Activity against results over 12 months, each line indexed to 100, as on the One View: a native chart,
    outputs dashed and outcomes solid."""
    slide = titled_slide(deck, f"Outputs vs outcomes · 12 months to {month_label(snapshot.month)}", snapshot.color)
    if not snapshot.index_lines:
        missing = ("None of these metrics has figures in the 12 months to this month." if snapshot.index_lines == []
                   else "This review was closed before the board pack kept this chart; reopen and close the month "
                        "to add it.")
        text(slide, Box(0.5, 1.6, 12.3, 1.0), [missing], size=18, color=MUTED)
        return
    text(slide, Box(0.5, 1.15, 12.3, 0.45), ["Each line is indexed to 100 at its first month with data. Dashed lines "
                                             "are activity (outputs); solid lines are business results (outcomes)."],
         size=13, color=MUTED)
    first = snapshot.index_lines[0]
    line_chart(slide, Box(0.5, 1.65, 12.3, 5.25), [f"{m:%b %y}" for m in first.months],
               index_chart_lines(snapshot.index_lines), "0", legend=XL_LEGEND_POSITION.RIGHT, name=INDEX_CHART_NAME)


def index_chart_lines(lines: Sequence[IndexLine]) -> list[Line]:
    """Outputs dashed in warm tones, outcomes solid and a little heavier in cool ones."""
    drawn, used = [], {MetricClass.OUTPUT: 0, MetricClass.OUTCOME: 0}
    for line in lines:
        output = line.metric_class == MetricClass.OUTPUT
        palette = OUTPUT_COLORS if output else OUTCOME_COLORS
        drawn.append(Line(line.label, line.index, palette[used[line.metric_class] % len(palette)], dashed=output,
                          width=2.0 if output else 3.0))
        used[line.metric_class] += 1
    return drawn


def _partial_mark(snapshot: ReviewSnapshot, coverage: float | None) -> str:
    """' (partial: 6 of 30 days)' on a figure of a month its sources cover only in part."""
    return "" if is_complete(coverage) else f" ({partial_label(snapshot.month, coverage)})"


def _masked(snapshot: ReviewSnapshot, unit: Unit) -> bool:
    return snapshot.share_safe and unit == Unit.CURRENCY


def scorecard_slide(deck: Presentation, snapshot: ReviewSnapshot, mandate: Mandate) -> None:
    """One mandate's KPIs: brand and growth are never blended into one score."""
    slide = titled_slide(deck, f"Scorecard · {MANDATE_TITLES[mandate]}", snapshot.color)
    kpis = snapshot.mandate_kpis(mandate)
    if not kpis:
        text(slide, Box(0.5, 1.6, 12.3, 1.0), ["No agreed KPI on this mandate."], size=18, color=MUTED)
        return
    rows = [[k.label, k.owner, shown(snapshot, k.actual, k.unit), shown(snapshot, k.target, k.unit),
             shown_gap(snapshot, k.variance, k.unit), percent(k.variance_pct, signed=True), percent(k.pct_of_target),
             RAG_LABELS[k.rag], str(k.streak), _votes(k)] for k in kpis]
    fills = {(i, 7): RAG_COLORS[k.rag] for i, k in enumerate(kpis)}
    header = ["KPI", "Owner", "Actual", "Target", "Variance", "Variance %", "% of target", "Status", "Streak",
              "Confidence CEO / CMO"]
    table(slide, Box(0.5, 1.4, 12.3, FOOTER_TOP - 1.5), header, rows, fills=fills, size=12,
          header_color=snapshot.color)


def _votes(kpi: KpiSnapshot) -> str:
    votes = f"{kpi.ceo_confidence or '-'} / {kpi.cmo_confidence or '-'}"
    return votes + (" (disagree)" if kpi.disagree else "")


def chart_format(snapshot: ReviewSnapshot, kpi: KpiSnapshot) -> str:
    """Excel number format of a KPI chart's axis and values, in the units the slide's text uses ($3.1M, 146K)."""
    if kpi.trend_as_pct_of_target:
        return "0%"
    values = [v for p in kpi.trend for v in (p.actual, p.target) if v is not None]
    if kpi.unit == Unit.CURRENCY:
        return compact_format(values, _quoted(currency_symbol(snapshot.currency)))
    if kpi.unit == Unit.COUNT:
        return compact_format(values)
    return {Unit.PERCENT: "0.0%", Unit.RATIO: '0.00"×"', Unit.MONTHS: '0.0" mo"'}.get(kpi.unit, "0.0")


def _quoted(symbol: str) -> str:
    """A currency symbol as literal text in an Excel number format: "$", "CHF "."""
    return '"' + symbol.replace('"', "") + '"'


def compact_format(values: Sequence[float], prefix: str = "") -> str:
    """An Excel number format that writes figures as the slides do, scaled to the largest: $2.5M, $3.0M, or
    146K, or 950. One decimal while the scaled figures stay under 10. Positive; negative; zero."""
    largest = max((abs(v) for v in values), default=0.0)
    for limit, commas, letter in COMPACT_STEPS:
        if largest >= limit:
            digits = "0.0" if largest / limit < 10 else "0"
            shown_as = f'{prefix}{digits}{commas}"{letter}"'
            return f"{shown_as};-{shown_as};{prefix}0"
    return f"{prefix}#,##0;-{prefix}#,##0;{prefix}0"


def kpi_slide(deck: Presentation, snapshot: ReviewSnapshot, kpi: KpiSnapshot) -> None:
    slide = titled_slide(deck, f"{kpi.label} · {MANDATE_TITLES[kpi.mandate]}", snapshot.color)
    categories = [f"{p.month:%b %y}" for p in kpi.trend]
    suffix = " (% of target)" if kpi.trend_as_pct_of_target else ""
    line_chart(slide, Box(0.5, 1.3, 8.2, 5.5), categories,
               [Line(f"Actual{suffix}", [p.actual for p in kpi.trend], snapshot.color),
                Line(f"Target{suffix}", [p.target for p in kpi.trend], TARGET_COLOR, dashed=True, width=1.75)],
               chart_format(snapshot, kpi))
    chip(slide, Box(9.0, 1.4, 1.9, 0.5), RAG_LABELS[kpi.rag], RAG_COLORS[kpi.rag], name="RAG status")
    facts = [f"Actual: {shown(snapshot, kpi.actual, kpi.unit)}{_partial_mark(snapshot, kpi.coverage)}",
             f"Target: {shown(snapshot, kpi.target, kpi.unit)}",
             f"Variance: {shown_gap(snapshot, kpi.variance, kpi.unit)} ({percent(kpi.variance_pct, signed=True)})",
             f"% of target: {percent(kpi.pct_of_target)} · {kpi.streak} month(s) at this status",
             f"Owner: {kpi.owner or '-'}", f"Confidence CEO / CMO: {_votes(kpi)}"]
    if kpi.reconciliation is not None:
        r = kpi.reconciliation
        facts.append(f"{r.source} vs {r.other_source}: {percent(r.variance_pct, signed=True)}"
                     + (" (flagged)" if r.flagged else ""))
    text(slide, Box(9.0, 2.05, 3.9, 2.6), facts, size=13, smallest=9)
    text(slide, Box(9.0, 4.7, 3.9, 0.35), ["What we are doing to improve it"], size=13, bold=True)
    text(slide, Box(9.0, 5.05, 3.9, FOOTER_TOP - 5.05), [kpi.commentary or "No commentary this month."], size=12,
         smallest=8)


def vanity_slide(deck: Presentation, snapshot: ReviewSnapshot) -> None:
    slide = titled_slide(deck, "Output vs outcome", snapshot.color)
    traps = snapshot.vanity_traps
    if not traps:
        text(slide, Box(0.5, 1.6, 12.3, 1.0), ["No vanity traps: no output grew while the outcome it should drive "
                                               "fell or stalled over the last quarter."], size=18)
        return
    text(slide, Box(0.5, 1.2, 12.3, 0.5), ["Vanity traps: outputs that grew while their outcomes did not"],
         size=16, bold=True)
    rows = [[t.output_label, percent(t.output_growth, signed=True), t.outcome_label,
             percent(t.outcome_growth, signed=True), t.reading] for t in traps[:VANITY_ROWS]]
    table(slide, Box(0.5, 1.8, 12.3, 6.45 - 1.8), ["Output", "Change", "Outcome", "Change", "Reading"], rows,
          size=11, header_color=snapshot.color)
    if len(traps) > VANITY_ROWS:
        text(slide, Box(0.5, 6.5, 12.3, 0.4), [f"{len(traps) - VANITY_ROWS} more on the Output vs outcome page "
                                               "of Alignboard, the widest gaps shown first."], size=11, color=MUTED)


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def actions_slides(deck: Presentation, snapshot: ReviewSnapshot) -> None:
    """Open actions (overdue first), several slides if needed; the month's decisions beside the first."""
    still_open = [v for v in snapshot.actions if v.open_in_month]
    pages = _chunks(still_open, ACTIONS_PER_SLIDE)
    for index, page in enumerate(pages):
        title = "Open actions" + (f" ({index + 1}/{len(pages)})" if len(pages) > 1 else "")
        slide = titled_slide(deck, title, snapshot.color)
        if not page:
            text(slide, Box(0.5, 1.6, 8.5, 1.0), ["No open actions."], size=18, color=MUTED)
        else:
            rows = [[v.action.title, v.action.owner or "-", f"{v.action.due:%d %b %Y}" if v.action.due else "-",
                     _flags(v.carried_over, v.overdue, v.action.created_month)] for v in page]
            fills = {(i, 3): RAG_COLORS[Rag.RED] for i, v in enumerate(page) if v.overdue}
            table(slide, Box(0.5, 1.3, 8.5, FOOTER_TOP - 1.4), ["Action", "Owner", "Due", "Status"], rows,
                  fills=fills, size=11, header_color=snapshot.color)
        if index == 0:
            decisions = [n.text for n in snapshot.notes if n.kind == "decision"]
            text(slide, Box(9.3, 1.3, 3.6, 0.4), ["Decisions this month"], size=14, bold=True)
            text(slide, Box(9.3, 1.75, 3.6, FOOTER_TOP - 1.85), [f"• {d}" for d in decisions] or ["None recorded."],
                 size=12, smallest=8)


def _flags(carried_over: bool, overdue: bool, created: dt.date) -> str:
    parts = ["Overdue"] if overdue else []
    if carried_over:
        parts.append(f"Carried over since {created:%b %Y}")
    return " · ".join(parts) or "Open"


def slide_titles(pptx: bytes) -> list[str]:
    """The deck's outline, read back from the file."""
    deck = Presentation(io.BytesIO(pptx))
    return [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in deck.slides]
