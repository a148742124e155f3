"""First guesses for a new file: its layout, which column is the date, which are metrics and segments.

The user confirms or changes every guess; a saved preset replaces them for files of the same shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from importers.cells import NumberColumn, parse_dates, parse_numbers
from importers.mapping import (
    CRM_WORDS,
    DATE_WORDS,
    DETAIL_WORDS,
    LONG_WORDS,
    LOST,
    MARKETING,
    NOT_MARKETING,
    SEGMENT_WORDS,
    WON,
    ColumnChoice,
    ImportMapping,
    Layout,
    Role,
    header_unit,
    role_score,
    suggest_metric,
    suggest_new_metric,
    suggest_source_name,
    words_match,
)
from importers.reading import SourceTable
from metrics.catalog import STANDARD_CATALOG, Catalog

SAMPLE_ROWS = 500
RATE_HEADER = re.compile(r"/|\bper\b|\bavg\b|average|\brate\b|\bcpc\b|\bcpm\b|\bcpa\b|\bctr\b|\broas\b|%|\bshare\b",
                         re.IGNORECASE)
WORD = r"[^\W\d_]{4,}"  # four letters in a row: a word, not a currency code or "n/a"
AD_METRICS = ("impressions", "clicks", "marketing_spend")
_AD_CATALOG = Catalog([STANDARD_CATALOG[k] for k in AD_METRICS])


@dataclass(frozen=True)
class ColumnProfile:
    """What a column's first values look like."""

    name: str
    date_share: float
    number_share: float
    distinct: int
    filled: int
    unit: str | None


def profile(table: SourceTable, hint: str | None = None) -> dict[str, ColumnProfile]:
    head = table.frame.head(SAMPLE_ROWS)
    return {c: _profile_column(c, head[c], hint or table.decimal_hint) for c in table.columns}


def _profile_column(name: str, values: pd.Series, hint: str) -> ColumnProfile:
    filled = values.dropna()
    if isinstance(filled.dtype, pd.CategoricalDtype):
        filled = filled.astype(object)  # only the sampled values, not every category of the column
    if filled.empty:
        return ColumnProfile(name, 0.0, 0.0, 0, 0, header_unit(name))
    text = filled.astype(str)
    if text.str.contains(WORD, regex=True).mean() > 0.5:  # "Campaign 12", "Google Ads": words, not numbers
        numbers = NumberColumn(np.full(len(filled), np.nan), *[np.zeros(len(filled), dtype=bool)] * 2, None)
    else:
        numbers = parse_numbers(filled, hint=hint)
    dates = parse_dates(filled, hint=hint)
    number_ok = ~np.isnan(numbers.values)
    date_ok = ~np.isnat(dates.values)
    plain_numbers = pd.api.types.is_numeric_dtype(filled) or (dates.label == "Excel day numbers")
    if plain_numbers and not words_match(name, DATE_WORDS):
        date_ok = np.zeros_like(date_ok)  # day numbers count as dates only under a date-like header
    unit = header_unit(name)
    if unit is None and numbers.percent.mean() > 0.5:
        unit = "%"
    if unit is None and numbers.currency is not None:
        markers = [m for m in numbers.currency if m]
        unit = max(set(markers), key=markers.count) if markers else None
    return ColumnProfile(name, float(date_ok.mean()), float(number_ok.mean()), int(text.nunique()), len(filled),
                         unit)


def suggest(table: SourceTable, catalog: Catalog, layout: Layout | None = None) -> ImportMapping:
    """The app's best guess at a mapping for ``table`` (in ``layout`` when the user chose one)."""
    profiles = profile(table)
    layout = layout or detect_layout(table, profiles)
    if layout == Layout.CRM:
        mapping = _suggest_crm(table, profiles)
    elif layout == Layout.LONG:
        mapping = _suggest_long(table, profiles, catalog)
    else:
        mapping = _suggest_wide(table, profiles, catalog, layout)
    mapping.source_name = suggest_source_name(table.file_name, layout)
    return mapping


def detect_layout(table: SourceTable, profiles: dict[str, ColumnProfile]) -> Layout:
    columns = table.columns
    has = {role: any(role_score(c, words) >= 0.9 for c in columns) for role, words in CRM_WORDS.items()}
    if has[Role.STAGE] and has[Role.AMOUNT] and (has[Role.CREATED_DATE] or has[Role.CLOSE_DATE]):
        return Layout.CRM
    text_columns = [c for c in columns if profiles[c].number_share < 0.5 and profiles[c].date_share < 0.5]
    if any(role_score(c, LONG_WORDS[Role.METRIC_NAME]) >= 0.9 for c in text_columns) and any(
            role_score(c, LONG_WORDS[Role.VALUE]) >= 0.9 for c in columns):
        return Layout.LONG
    ad_metrics = {suggest_metric(c, _AD_CATALOG)[0] for c in columns if not RATE_HEADER.search(c)}
    breakdowns = [c for c in text_columns if words_match(c, DETAIL_WORDS) or words_match(c, SEGMENT_WORDS)]
    if len(ad_metrics & set(AD_METRICS)) >= 2 and breakdowns:
        return Layout.AD_PLATFORM
    return Layout.WIDE


def _date_column(table: SourceTable, profiles: dict[str, ColumnProfile]) -> str | None:
    candidates = [(words_match(c, DATE_WORDS), profiles[c].date_share, -i, c) for i, c in enumerate(table.columns)
                  if profiles[c].date_share >= (0.5 if words_match(c, DATE_WORDS) else 0.8)]
    return max(candidates)[3] if candidates else None


def _suggest_wide(table: SourceTable, profiles: dict[str, ColumnProfile], catalog: Catalog,
                  layout: Layout) -> ImportMapping:
    mapping = ImportMapping(layout=layout)
    date_column = _date_column(table, profiles)
    scores: dict[str, float] = {}
    for column in table.columns:
        if column == date_column:
            mapping.columns[column] = ColumnChoice(role=Role.DATE)
        elif _looks_numeric(column, profiles[column], catalog):
            scores[column] = _suggest_metric_column(mapping, column, profiles[column], catalog)
        else:
            mapping.columns[column] = ColumnChoice(role=_text_role(column, profiles[column], layout))
    _drop_repeated_metrics(mapping, scores)
    return mapping


def _looks_numeric(column: str, profile: ColumnProfile, catalog: Catalog) -> bool:
    """Mostly numbers; or some numbers under a header that names a metric (typos are then reported)."""
    if not profile.filled:
        return False
    named = suggest_metric(column, catalog, profile.unit)[1] >= 0.9 or suggest_new_metric(column) is not None
    return profile.number_share >= 0.8 or (named and profile.number_share >= 0.3)


def _suggest_metric_column(mapping: ImportMapping, column: str, profile: ColumnProfile, catalog: Catalog) -> float:
    if RATE_HEADER.search(column) and profile.unit != "%":
        mapping.columns[column] = ColumnChoice(role=Role.IGNORE)
        return 0.0
    key, score = suggest_metric(column, catalog, profile.unit)
    if key is None:
        new = suggest_new_metric(column)
        if new is not None:
            key, score = new.key, 0.6
            if new.key not in catalog and all(m.key != new.key for m in mapping.new_metrics):
                mapping.new_metrics.append(new)
    mapping.columns[column] = ColumnChoice(role=Role.METRIC if key else Role.IGNORE, metric=key)
    return score


def _drop_repeated_metrics(mapping: ImportMapping, scores: dict[str, float]) -> None:
    """Two columns suggesting the same metric: keep the better match, ignore the other."""
    best: dict[str, str] = {}
    for column, key in mapping.metric_columns().items():
        if key in best and scores[best[key]] >= scores[column]:
            mapping.columns[column] = ColumnChoice(role=Role.IGNORE)
            continue
        if key in best:
            mapping.columns[best[key]] = ColumnChoice(role=Role.IGNORE)
        best[key] = column
    used = set(mapping.metric_columns().values())
    mapping.new_metrics = [m for m in mapping.new_metrics if m.key in used]


def _text_role(column: str, profile: ColumnProfile, layout: Layout) -> Role:
    if profile.filled == 0:
        return Role.IGNORE
    if words_match(column, SEGMENT_WORDS) and not words_match(column, ("id",)):
        return Role.SEGMENT
    if words_match(column, DETAIL_WORDS):
        return Role.DETAIL
    return Role.DETAIL if layout == Layout.AD_PLATFORM else Role.IGNORE


def _best_column(columns: list[str], words: tuple[str, ...], taken: set[str]) -> str | None:
    scored = [(role_score(c, words), -i, c) for i, c in enumerate(columns) if c not in taken]
    scored = [s for s in scored if s[0] >= 0.5]
    return max(scored)[2] if scored else None


def _suggest_long(table: SourceTable, profiles: dict[str, ColumnProfile], catalog: Catalog) -> ImportMapping:
    mapping = ImportMapping(layout=Layout.LONG)
    taken: set[str] = set()
    date_column = _date_column(table, profiles)
    if date_column:
        mapping.columns[date_column] = ColumnChoice(role=Role.DATE)
        taken.add(date_column)
    for role in (Role.METRIC_NAME, Role.VALUE, Role.UNIT, Role.WEIGHT):
        column = _best_column(table.columns, LONG_WORDS[role], taken)
        if column:
            mapping.columns[column] = ColumnChoice(role=role)
            taken.add(column)
    for column in table.columns:
        if column not in taken:
            mapping.columns[column] = ColumnChoice(role=_text_role(column, profiles[column], Layout.LONG))
    name_column = mapping.first(Role.METRIC_NAME)
    if name_column:
        names = table.frame[name_column].dropna().astype(str).str.strip().unique()[:500]
        mapping.metric_names = {n: suggest_metric(n, catalog)[0] or "" for n in names}
    return mapping


def _suggest_crm(table: SourceTable, profiles: dict[str, ColumnProfile]) -> ImportMapping:
    mapping = ImportMapping(layout=Layout.CRM)
    taken: set[str] = set()
    for role in (Role.CLOSE_DATE, Role.CREATED_DATE, Role.STAGE, Role.AMOUNT, Role.LEAD_SOURCE, Role.DEAL_ID):
        column = _best_column(table.columns, CRM_WORDS[role], taken)
        if column:
            mapping.columns[column] = ColumnChoice(role=role)
            taken.add(column)
    for column in table.columns:
        if column not in taken:
            mapping.columns[column] = ColumnChoice(role=Role.IGNORE)
    stage = mapping.first(Role.STAGE)
    if stage:
        stages = distinct_text(table, stage)
        mapping.won_stages = [s for s in stages if WON.search(s)]
        mapping.lost_stages = [s for s in stages if LOST.search(s) and not WON.search(s)]
    source = mapping.first(Role.LEAD_SOURCE)
    if source:
        mapping.marketing_sources = [s for s in distinct_text(table, source) if is_marketing_source(s)]
    return mapping


def is_marketing_source(source: str) -> bool:
    return bool(MARKETING.search(source)) and not NOT_MARKETING.search(source)


def distinct_text(table: SourceTable, column: str, limit: int = 200) -> list[str]:
    """The distinct values of a text column (stages, lead sources), as written."""
    values = table.frame[column].dropna().astype(str).str.strip()
    return sorted(v for v in values.unique()[:limit] if v)


def apply_preset(preset: ImportMapping, table: SourceTable, catalog: Catalog) -> tuple[ImportMapping, list[str]]:
    """A saved mapping applied to a new file; new columns get suggestions. Also returns the preset's
    columns that this file lacks."""
    guess = suggest(table, catalog)
    mapping = preset.model_copy(deep=True)
    mapping.columns = {c: preset.columns.get(c, guess.columns.get(c, ColumnChoice())) for c in table.columns}
    missing = [c for c, choice in preset.columns.items() if c not in table.columns and choice.role != Role.IGNORE]
    if mapping.layout == Layout.LONG:
        mapping.metric_names = {**guess.metric_names, **preset.metric_names}
    if mapping.layout == Layout.CRM:
        known = set(preset.won_stages) | set(preset.lost_stages)
        mapping.won_stages += [s for s in guess.won_stages if s not in known]
        mapping.lost_stages += [s for s in guess.lost_stages if s not in known]
    return mapping, missing
