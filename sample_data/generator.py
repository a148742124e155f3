"""Seeded raw observations for the two demo client companies.

The same seed always gives the same table, so the demo and the tests share one set of figures.
Campaign metrics arrive as daily rows per channel; P&L, funnel and survey metrics as monthly rows
(dated the 1st, no segment). Everything is derived from a handful of monthly drivers so the
figures add up: customers, recurring revenue, funnel stages and win rate agree with each other.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

import clock
from metrics.periods import Month, add_months, month_start, months_between

DEFAULT_SEED = 20240601
HISTORY_MONTHS = 36
COLUMNS = ["date", "metric", "value", "segment", "weight"]
CAMPAIGN_METRICS = ("marketing_spend", "impressions", "clicks", "sessions", "engagements",
                    "content_published", "mqls")
WEIGHTED = {"nps": "nps_responses", "decision_confidence": "confidence_responses",
            "aided_awareness": "awareness_sample"}


class CompanyProfile(BaseModel):
    """A demo client company: how it is shown, and the story its figures tell."""

    model_config = ConfigDict(frozen=True)

    name: str
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    fiscal_year_start_month: int = Field(ge=1, le=12)
    kind: str
    story: str
    vanity_months: int = Field(default=0, ge=0, le=12,
                                description="Last months in which reach climbs while pipeline sags.")


DEMO_COMPANIES: tuple[CompanyProfile, ...] = (
    CompanyProfile(
        name="Northwind Analytics", currency="USD", color="#1f4e79", fiscal_year_start_month=1,
        kind="b2b_saas", vanity_months=6,
        story="B2B SaaS. Two and a half years of steady growth; then, over the last two quarters, a brand "
              "push lifts impressions, clicks and engagement sharply while pipeline and new bookings sag.",
    ),
    CompanyProfile(
        name="Bloom & Brew", currency="EUR", color="#2e7d5b", fiscal_year_start_month=4,
        kind="consumer_subscription",
        story="Consumer subscription brand. Grows steadily, with campaign outputs and business outcomes "
              "moving together throughout.",
    ),
)


@dataclass(frozen=True)
class _Plan:
    """Starting levels and monthly trends behind one kind of company."""

    growth: float  # monthly growth of reach and leads
    spend_growth: float
    seasonality: float  # amplitude of the yearly wave
    noise: float  # typical month-to-month wobble, as a fraction
    impressions: float
    ctr: float
    engagement_rate: float
    sessions_per_click: float
    content: float
    marketing_spend: float
    sales_spend: float
    mqls: float
    sql_rate: float
    opp_rate: float
    opp_rate_trend: float
    deal_value: float  # first-year value of a won deal
    deal_value_trend: float
    win_rate: float
    loss_share_trend: float  # monthly change of (1 - win rate)
    customers: int
    arpa: float  # monthly recurring revenue per customer at the start
    churn: float  # customers lost in the first month, as a share of customers
    lost_trend: float  # monthly change in customers lost
    expansion: float
    contraction: float
    contraction_trend: float
    other_revenue: float  # services and one-offs, as a share of recurring revenue
    gross_margin: float
    margin_trend: float
    sourced_share: float
    sourced_trend: float
    nps: float
    nps_trend: float
    nps_responses: float
    confidence: float
    confidence_trend: float
    confidence_responses: float
    awareness: float
    awareness_trend: float
    awareness_sample: float
    share_of_voice: float
    sov_trend: float
    weekday: tuple[float, ...]  # Monday .. Sunday
    channels: dict[str, dict[str, float]]  # metric -> channel -> share
    focus: dict[str, float]  # channels a vanity push shifts reach towards


_B2B_CHANNELS = ("paid_search", "paid_social", "organic_search", "email", "events", "partners")
_CONSUMER_CHANNELS = ("paid_search", "paid_social", "organic_search", "email", "influencers", "retail_partners")


def _mix(channels: tuple[str, ...], *shares: float) -> dict[str, float]:
    return dict(zip(channels, shares, strict=True))


_PLANS: dict[str, _Plan] = {
    "b2b_saas": _Plan(
        growth=1.018, spend_growth=1.016, seasonality=0.005, noise=0.01,
        impressions=3_000_000, ctr=0.008, engagement_rate=0.015, sessions_per_click=1.5, content=40,
        marketing_spend=250_000, sales_spend=400_000, mqls=540, sql_rate=0.30, opp_rate=0.55,
        opp_rate_trend=1.0, deal_value=18_000, deal_value_trend=1.002, win_rate=0.25, loss_share_trend=1.0,
        customers=800, arpa=1_500, churn=0.012, lost_trend=1.02, expansion=0.012, contraction=0.004,
        contraction_trend=1.0, other_revenue=0.03, gross_margin=0.76, margin_trend=0.0,
        sourced_share=0.55, sourced_trend=0.001,
        nps=34, nps_trend=0.05, nps_responses=180, confidence=68, confidence_trend=0.05,
        confidence_responses=120, awareness=0.09, awareness_trend=1.004, awareness_sample=600,
        share_of_voice=0.07, sov_trend=1.004,
        weekday=(1.15, 1.2, 1.2, 1.15, 1.0, 0.35, 0.3),
        channels={
            "marketing_spend": _mix(_B2B_CHANNELS, 0.30, 0.25, 0.05, 0.05, 0.25, 0.10),
            "impressions": _mix(_B2B_CHANNELS, 0.25, 0.45, 0.20, 0.05, 0.02, 0.03),
            "clicks": _mix(_B2B_CHANNELS, 0.35, 0.25, 0.25, 0.10, 0.01, 0.04),
            "sessions": _mix(_B2B_CHANNELS, 0.25, 0.15, 0.40, 0.10, 0.03, 0.07),
            "engagements": _mix(_B2B_CHANNELS, 0.05, 0.60, 0.10, 0.10, 0.10, 0.05),
            "content_published": _mix(_B2B_CHANNELS, 0.0, 0.45, 0.30, 0.20, 0.0, 0.05),
            "mqls": _mix(_B2B_CHANNELS, 0.30, 0.15, 0.20, 0.10, 0.15, 0.10),
        },
        focus={"paid_social": 1.5, "events": 0.5},
    ),
    "consumer_subscription": _Plan(
        growth=1.021, spend_growth=1.01, seasonality=0.005, noise=0.008,
        impressions=8_000_000, ctr=0.012, engagement_rate=0.03, sessions_per_click=1.8, content=90,
        marketing_spend=160_000, sales_spend=35_000, mqls=10_200, sql_rate=0.35, opp_rate=0.60,
        opp_rate_trend=0.992, deal_value=300, deal_value_trend=1.008, win_rate=0.45, loss_share_trend=0.983,
        customers=21_000, arpa=25, churn=0.045, lost_trend=0.993, expansion=0.004, contraction=0.003,
        contraction_trend=0.96, other_revenue=0.05, gross_margin=0.72, margin_trend=0.0004,
        sourced_share=0.70, sourced_trend=0.003, nps=42, nps_trend=0.25, nps_responses=900, confidence=71,
        confidence_trend=0.1, confidence_responses=500, awareness=0.16, awareness_trend=1.006, awareness_sample=1_500,
        share_of_voice=0.11, sov_trend=1.01,
        weekday=(0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.1),
        channels={
            "marketing_spend": _mix(_CONSUMER_CHANNELS, 0.25, 0.35, 0.05, 0.05, 0.20, 0.10),
            "impressions": _mix(_CONSUMER_CHANNELS, 0.15, 0.45, 0.15, 0.05, 0.15, 0.05),
            "clicks": _mix(_CONSUMER_CHANNELS, 0.30, 0.30, 0.20, 0.10, 0.07, 0.03),
            "sessions": _mix(_CONSUMER_CHANNELS, 0.20, 0.25, 0.30, 0.15, 0.05, 0.05),
            "engagements": _mix(_CONSUMER_CHANNELS, 0.02, 0.55, 0.03, 0.05, 0.33, 0.02),
            "content_published": _mix(_CONSUMER_CHANNELS, 0.0, 0.50, 0.20, 0.10, 0.20, 0.0),
            "mqls": _mix(_CONSUMER_CHANNELS, 0.25, 0.25, 0.20, 0.15, 0.10, 0.05),
        },
        focus={},
    ),
}

# Northwind's brand push, per month of the vanity stretch: factor applied to each driver.
_VANITY = {"impressions": 1.11, "ctr": 0.99, "engagement_rate": 1.01, "sessions": 1.06, "content": 1.05,
           "marketing_spend": 1.05, "mqls": 1.02, "sql_rate": 0.93, "opp_rate": 0.97, "deal_value": 0.98,
           "win_rate": 0.97, "nps": -0.3, "confidence": -0.4, "awareness": 1.03, "share_of_voice": 1.06}


def last_complete_month(today: dt.date | None = None) -> Month:
    """The month before the current one: the latest month whose every day has passed."""
    return add_months(month_start(today or clock.today()), -1)


def generate(profile: CompanyProfile, end_month: Month | None = None, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Long rows (date, metric, value, segment, weight) for 36 months ending with ``end_month``.

    ``end_month`` defaults to the last complete month, so the demo always looks current.
    """
    end = month_start(end_month or last_complete_month())
    if end > last_complete_month():
        raise ValueError(f"the sample data must end with a complete month ({last_complete_month():%Y-%m} or earlier)")
    months = months_between(add_months(end, -(HISTORY_MONTHS - 1)), end)
    rng = np.random.default_rng([seed, zlib.crc32(profile.name.encode())])
    model = _Model(_PLANS[profile.kind], profile.vanity_months, months, rng)
    series = model.series()
    campaign = _daily_campaign_rows(model, {k: series.pop(k) for k in CAMPAIGN_METRICS})
    return pd.concat([campaign, _monthly_rows(months, series)], ignore_index=True)[COLUMNS]


class _Model:
    """Monthly drivers for one company; every figure is computed from these."""

    def __init__(self, plan: _Plan, vanity_months: int, months: list[Month], rng: np.random.Generator) -> None:
        self.plan, self.months, self.rng, self.vanity_months = plan, months, rng, vanity_months
        self.n = len(months)
        t = np.arange(self.n)
        self.t = t
        self.step = np.clip(t - (self.n - vanity_months) + 1, 0, None)  # 0, then 1..vanity_months
        calendar = np.array([m.month for m in months])
        season = 1 + plan.seasonality * np.cos(2 * np.pi * (calendar - 5) / 12)
        self.demand = plan.growth ** t * season

    def wobble(self, scale: float | None = None) -> np.ndarray:
        return np.exp(self.rng.normal(0.0, self.plan.noise if scale is None else scale, self.n))

    def push(self, driver: str) -> np.ndarray:
        """The vanity stretch's factor on a driver (1 outside it)."""
        return _VANITY[driver] ** self.step

    def series(self) -> dict[str, np.ndarray]:
        out = self.campaign()
        out |= self.funnel(out["mqls"])
        out |= self.revenue(out["new_customers"], out["new_bookings"])
        return out | self.feel()

    def campaign(self) -> dict[str, np.ndarray]:
        p, d = self.plan, self.demand
        impressions = np.round(p.impressions * d * self.wobble() * self.push("impressions"))
        clicks = np.round(impressions * p.ctr * self.wobble(p.noise / 3) * self.push("ctr"))
        return {
            "impressions": impressions, "clicks": clicks,
            "engagements": np.round(impressions * p.engagement_rate * self.wobble(p.noise / 3)
                                     * self.push("engagement_rate")),
            "sessions": np.round(p.impressions * p.ctr * p.sessions_per_click * d * self.wobble()
                                 * self.push("sessions")),
            "content_published": np.round(p.content * d * self.wobble() * self.push("content")),
            "marketing_spend": np.round(p.marketing_spend * p.spend_growth ** self.t * self.wobble()
                                        * self.push("marketing_spend"), 2),
            "mqls": np.round(p.mqls * d * self.wobble() * self.push("mqls")),
        }

    def funnel(self, mqls: np.ndarray) -> dict[str, np.ndarray]:
        """Leads to deals. Opportunities close the month after they open: won at the win rate, or lost."""
        p = self.plan
        sqls = np.round(mqls * p.sql_rate * self.wobble() * self.push("sql_rate"))
        opp_rate = p.opp_rate * p.opp_rate_trend ** self.t * self.push("opp_rate")
        opportunities = np.round(sqls * opp_rate * self.wobble(p.noise / 2))
        deal_value = p.deal_value * p.deal_value_trend ** self.t * self.push("deal_value") * self.wobble(0.005)
        closing = np.concatenate([[round(opportunities[0] / (p.growth * p.opp_rate_trend))], opportunities[:-1]])
        win_rate = (1 - (1 - p.win_rate) * p.loss_share_trend ** self.t) * self.push("win_rate")
        won = np.round(closing * win_rate * self.wobble(p.noise / 2))
        bookings = np.round(won * deal_value * 0.95, 2)  # won deals close a little below their opening value
        sourced = np.clip(p.sourced_share + p.sourced_trend * self.t, 0, 1)
        return {
            "sqls": sqls, "opportunities": opportunities,
            "pipeline_created": np.round(opportunities * deal_value, 2),
            "deals_won": won, "deals_lost": closing - won, "new_customers": won, "new_bookings": bookings,
            "marketing_sourced_revenue": np.round(bookings * sourced * self.wobble(0.005), 2),
            "sales_spend": np.round(p.sales_spend * p.spend_growth ** self.t * self.wobble(p.noise / 2), 2),
        }

    def revenue(self, new_customers: np.ndarray, new_bookings: np.ndarray) -> dict[str, np.ndarray]:
        """Customers and recurring revenue month by month: end = start + new - lost."""
        p = self.plan
        lost = np.round(p.customers * p.churn * p.lost_trend ** self.t * self.wobble())
        contraction_rate = p.contraction * p.contraction_trend ** self.t * self.wobble()
        customers, mrr = float(p.customers), float(p.customers * p.arpa)
        rows: dict[str, list[float]] = {k: [] for k in ("mrr_start", "customers", "customers_lost",
                                                        "churned_revenue", "expansion_revenue",
                                                        "contraction_revenue", "recurring")}
        for i in range(self.n):
            churned = round(lost[i] * mrr / customers, 2)
            expansion, contraction = round(mrr * p.expansion, 2), round(mrr * contraction_rate[i], 2)
            end_mrr = mrr + new_bookings[i] / 12 + expansion - contraction - churned
            for key, value in (("mrr_start", mrr), ("customers_lost", lost[i]), ("churned_revenue", churned),
                               ("expansion_revenue", expansion), ("contraction_revenue", contraction)):
                rows[key].append(round(value, 2))
            customers = customers + new_customers[i] - lost[i]
            mrr = round(end_mrr, 2)
            rows["customers"].append(customers)
            rows["recurring"].append(mrr)
        return self._pnl({k: np.array(v) for k, v in rows.items()})

    def _pnl(self, rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Revenue is recurring revenue plus a little services; gross profit at the plan's margin."""
        recurring = rows.pop("recurring")
        revenue = np.round(recurring * (1 + self.plan.other_revenue * self.wobble(0.1)), 2)
        margin = self.plan.gross_margin + self.plan.margin_trend * self.t + self.rng.normal(0, 0.003, self.n)
        return rows | {"revenue": revenue, "gross_profit": np.round(revenue * margin, 2)}

    def feel(self) -> dict[str, np.ndarray]:
        """Surveys: scores with their response counts, awareness with its sample, share of voice."""
        p, t = self.plan, self.t
        nps = p.nps + p.nps_trend * t + _VANITY["nps"] * self.step + self.rng.normal(0, 0.3, self.n)
        confidence = (p.confidence + p.confidence_trend * t + _VANITY["confidence"] * self.step
                      + self.rng.normal(0, 0.4, self.n))
        awareness = p.awareness * p.awareness_trend ** t * self.push("awareness") * self.wobble(0.01)
        return {
            "nps": np.round(np.clip(nps, -100, 100), 1),
            "nps_responses": np.round(p.nps_responses * 1.01 ** t * self.wobble(0.02)),
            "decision_confidence": np.round(np.clip(confidence, 0, 100), 1),
            "confidence_responses": np.round(p.confidence_responses * 1.01 ** t * self.wobble(0.02)),
            "aided_awareness": np.round(np.clip(awareness, 0, 1), 4),
            "awareness_sample": np.round(p.awareness_sample * self.wobble(0.01)),
            "share_of_voice": np.round(np.clip(p.share_of_voice * p.sov_trend ** t * self.push("share_of_voice")
                                               * self.wobble(0.005), 0, 1), 4),
        }


def _monthly_rows(months: list[Month], series: dict[str, np.ndarray]) -> pd.DataFrame:
    """One unsegmented row per metric and month, dated the 1st; weighted metrics carry their weight."""
    dates = pd.to_datetime(pd.Series(months))
    parts = []
    for key, values in series.items():
        weight = series[WEIGHTED[key]] if key in WEIGHTED else np.ones(len(months))
        parts.append(pd.DataFrame({"date": dates, "metric": key, "value": values.astype(float),
                                   "segment": "", "weight": weight.astype(float)}))
    return pd.concat(parts, ignore_index=True)


def _daily_campaign_rows(model: _Model, totals: dict[str, np.ndarray]) -> pd.DataFrame:
    """Split each month's campaign totals over channels and days (weekday rhythm, a little noise)."""
    plan, months = model.plan, model.months
    days = pd.date_range(months[0], add_months(months[-1], 1), inclusive="left")
    parts = [_split_metric(model, key, monthly, days) for key, monthly in totals.items()]
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["value"] > 0]
    channels = np.array(list(next(iter(plan.channels.values()))))
    return frame.assign(segment=channels[frame.pop("channel").to_numpy()], weight=1.0)


def _split_metric(model: _Model, key: str, monthly: np.ndarray, days: pd.DatetimeIndex) -> pd.DataFrame:
    """One metric: per month, a probability for each (channel, day) cell, then the month's total spread."""
    plan, rng = model.plan, model.rng
    shares = np.array(list(plan.channels[key].values()))
    focus = np.array([plan.focus.get(c, 0.0) for c in plan.channels[key]])
    month_index = (days.year - model.months[0].year) * 12 + days.month - model.months[0].month
    weekday = np.array(plan.weekday)[days.dayofweek]
    values = np.zeros((len(shares), len(days)))
    for i in range(model.n):
        in_month = np.flatnonzero(month_index == i)
        tilt = shares * (1 + focus * model.step[i] / max(model.vanity_months, 1))
        cells = np.outer(tilt, weekday[in_month]) * np.exp(rng.normal(0, 0.08, (len(shares), len(in_month))))
        cells /= cells.sum()
        values[:, in_month] = _spread(rng, monthly[i], cells, key == "marketing_spend")
    channel, day = np.indices(values.shape)
    return pd.DataFrame({"date": days[day.ravel()], "metric": key, "value": values.ravel(),
                         "channel": channel.ravel()})


def _spread(rng: np.random.Generator, total: float, cells: np.ndarray, money: bool) -> np.ndarray:
    """Money splits proportionally (to the cent); counts split as whole numbers that add up exactly."""
    if money:
        return np.round(total * cells, 2)
    return rng.multinomial(int(total), cells.ravel()).reshape(cells.shape).astype(float)
