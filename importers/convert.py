"""A mapped table to long rows (date, metric, value, segment, weight, row) ready for the ingest path.

Every cell is checked on the way, in the file's own terms (its row numbers and column names); rows with a
problem are left out of the result and the problems are returned together, so nothing half-right is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import clock
from importers.cells import (
    AmbiguousDates,
    DateColumn,
    DateOrder,
    NumberColumn,
    Reading,
    currency_matches,
    parse_dates,
    parse_numbers,
    spoken_date,
    whole_month_dates,
)
from importers.grain import Grain, detect_grain, empty_coverage, month_coverage, split_weeks
from importers.mapping import IGNORE_METRIC, ColumnChoice, ImportMapping, Layout, Role, header_unit
from importers.problems import CONTROL, ProblemLog, by_row
from importers.reading import SourceTable
from metrics.catalog import Aggregation, Catalog, Metric, Unit
from metrics.periods import month_label, month_start
from metrics.validation import Problem

LONG_COLUMNS = ["date", "metric", "value", "segment", "weight", "row"]
SEGMENT_LENGTH = 120
UNIT_WORDS = {
    "%": "%", "percent": "%", "pct": "%", "count": "count", "#": "count", "number": "count", "qty": "count",
    "units": "count", "score": "score", "points": "score", "pts": "score", "ratio": "ratio", "x": "ratio",
    "months": "months", "mo": "months", "$": "$", "€": "EUR", "£": "GBP", "¥": "¥",
}
UNIT_OF = {"%": Unit.PERCENT, "count": Unit.COUNT, "score": Unit.SCORE, "ratio": Unit.RATIO, "months": Unit.MONTHS}
SKIP_CHOICE = "Skip rows without a date"
WHOLE_FILE_CHOICE = "This file has no date column: import it as one month"
MISSING_DATE = f"the date is missing: fill it in, or tick '{SKIP_CHOICE}'"
ORDER_CHOICE = "Dates like 01/03/2026"
ORDER_WORDS = {DateOrder.DAY_FIRST: "day first", DateOrder.MONTH_FIRST: "month first"}
SHOWN_SKIPPED_ROWS = 10


@dataclass
class Conversion:
    """Long rows plus what the preview shows: rows read, rejected and skipped, grain, how dates and numbers were
    read, and how many days of each month the file covers (``coverage``: metric, month, covered_days,
    month_days, one row per metric and month of ``long``)."""

    long: pd.DataFrame
    problems: list[Problem]
    rows_read: int
    rows_rejected: int = 0
    grain: Grain | None = None
    date_format: str = ""
    decimal: str = ""
    notes: list[str] = field(default_factory=list)
    skipped_rows: int = 0
    skipped_notes: list[str] = field(default_factory=list)
    coverage: pd.DataFrame = field(default_factory=empty_coverage)

    @property
    def months(self) -> list[dt.date]:
        if self.long.empty:
            return []
        months = pd.to_datetime(self.long["date"]).dt.to_period("M").unique()
        return sorted(p.to_timestamp().date() for p in months)

    def periods_text(self) -> str:
        months = self.months
        if not months:
            return "no periods"
        if len(months) == 1:
            return month_label(months[0])
        return f"{month_label(months[0])} – {month_label(months[-1])} ({len(months)} months)"

    def partial_months(self, labels: dict[str, str] | None = None) -> list[str]:
        """The months the file covers only in part, newest first: "Sep 2021: 5 of 30 days".

        Metrics that cover a month differently are named: "Sep 2021: 5 of 30 days (Clicks), 12 of 30 days (NPS)".
        """
        coverage = self.coverage
        partial = coverage[coverage["covered_days"] < coverage["month_days"]]
        metrics_in = coverage.groupby("month")["metric"].size()
        lines = []
        for month, rows in sorted(partial.groupby("month"), key=lambda item: item[0], reverse=True):
            by_days = rows.groupby(["covered_days", "month_days"])["metric"].apply(list)
            if len(by_days) == 1 and len(rows) == metrics_in[month]:  # every metric alike: no need to name them
                covered, month_days = by_days.index[0]
                lines.append(f"{month_label(month)}: {covered} of {month_days} days")
                continue
            parts = [f"{covered} of {month_days} days ({', '.join((labels or {}).get(m, m) for m in metrics)})"
                     for (covered, month_days), metrics in by_days.items()]
            lines.append(f"{month_label(month)}: {', '.join(parts)}")
        return lines


def empty_long() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "metric": pd.Series(dtype=object),
                         "value": pd.Series(dtype=float), "segment": pd.Series(dtype=object),
                         "weight": pd.Series(dtype=float), "row": pd.Series(dtype=np.int64)})


def convert(table: SourceTable, mapping: ImportMapping, catalog: Catalog, currency: str,
            today: dt.date | None = None) -> Conversion:
    """Check and convert ``table`` with ``mapping``; problems name the file's rows and columns."""
    today = today or clock.today()
    catalog = mapping.catalog(catalog)
    log = ProblemLog(table.file_name, table.rows)
    for problem in table.problems:
        log.problems.append(problem)
    if not check_mapping(mapping, table, catalog, currency, log, today):
        return Conversion(empty_long(), by_row(log.problems), len(table.frame), len(table.frame))
    context = Context(table, mapping, catalog, currency, np.datetime64(today, "ns"), log)
    if mapping.layout == Layout.CRM:
        from importers.crm import crm_rows  # the CRM rules live apart

        long, dates = crm_rows(context)
    elif mapping.layout == Layout.LONG:
        long, dates = long_rows(context)
    else:
        long, dates = wide_rows(context)
    long = aggregate(long, catalog)
    grain = Grain.MONTHLY if mapping.whole_file_month else mapping.grain or detect_grain(dates.distinct_dates(),
                                                                                           dates.kind)
    dated = long
    if grain == Grain.WEEKLY and mapping.layout != Layout.CRM:
        long = aggregate(split_weeks(long, catalog, mapping.week_anchor), catalog)
    coverage = month_coverage(dated, long, grain, today, mapping.week_anchor, whole=mapping.layout == Layout.CRM)
    skipped = context.skipped & ~log.rejected
    if skipped.any() and long.empty and not log.problems:
        log.column(None, "every row with figures had no date and was skipped: nothing is left to import")
    decimal = "," if "," in context.decimals else "."
    return Conversion(long, by_row(log.problems), len(table.frame), int(log.rejected.sum()), grain, dates.label,
                      decimal, [*table.notes, *context.notes], int(skipped.sum()), skipped_notes(context, skipped),
                      coverage)


def detected_grain(table: SourceTable, mapping: ImportMapping) -> Grain | None:
    """The grain the mapped date column points to (None when there is no date column, as for CRM rows)."""
    if mapping.whole_file_month and mapping.layout != Layout.CRM:
        return Grain.MONTHLY
    column = mapping.first(Role.DATE)
    if mapping.layout == Layout.CRM or column is None or column not in table.frame.columns:
        return None
    dates = parse_dates(table.frame[column], mapping.date_order, table.decimal_hint)
    return detect_grain(dates.distinct_dates(), dates.kind)


@dataclass
class Context:
    table: SourceTable
    mapping: ImportMapping
    catalog: Catalog
    currency: str
    today: np.datetime64
    log: ProblemLog
    decimals: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # how the dates were read, for the preview
    skipped: np.ndarray = field(init=False)  # rows left out for want of a date (ImportMapping.skip_undated)

    def __post_init__(self) -> None:
        self.skipped = np.zeros(len(self.table.frame), dtype=bool)

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    @property
    def hint(self) -> str:
        return self.table.decimal_hint

    def dates(self, column: str, present: np.ndarray, future_ok: np.ndarray | None = None) -> DateColumn:
        """Parse a date column; report unreadable, missing and future dates on rows that carry values.

        With no date column and ``whole_file_month`` set, every row belongs to that month. A missing date is
        refused, or the row skipped when the mapping says so (``skip_undated``).
        """
        if not column and self.mapping.whole_file_month:
            return whole_month_dates(len(self.frame), self.mapping.whole_file_month)
        dates = parse_dates(self.frame[column], self.mapping.date_order, self.hint)
        raw = self.frame[column]
        self.log.cells(dates.bad & present, column, "not a date: {value}", raw)
        unresolved = dates.unresolved & present if dates.unresolved is not None else np.zeros(len(present), bool)
        self.log.cells(unresolved, column, "{value}, and this column has both kinds: choose how to read such dates "
                       f"('{ORDER_CHOICE}')", dates.readings, quote=False)
        missing = np.isnat(dates.values) & ~dates.bad & present
        if self.mapping.skip_undated:
            self.skipped |= missing
        else:
            self.log.cells(missing, column, MISSING_DATE)
        future = (dates.values > self.today) & present & ~unresolved
        if future_ok is not None:
            future &= ~future_ok
        self.log.cells(future, column, f"the date is after today ({str(self.today)[:10]})")
        if dates.ambiguous is not None and dates.ambiguous.reading != Reading.UNRESOLVED:
            self.notes.append(date_reading_note(column, dates.ambiguous))
        return dates

    def kept(self, present: np.ndarray) -> np.ndarray:
        """The rows that go into the result: present, without a problem and not skipped."""
        return present & ~self.log.rejected & ~self.skipped

    def numbers(self, column: str) -> NumberColumn:
        numbers = parse_numbers(self.frame[column], self.mapping.decimal, self.hint)
        self.decimals.add(numbers.decimal)
        return numbers


def date_reading_note(column: str, ambiguous: AmbiguousDates) -> str:
    """What the preview says about dates that read both ways: "Column 'Date' read as day first: 01/02/2024 = …"."""
    order = ORDER_WORDS[ambiguous.order]
    shown = f"{ambiguous.example} = {spoken_date(ambiguous.example_date)}"
    if ambiguous.reading == Reading.CHOSEN:
        return f"Column '{column}' read as {order}, as chosen: {shown}."
    if ambiguous.reading == Reading.COLUMN:
        return f"Column '{column}' read as {order}: {shown}, as {ambiguous.evidence} in it can only be {order}."
    return (f"Column '{column}' read as {order}: {shown}. Nothing in the column shows which comes first; if "
            f"that is wrong, change '{ORDER_CHOICE}'.")


def skipped_notes(ctx: Context, skipped: np.ndarray) -> list[str]:
    """How many rows were skipped for want of a date, and why: by stage for CRM rows, else with their rows."""
    count = int(skipped.sum())
    if not count:
        return []
    stage_column = ctx.mapping.first(Role.STAGE)
    if ctx.mapping.layout == Layout.CRM and stage_column:
        stages = ctx.frame[stage_column].astype("str").str.strip().where(ctx.frame[stage_column].notna(), "")
        counts = stages[skipped].value_counts(sort=False).sort_values(ascending=False, kind="stable")
        return [f"{n:,} {_rows(n)} in {f'stage {stage}' if stage else 'no stage'} had no date and "
                f"{'was' if n == 1 else 'were'} skipped" for stage, n in counts.items()]
    rows = ctx.table.rows[skipped]
    shown = ", ".join(str(r) for r in rows[:SHOWN_SKIPPED_ROWS]) + (", …" if count > SHOWN_SKIPPED_ROWS else "")
    return [f"{count:,} {_rows(count)} had no date and {'was' if count == 1 else 'were'} skipped "
            f"({'row' if count == 1 else 'rows'} {shown})"]


def _rows(count: int) -> str:
    return "row" if count == 1 else "rows"


# --- The mapping itself --------------------------------------------------------------------------

REQUIRED = {
    Layout.WIDE: (Role.DATE,), Layout.AD_PLATFORM: (Role.DATE,),
    Layout.LONG: (Role.DATE, Role.METRIC_NAME, Role.VALUE), Layout.CRM: (Role.STAGE,),
}
SINGLE = (Role.DATE, Role.METRIC_NAME, Role.VALUE, Role.UNIT, Role.WEIGHT, Role.CREATED_DATE, Role.CLOSE_DATE,
          Role.STAGE, Role.AMOUNT, Role.LEAD_SOURCE, Role.DEAL_ID)


def check_mapping(mapping: ImportMapping, table: SourceTable, catalog: Catalog, currency: str,
                  log: ProblemLog, today: dt.date | None = None) -> bool:
    """Problems with the mapping as a whole; False when the table cannot be converted with it."""
    before = len(log.problems)
    present = set(table.columns)  # once: a lookup per column in a list would be quadratic in wide files
    columns = {c: ch for c, ch in mapping.columns.items() if c in present}
    for role in REQUIRED[mapping.layout]:
        if role == Role.DATE and mapping.whole_file_month:
            continue  # an undated export: every row belongs to that month
        if not any(ch.role == role for ch in columns.values()):
            undated = f", or tick '{WHOLE_FILE_CHOICE}'" if role == Role.DATE else ""
            log.column(None, f"choose the column that holds the {role.value.replace('_', ' ')}{undated}")
    if mapping.whole_file_month:
        _check_whole_file_month(mapping, columns, log, today or clock.today())
    for role in SINGLE:
        chosen = [c for c, ch in columns.items() if ch.role == role]
        if len(chosen) > 1:
            log.column(", ".join(chosen), f"only one column can be the {role.value.replace('_', ' ')}")
    if mapping.layout == Layout.CRM:
        _check_crm_mapping(columns, log)
    if mapping.layout in (Layout.WIDE, Layout.AD_PLATFORM):
        _check_metric_columns(mapping, table, catalog, log)
    convertible = len(log.problems) == before
    if convertible and mapping.layout in (Layout.WIDE, Layout.AD_PLATFORM):
        for column, key in mapping.metric_columns().items():  # wrong units: still check every row as well
            if column in present:
                _check_header_unit(column, catalog[key], currency, log)
    return convertible


def _check_crm_mapping(columns: dict, log: ProblemLog) -> None:
    roles = {ch.role for ch in columns.values()}
    if not roles & {Role.CREATED_DATE, Role.CLOSE_DATE}:
        log.column(None, "choose the created date or the close date column")
    if Role.AMOUNT not in roles:
        log.column(None, "choose the column that holds the amount")


def _check_whole_file_month(mapping: ImportMapping, columns: dict[str, ColumnChoice], log: ProblemLog,
                            today: dt.date) -> None:
    """'The whole file is month X' is for exports without dates, and only for a month that has begun."""
    month = month_label(mapping.whole_file_month)
    if mapping.layout == Layout.CRM:
        log.column(None, f"a CRM export is dated by its created and close dates: it cannot be imported as {month}")
    dated = [c for c, ch in columns.items() if ch.role == Role.DATE]
    if dated:
        log.column(dated[0], f"'{dated[0]}' holds the dates, and the whole file is also set to be {month}: "
                             "ignore the column or clear the month")
    if month_start(mapping.whole_file_month) > month_start(today):
        log.column(None, f"{month} has not begun yet: choose the month the file covers")


def _check_metric_columns(mapping: ImportMapping, table: SourceTable, catalog: Catalog, log: ProblemLog) -> None:
    present = set(table.columns)
    metrics = {c: k for c, k in mapping.metric_columns().items() if c in present}
    if not metrics:
        log.column(None, "map at least one column to a metric")
    by_metric: dict[str, list[str]] = {}
    for column, key in metrics.items():
        metric = catalog.get(key)
        if metric is None:
            log.column(column, f"unknown metric '{key}'")
        elif metric.derived:
            log.column(column, f"{metric.label} is computed from other metrics and cannot be imported")
        else:
            by_metric.setdefault(key, []).append(column)
    for key, columns in by_metric.items():
        if len(columns) > 1:
            _check_channels(mapping, columns, catalog[key], log)
    for key, columns in by_metric.items():
        weight_key = catalog[key].weight_key
        if catalog[key].aggregation == Aggregation.WEIGHTED_AVERAGE and weight_key in by_metric:
            for column in columns:
                if weight_column(mapping, column, columns, by_metric[weight_key]) is None:
                    log.column(column, _unpaired_weight(mapping, column, catalog[key], catalog[weight_key]))


def channel_of(choice: ColumnChoice) -> str:
    """The channel a metric column's values are stored as ("tv"), "" when none."""
    return CONTROL.sub(" ", choice.segment).strip()


def _check_channels(mapping: ImportMapping, columns: list[str], metric: Metric, log: ProblemLog) -> None:
    """Several columns of one metric are channels of it: each needs a channel name of its own."""
    names = [channel_of(mapping.columns[c]).lower() for c in columns]
    listed, each = ", ".join(columns), "both" if len(columns) == 2 else "all"
    if not all(names):
        log.column(listed, f"{listed} are {each} mapped to {metric.label}: give each a channel name to keep them "
                           f"as channels, or ignore {'one' if len(columns) == 2 else 'all but one'}")
        return
    counts = Counter(names)  # counted once: names.count() per name would be quadratic in wide files
    for name in sorted(n for n, count in counts.items() if count > 1):
        alike = [c for c, n in zip(columns, names, strict=True) if n == name]
        log.column(", ".join(alike), f"{', '.join(alike)} are mapped to {metric.label} with the same channel name "
                                     f"'{channel_of(mapping.columns[alike[0]])}': give each a channel name of its own")


def weight_column(mapping: ImportMapping, column: str, columns: list[str], weight_columns: list[str]) -> str | None:
    """The column that weights a weighted average's column (NPS responses for NPS): the only one, or the one
    with the same channel name when either metric comes in several columns."""
    if len(columns) == 1 and len(weight_columns) == 1:
        return weight_columns[0]
    name = channel_of(mapping.columns[column]).lower()
    return next((w for w in weight_columns if channel_of(mapping.columns[w]).lower() == name), None)


def _unpaired_weight(mapping: ImportMapping, column: str, metric: Metric, weight: Metric) -> str:
    name = channel_of(mapping.columns[column])
    channel = f"the channel name '{name}'" if name else "no channel name"
    return (f"{column} needs its own column of {weight.label} (with {channel}): when {metric.label} or its "
            f"{weight.label} come in several columns, they are paired by channel name")


def _check_header_unit(column: str, metric: Metric, currency: str, log: ProblemLog) -> None:
    unit = header_unit(column)
    if unit is None:
        return
    if unit == "%" and metric.unit != Unit.PERCENT:
        log.column(column, f"the header says % but {metric.label} is not a percentage")
    elif unit != "%" and metric.unit != Unit.CURRENCY:
        log.column(column, f"the header says {unit} but {metric.label} is not an amount of money")
    elif unit != "%" and not currency_matches(unit, currency):
        log.column(column, f"amounts are in {unit} but this workspace reports in {currency}: convert them first")


# --- Wide and ad-platform tables -----------------------------------------------------------------


def wide_rows(ctx: Context) -> tuple[pd.DataFrame, DateColumn]:
    """One column per metric: checked cell by cell, added up per date and segment, then made long."""
    mapping, frame = ctx.mapping, ctx.frame
    metric_columns = {c: k for c, k in mapping.metric_columns().items() if c in frame.columns}
    numbers = {c: ctx.numbers(c) for c in metric_columns}
    present = np.zeros(len(frame), dtype=bool)
    for parsed in numbers.values():
        present |= ~np.isnan(parsed.values) | parsed.bad
    dates = ctx.dates(mapping.first(Role.DATE) or "", present)
    for column, key in metric_columns.items():
        _check_values(ctx, column, ctx.catalog[key], numbers[column], present)
    weights = _weights(ctx, metric_columns, numbers, present)
    segment_codes, segment_labels = segments(ctx, mapping.with_role(Role.SEGMENT), present)
    channels = {c: _channel_labels(ctx, c, segment_codes, segment_labels, numbers[c], present) for c in metric_columns}
    date_codes, date_values = dates.grouping()
    keys = combined_codes([date_codes, segment_codes, *[codes_of(frame[c]) for c in mapping.with_role(Role.DETAIL)]])
    check_duplicates(ctx, keys, present & ~np.isnat(dates.values), *key_description(mapping))
    keep = ctx.kept(present)
    group = date_codes.astype(np.int64) * len(segment_labels) + segment_codes
    return _melt(ctx, keep, group, len(segment_labels), date_values, channels, metric_columns, numbers,
                 weights), dates


def _channel_labels(ctx: Context, column: str, segment_codes: np.ndarray, segment_labels: list[str],
                    parsed: NumberColumn, present: np.ndarray) -> np.ndarray:
    """The segment labels of one metric column: the rows' segments joined with the column's channel ("US / tv")."""
    channel = channel_of(ctx.mapping.columns[column])
    if not channel:
        return np.asarray(segment_labels, dtype=object)
    labels = np.asarray([" / ".join(p for p in (label, channel) if p) for label in segment_labels], dtype=object)
    too_long = np.array([len(label) > SEGMENT_LENGTH for label in labels])
    if too_long.any():
        has_value = present & ~np.isnan(parsed.values)
        ctx.log.cells(too_long[segment_codes] & has_value, column,
                      f"segment and channel names together can be at most {SEGMENT_LENGTH} characters")
    return labels


def _check_values(ctx: Context, column: str, metric: Metric, parsed: NumberColumn, present: np.ndarray) -> None:
    raw = ctx.frame[column]
    log = ctx.log
    log.cells(parsed.bad, column, "not a number: {value}", raw)
    if metric.non_negative:
        log.cells(parsed.values < 0, column, f"{metric.label} cannot be negative: {{value}}", raw)
    check_cell_units(ctx, column, metric, parsed, raw, np.ones(len(raw), dtype=bool))


def check_cell_units(ctx: Context, column: str, metric: Metric, parsed: NumberColumn, raw: pd.Series,
                      rows: np.ndarray) -> None:
    """Percent signs and currency signs must fit the metric and the workspace currency."""
    log = ctx.log
    if metric.unit != Unit.PERCENT:
        log.cells(parsed.percent & rows, column, f"{{value}} has a % sign but {metric.label} is not a percentage", raw)
    elif header_unit(column) == "%":
        parsed.values = np.where(rows & ~parsed.percent, parsed.values / 100, parsed.values)
    else:
        log.cells((parsed.values > 1) & ~parsed.percent & rows, column,
                  f"{metric.label} is a percentage: write {{value}} as a share (0.34) or with a % sign (34%)", raw)
    if parsed.currency is None:
        return
    marked = (parsed.currency != "") & rows
    if metric.unit != Unit.CURRENCY:
        log.cells(marked, column, f"{{value}} has a currency sign but {metric.label} is not an amount of money", raw)
        return
    wrong = np.array([bool(m) and not currency_matches(m, ctx.currency) for m in parsed.currency]) & rows
    log.cells(wrong, column, f"{{value}} is not in {ctx.currency}, the currency this workspace reports in", raw)


def _weights(ctx: Context, metric_columns: dict[str, str], numbers: dict[str, NumberColumn],
             present: np.ndarray) -> dict[str, np.ndarray]:
    """Weighted averages (NPS) weighted by their weight metric's column (responses) when the file has it."""
    by_key: dict[str, list[str]] = {}
    for column, key in metric_columns.items():
        by_key.setdefault(key, []).append(column)
    weights: dict[str, np.ndarray] = {}
    for column, key in metric_columns.items():
        metric = ctx.catalog[key]
        if metric.aggregation != Aggregation.WEIGHTED_AVERAGE:
            continue
        weighting = weight_column(ctx.mapping, column, by_key[key], by_key.get(metric.weight_key or "", []))
        if weighting is None:
            weights[column] = np.ones(len(present))
            continue
        weight = numbers[weighting].values
        has_value = ~np.isnan(numbers[column].values)
        ctx.log.cells(has_value & ~(weight > 0), weighting,
                      f"{metric.label} needs a positive number of {ctx.catalog[metric.weight_key].label.lower()}")
        weights[column] = np.where(weight > 0, weight, 0.0)
    return weights


def segments(ctx: Context, columns: list[str], present: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Integer codes and labels of the segment each row belongs to ("Google Ads / US")."""
    if not columns:
        return np.zeros(len(ctx.frame), dtype=np.int64), [""]
    parts = [labelled_codes(ctx.frame[c]) for c in columns]
    if len(parts) == 1:
        codes, labels = parts[0]
    else:
        codes = pd.factorize(combined_codes([part_codes for part_codes, _ in parts]))[0]
        labels = []
        for position in first_positions(codes):
            names = [part_labels[part_codes[position]] for part_codes, part_labels in parts]
            labels.append(" / ".join(n for n in names if n))
    too_long = np.array([len(label) > SEGMENT_LENGTH for label in labels])
    if too_long.any():
        ctx.log.cells(too_long[codes] & present, ", ".join(columns),
                      f"segment names can be at most {SEGMENT_LENGTH} characters")
    return codes.astype(np.int64), labels


def factorized(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 where blank) and the distinct values; a categorical column already has both."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), np.asarray(values.cat.categories, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def labelled_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes and cleaned labels of a text column; values that clean to the same label share a code."""
    codes, uniques = factorized(values)
    cleaned = [CONTROL.sub(" ", str(u)).strip() for u in uniques] + [""]
    label_codes, labels = pd.factorize(pd.Series(cleaned, dtype=object))
    return label_codes[np.where(codes < 0, len(cleaned) - 1, codes)], list(labels)


def codes_of(values: pd.Series) -> np.ndarray:
    """Integer codes of a column, blanks included as a code of their own."""
    codes, uniques = factorized(values)
    return np.where(codes < 0, len(uniques), codes)


def first_positions(codes: np.ndarray) -> np.ndarray:
    """Where each code first appears; pandas numbers codes in order of appearance, so this is by code."""
    return pd.Series(codes).drop_duplicates().index.to_numpy()


def combined_codes(parts: list[np.ndarray]) -> np.ndarray:
    """One integer per distinct combination of several code columns (mixed radix while it fits)."""
    key = np.zeros(len(parts[0]) if parts else 0, dtype=np.int64)
    span = 1
    for codes in parts:
        size = int(codes.max()) + 1 if len(codes) else 1
        if span * size >= 2**62:
            key = pd.factorize(pd.MultiIndex.from_arrays([key, codes]))[0].astype(np.int64)
            span = int(key.max()) + 1 if len(key) else 1
            continue
        key, span = key * size + codes, span * size
    return key


def check_duplicates(ctx: Context, keys: np.ndarray, present: np.ndarray, column: str, what: str) -> None:
    """Rows whose key (date, segment, breakdowns…) repeats an earlier row's: "same date, Channel as row 12"."""
    if not present.any() or not _any_repeated(keys if present.all() else keys[present]):
        return
    candidates = np.flatnonzero(present)
    codes = pd.factorize(keys[candidates])[0]
    first_row = first_positions(codes)[codes]  # position of each key's first row
    repeated = first_row != np.arange(len(codes))
    mask = np.zeros(len(keys), dtype=bool)
    mask[candidates[repeated]] = True
    first_line = np.zeros(len(keys), dtype=np.int64)
    first_line[candidates] = ctx.table.rows[candidates[first_row]]
    ctx.log.cells(mask, column, f"same {what} as row {{value}}", first_line, quote=False)


def _any_repeated(keys: np.ndarray) -> bool:
    """Whether any key occurs twice: counting is cheap when the keys are small integers, as they usually are."""
    if keys.min() >= 0 and keys.max() < 8 * len(keys) + 1_000_000:
        return bool((np.bincount(keys) > 1).any())
    return bool(pd.Series(keys).duplicated().any())


def key_description(mapping: ImportMapping, *first: str) -> tuple[str, str]:
    """The columns that make a row unique, as (column list for the problem, words for the reason)."""
    segments_and_details = [*mapping.with_role(Role.SEGMENT), *mapping.with_role(Role.DETAIL)]
    date = mapping.first(Role.DATE)
    when = "date" if date or not mapping.whole_file_month else "month"
    return (", ".join([c for c in (date, *first, *mapping.with_role(Role.SEGMENT)) if c]),
            ", ".join([when, *first, *segments_and_details]))


def _melt(ctx: Context, keep: np.ndarray, group: np.ndarray, segment_count: int, date_values: np.ndarray,
          segment_labels: dict[str, np.ndarray], metric_columns: dict[str, str], numbers: dict[str, NumberColumn],
          weights: dict[str, np.ndarray]) -> pd.DataFrame:
    """Add rows up per date and segment (breakdowns such as campaigns disappear), then one row per metric."""
    if not keep.any():
        return empty_long()
    every = bool(keep.all())  # the usual case: no copies of a million rows
    group, rows = (group, ctx.table.rows) if every else (group[keep], ctx.table.rows[keep])
    slots = len(date_values) * segment_count
    if slots > 4 * len(group) + 1_000_000:  # very many segments: number only the groups that occur
        group, groups = pd.factorize(group)
    else:
        groups = np.arange(slots)
    first_row = np.zeros(len(groups), dtype=np.int64)
    first_row[group[::-1]] = rows[::-1]  # the last write wins, so each group keeps its first (lowest) row
    sizes = np.bincount(group, minlength=len(groups))
    parts = []
    for column, key in metric_columns.items():
        values = numbers[column].values if every else numbers[column].values[keep]
        weight = (weights[column] if every else weights[column][keep]) if column in weights else None
        parts.append(_summed(group, groups, sizes, values, weight, key, date_values, segment_count,
                             segment_labels[column], first_row))
    return pd.concat(parts, ignore_index=True) if parts else empty_long()


def _summed(group: np.ndarray, groups: np.ndarray, sizes: np.ndarray, values: np.ndarray, weight: np.ndarray | None,
            key: str, date_values: np.ndarray, segment_count: int, segment_labels: np.ndarray,
            first_row: np.ndarray) -> pd.DataFrame:
    """One metric's rows per date and segment: sums, or weighted means when ``weight`` is given."""
    blank = np.isnan(values)
    counts = np.bincount(group, weights=~blank, minlength=len(groups)) if blank.any() else sizes
    values = np.where(blank, 0.0, values) if blank.any() else values
    if weight is None:
        total, weight_sum = np.bincount(group, weights=values, minlength=len(groups)), np.ones(len(groups))
    else:
        weight = np.where(blank, 0.0, weight)
        weight_sum = np.bincount(group, weights=weight, minlength=len(groups))
        total = np.bincount(group, weights=values * weight, minlength=len(groups))
        total = np.divide(total, weight_sum, out=np.full(len(total), np.nan), where=weight_sum > 0)
    filled = counts > 0
    slots = groups[filled]
    return pd.DataFrame({"date": date_values[slots // segment_count], "metric": key, "value": total[filled],
                         "segment": segment_labels[slots % segment_count],
                         "weight": weight_sum[filled], "row": first_row[filled]})


# --- Long tables ---------------------------------------------------------------------------------


def long_rows(ctx: Context) -> tuple[pd.DataFrame, DateColumn]:
    """Date, metric name, value (and unit, weight, segment) per row."""
    mapping, frame = ctx.mapping, ctx.frame
    name_column, value_column = mapping.first(Role.METRIC_NAME) or "", mapping.first(Role.VALUE) or ""
    keys = _metric_keys(ctx, name_column)
    present = keys != IGNORE_METRIC
    numbers = ctx.numbers(value_column)
    dates = ctx.dates(mapping.first(Role.DATE) or "", present)
    raw_names, raw = frame[name_column], frame[value_column]
    ctx.log.cells(present & (keys == ""), name_column,
                  "unknown metric {value}: choose the metric it is, or ignore it", raw_names)
    ctx.log.cells(present & (numbers.values != numbers.values) & ~numbers.bad, value_column, "the value is missing")
    ctx.log.cells(present & numbers.bad, value_column, "not a number: {value}", raw)
    for key in sorted(set(keys[present]) - {"", IGNORE_METRIC}):
        metric = ctx.catalog.get(key)
        rows = present & (keys == key)
        if metric is None or metric.derived:
            ctx.log.cells(rows, name_column, f"'{key}' cannot be imported: it is unknown or computed from others")
            continue
        if metric.non_negative:
            ctx.log.cells(rows & (numbers.values < 0), value_column, f"{metric.label} cannot be negative: {{value}}",
                          raw)
        _check_long_units(ctx, metric, numbers, rows, raw)
    weights = _long_weights(ctx, present)
    segment_codes, segment_labels = segments(ctx, mapping.with_role(Role.SEGMENT), present)
    details = [codes_of(frame[c]) for c in mapping.with_role(Role.DETAIL)]
    dup_keys = combined_codes([codes_of(pd.Series(dates.values)), codes_of(pd.Series(keys)), segment_codes, *details])
    check_duplicates(ctx, dup_keys, present & ~np.isnat(dates.values) & (keys != ""),
                     *key_description(mapping, name_column))
    keep = ctx.kept(present)
    long = pd.DataFrame({"date": dates.values[keep], "metric": keys[keep], "value": numbers.values[keep],
                         "segment": np.asarray(segment_labels, dtype=object)[segment_codes[keep]],
                         "weight": weights[keep], "row": ctx.table.rows[keep]})
    return long, dates


def _metric_keys(ctx: Context, column: str) -> np.ndarray:
    names = ctx.frame[column]
    known = {str(k).strip().lower(): v for k, v in ctx.mapping.metric_names.items()}
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    keys = [known.get(str(u).strip().lower(), "") for u in uniques]
    return np.where(codes < 0, IGNORE_METRIC, np.asarray(keys + [""], dtype=object)[codes])


def _check_long_units(ctx: Context, metric: Metric, numbers: NumberColumn, rows: np.ndarray, raw: pd.Series) -> None:
    """A unit column, where there is one, must name a unit that fits the metric; else the cells' own signs."""
    value_column = ctx.mapping.first(Role.VALUE) or ""
    unit_column = ctx.mapping.first(Role.UNIT)
    units = ctx.frame[unit_column].to_numpy(dtype=object) if unit_column else np.full(len(rows), None, dtype=object)
    stated = np.array([_unit(u) is not None for u in units]) & rows
    check_cell_units(ctx, value_column, metric, numbers, raw, rows & ~stated)
    for unit_text in pd.unique(units[stated]):
        marked = stated & (units == unit_text)
        reason = _unit_problem(unit_text, metric, ctx.currency)
        if reason:
            ctx.log.cells(marked, unit_column or "", reason)
        elif _unit(unit_text) == "%":
            numbers.values = np.where(marked & ~numbers.percent, numbers.values / 100, numbers.values)


def _unit(text: object) -> str | None:
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return None
    word = str(text).strip()
    if word.lower() in UNIT_WORDS:
        return UNIT_WORDS[word.lower()]
    if len(word) == 3 and word.isalpha():
        return word.upper()
    return f"?{word}"


def _unit_problem(text: object, metric: Metric, currency: str) -> str | None:
    unit = _unit(text)
    if unit is None:
        return None
    if unit.startswith("?"):
        return f"unknown unit '{unit[1:40]}'"
    if unit in UNIT_OF:
        return None if UNIT_OF[unit] == metric.unit else f"unit '{text}' does not fit {metric.label} ({metric.unit})"
    if metric.unit != Unit.CURRENCY:
        return f"unit '{text}' is a currency but {metric.label} is not an amount of money"
    if not currency_matches(unit, currency):
        return f"unit '{text}' is not {currency}, the currency this workspace reports in"
    return None


def _long_weights(ctx: Context, present: np.ndarray) -> np.ndarray:
    column = ctx.mapping.first(Role.WEIGHT)
    if column is None:
        return np.ones(len(present))
    weight = parse_numbers(ctx.frame[column], ctx.mapping.decimal, ctx.hint).values
    given = ~np.isnan(weight)
    ctx.log.cells(present & given & ~(weight > 0), column, "the weight must be a positive number")
    return np.where(given & (weight > 0), weight, 1.0)


# --- Adding up -----------------------------------------------------------------------------------


def aggregate(long: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """One row per date, metric and segment: sums added, weighted averages combined by their weights."""
    if long.empty:
        return empty_long()
    averaged = {m.key for m in catalog if m.aggregation == Aggregation.WEIGHTED_AVERAGE}
    work = long.assign(product=long["value"] * long["weight"], weighted=long["metric"].isin(averaged))
    grouped = work.groupby(["date", "metric", "segment"], sort=True, observed=True)
    out = grouped.agg(value=("value", "sum"), product=("product", "sum"), weight=("weight", "sum"),
                      row=("row", "min"), weighted=("weighted", "first")).reset_index()
    is_weighted = out["weighted"].to_numpy(dtype=bool)
    out["value"] = np.where(is_weighted, out["product"] / out["weight"].where(out["weight"] > 0, np.nan),
                            out["value"])
    out["weight"] = np.where(is_weighted, out["weight"], 1.0)
    return out[LONG_COLUMNS]

