"""What each column means: the mapping a user confirms (and saves as a preset), and the app's suggestions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import StrEnum

from pydantic import BaseModel, Field

from importers.cells import DateOrder
from importers.grain import Grain, WeekAnchor
from importers.naming import (
    BASELINE_NOTE,
    CAMEL,
    EXPOSURE_NOTE,
    MIX_KINDS,
    NOISE_WORDS,
    NOT_A_METRIC_REASON,
    TOTAL_WORDS,
    Beside,
    HeaderParts,
    Word,
    beside_kind,
    channel_aside,
    header_parts,
    mix_suffix,
    not_a_metric,
    not_added_reason,
    qualified_aside,
    rate_reason,
    reference_reason,
)
from metrics.catalog import Aggregation, Band, Catalog, Direction, Mandate, Metric, MetricClass, Unit


class Layout(StrEnum):
    WIDE = "wide"  # a date column and one column per metric
    LONG = "long"  # date, metric name, value (and segment)
    AD_PLATFORM = "ad_platform"  # date, platform, campaign, impressions, clicks, spend…
    CRM = "crm"  # one row per opportunity: created, closed, stage, amount, lead source


LAYOUT_TITLES = {
    Layout.WIDE: "Wide: a date column and one column per metric",
    Layout.LONG: "Long: date, metric, value",
    Layout.AD_PLATFORM: "Ad platform rows: date, campaign, impressions, clicks, spend",
    Layout.CRM: "CRM opportunities: created, closed, stage, amount, lead source",
}


class Role(StrEnum):
    IGNORE = "ignore"
    DATE = "date"
    METRIC = "metric"
    SEGMENT = "segment"  # kept: values are stored per segment (channel, platform)
    DETAIL = "detail"  # identifies a row, then added up (campaign, ad group)
    METRIC_NAME = "metric_name"
    VALUE = "value"
    UNIT = "unit"
    WEIGHT = "weight"
    CREATED_DATE = "created_date"
    CLOSE_DATE = "close_date"
    STAGE = "stage"
    AMOUNT = "amount"
    LEAD_SOURCE = "lead_source"
    DEAL_ID = "deal_id"


ROLE_TITLES = {
    Role.IGNORE: "Ignore", Role.DATE: "Date", Role.METRIC: "Metric", Role.SEGMENT: "Segment (kept apart)",
    Role.DETAIL: "Breakdown (added up)", Role.METRIC_NAME: "Metric name", Role.VALUE: "Value", Role.UNIT: "Unit",
    Role.WEIGHT: "Weight (responses)", Role.CREATED_DATE: "Created date", Role.CLOSE_DATE: "Close date",
    Role.STAGE: "Stage", Role.AMOUNT: "Amount", Role.LEAD_SOURCE: "Lead source", Role.DEAL_ID: "Opportunity ID",
}

LAYOUT_ROLES = {
    Layout.WIDE: (Role.DATE, Role.METRIC, Role.SEGMENT, Role.DETAIL, Role.IGNORE),
    Layout.AD_PLATFORM: (Role.DATE, Role.METRIC, Role.SEGMENT, Role.DETAIL, Role.IGNORE),
    Layout.LONG: (Role.DATE, Role.METRIC_NAME, Role.VALUE, Role.SEGMENT, Role.UNIT, Role.WEIGHT, Role.DETAIL,
                  Role.IGNORE),
    Layout.CRM: (Role.CREATED_DATE, Role.CLOSE_DATE, Role.STAGE, Role.AMOUNT, Role.LEAD_SOURCE, Role.DEAL_ID,
                 Role.SEGMENT, Role.IGNORE),
}

CRM_METRICS = ("opportunities", "pipeline_created", "deals_won", "deals_lost", "new_bookings",
               "marketing_sourced_revenue")
IGNORE_METRIC = "(ignore)"


class ColumnChoice(BaseModel):
    role: Role = Role.IGNORE
    metric: str | None = None  # the metric key, for Role.METRIC
    # Several columns may feed one metric, each as a segment (channel) of its own: tv_spend -> "tv".
    segment: str = Field(default="", max_length=120)
    confidence: float | None = None  # how sure a suggestion is, 0 to 1 (None: chosen by the user)
    note: str = ""  # why the suggestion is what it is, or why the column was left unmapped


class NewMetric(BaseModel):
    """A workspace's own metric, defined while mapping a column nothing in the catalog fits."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    label: str = Field(min_length=1, max_length=80)
    unit: Unit = Unit.COUNT
    metric_class: MetricClass = MetricClass.OUTPUT
    mandate: Mandate = Mandate.GROWTH
    direction: Direction = Direction.UP
    aggregation: Aggregation = Aggregation.SUM
    description: str = ""

    def to_metric(self) -> Metric:
        band = Band.PNL if self.metric_class == MetricClass.OUTCOME else Band.CAMPAIGNS
        description = self.description.strip() or f"{self.label}: a metric this workspace imports itself."
        return Metric(key=self.key, label=self.label, description=description.ljust(10), unit=self.unit,
                      metric_class=self.metric_class, mandate=self.mandate, direction=self.direction, band=band,
                      aggregation=self.aggregation if self.aggregation != Aggregation.WEIGHTED_AVERAGE
                      else Aggregation.SUM, custom=True, non_negative=True)


class ImportMapping(BaseModel):
    """Everything needed to turn a table into long rows; saved as a named preset and reused next month."""

    layout: Layout = Layout.WIDE
    columns: dict[str, ColumnChoice] = Field(default_factory=dict)
    new_metrics: list[NewMetric] = Field(default_factory=list)
    grain: Grain | None = None  # None: detect from the dates
    week_anchor: WeekAnchor = WeekAnchor.START
    date_order: DateOrder = DateOrder.AUTO
    decimal: str = Field(default="auto", pattern=r"^(auto|\.|,)$")
    metric_names: dict[str, str] = Field(default_factory=dict)  # long layout: name in the file -> metric key
    won_stages: list[str] = Field(default_factory=list)
    lost_stages: list[str] = Field(default_factory=list)
    marketing_sources: list[str] = Field(default_factory=list)
    crm_metrics: list[str] = Field(default_factory=lambda: list(CRM_METRICS))
    source_name: str = Field(default="", max_length=255)
    whole_file_month: dt.date | None = None  # an undated export: every row belongs to this month
    skip_undated: bool = False  # rows that cannot be placed in time are skipped (and counted), not refused

    def with_role(self, role: Role) -> list[str]:
        """Columns given ``role``, in file order."""
        return [c for c, choice in self.columns.items() if choice.role == role]

    def first(self, role: Role) -> str | None:
        found = self.with_role(role)
        return found[0] if found else None

    def metric_columns(self) -> dict[str, str]:
        """Column -> metric key for the columns mapped to a metric."""
        return {c: ch.metric for c, ch in self.columns.items() if ch.role == Role.METRIC and ch.metric}

    def catalog(self, base: Catalog) -> Catalog:
        """``base`` plus the new metrics this mapping defines and ``base`` does not have yet."""
        return with_new_metrics(base, self.new_metrics)


def with_new_metrics(base: Catalog, metrics: list[NewMetric]) -> Catalog:
    """``base`` plus those of ``metrics`` it does not have yet (a workspace's own metrics)."""
    extra = [m.to_metric() for m in metrics if m.key not in base]
    return base.with_custom(extra) if extra else base


# --- Suggestions ---------------------------------------------------------------------------------

SURE = 0.75  # below this a suggestion is only offered: the column stays unmapped and its note names the candidate

SYNONYMS: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "revenues", "sales", "net revenue", "total revenue", "net sales", "turnover", "umsatz",
                "recognised revenue", "recognized revenue", "sales revenue"),
    "new_bookings": ("bookings", "new bookings", "acv", "new acv", "closed won amount", "won amount"),
    "gross_profit": ("gross profit", "gp"),
    "mrr_start": ("mrr start", "starting mrr", "opening mrr", "beginning mrr", "mrr at start"),
    "expansion_revenue": ("expansion", "expansion mrr", "expansion revenue", "upsell"),
    "contraction_revenue": ("contraction", "contraction mrr", "downgrades"),
    "churned_revenue": ("churned mrr", "churn mrr", "churned revenue", "lost mrr"),
    "customers": ("customers", "active customers", "paying customers", "customer count", "accounts"),
    "new_customers": ("new customers", "customers won", "new logos", "new accounts"),
    "customers_lost": ("customers lost", "churned customers", "lost customers", "cancellations", "churned logos"),
    "marketing_spend": ("cost", "spend", "ad spend", "amount spent", "media spend", "marketing spend", "costs",
                        "total cost", "kosten", "budget spent", "spent", "total spent", "media cost", "ad cost",
                        "advertising spend", "advertising cost", "spend amount"),
    "sales_spend": ("sales spend", "sales cost", "sales costs"),
    "impressions": ("impressions", "impression", "impr", "imps", "impressions total", "views impressions"),
    "clicks": ("clicks", "link clicks", "clicks all", "all clicks", "klicks"),
    "sessions": ("sessions", "visits", "website sessions", "site visits"),
    "content_published": ("content published", "posts published", "articles published", "posts", "articles"),
    "engagements": ("engagements", "engagement", "post engagement", "interactions", "total engagements"),
    "mqls": ("mqls", "mql", "marketing qualified leads", "leads"),
    "sqls": ("sqls", "sql", "sales qualified leads"),
    "opportunities": ("opportunities", "opps", "new opportunities", "deals created"),
    "pipeline_created": ("pipeline", "pipeline created", "new pipeline", "pipeline value"),
    "deals_won": ("deals won", "won deals", "closed won", "wins"),
    "deals_lost": ("deals lost", "lost deals", "closed lost", "losses"),
    "marketing_sourced_revenue": ("marketing sourced revenue", "marketing sourced bookings", "sourced revenue"),
    "nps_responses": ("nps responses", "survey responses", "responses"),
    "nps": ("nps", "net promoter score"),
    "confidence_responses": ("confidence responses",),
    "decision_confidence": ("decision confidence", "confidence score", "confidence"),
    "awareness_sample": ("awareness sample", "sample size", "respondents"),
    "aided_awareness": ("aided awareness", "brand awareness", "awareness"),
    "share_of_voice": ("share of voice", "sov"),
}
# Names that point to a metric without pinning it down: LinkedIn's "Leads" are form fills, not MQLs; Meta's
# "Results" count whatever each campaign optimises for; Google's "Interactions" mix clicks and views. Meta's
# "Link clicks" are exactly the clicks the catalog means ("Clicks (all)" count likes and comments too).
SYNONYM_WEIGHTS: dict[str, float] = {
    "link clicks": 1.0, "leads": 0.7, "results": 0.7, "interactions": 0.7, "accounts": 0.7, "confidence": 0.7,
    "key events": 0.7,
    "posts": 0.8, "articles": 0.8, "awareness": 0.8, "responses": 0.85, "respondents": 0.85, "sample size": 0.85,
    "sales": 0.9, "gp": 0.9, "expansion": 0.85, "contraction": 0.85, "wins": 0.85, "losses": 0.85,
}
SYNONYM_WEIGHT = 0.95  # a usual name for the metric in some tool's export ("Impr.", "Amount spent")
GENERIC_SPEND = ("cost", "costs", "total cost", "kosten")  # spend beside ad figures; in a P&L, any cost

SUGGESTED_NEW_METRICS: dict[str, NewMetric] = {
    "conversions": NewMetric(key="conversions", label="Conversions", unit=Unit.COUNT,
                             description="Conversions reported by the ad platforms."),
    "conversion_value": NewMetric(key="conversion_value", label="Conversion value", unit=Unit.CURRENCY,
                                  description="Value of conversions as reported by the ad platforms."),
}
NEW_METRIC_SYNONYMS = {
    "conversions": ("conversions", "conversion", "conv", "all conv", "results", "purchases", "conversions all",
                    "key events"),
    "conversion_value": ("conversion value", "conv value", "all conv value", "purchase value", "purchases value",
                         "total conversion value", "results value", "purchases conversion value",
                         "conversions value", "total purchase value"),
}

DATE_WORDS = ("date", "day", "week", "month", "period", "time", "datum", "fecha", "reporting starts", "tag", "dt",
              "wk strt dt", "week start")
SEGMENT_WORDS = ("platform", "channel", "network", "source", "medium", "region", "country", "market", "segment",
                 "product", "team", "publisher", "geo", "dma", "city", "territory", "province", "location")
DETAIL_WORDS = ("campaign", "ad group", "adgroup", "ad set", "adset", "ad name", "ad", "account", "keyword",
                "creative", "placement", "device")
AD_BREAKDOWN_WORDS = (*DETAIL_WORDS, "platform", "network", "publisher", "channel", "source", "medium")
CRM_WORDS = {
    Role.DEAL_ID: ("opportunity id", "deal id", "record id", "id", "opportunity id 18", "deal number"),
    Role.CREATED_DATE: ("created date", "create date", "created", "created on", "opened date", "date created",
                        "engage date", "engaged date"),
    Role.CLOSE_DATE: ("close date", "closed date", "closed", "close", "won date", "date closed"),
    Role.STAGE: ("stage", "deal stage", "opportunity stage", "status", "sales stage"),
    Role.AMOUNT: ("amount", "deal amount", "deal value", "value", "opportunity amount", "acv", "arr", "total value",
                  "close value", "closed value", "sale amount", "sales amount", "deal size", "opportunity value"),
    Role.LEAD_SOURCE: ("lead source", "source", "original source", "opportunity source", "deal source",
                       "lead origin", "channel", "original traffic source"),
}
LONG_WORDS = {
    Role.METRIC_NAME: ("metric", "kpi", "measure", "indicator", "metric name", "kennzahl"),
    Role.VALUE: ("value", "amount", "actual", "wert"),
    Role.UNIT: ("unit", "units", "currency", "einheit"),
    Role.WEIGHT: ("weight", "sample", "n"),
}
WON = re.compile(r"\bwon\b|closed.?won|signed|booked|gewonnen", re.IGNORECASE)
LOST = re.compile(r"\blost\b|closed.?lost|disqualified|\bdead\b|verloren", re.IGNORECASE)
MARKETING = re.compile(r"web|inbound|marketing|campaign|paid|organic|seo|sem\b|ppc|content|event|webinar|\bads?\b|"
                       r"social|e-?mail|newsletter|trade ?show|download|form|search|display|linkedin|facebook|google",
                       re.IGNORECASE)
NOT_MARKETING = re.compile(r"outbound|sales|partner|referral|\bsdr\b|\bbdr\b|cold|existing", re.IGNORECASE)
UNIT_IN_HEADER = re.compile(r"[\(\[]\s*([^\)\]]*)\s*[\)\]]|\bin\s+([A-Z]{3})\b")


def header_unit(header: str) -> str | None:
    """The unit a header announces: "Cost (USD)" -> "USD", "CTR (%)" -> "%", "Spend €" -> "EUR"."""
    for match in UNIT_IN_HEADER.finditer(header):
        text = (match.group(1) or match.group(2) or "").strip()
        if text in ("%", "percent", "pct"):
            return "%"
        if re.fullmatch(r"[A-Z]{3}", text.upper()) and text.upper() not in ("ALL", "AVG", "SUM", "YTD", "MTD"):
            return text.upper()
        if text in ("$", "€", "£", "¥"):
            return {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}[text]
    if "%" in header:
        return "%"
    for symbol, code in (("€", "EUR"), ("£", "GBP"), ("$", "USD")):
        if symbol in header:
            return code
    return None


def normalize(header: str) -> str:
    """Lower-case words without units or punctuation: "Cost (USD)" -> "cost", "Impr." -> "impr"."""
    text = CAMEL.sub(" ", UNIT_IN_HEADER.sub(" ", str(header)))
    text = text.replace("&", " and ").replace("%", " ").lower()
    text = re.sub(r"[^\w]+", " ", text).replace("_", " ")
    return " ".join(text.split())


def phrase_score(header: str, phrases: tuple[str, ...]) -> float:
    """1 for an exact phrase, less for a header that contains every word of a phrase, 0 otherwise."""
    words = header.split()
    best = 0.0
    for phrase in phrases:
        if header == phrase:
            return 1.0
        needed = phrase.split()
        if all(w in words for w in needed) and len(words) <= len(needed) + 2:
            best = max(best, 0.5 + 0.4 * len(needed) / len(words))
    return best


def unit_fits(unit: str | None, metric: Metric) -> bool:
    if unit is None:
        return True
    if unit == "%":
        return metric.unit == Unit.PERCENT
    return metric.unit == Unit.CURRENCY


def is_summed(metric: Metric) -> bool:
    """Added up over days and columns: a sum, or any money or count (customers at month end included)."""
    return metric.aggregation == Aggregation.SUM or metric.unit in (Unit.CURRENCY, Unit.COUNT)


@dataclass(frozen=True)
class HeaderMatch:
    """What a header says about the metric it holds, and how sure that reading is (0 to 1)."""

    key: str | None = None
    confidence: float = 0.0
    phrase: str = ""  # the metric's name as found: "spend" in tv_S
    channel: str = ""  # the channel beside it, as written: "tv", "Search", "Channel0"
    beside: Beside = Beside.NOTHING
    side: str = ""  # where the words beside the name stand: "before", "after" or "aside"
    weight: float = 1.0  # how surely the phrase alone names the metric
    convention: str = ""  # "marketing-mix naming" for tv_S
    reason: str = ""  # why the header names no metric: a rate, a competitor's figure, …
    doubt: str = ""  # why the reading is less sure than the name alone says
    note: str = ""  # what to tell the user instead of the usual "exact name" or "matches …"


FIT = {Beside.NOTHING: 1.0, Beside.CHANNEL: 0.92, Beside.OTHER: 0.65, Beside.QUALIFIER: 0.62, Beside.PERIOD: 0.5}
QUALIFIED_ASIDE = 0.97  # "Clicks (all)": the metric, of a broader kind than a plain "Link clicks"
MIX_CONVENTION = "marketing-mix naming"
EXPOSURE_WORDS = {"clicks", "click", "impressions", "impression"}


def metric_phrases(metric: Metric) -> list[tuple[tuple[str, ...], float]]:
    """Every name of a metric as words, each with how surely it names the metric on its own."""
    names = [(normalize(metric.label), 1.0), (metric.key.replace("_", " "), 1.0)]
    synonyms = SYNONYMS.get(metric.key) or NEW_METRIC_SYNONYMS.get(metric.key, ())
    names += [(s, SYNONYM_WEIGHTS.get(s, SYNONYM_WEIGHT)) for s in synonyms]
    return [(tuple(name.split()), weight) for name, weight in names if name]


def match_header(header: str, catalog: Catalog, unit: str | None = None) -> HeaderMatch:
    """The metric a header names, if any, with how sure the reading is and why.

    Rates, averages and per-unit values name no added-up metric; competitors' figures, controls, plans,
    targets and last year's figures name none of the company's own.
    """
    if not_a_metric(header):
        return HeaderMatch(reason=NOT_A_METRIC_REASON)
    if reason := reference_reason(header):
        return HeaderMatch(reason=reason)
    text, convention = _mix_reading(header)
    if text is None:
        return HeaderMatch(reason=convention)
    rate = rate_reason(text) or not_added_reason(text)
    metrics = [m for m in catalog if not m.derived and unit_fits(unit, m) and not (rate and is_summed(m))]
    found = _best_match(header_parts(text), metrics)
    if found.key is None:
        return HeaderMatch(reason=rate or _percent_reason(text, catalog, unit))
    if rate and found.beside != Beside.NOTHING:
        found = replace(found, confidence=min(found.confidence, 0.6))
    return replace(found, convention=convention)


def _mix_reading(header: str) -> tuple[str | None, str]:
    """Marketing-mix suffixes spelled out: tv_S -> "tv spend"; (None, why) when the suffix names no metric."""
    mix = mix_suffix(header)
    if mix is None:
        return header, ""
    stem, tag = mix
    if tag == "B":
        return None, BASELINE_NOTE
    if tag == "P":  # Robyn's "paid media exposure": clicks or impressions only when the stem says so
        says = {w.lower for w in header_parts(stem).words}
        return (stem, MIX_CONVENTION) if says & EXPOSURE_WORDS else (None, EXPOSURE_NOTE)
    return f"{stem} {MIX_KINDS[tag]}", MIX_CONVENTION


def _percent_reason(text: str, catalog: Catalog, unit: str | None) -> str:
    if unit != "%":
        return ""
    other = _best_match(header_parts(text), [m for m in catalog if not m.derived])
    if other.key is None:
        return ""
    return f"a percentage (a % sign in the header or the values): not {catalog[other.key].label}, which is added up"


def _best_match(parts: HeaderParts, metrics: list[Metric]) -> HeaderMatch:
    words = parts.lower_words
    best = HeaderMatch()
    for metric in metrics:
        for phrase, weight in metric_phrases(metric):
            for start in _places(words, phrase):
                found = _fit(parts, metric.key, phrase, start, weight)
                if (found.confidence, len(found.phrase)) > (best.confidence, len(best.phrase)):
                    best = found
    return best


def _places(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if tuple(words[i:i + size]) == phrase]


def _fit(parts: HeaderParts, key: str, phrase: tuple[str, ...], start: int, weight: float) -> HeaderMatch:
    """How well ``phrase`` at ``start`` explains the header: what stands beside it, and the confidence."""
    before, after = _kept(parts.words[:start]), _kept(parts.words[start + len(phrase):])
    found = HeaderMatch(key, weight, " ".join(phrase), weight=weight)
    if before and after:  # words on both sides: a kind of the metric, not a channel
        fits = len(before) + len(after) <= 3
        return replace(found, confidence=weight * FIT[Beside.QUALIFIER], beside=Beside.QUALIFIER) if fits else \
            HeaderMatch()
    if not before and not after:
        return _alone(found, parts)
    words, side = (before, "before") if before else (after, "after")
    kind = beside_kind([w.lower for w in words])
    if len(words) > (4 if kind == Beside.CHANNEL else 2):
        return HeaderMatch()
    channel = parts.span(words)[:120] if kind in (Beside.CHANNEL, Beside.OTHER) else ""
    return replace(found, confidence=weight * FIT[kind], beside=kind, side=side, channel=channel)


def _kept(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """Words that say something beside a metric's name: not "Sum of", currency codes or "total"."""
    return tuple(w for w in words if w.lower not in NOISE_WORDS and w.lower not in TOTAL_WORDS)


def _alone(found: HeaderMatch, parts: HeaderParts) -> HeaderMatch:
    """The name alone, perhaps with a channel or a kind in brackets: "Spend (Search)", "Clicks (all)"."""
    if aside := channel_aside(parts):
        return replace(found, confidence=found.weight * FIT[Beside.CHANNEL], beside=Beside.CHANNEL, side="aside",
                       channel=aside[:120])
    weight = found.weight * (QUALIFIED_ASIDE if qualified_aside(parts) else 1.0)
    return replace(found, confidence=weight, weight=weight)


def suggest_metric(header: str, catalog: Catalog, unit: str | None = None) -> tuple[str | None, float]:
    """The base metric a header most likely holds, with a score from 0 to 1 (below ``SURE``: only a guess)."""
    found = match_header(header, catalog, unit)
    return (found.key, round(found.confidence, 3)) if found.key and found.confidence >= 0.5 else (None, 0.0)


def suggestion_catalog(catalog: Catalog) -> Catalog:
    """``catalog`` plus the new metrics the app offers for ad exports (conversions, conversion value)."""
    return with_new_metrics(catalog, list(SUGGESTED_NEW_METRICS.values()))


def suggest_new_metric(header: str) -> NewMetric | None:
    """The new metric (conversions, conversion value) a header names, when the catalog has none for it."""
    new = Catalog([m.to_metric() for m in SUGGESTED_NEW_METRICS.values()])
    key, _ = suggest_metric(header, new)
    return SUGGESTED_NEW_METRICS[key] if key else None


def role_score(header: str, phrases: tuple[str, ...]) -> float:
    return phrase_score(normalize(header), phrases)


def words_match(header: str, words: tuple[str, ...]) -> bool:
    name = f" {normalize(header)} "
    return any(f" {w} " in name for w in words)


def new_metric_key(label: str, taken: Catalog | set[str]) -> str:
    """A key for a new metric from its label ("Demo requests" -> "demo_requests"), not in ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:56] or "metric"
    base = base if base[0].isalpha() else f"m_{base}"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def suggest_source_name(file_name: str, layout: Layout) -> str:
    """A stable source name from a file name: dates, months and "export" words removed."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name)
    stem = re.sub(r"\d{4}[-_.]?\d{1,2}([-_.]?\d{1,2})?|\d{1,2}[-_.]\d{1,2}[-_.]\d{2,4}|\b\d+\b", " ", stem)
    months = r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|" \
             r"nov(ember)?|dec(ember)?|q[1-4]|export|report|data|final|copy"
    stem = re.sub(rf"\b({months})\b", " ", stem.replace("_", " ").replace("-", " "), flags=re.IGNORECASE)
    stem = " ".join(stem.split())
    default = {Layout.CRM: "CRM", Layout.AD_PLATFORM: "Ad platform", Layout.LONG: "Spreadsheet"}
    return stem[:255] if stem else default.get(layout, "Spreadsheet")
