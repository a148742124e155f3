"""How exported column names are put together: rates, other people's figures, channels, totals and periods.

The word lists follow the public naming of the tools people export from: Google Ads ("Impr.", "Cost / conv.",
"Search impr. share"), Meta Ads Manager ("Amount spent (USD)", "Reporting starts", "CPC (cost per link click)"),
LinkedIn Campaign Manager ("Total Spent", "Average CPC"), Microsoft Advertising ("Spend", "Return on ad spend"),
TikTok Ads ("Clicks (destination)"), GA4 ("Session default channel group", "Engaged sessions"), HubSpot and
Salesforce opportunity exports, and marketing-mix data sets such as Robyn's ("tv_S", "facebook_I",
"search_clicks_P", "competitor_sales_B") and Meridian's ("Channel0_spend", "competitor_sales_control").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

ASIDE = re.compile(r"[\(\[]\s*([^\)\]]*)\s*[\)\]]")  # "(USD)", "[all]": said beside the name
TOKEN = re.compile(r"[^\W_]+")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # "ReturnOnAdSpend" -> "Return On Ad Spend"; "MQLs" stays whole

# --- Rates, ratios, averages and per-unit values: computed from other columns, never added up ----------

AVERAGE_WORDS = ("avg", "average", "mean", "median")
PER_UNIT_WORDS = ("per", "cpc", "cpm", "cpa", "cpl", "cpv", "cpi", "cpe", "cpo", "cps", "cpcv", "cpp", "ecpm",
                  "ecpc", "cpql", "cac")
RETURN_WORDS = ("roas", "roi", "ratio", "multiple", "return on")
RATE_WORDS = ("rate", "rates", "ctr", "cvr", "share", "pct", "percent", "percentage", "frequency", "freq",
              "margin", "retention", "penetration", "click through", "through rate")
RATE_REASONS = (
    (AVERAGE_WORDS, "an average: computed from other columns, not added up"),
    (PER_UNIT_WORDS, "a per-unit value (cost or value per …): computed from other columns, not added up"),
    (RETURN_WORDS, "a ratio (return on spend): computed from other columns, not added up"),
    (RATE_WORDS, "a rate: computed from other columns, not added up"),
)
RUNNING_TOTAL_WORDS = ("ytd", "mtd", "qtd", "cumulative", "running total", "to date", "lifetime")
NOT_ADDED_WORDS = ("reach", "unique users", "unique visitors")  # people, counted once over any period

# --- Figures that are not the company's own, or not this period's actuals ----------------------------------

REFERENCE_REASONS = (
    (("vs", "versus", "variance", "delta", "diff", "difference", "change", "growth", "uplift", "lift"),
     "a comparison between figures, not a figure of its own"),
    (("competitor", "competitors", "competition", "comp", "rival", "rivals", "other brand", "other brands"),
     "a competitor's figure, not the company's own"),
    (("control", "controls", "control group", "holdout", "baseline", "counterfactual", "synthetic"),
     "a control or context variable, not the company's own figure"),
    (("benchmark", "benchmarks", "index", "indexed", "industry"), "a benchmark or index, not the company's own figure"),
    (("forecast", "forecasts", "fcst", "projection", "projected", "predicted", "prediction", "expected",
      "estimate", "estimated"), "a forecast or estimate, not an actual"),
    (("target", "targets", "goal", "goals", "quota"), "a target, not an actual"),
    (("budget", "budgets", "budgeted", "plan", "plans", "planned", "planning"), "a budget or plan, not an actual"),
    (("last year", "prior year", "previous year", "ly", "py", "sply", "last month", "prior month", "previous month",
      "last week", "previous week", "prior week", "last period", "prior period", "previous period", "prev",
      "previous", "prior", "yoy", "mom", "wow", "qoq"), "last year's or a previous period's figure, not this period's"),
    (RUNNING_TOTAL_WORDS, "a running total: not the period's own figure"),
)
ACTUAL_PHRASES = ("budget spent", "budget used", "spent budget")  # what was spent of a budget: an actual
NOT_A_METRIC = ("cost of sales", "cost of goods sold", "cost of goods", "cogs", "cost of revenue", "opex",
                "operating expenses", "operating income", "ebitda", "ebit", "net income", "payroll", "headcount",
                "population")
NOT_A_METRIC_REASON = "not one of Alignboard's metrics: define a metric of your own for it if you need it"

# --- What may stand beside a metric's name --------------------------------------------------------------

CHANNEL_WORDS = frozenset((
    "tv", "ctv", "ott", "linear", "radio", "audio", "podcast", "podcasts", "ooh", "dooh", "outdoor", "billboard",
    "billboards", "print", "press", "magazine", "magazines", "newspaper", "newspapers", "cinema", "direct", "mail",
    "dm", "search", "sem", "seo", "ppc", "paid", "organic", "brand", "branded", "nonbrand", "non", "generic",
    "shopping", "pmax", "display", "video", "youtube", "social", "facebook", "fb", "meta", "instagram", "ig",
    "tiktok", "snapchat", "snap", "pinterest", "reddit", "twitter", "linkedin", "google", "bing", "microsoft",
    "amazon", "apple", "yahoo", "criteo", "taboola", "outbrain", "spotify", "email", "emails", "newsletter",
    "newsletters", "crm", "sms", "push", "affiliate", "affiliates", "partner", "partners", "partnership",
    "partnerships", "influencer", "influencers", "programmatic", "dv360", "digital", "online", "offline",
    "referral", "referrals", "events", "event", "webinar", "webinars", "content", "native", "retargeting",
    "prospecting", "sponsorship", "sponsorships", "mobile", "app", "apps", "inbound", "field", "trade",
    "show", "shows", "tradeshow", "tradeshows", "media", "other", "web",
))
NUMBERED_CHANNEL = re.compile(r"(channel|chan|ch|media|medium|platform|network)\d+")
TOTAL_WORDS = frozenset(("total", "totals", "overall", "grand", "gesamt", "combined", "aggregate", "summe"))
NOISE_WORDS = frozenset(("number", "of", "sum", "no", "num", "nr", "the", "in", "local", "currency",
                         "converted", "amount", "usd", "eur", "gbp", "chf", "jpy", "cad", "aud", "sek", "nok",
                         "dkk", "pln", "inr", "brl", "mxn", "cny", "nzd", "zar", "sgd", "hkd"))
QUALIFIER_WORDS = frozenset((
    "unique", "engaged", "new", "returning", "all", "net", "gross", "view", "views", "through", "viewthrough",
    "assisted", "post", "click", "clicks", "outbound", "first", "repeat", "recurring", "attributed", "reported",
    "actual", "valid", "qualified", "billable", "link", "landing", "page", "completed", "complete", "initiated",
    "add", "cart", "checkout", "lead", "leads", "purchase", "purchases", "onsite", "offsite", "cross", "device",
    "conv", "conversion", "conversions", "value", "cost", "spend", "impression", "impressions", "active",
    "engagement", "engagements", "key", "destination", "modeled", "modelled", "website",
))
MONTHS = ("jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
          "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december")
PERIOD_WORD = re.compile(rf"((19|20)\d\d|q[1-4]|h[12]|w\d{{1,2}}|fy\d{{2,4}}|{'|'.join(MONTHS)})")


class Beside(StrEnum):
    """What the words beside a metric's name in a header are."""

    NOTHING = "nothing"  # the name alone (units and "Sum of" aside)
    CHANNEL = "channel"  # a channel, platform or numbered medium: tv_spend, Spend - Search, Channel0_spend
    OTHER = "other"  # words that are neither: a channel only if other columns follow the same pattern
    QUALIFIER = "qualifier"  # a kind of the metric, not a part of it: Engaged sessions, Unique clicks
    PERIOD = "period"  # a month or year: Jan 2021 revenue


@dataclass(frozen=True)
class Word:
    text: str  # as written
    start: int  # where it starts and ends in the header (without the asides)
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class HeaderParts:
    """A header split into its words (as written, with their places) and what stands in brackets beside it."""

    text: str  # the header without its asides
    words: tuple[Word, ...]
    asides: tuple[str, ...]

    @property
    def lower_words(self) -> list[str]:
        return [w.lower for w in self.words]

    def span(self, words: tuple[Word, ...]) -> str:
        """The header's own text from the first of ``words`` to the last: "paid_search" in paid_search_spend."""
        return self.text[words[0].start:words[-1].end].strip(" _-–—:|/.") if words else ""


def header_parts(header: str) -> HeaderParts:
    text = str(header)
    asides = tuple(a.strip() for a in ASIDE.findall(text) if a.strip())
    text = CAMEL.sub(" ", ASIDE.sub(" ", text).replace("&", " and "))
    words = tuple(Word(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text))
    return HeaderParts(text, words, asides)


def spaced_words(header: str) -> str:
    """Every word of a header, asides included, lower case between spaces: " cpc cost per link click "."""
    text = CAMEL.sub(" ", str(header)).replace("&", " and ").lower()
    return f" {' '.join(TOKEN.findall(text))} "


def _says(spaced: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {p} " in spaced for p in phrases)


def rate_reason(header: str) -> str | None:
    """Why a header names a rate, ratio, average or per-unit value (never added up), or None."""
    text = str(header)
    spaced = spaced_words(text)
    if "%" in text or "‰" in text:
        return "a percentage: computed from other columns, not added up"
    if "/" in text:
        return "a ratio of two figures (the header has a '/'): computed from other columns, not added up"
    return next((reason for words, reason in RATE_REASONS if _says(spaced, words)), None)


def reference_reason(header: str) -> str | None:
    """Why a header holds someone else's figure, a plan or a comparison rather than the company's actual."""
    spaced = spaced_words(header)
    for phrase in ACTUAL_PHRASES:
        spaced = spaced.replace(f" {phrase} ", " spent ")
    return next((reason for words, reason in REFERENCE_REASONS if _says(spaced, words)), None)


def not_added_reason(header: str) -> str | None:
    if _says(spaced_words(header), NOT_ADDED_WORDS):
        return "people reached, each counted once however long the period: not added up across days"
    return None


def not_a_metric(header: str) -> bool:
    return _says(spaced_words(header), NOT_A_METRIC)


# --- Marketing-mix naming: a one-letter suffix says what a channel's column holds --------------------

MIX_SUFFIX = re.compile(r"^(?P<stem>[A-Za-z][\w\- ]*?)_(?P<tag>[SIPBsipb])$")
MIX_KINDS = {"S": "spend", "I": "impressions"}
EXPOSURE_NOTE = ("paid media exposure in marketing-mix naming (_P): impressions, GRPs or clicks — "
                 "choose the metric it holds")
BASELINE_NOTE = "a baseline or context variable in marketing-mix naming (_B), not the company's own figure"


def mix_suffix(header: str) -> tuple[str, str] | None:
    """(stem, tag) for marketing-mix names such as Robyn's: tv_S -> ("tv", "S"), search_clicks_P -> (…, "P")."""
    match = MIX_SUFFIX.match(str(header).strip())
    return (match.group("stem"), match.group("tag").upper()) if match else None


# --- The words beside a metric's name -------------------------------------------------------------


def is_channel(words: list[str]) -> bool:
    return bool(words) and all(w in CHANNEL_WORDS or NUMBERED_CHANNEL.fullmatch(w) for w in words)


def beside_kind(words: list[str]) -> Beside:
    """What the words left over beside a metric's name are (noise and totals already taken out)."""
    if not words:
        return Beside.NOTHING
    if any(PERIOD_WORD.fullmatch(w) for w in words):
        return Beside.PERIOD
    if is_channel(words):
        return Beside.CHANNEL
    if any(w in QUALIFIER_WORDS for w in words) or any(w.isdigit() for w in words):
        return Beside.QUALIFIER
    return Beside.OTHER


def qualified_aside(parts: HeaderParts) -> bool:
    """A kind of the metric said in brackets: "Clicks (all)", "Clicks (destination)"."""
    return any(w in QUALIFIER_WORDS for a in parts.asides for w in TOKEN.findall(a.lower()))


def channel_aside(parts: HeaderParts) -> str:
    """A channel said in brackets, "Spend (Search)" -> "Search"; units and "(all)" are not channels."""
    for aside in parts.asides:
        words = TOKEN.findall(aside.lower())
        if is_channel(words):
            return aside
    return ""
