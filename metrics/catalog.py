"""The metric catalog: every metric Alignboard knows, defined as data.

Base metrics are stored as monthly roll-ups; derived metrics are never stored and are
computed from the period sums of base metrics (always a ratio of sums).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from metrics.formula import formula_names


class Unit(StrEnum):
    CURRENCY = "currency"
    COUNT = "count"
    PERCENT = "percent"  # stored as a fraction: 0.25 is 25%
    RATIO = "ratio"
    SCORE = "score"
    MONTHS = "months"


class MetricClass(StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"


class Mandate(StrEnum):
    BRAND = "brand"  # "the meaning"
    GROWTH = "growth"  # "the math"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


class Aggregation(StrEnum):
    SUM = "sum"
    FIRST = "first"  # value at the start of the period
    LAST = "last"  # value at the end of the period
    WEIGHTED_AVERAGE = "weighted_average"


class Band(StrEnum):
    """The three stories a CEO hears."""

    PNL = "pnl"
    CAMPAIGNS = "campaigns"
    FEEL = "feel"


BAND_TITLES: dict[Band, str] = {
    Band.PNL: "The P&L",
    Band.CAMPAIGNS: "The campaigns",
    Band.FEEL: "How people feel",
}

MANDATE_TITLES: dict[Mandate, str] = {
    Mandate.BRAND: "Brand (the meaning)",
    Mandate.GROWTH: "Growth (the math)",
}


class Metric(BaseModel):
    """One metric definition. A metric with a formula is derived; otherwise it is stored."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    description: str = Field(min_length=10)
    unit: Unit
    metric_class: MetricClass
    mandate: Mandate
    direction: Direction
    band: Band
    aggregation: Aggregation = Aggregation.SUM
    weight_key: str | None = None
    formula: str | None = None
    non_negative: bool = True
    source: str = ""
    custom: bool = False

    @model_validator(mode="after")
    def _weighted_needs_weight(self) -> Metric:
        if (self.aggregation == Aggregation.WEIGHTED_AVERAGE) != (self.weight_key is not None):
            raise ValueError(f"{self.key}: a weight key goes with a weighted average, and only then")
        return self

    @property
    def derived(self) -> bool:
        return self.formula is not None

    @property
    def inputs(self) -> tuple[str, ...]:
        """Base metric keys a derived metric's formula reads."""
        return formula_names(self.formula) if self.formula else (self.key,)


class Catalog:
    """An ordered, validated set of metrics (the standard ones plus a workspace's own)."""

    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._metrics: dict[str, Metric] = {}
        for metric in metrics:
            if metric.key in self._metrics:
                raise ValueError(f"metric {metric.key!r} is defined twice")
            self._metrics[metric.key] = metric
        self._check_references()

    def _check_references(self) -> None:
        for metric in self._metrics.values():
            refs = [*metric.inputs, *([metric.weight_key] if metric.weight_key else [])]
            for ref in refs:
                if ref != "months" and (ref not in self._metrics or self._metrics[ref].derived):
                    raise ValueError(f"{metric.key} refers to {ref!r}, which is not a base metric")

    def __getitem__(self, key: str) -> Metric:
        return self._metrics[key]

    def __contains__(self, key: object) -> bool:
        return key in self._metrics

    def __iter__(self) -> Iterator[Metric]:
        return iter(self._metrics.values())

    def __len__(self) -> int:
        return len(self._metrics)

    def get(self, key: str) -> Metric | None:
        return self._metrics.get(key)

    def keys(self) -> list[str]:
        return list(self._metrics)

    def base_keys(self) -> list[str]:
        return [m.key for m in self if not m.derived]

    def with_custom(self, extra: Iterable[Metric]) -> Catalog:
        return Catalog([*self, *extra])

    def of_class(self, metric_class: MetricClass) -> list[Metric]:
        return [m for m in self if m.metric_class == metric_class]

    def needed_base_keys(self, keys: Iterable[str]) -> set[str]:
        """Base metrics (and weights) that must be loaded to compute ``keys``."""
        needed: set[str] = set()
        for key in keys:
            metric = self[key]
            needed.update(k for k in metric.inputs if k != "months")
            if metric.weight_key:
                needed.add(metric.weight_key)
            for base in metric.inputs:
                weight = self._metrics[base].weight_key if base in self._metrics else None
                if weight:
                    needed.add(weight)
        return needed


def _m(key: str, label: str, description: str, unit: Unit, cls: MetricClass, mandate: Mandate,
       direction: Direction, band: Band, source: str, **extra: object) -> Metric:
    return Metric(key=key, label=label, description=description, unit=unit, metric_class=cls,
                  mandate=mandate, direction=direction, band=band, source=source, **extra)


U, C, M, D, B, A = Unit, MetricClass, Mandate, Direction, Band, Aggregation
_SAAS = "https://www.forentrepreneurs.com/saas-metrics-2/"
_KPI = "https://www.klipfolio.com/resources/kpi-examples"
_GA = "https://support.google.com/google-ads/answer/2615875"

STANDARD_METRICS: tuple[Metric, ...] = (
    # --- The P&L -----------------------------------------------------------------------
    _m("revenue", "Revenue", "Recognised revenue booked by finance in the month.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.PNL, "https://www.ifrs.org/issued-standards/list-of-standards/ifrs-15-revenue-from-contracts-with-customers/"),
    _m("new_bookings", "New bookings", "Value of new contracts signed in the month (first-year value).",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.PNL, _SAAS),
    _m("gross_profit", "Gross profit", "Revenue minus cost of goods sold.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.PNL, "https://www.investopedia.com/terms/g/grossprofit.asp",
       non_negative=False),
    _m("gross_margin", "Gross margin", "Share of revenue left after cost of goods sold.",
       U.PERCENT, C.OUTCOME, M.GROWTH, D.UP, B.PNL, "https://www.investopedia.com/terms/g/grossmargin.asp",
       formula="gross_profit / revenue"),
    _m("mrr_start", "Recurring revenue at start", "Monthly recurring revenue at the start of the period.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.PNL, _SAAS, aggregation=A.FIRST),
    _m("expansion_revenue", "Expansion revenue", "Recurring revenue added by existing customers (upsell, cross-sell).",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.PNL, _SAAS),
    _m("contraction_revenue", "Contraction revenue", "Recurring revenue lost to downgrades by customers who stayed.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.DOWN, B.PNL, _SAAS),
    _m("churned_revenue", "Churned revenue", "Recurring revenue lost from customers who left.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.DOWN, B.PNL, _SAAS),
    _m("nrr", "Net revenue retention", "Recurring revenue kept from existing customers, counting expansion.",
       U.PERCENT, C.OUTCOME, M.GROWTH, D.UP, B.PNL, "https://www.paddle.com/resources/net-revenue-retention",
       formula="(mrr_start + expansion_revenue - contraction_revenue - churned_revenue) / mrr_start"),
    _m("grr", "Gross revenue retention", "Recurring revenue kept from existing customers, ignoring expansion.",
       U.PERCENT, C.OUTCOME, M.GROWTH, D.UP, B.PNL, "https://www.paddle.com/resources/gross-revenue-retention",
       formula="(mrr_start - contraction_revenue - churned_revenue) / mrr_start"),
    _m("customers", "Customers", "Paying customers at the end of the period.",
       U.COUNT, C.OUTCOME, M.GROWTH, D.UP, B.PNL, _SAAS, aggregation=A.LAST),
    _m("new_customers", "New customers", "Customers won in the period.",
       U.COUNT, C.OUTCOME, M.GROWTH, D.UP, B.PNL, _SAAS),
    _m("customers_lost", "Customers lost", "Customers who cancelled in the period.",
       U.COUNT, C.OUTCOME, M.GROWTH, D.DOWN, B.PNL, _SAAS),
    _m("churn_rate", "Customer churn", "Customers lost as a share of customers at the start of the period.",
       U.PERCENT, C.OUTCOME, M.GROWTH, D.DOWN, B.PNL, _SAAS,
       formula="customers_lost / (customers - new_customers + customers_lost)"),
    _m("ltv", "Customer lifetime value",
       "Gross profit per customer divided by churn rate; reduces to gross profit per customer lost.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.PNL, _SAAS, formula="gross_profit / customers_lost"),
    _m("cac", "Customer acquisition cost", "Marketing and sales spend per new customer.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.DOWN, B.PNL, _SAAS,
       formula="(marketing_spend + sales_spend) / new_customers"),
    _m("ltv_to_cac", "LTV : CAC", "Lifetime value earned for each unit spent acquiring a customer.",
       U.RATIO, C.OUTCOME, M.GROWTH, D.UP, B.PNL, _SAAS,
       formula="(gross_profit / customers_lost) / ((marketing_spend + sales_spend) / new_customers)"),
    _m("cac_payback_months", "CAC payback", "Months of gross profit per customer needed to earn back CAC.",
       U.MONTHS, C.OUTCOME, M.GROWTH, D.DOWN, B.PNL, _SAAS,
       formula="((marketing_spend + sales_spend) / new_customers) / (gross_profit / customers / months)"),
    # --- The campaigns -----------------------------------------------------------------
    _m("marketing_spend", "Marketing spend", "Paid media, agencies, tools and programmes in the month.",
       U.CURRENCY, C.OUTPUT, M.GROWTH, D.NEUTRAL, B.CAMPAIGNS, _KPI),
    _m("sales_spend", "Sales spend", "Sales salaries, commissions and tools in the month.",
       U.CURRENCY, C.OUTPUT, M.GROWTH, D.NEUTRAL, B.CAMPAIGNS, _SAAS),
    _m("impressions", "Impressions", "Times an ad or post was shown.",
       U.COUNT, C.OUTPUT, M.BRAND, D.UP, B.CAMPAIGNS, _GA),
    _m("clicks", "Clicks", "Clicks on ads and posts.",
       U.COUNT, C.OUTPUT, M.GROWTH, D.UP, B.CAMPAIGNS, _GA),
    _m("ctr", "Click-through rate", "Clicks as a share of impressions.",
       U.PERCENT, C.OUTPUT, M.GROWTH, D.UP, B.CAMPAIGNS, "https://support.google.com/google-ads/answer/2615875",
       formula="clicks / impressions"),
    _m("sessions", "Website sessions", "Visits to the website.",
       U.COUNT, C.OUTPUT, M.GROWTH, D.UP, B.CAMPAIGNS, "https://support.google.com/analytics/answer/9191807"),
    _m("content_published", "Content published", "Articles, videos and posts published.",
       U.COUNT, C.OUTPUT, M.BRAND, D.UP, B.CAMPAIGNS, _KPI),
    _m("engagements", "Engagement", "Likes, comments, shares and saves on content and ads.",
       U.COUNT, C.OUTPUT, M.BRAND, D.UP, B.CAMPAIGNS, _KPI),
    _m("engagement_rate", "Engagement rate", "Engagements as a share of impressions.",
       U.PERCENT, C.OUTPUT, M.BRAND, D.UP, B.CAMPAIGNS, _KPI, formula="engagements / impressions"),
    _m("mqls", "MQLs", "Marketing-qualified leads created.",
       U.COUNT, C.OUTPUT, M.GROWTH, D.UP, B.CAMPAIGNS, "https://www.salesforce.com/marketing/lead-generation-guide/"),
    _m("cost_per_mql", "Cost per MQL", "Marketing spend per marketing-qualified lead.",
       U.CURRENCY, C.OUTPUT, M.GROWTH, D.DOWN, B.CAMPAIGNS, _KPI, formula="marketing_spend / mqls"),
    _m("sqls", "SQLs", "Sales-qualified leads accepted by sales.",
       U.COUNT, C.OUTPUT, M.GROWTH, D.UP, B.CAMPAIGNS, "https://www.salesforce.com/marketing/lead-generation-guide/"),
    _m("mql_to_sql_rate", "MQL to SQL", "Share of MQLs that sales accepted.",
       U.PERCENT, C.OUTPUT, M.GROWTH, D.UP, B.CAMPAIGNS, _KPI, formula="sqls / mqls"),
    _m("opportunities", "Opportunities", "Sales opportunities opened.",
       U.COUNT, C.OUTPUT, M.GROWTH, D.UP, B.CAMPAIGNS, _SAAS),
    _m("pipeline_created", "Pipeline created", "Value of sales opportunities opened in the month.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.CAMPAIGNS, _SAAS),
    _m("pipeline_per_marketing_dollar", "Pipeline per marketing $", "Pipeline created per unit of marketing spend.",
       U.RATIO, C.OUTCOME, M.GROWTH, D.UP, B.CAMPAIGNS, _KPI, formula="pipeline_created / marketing_spend"),
    _m("deals_won", "Deals won", "Opportunities closed as won.",
       U.COUNT, C.OUTCOME, M.GROWTH, D.UP, B.CAMPAIGNS, _SAAS),
    _m("deals_lost", "Deals lost", "Opportunities closed as lost.",
       U.COUNT, C.OUTCOME, M.GROWTH, D.DOWN, B.CAMPAIGNS, _SAAS),
    _m("win_rate", "Win rate", "Won deals as a share of all closed deals.",
       U.PERCENT, C.OUTCOME, M.GROWTH, D.UP, B.CAMPAIGNS, "https://www.hubspot.com/sales/win-rate",
       formula="deals_won / (deals_won + deals_lost)"),
    _m("marketing_sourced_revenue", "Marketing-sourced revenue", "New bookings whose first touch was marketing.",
       U.CURRENCY, C.OUTCOME, M.GROWTH, D.UP, B.CAMPAIGNS, _KPI),
    _m("marketing_sourced_share", "Marketing-sourced share", "Share of new bookings sourced by marketing.",
       U.PERCENT, C.OUTCOME, M.GROWTH, D.UP, B.CAMPAIGNS, _KPI,
       formula="marketing_sourced_revenue / new_bookings"),
    # --- How people feel ---------------------------------------------------------------
    _m("nps_responses", "NPS responses", "Survey answers behind the Net Promoter Score.",
       U.COUNT, C.OUTPUT, M.BRAND, D.NEUTRAL, B.FEEL, "https://www.netpromoter.com/know/"),
    _m("nps", "Net Promoter Score", "Promoters minus detractors, in points from -100 to 100.",
       U.SCORE, C.OUTCOME, M.BRAND, D.UP, B.FEEL, "https://www.netpromoter.com/know/",
       aggregation=A.WEIGHTED_AVERAGE, weight_key="nps_responses", non_negative=False),
    _m("confidence_responses", "Confidence responses", "Survey answers behind the decision-confidence score.",
       U.COUNT, C.OUTPUT, M.BRAND, D.NEUTRAL, B.FEEL, _KPI),
    _m("decision_confidence", "Decision confidence",
       "Customers' belief, 0-100, that they made a well-informed choice (post-purchase survey).",
       U.SCORE, C.OUTCOME, M.BRAND, D.UP, B.FEEL,
       "https://www.cmswire.com/digital-marketing/why-most-cmos-fail-long-before-the-exit-interview/",
       aggregation=A.WEIGHTED_AVERAGE, weight_key="confidence_responses"),
    _m("awareness_sample", "Awareness sample", "People asked in the brand-awareness survey.",
       U.COUNT, C.OUTPUT, M.BRAND, D.NEUTRAL, B.FEEL, _KPI),
    _m("aided_awareness", "Aided awareness", "Share of the target market who recognise the brand when prompted.",
       U.PERCENT, C.OUTCOME, M.BRAND, D.UP, B.FEEL, "https://www.qualtrics.com/experience-management/brand/brand-awareness/",
       aggregation=A.WEIGHTED_AVERAGE, weight_key="awareness_sample"),
    _m("share_of_voice", "Share of voice", "The brand's share of category mentions and ad presence.",
       U.PERCENT, C.OUTPUT, M.BRAND, D.UP, B.FEEL, "https://www.ipa.co.uk/knowledge/publications-reports/share-of-voice",
       aggregation=A.LAST),
)

STANDARD_CATALOG = Catalog(STANDARD_METRICS)
