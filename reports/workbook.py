"""The review's figures as an Excel workbook: scorecard, One View, vanity traps, actions, notes.

Numbers stay numbers and carry their unit as a number format (the company's currency, % for rates, whole
numbers for counts, one decimal for scores), so the sheet reads like the app and still adds up. Headers are
in words and frozen; a sheet with nothing in it keeps its headers and says so under them. Text goes
through reports/safe_text.py, so no cell can run as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from metrics.catalog import BAND_TITLES, MANDATE_TITLES, STANDARD_CATALOG, Unit
from metrics.colors import text_color_on
from metrics.coverage import is_complete, partial_label
from metrics.formatting import currency_symbol
from metrics.review import ActionView, CardFigure, KpiSnapshot, NoteLine, ReviewSnapshot, build_agenda
from metrics.status import RAG_LABELS
from reports.safe_text import neutralise, unsigned_zeros

WIDEST = 60  # characters: longer text wraps within the column
NARROWEST = 8
NOTHING_FONT = Font(italic=True, color="5F6B7A")

UNIT_NAMES = {Unit.COUNT: "Count", Unit.PERCENT: "Percent", Unit.RATIO: "Ratio", Unit.SCORE: "Score",
              Unit.MONTHS: "Months"}
COUNT, WHOLE_PERCENT, SCORE = "#,##0", "0%", "0.0"
PERCENT, POINTS = "0.0%", '0.0" pts"'
DATE, MONTH = "d mmm yyyy", "mmm yyyy"
GAP_DECIMALS = {Unit.CURRENCY: 0, Unit.COUNT: 0, Unit.RATIO: 2}  # as shown; points, scores, months: 1


# --- number formats ----------------------------------------------------------------------------


def money_format(currency: str) -> str:
    """Whole amounts in the company's currency: "$"#,##0, "€"#,##0, "CHF "#,##0."""
    symbol = currency_symbol(currency).replace('"', "")
    return f'"{symbol}"#,##0;-"{symbol}"#,##0'


def unit_format(unit: Unit, currency: str) -> str:
    """The number format of a value in ``unit``, as the app writes it."""
    if unit == Unit.CURRENCY:
        return money_format(currency)
    return {Unit.COUNT: COUNT, Unit.PERCENT: PERCENT, Unit.RATIO: '0.00"×"', Unit.MONTHS: '0.0" mo"'}.get(unit, SCORE)


def signed(number_format: str) -> str:
    """A format that writes the sign of a change: +3.1%, -3.1%, and 0.0% without a sign."""
    plain = number_format.split(";")[0]
    return f"+{plain};-{plain};{plain}"


def gap_format(unit: Unit, currency: str) -> str:
    """A gap to target: rates in points (see ``gap_value``), everything else in the KPI's own unit."""
    return signed(POINTS if unit == Unit.PERCENT else unit_format(unit, currency))


def gap_value(value: float | None, unit: Unit) -> float | None:
    """Rates are stored as fractions; their gap is written in points, as on the scorecard (0.012 is 1.2 pts)."""
    if value is None:
        return None
    return zero_when_rounded(value * 100 if unit == Unit.PERCENT else value, GAP_DECIMALS.get(unit, 1))


def zero_when_rounded(value: float | None, decimals: int) -> float | None:
    """A change that rounds to zero at the shown precision is stored as zero, so it never reads "-0.0"."""
    if value is None:
        return None
    return 0.0 if round(value, decimals) == 0 else value


# --- sheets as data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its header in words, the value of a row, and the row's number format (units vary by row)."""

    header: str
    value: Callable[[Any], object]
    number_format: str | Callable[[Any], str] | None = None
    wrap: bool = False

    def format_for(self, row: object) -> str | None:
        return self.number_format(row) if callable(self.number_format) else self.number_format


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[object]
    nothing: str  # written under the headers when there are no rows


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def scorecard_sheet(snapshot: ReviewSnapshot) -> Sheet:
    currency = snapshot.currency

    def unit_name(kpi: KpiSnapshot) -> str:
        return f"Currency ({currency})" if kpi.unit == Unit.CURRENCY else UNIT_NAMES[kpi.unit]

    def own_unit(kpi: KpiSnapshot) -> str:
        return unit_format(kpi.unit, currency)

    return Sheet("Scorecard", [
        Column("Mandate", lambda k: MANDATE_TITLES[k.mandate]),
        Column("KPI", lambda k: k.label),
        Column("Owner", lambda k: k.owner),
        Column("Unit", unit_name),
        Column("Actual", lambda k: k.actual, own_unit),
        Column("Target", lambda k: k.target, own_unit),
        Column("Variance", lambda k: gap_value(k.variance, k.unit), lambda k: gap_format(k.unit, currency)),
        Column("Variance %", lambda k: zero_when_rounded(k.variance_pct, 3), signed(PERCENT)),
        Column("% of target", lambda k: k.pct_of_target, WHOLE_PERCENT),
        Column("Status", lambda k: RAG_LABELS[k.rag]),
        Column("Streak (months)", lambda k: k.streak, COUNT),
        Column("CEO confidence (1–5)", lambda k: k.ceo_confidence, COUNT),
        Column("CMO confidence (1–5)", lambda k: k.cmo_confidence, COUNT),
        Column("CEO and CMO disagree", lambda k: yes_no(k.disagree)),
        Column("What we are doing", lambda k: k.commentary, wrap=True),
    ], snapshot.kpis, "No agreed KPIs: no scorecard was signed for this month.")


def one_view_sheet(snapshot: ReviewSnapshot) -> Sheet:
    def coverage(card: CardFigure) -> str:
        return "Whole month" if is_complete(card.coverage) else partial_label(snapshot.month, card.coverage)

    return Sheet("One View", [
        Column("Story", lambda c: BAND_TITLES[c.band]),
        Column("Metric", lambda c: c.label),
        Column("Value", lambda c: c.value, lambda c: unit_format(c.unit, snapshot.currency)),
        Column("Change vs last month", lambda c: c.change_month),
        Column("Change vs same month last year", lambda c: c.change_year),
        Column("Figures cover", coverage),
    ], snapshot.cards, "No figures for this month.")


def vanity_sheet(snapshot: ReviewSnapshot) -> Sheet:
    return Sheet("Vanity traps", [
        Column("Output", lambda t: t.output_label),
        Column("Output growth (quarter)", lambda t: zero_when_rounded(t.output_growth, 3), signed(PERCENT)),
        Column("Outcome it should drive", lambda t: t.outcome_label),
        Column("Outcome growth (quarter)", lambda t: zero_when_rounded(t.outcome_growth, 3), signed(PERCENT)),
        Column("Reading", lambda t: t.reading, wrap=True),
    ], snapshot.vanity_traps, "No vanity traps: no output grew while the outcome it should drive fell or stalled.")


def metric_names(snapshot: ReviewSnapshot) -> dict[str, str]:
    """Metric keys to the names people know them by: the review's own KPIs and cards, then the catalog."""
    names = {m.key: m.label for m in STANDARD_CATALOG}
    return names | {c.key: c.label for c in snapshot.cards} | {k.key: k.label for k in snapshot.kpis}


def actions_sheet(snapshot: ReviewSnapshot) -> Sheet:
    names = metric_names(snapshot)

    def status(view: ActionView) -> str:
        return "Open" if view.open_in_month else f"{view.action.status.value.capitalize()} this month"

    return Sheet("Actions", [
        Column("Action", lambda v: v.action.title, wrap=True),
        Column("Owner", lambda v: v.action.owner),
        Column("Due", lambda v: v.action.due, DATE),
        Column("Status", status),
        Column("Linked KPI", lambda v: names.get(v.action.kpi_key, v.action.kpi_key) if v.action.kpi_key else ""),
        Column("Agreed in", lambda v: v.action.created_month, MONTH),
        Column("Carried over", lambda v: yes_no(v.carried_over)),
        Column("Overdue", lambda v: yes_no(v.overdue)),
    ], snapshot.actions, "No actions in this month's review.")


def notes_sheet(snapshot: ReviewSnapshot) -> Sheet:
    """Times as text with their zone: Excel has no time zones."""
    items = {item.key: item.title for item in build_agenda(snapshot)}

    def when(note: NoteLine) -> str:
        return f"{note.created_at:%Y-%m-%d %H:%M} UTC" if note.created_at else ""

    return Sheet("Notes and decisions", [
        Column("Agenda item", lambda n: items.get(n.item_key, n.item_key)),
        Column("Kind", lambda n: n.kind.capitalize()),
        Column("Text", lambda n: n.text, wrap=True),
        Column("By", lambda n: n.author),
        Column("At", when),
    ], snapshot.notes, "No notes or decisions recorded this month.")


def review_sheets(snapshot: ReviewSnapshot) -> list[Sheet]:
    return [scorecard_sheet(snapshot), one_view_sheet(snapshot), vanity_sheet(snapshot), actions_sheet(snapshot),
            notes_sheet(snapshot)]


# --- writing -----------------------------------------------------------------------------------


def cell_value(value: object) -> object:
    """What goes in a cell: numbers and dates as they are, text made safe and without "-0.0"."""
    if isinstance(value, str):
        return neutralise(unsigned_zeros(value))
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def _header(sheet: Worksheet, columns: Sequence[Column], color: str) -> None:
    sheet.append([neutralise(column.header) for column in columns])
    fill = PatternFill("solid", fgColor=color.removeprefix("#").upper())
    font = Font(bold=True, color=text_color_on(color).removeprefix("#").upper())
    for cell in sheet[1]:
        cell.fill, cell.font = fill, font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _rows(sheet: Worksheet, spec: Sheet) -> None:
    for row in spec.rows:
        sheet.append([cell_value(column.value(row)) for column in spec.columns])
        for cell, column in zip(sheet[sheet.max_row], spec.columns, strict=True):
            if (number_format := column.format_for(row)) is not None:
                cell.number_format = number_format
            cell.alignment = Alignment(wrap_text=column.wrap, vertical="top")
    if not spec.rows:
        sheet.append([neutralise(spec.nothing)])
        sheet["A2"].font = NOTHING_FONT


def shown_length(value: object) -> int:
    """About how many characters a cell shows: text as it is, numbers and dates as their format writes them."""
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, dt.date):
        return 11
    return len(f"{value:,.1f}") + 2  # sign or currency symbol and a unit


def _widths(sheet: Worksheet, spec: Sheet) -> None:
    """Each column as wide as its header and values (up to WIDEST characters; longer text wraps)."""
    for index, column in enumerate(spec.columns, start=1):
        lengths = [len(column.header)] + [shown_length(column.value(row)) for row in spec.rows]
        width = min(max(max(lengths) + 2, NARROWEST), WIDEST)
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_sheet(book: Workbook, spec: Sheet, color: str) -> Worksheet:
    sheet = book.create_sheet(spec.title[:31])
    _header(sheet, spec.columns, color)
    _rows(sheet, spec)
    _widths(sheet, spec)
    return sheet


def workbook_bytes(sheets: Sequence[Sheet], color: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        write_sheet(book, spec, color)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def review_workbook(snapshot: ReviewSnapshot) -> bytes:
    """One sheet per part of the review; currency amounts are empty when the snapshot is share-safe."""
    return workbook_bytes(review_sheets(snapshot), snapshot.color)
