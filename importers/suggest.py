"""First guesses for a new file: its layout, which column is the date, which are metrics and segments.

The user confirms or changes every guess; a saved preset replaces them for files of the same shape. A guess
is never confidently wrong: each mapped column carries how sure the app is (``ColumnChoice.confidence``) and
why (``ColumnChoice.note``). Below ``SURE`` the column stays unmapped and its note names the candidate, so
the mapping screen can ask. Rates, averages, per-unit values, competitors' figures, controls, plans, targets
and last year's figures are never mapped to a metric that is added up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from importers.cells import NumberColumn, parse_dates, parse_numbers
from importers.mapping import (
    AD_BREAKDOWN_WORDS,
    CRM_WORDS,
    DATE_WORDS,
    DETAIL_WORDS,
    GENERIC_SPEND,
    LONG_WORDS,
    LOST,
    MARKETING,
    NOT_MARKETING,
    ROLE_TITLES,
    SEGMENT_WORDS,
    SUGGESTED_NEW_METRICS,
    SURE,
    WON,
    ColumnChoice,
    HeaderMatch,
    ImportMapping,
    Layout,
    Role,
    header_unit,
    is_summed,
    match_header,
    normalize,
    role_score,
    suggest_source_name,
    suggestion_catalog,
    words_match,
)
from importers.naming import Beside, rate_reason, reference_reason
from importers.reading import SourceTable
from metrics.catalog import STANDARD_CATALOG, Catalog, MetricClass, Unit

SAMPLE_ROWS = 500
WORD = r"[^\W\d_]{4,}"  # four letters in a row: a word, not a currency code or "n/a"
AD_METRICS = ("impressions", "clicks", "marketing_spend")
AD_SIGNALS = ("impressions", "clicks", "conversions", "conversion_value")  # a file about ads, not a P&L
_AD_CATALOG = Catalog([STANDARD_CATALOG[k] for k in AD_METRICS])
WEB_ANALYTICS_NAMES = ("users", "new users", "active users", "total users", "event count", "key events",
                       "engaged sessions", "views", "engagement rate", "bounce rate", "average engagement time",
                       "views per session", "sessions per user", "average session duration")
SURVEY_WEIGHT_NAMES = ("responses", "survey responses", "respondents", "sample size", "sample", "n")
PATTERN_FIT = 0.85  # an unknown word beside a metric's name, repeated across columns: a channel
SMALL_MONEY = 5.0  # money values all below this, mostly with cents: a per-unit value rather than a total
TOTAL_TOLERANCE = 0.005


@dataclass(frozen=True)
class ColumnProfile:
    """What a column's first values look like."""

    name: str
    date_share: float
    number_share: float
    distinct: int
    filled: int
    unit: str | None
    low: float | None = None  # smallest and largest number among the first values
    high: float | None = None
    fractional: float = 0.0  # share of the numbers that are not whole

    @property
    def fractions_only(self) -> bool:
        """Every value between 0 and 1, some of them in between: a rate, not a count."""
        return self.low is not None and self.low >= 0 and self.high <= 1 and self.fractional > 0

    @property
    def small_decimals(self) -> bool:
        """Money values all below a few units, mostly with cents: a per-unit value, not a total."""
        return (self.low is not None and max(abs(self.low), abs(self.high)) < SMALL_MONEY
                and self.fractional >= 0.5)


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
    number_ok = ~np.isnan(numbers.values)
    date_header = words_match(name, DATE_WORDS)
    if pd.api.types.is_numeric_dtype(filled) and not date_header:
        date_ok = np.zeros(len(filled), dtype=bool)  # plain numbers are dates only under a date-like header
    else:
        dates = parse_dates(filled, hint=hint)
        date_ok = ~np.isnat(dates.values)
        if dates.label == "Excel day numbers" and not date_header:
            date_ok = np.zeros_like(date_ok)  # day numbers count as dates only under a date-like header
    return ColumnProfile(name, float(date_ok.mean()), float(number_ok.mean()), int(text.nunique()), len(filled),
                         _unit(name, numbers), *_number_range(numbers.values[number_ok]))


def _unit(name: str, numbers: NumberColumn) -> str | None:
    unit = header_unit(name)
    if unit is None and numbers.percent.mean() > 0.5:
        unit = "%"
    if unit is None and numbers.currency is not None:
        markers = [m for m in numbers.currency if m]
        unit = max(set(markers), key=markers.count) if markers else None
    return unit


def _number_range(numbers: np.ndarray) -> tuple[float | None, float | None, float]:
    if numbers.size == 0:
        return None, None, 0.0
    whole = np.isclose(numbers, np.round(numbers))
    return float(numbers.min()), float(numbers.max()), float(1 - whole.mean())


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
    ad_metrics = {m.key for c in columns if (m := match_header(c, _AD_CATALOG)).key and m.confidence >= SURE}
    breakdowns = [c for c in text_columns if words_match(c, AD_BREAKDOWN_WORDS)]  # campaigns, not regions
    if len(ad_metrics) >= 2 and breakdowns:
        return Layout.AD_PLATFORM
    return Layout.WIDE


def _date_column(table: SourceTable, profiles: dict[str, ColumnProfile]) -> str | None:
    candidates = [(words_match(c, DATE_WORDS), profiles[c].date_share, -i, c) for i, c in enumerate(table.columns)
                  if profiles[c].date_share >= (0.5 if words_match(c, DATE_WORDS) else 0.8)]
    return max(candidates)[3] if candidates else None


def _date_choice(column: str, profile: ColumnProfile) -> ColumnChoice:
    named = words_match(column, DATE_WORDS)
    confidence = 0.5 + 0.5 * profile.date_share if named else 0.95 * profile.date_share
    return ColumnChoice(role=Role.DATE, confidence=round(confidence, 2),
                        note=f"dates in {profile.date_share:.0%} of the first rows")


# --- Wide and ad-platform files ---------------------------------------------------------------------


def _suggest_wide(table: SourceTable, profiles: dict[str, ColumnProfile], catalog: Catalog,
                  layout: Layout) -> ImportMapping:
    choices = suggestion_catalog(catalog)
    date_column = _date_column(table, profiles)
    chosen: dict[str, ColumnChoice] = {}
    matches: dict[str, HeaderMatch] = {}
    for column in table.columns:
        if column == date_column:
            chosen[column] = _date_choice(column, profiles[column])
        elif is_identifier(column) and profiles[column].filled:
            chosen[column] = ColumnChoice(role=Role.DETAIL, confidence=0.9, note=IDENTIFIER_NOTE)
        elif _looks_numeric(column, profiles[column], choices):
            matches[column] = _by_values(match_header(column, choices, profiles[column].unit), profiles[column],
                                         choices)
        else:
            chosen[column] = _text_choice(column, profiles[column], layout, date_column)
    matches = _settle_survey_weights(_in_context(matches, table, layout, choices), choices)
    chosen.update(settle_repeats(matches, table, choices))
    mapping = ImportMapping(layout=layout, columns={c: chosen[c] for c in table.columns})
    used = list(dict.fromkeys(mapping.metric_columns().values()))
    mapping.new_metrics = [SUGGESTED_NEW_METRICS[k] for k in used if k in SUGGESTED_NEW_METRICS and k not in catalog]
    return mapping


IDENTIFIER_NOTE = "an identifier (ad, campaign, keyword id): rows are told apart by it, then added up"


def is_identifier(column: str) -> bool:
    """'ad_id', 'Campaign ID', 'Keyword Id': numbers that name a row, never figures to add up."""
    return words_match(column, ("id", "ids", "uuid", "guid"))


def _looks_numeric(column: str, profile: ColumnProfile, catalog: Catalog) -> bool:
    """Mostly numbers; or some numbers under a header that names a metric (typos are then reported)."""
    if not profile.filled:
        return False
    if profile.number_share >= 0.8:
        return True
    return profile.number_share >= 0.3 and match_header(column, catalog, profile.unit).confidence >= 0.9


def _by_values(match: HeaderMatch, profile: ColumnProfile, catalog: Catalog) -> HeaderMatch:
    """Values overrule a header: fractions under a count are a rate, cents under money a per-unit value."""
    if match.key is None or not is_summed(catalog[match.key]):
        return match
    unit = catalog[match.key].unit
    if unit == Unit.COUNT and profile.fractions_only:
        return _doubt(match, 0.5, "its values are all between 0 and 1, like a rate")
    if unit == Unit.CURRENCY and profile.small_decimals:
        return _doubt(match, 0.5, "its values are small decimals, like a per-unit value")
    return match


def _doubt(match: HeaderMatch, most: float, why: str) -> HeaderMatch:
    return replace(match, confidence=min(match.confidence, most), doubt=why)


def _in_context(matches: dict[str, HeaderMatch], table: SourceTable, layout: Layout,
                catalog: Catalog) -> dict[str, HeaderMatch]:
    """What the rest of the file says: an ad platform's revenue, a web tool's revenue, a cost in a P&L."""
    sure = {m.key for m in matches.values() if m.key and m.confidence >= SURE}
    about_ads = layout == Layout.AD_PLATFORM or bool(sure & set(AD_SIGNALS)) or any(
        m.beside == Beside.CHANNEL and m.key == "marketing_spend" for m in matches.values())
    web = sum(normalize(c) in WEB_ANALYTICS_NAMES for c in table.columns) >= 2
    return {c: _credited(_in_file(m, layout, about_ads, web), catalog) for c, m in matches.items()}


def _credited(match: HeaderMatch, catalog: Catalog) -> HeaderMatch:
    """Revenue or pipeline under a marketing channel's name is what attribution credits it with, not a part
    of the booked figure (regions and markets, named like the other columns, are parts)."""
    metric = catalog.get(match.key) if match.key else None
    if metric is None or match.beside != Beside.CHANNEL or match.note:
        return match
    if metric.metric_class == MetricClass.OUTCOME and metric.unit == Unit.CURRENCY:
        return _doubt(match, 0.6, f"{metric.label.lower()} credited to a channel by attribution, not booked")
    return match


def _in_file(match: HeaderMatch, layout: Layout, about_ads: bool, web: bool) -> HeaderMatch:
    if match.key == "revenue" and layout == Layout.AD_PLATFORM:
        return replace(match, key="conversion_value", confidence=min(match.confidence, 0.8), note=(
            "an ad platform's revenue: the value of the conversions it counted, not booked revenue"))
    if match.key == "revenue" and web:
        return _doubt(match, 0.6, "revenue tracked by web analytics, not revenue booked by finance")
    if match.key == "marketing_spend" and match.phrase in GENERIC_SPEND and not about_ads:
        return _doubt(match, 0.7, "a cost beside no ad figures: marketing spend, or another cost?")
    return match


def _settle_survey_weights(matches: dict[str, HeaderMatch], catalog: Catalog) -> dict[str, HeaderMatch]:
    """"Responses" belong to the file's one survey score (NPS, confidence, awareness); with none, ask."""
    scores = {m.key for m in matches.values() if m.key and m.confidence >= SURE and catalog[m.key].weight_key}
    weights = {catalog[k].weight_key: k for k in scores}
    return {c: _survey_weight(m, weights, catalog) for c, m in matches.items()}


def _survey_weight(match: HeaderMatch, weights: dict[str, str], catalog: Catalog) -> HeaderMatch:
    generic = match.phrase in SURVEY_WEIGHT_NAMES and match.beside == Beside.NOTHING
    if not generic or match.key not in {m.weight_key for m in catalog if m.weight_key}:
        return match
    if len(weights) != 1:
        return _doubt(match, 0.6, "the responses to which survey?")
    weight, score = next(iter(weights.items()))
    return replace(match, key=weight, confidence=0.85, note=(
        f"the responses behind {catalog[score].label}, the file's only survey score"))


# --- Several columns for one metric: channels, totals and repeats ---------------------------------


def settle_repeats(matches: dict[str, HeaderMatch], table: SourceTable,
                   catalog: Catalog) -> dict[str, ColumnChoice]:
    """Choices for the metric columns: channels of one metric all mapped (each its own segment), a total
    beside its channels left out, and of two columns naming the same metric without a channel, one."""
    matches = _channels_by_pattern(matches)
    choices = {c: _choice(c, m, catalog) for c, m in matches.items()}
    for key in dict.fromkeys(m.key for m in matches.values() if m.key):
        group = [c for c in matches if matches[c].key == key and choices[c].role == Role.METRIC]
        channelled = [c for c in group if matches[c].channel]
        plain = [c for c in group if not matches[c].channel]
        if channelled:
            choices.update(_channels_and_totals(channelled, plain, matches, table, catalog))
        elif len(plain) > 1:
            choices.update(_one_of(plain, matches, catalog))
    return _name_holders(choices, matches, catalog)


def _channels_by_pattern(matches: dict[str, HeaderMatch]) -> dict[str, HeaderMatch]:
    """An unknown word beside a metric is a channel when other columns of that metric have one there too."""
    promoted = dict(matches)
    named = Counter((m.key, m.side) for m in matches.values()
                    if m.channel and m.beside in (Beside.CHANNEL, Beside.OTHER))  # counted once, not per column
    for column, match in matches.items():
        if match.beside != Beside.OTHER or not match.channel:
            continue
        siblings = named[(match.key, match.side)] - 1  # the others named that way
        if siblings and not match.doubt:
            promoted[column] = replace(match, beside=Beside.CHANNEL, confidence=match.weight * PATTERN_FIT,
                                       convention="named like the other columns of this metric")
    return promoted


def _channels_and_totals(channelled: list[str], plain: list[str], matches: dict[str, HeaderMatch],
                         table: SourceTable, catalog: Catalog) -> dict[str, ColumnChoice]:
    kept, settled = _best_per_channel(channelled, matches, catalog)
    parts = _sum_of_parts(table, kept)  # once for all the candidate totals: per total it would be quadratic
    adds_up = {c: _adds_up(parts, _sample_numbers(table, c)) for c in plain}
    unequal = [c for c in plain if adds_up[c] is False]
    if unequal:  # the channel columns miss part of the total: the total alone is complete
        total = max(unequal, key=lambda c: matches[c].confidence)
        settled.update({c: _part_of(c, total, matches[c]) for c in kept})
        settled.update(_one_of(plain, matches, catalog, keep=total))
        return settled
    for column in plain:
        settled[column] = _total_of(kept, adds_up[column])
    return settled


def _best_per_channel(columns: list[str], matches: dict[str, HeaderMatch],
                      catalog: Catalog) -> tuple[list[str], dict[str, ColumnChoice]]:
    best: dict[str, str] = {}
    for column in sorted(columns, key=lambda c: -matches[c].confidence):
        best.setdefault(matches[column].channel.lower(), column)
    kept = [c for c in columns if c in best.values()]
    label = catalog[matches[columns[0]].key].label
    settled = {c: ColumnChoice(note=f"same metric and channel as '{best[matches[c].channel.lower()]}', which is "
                                    f"mapped: {label} is not counted twice") for c in columns if c not in kept}
    return kept, settled


def _sample_numbers(table: SourceTable, column: str) -> np.ndarray:
    return parse_numbers(table.frame[column].head(SAMPLE_ROWS), hint=table.decimal_hint).values


def _sum_of_parts(table: SourceTable, parts: list[str]) -> np.ndarray:
    """Row sums of the first rows of ``parts``: NaN where any part is blank."""
    return np.sum([_sample_numbers(table, c) for c in parts], axis=0)


def _adds_up(parts: np.ndarray, total: np.ndarray) -> bool | None:
    """Whether the parts' row sums equal ``total`` row by row (None when no row has them all)."""
    both = ~np.isnan(parts) & ~np.isnan(total)
    if not both.any():
        return None
    gap = np.abs(parts[both] - total[both])
    return bool((gap <= np.maximum(0.01, TOTAL_TOLERANCE * np.abs(total[both]))).mean() >= 0.9)


def _total_of(parts: list[str], adds_up: bool | None) -> ColumnChoice:
    names = ", ".join(parts)
    if adds_up:
        return ColumnChoice(note=f"a total of other columns: mapped columns {names} already add up to it")
    return ColumnChoice(note=f"probably the total of mapped columns {names}: not added to them; choose it only if "
                             f"it is a channel of its own")


def _part_of(column: str, total: str, match: HeaderMatch) -> ColumnChoice:
    return ColumnChoice(confidence=round(min(match.confidence, 0.6), 2), note=(
        f"a part of '{total}', which is mapped: the channel columns add up to less than it"))


def _one_of(columns: list[str], matches: dict[str, HeaderMatch], catalog: Catalog,
            keep: str | None = None) -> dict[str, ColumnChoice]:
    """Of columns naming the same metric with no channel to tell them apart, the best one only."""
    order = {c: i for i, c in enumerate(columns)}  # index() in the key would be quadratic
    keep = keep or max(columns, key=lambda c: (matches[c].confidence, -order[c]))
    label = catalog[matches[keep].key].label
    return {c: ColumnChoice(note=f"same metric as '{keep}', which is mapped: only one column can hold {label}")
            for c in columns if c != keep}


def _name_holders(choices: dict[str, ColumnChoice], matches: dict[str, HeaderMatch],
                  catalog: Catalog) -> dict[str, ColumnChoice]:
    """An unsure column whose candidate another column already holds says so: choosing it would count twice."""
    holders = {ch.metric: c for c, ch in choices.items() if ch.role == Role.METRIC and not ch.segment}
    for column, choice in choices.items():
        key = matches[column].key
        if choice.note.startswith("might be") and key in holders:
            label = catalog[key].label
            choices[column] = choice.model_copy(update={"note": f"might be {label}, but '{holders[key]}' holds "
                                                                f"{label} already"})
    return choices


def _choice(column: str, match: HeaderMatch, catalog: Catalog) -> ColumnChoice:
    """A column's choice from what its header and values say: mapped when sure, else the candidate named."""
    if match.key is None:
        return ColumnChoice(note=match.reason or "no metric of the catalog has this name")
    label = catalog[match.key].label
    confidence = round(match.confidence, 2)
    if confidence < SURE:
        why = f" ({match.doubt})" if match.doubt else ""
        return ColumnChoice(confidence=confidence, note=f"might be {label}{why} — choose it if so")
    return ColumnChoice(role=Role.METRIC, metric=match.key, segment=match.channel, confidence=confidence,
                        note=match.note or _why(column, match, label))


def _why(column: str, match: HeaderMatch, label: str) -> str:
    if match.channel:
        how = f" ({match.convention})" if match.convention else ""
        return f"matches '{match.phrase}' in '{column}'{how}; channel '{match.channel}'"
    if match.convention:
        return f"matches '{match.phrase}' in '{column}' ({match.convention})"
    return "exact name" if match.weight >= 1 else f"a usual name for {label}"


# --- Text columns ---------------------------------------------------------------------------------


def _text_choice(column: str, profile: ColumnProfile, layout: Layout, date_column: str | None) -> ColumnChoice:
    if profile.filled == 0:
        return ColumnChoice(note="empty in the first rows")
    if date_column and profile.date_share >= 0.8:
        return ColumnChoice(note=f"a second date column: '{date_column}' is the date")
    if words_match(column, ("currency", "currency code")):
        return ColumnChoice(note="the currency of the amounts, not a breakdown")
    numbers_too = profile.number_share >= 0.3
    if (why := reference_reason(column) or (rate_reason(column) if numbers_too else None)):
        return ColumnChoice(note=why)
    role = _text_role(column, profile, layout)
    if role == Role.SEGMENT:
        return ColumnChoice(role=role, confidence=0.9, note="a channel, platform or region: kept apart")
    if role == Role.DETAIL and words_match(column, DETAIL_WORDS):
        return ColumnChoice(role=role, confidence=0.9, note="a breakdown (campaign, ad group…): rows are added up")
    if role == Role.DETAIL and not numbers_too:
        return ColumnChoice(role=role, confidence=SURE, note="text beside ad figures: a breakdown, rows added up")
    return ColumnChoice(note="text, not a figure" if not numbers_too else "neither a figure nor a breakdown")


def _text_role(column: str, profile: ColumnProfile, layout: Layout) -> Role:
    if profile.filled == 0:
        return Role.IGNORE
    if words_match(column, SEGMENT_WORDS) and not words_match(column, ("id",)):
        return Role.SEGMENT
    if words_match(column, DETAIL_WORDS):
        return Role.DETAIL
    return Role.DETAIL if layout == Layout.AD_PLATFORM else Role.IGNORE


# --- Long files and CRM exports ----------------------------------------------------------------------


def _best_column(columns: list[str], words: tuple[str, ...], taken: set[str]) -> tuple[str, float] | None:
    scored = [(role_score(c, words), -i, c) for i, c in enumerate(columns) if c not in taken]
    scored = [s for s in scored if s[0] >= 0.5]
    return (max(scored)[2], max(scored)[0]) if scored else None


def _role_choice(role: Role, score: float) -> ColumnChoice:
    """A role when its name is sure enough; otherwise unmapped, the role named as a candidate."""
    title = ROLE_TITLES[role].lower()
    if score < SURE:
        return ColumnChoice(confidence=round(score, 2), note=f"might be the {title} — choose it if so")
    return ColumnChoice(role=role, confidence=round(score, 2), note="exact name" if score >= 1 else
                        f"a usual name for the {title}")


def _suggest_long(table: SourceTable, profiles: dict[str, ColumnProfile], catalog: Catalog) -> ImportMapping:
    mapping = ImportMapping(layout=Layout.LONG)
    taken: set[str] = set()
    date_column = _date_column(table, profiles)
    if date_column:
        mapping.columns[date_column] = _date_choice(date_column, profiles[date_column])
        taken.add(date_column)
    for role in (Role.METRIC_NAME, Role.VALUE, Role.UNIT, Role.WEIGHT):
        found = _best_column(table.columns, LONG_WORDS[role], taken)
        if found:
            mapping.columns[found[0]] = _role_choice(role, found[1])
            taken.add(found[0])
    for column in table.columns:
        if column not in taken:
            mapping.columns[column] = _text_choice(column, profiles[column], Layout.LONG, date_column)
    mapping.columns = {c: mapping.columns[c] for c in table.columns}
    name_column = mapping.first(Role.METRIC_NAME)
    if name_column:
        names = table.frame[name_column].dropna().astype(str).str.strip().unique()[:500]
        mapping.metric_names = {n: _sure_metric(n, catalog) for n in names}
    return mapping


def _sure_metric(name: str, catalog: Catalog) -> str:
    """The metric a long file's metric name is, when sure; "" leaves it for the user to choose."""
    found = match_header(name, catalog)
    return found.key if found.key and found.confidence >= SURE else ""


def _suggest_crm(table: SourceTable, profiles: dict[str, ColumnProfile]) -> ImportMapping:
    mapping = ImportMapping(layout=Layout.CRM)
    taken: set[str] = set()
    for role in (Role.CLOSE_DATE, Role.CREATED_DATE, Role.STAGE, Role.AMOUNT, Role.LEAD_SOURCE, Role.DEAL_ID):
        found = _best_column(table.columns, CRM_WORDS[role], taken)
        if found:
            mapping.columns[found[0]] = _role_choice(role, found[1])
            taken.add(found[0])
    for column in table.columns:
        if column not in taken:
            mapping.columns[column] = ColumnChoice(note=reference_reason(column) or rate_reason(column)
                                                   or "not used for the CRM figures")
    mapping.columns = {c: mapping.columns[c] for c in table.columns}
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


def unsure_columns(mapping: ImportMapping) -> list[str]:
    """Columns left unmapped because the app is unsure: their notes name a candidate to confirm."""
    return [c for c, ch in mapping.columns.items() if ch.role == Role.IGNORE and ch.confidence is not None]


# --- Presets ----------------------------------------------------------------------------------------


def apply_preset(preset: ImportMapping, table: SourceTable, catalog: Catalog) -> tuple[ImportMapping, list[str]]:
    """A saved mapping applied to a new file; new columns get suggestions. Also returns the preset's
    columns that this file lacks."""
    guess = suggest(table, catalog)
    mapping = preset.model_copy(deep=True)
    present = set(table.columns)  # once: a lookup per column in a list would be quadratic in wide files
    mapping.columns = {c: preset.columns[c] if c in preset.columns else _new_column(c, guess, preset, present)
                       for c in table.columns}
    missing = [c for c, choice in preset.columns.items() if c not in present and choice.role != Role.IGNORE]
    if mapping.layout == Layout.LONG:
        mapping.metric_names = {**guess.metric_names, **preset.metric_names}
    if mapping.layout == Layout.CRM:
        known = set(preset.won_stages) | set(preset.lost_stages)
        mapping.won_stages += [s for s in guess.won_stages if s not in known]
        mapping.lost_stages += [s for s in guess.lost_stages if s not in known]
    return mapping, missing


def _new_column(column: str, guess: ImportMapping, preset: ImportMapping, present: set[str]) -> ColumnChoice:
    """A column the preset does not know: the guess, unless the preset already fills its metric."""
    choice = guess.columns.get(column, ColumnChoice())
    if choice.role != Role.METRIC:
        return choice
    holders = [c for c, ch in preset.columns.items() if c in present and ch.role == Role.METRIC
               and ch.metric == choice.metric and (not ch.segment or not choice.segment
                                                   or ch.segment.lower() == choice.segment.lower())]
    if not holders:
        return choice
    return ColumnChoice(confidence=choice.confidence, note=f"a new column; the saved mapping already takes this "
                                                           f"metric from '{holders[0]}'")
