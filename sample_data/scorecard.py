"""The demo companies' agreements: signed KPI sets, 36 months of targets, commentary and confidence votes.

Every name comes from the company's cast (sample_data/people.py): the CMO drafts and signs with the
CEO, each KPI's owner writes its commentary, and the CEO and CMO cast the confidence votes.

Targets are what a planning team would have written: in the first year a smooth line through the
year, later the same month last year plus an agreed change. Against Northwind's sagging pipeline
those plans turn red; Bloom & Brew, growing steadily, stays mostly on track.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

import clock
from db import queries
from db.engine import session_scope
from db.scorecard import cast_vote, save_commentary, save_draft, save_leadership_system, sign_agreement
from metrics.agreement import LeadershipSystem, Role
from metrics.catalog import STANDARD_CATALOG, Mandate
from metrics.periods import Month, add_months
from metrics.scorecard import KpiTerms, fill_from_last_year, fill_monthly_growth, tidy_target
from metrics.series import MonthlyData, monthly_values
from sample_data.generator import CompanyProfile
from sample_data.people import BLOOM, NORTHWIND, Cast, Person

B, G = Mandate.BRAND, Mandate.GROWTH


@dataclass(frozen=True)
class PlannedKpi:
    key: str
    mandate: Mandate
    owner: Person
    yearly_change: float  # the plan: same month last year plus this
    rationale: str
    comments: tuple[str, str, str]  # two months ago, last month, this month
    votes: tuple[tuple[int, int], tuple[int, int]]  # (CEO, CMO) last month, this month
    since_v2: bool = False  # added in the second version of the agreement


@dataclass(frozen=True)
class CompanyPlan:
    cast: Cast
    kpis: tuple[PlannedKpi, ...]
    leadership: LeadershipSystem

    @property
    def ceo(self) -> str:
        return self.cast.ceo.name

    @property
    def cmo(self) -> str:
        return self.cast.cmo.name


_CRO, _CS = NORTHWIND.titled("CRO"), NORTHWIND.titled("VP Customer Success")
_GROWTH = BLOOM.titled("Head of Growth")

_NORTHWIND = CompanyPlan(
    cast=NORTHWIND,
    kpis=(
        PlannedKpi("pipeline_created", G, NORTHWIND.cmo, 0.25,
                   "Pipeline is next quarter's bookings: the outcome the campaigns exist for.",
                   ("Webinar series moved to Q3; expect a dip.",
                    "Reach is up but MQL to SQL fell; SDRs now call back within 24 hours.",
                    "Moving 20% of paid social back to events and partner webinars from next month."),
                   ((3, 4), (2, 4))),
        PlannedKpi("new_bookings", G, _CRO, 0.25,
                   "Bookings are the growth the board funds us for.",
                   ("Two enterprise deals slipped into next month.",
                    "Smaller deals: discounting at quarter end pulled value down.",
                    "Deal desk reviews every discount above 15% before it goes out."),
                   ((4, 4), (3, 3))),
        PlannedKpi("cac", G, NORTHWIND.cmo, -0.02,
                   "Keeps growth affordable: spend per customer won, sales and marketing together.",
                   ("Event season raises CAC for a month.",
                    "Spend rose with the brand push while wins fell.",
                    "Capping paid social until pipeline per marketing dollar recovers."),
                   ((4, 4), (3, 4))),
        PlannedKpi("nrr", G, _CS, -0.002,
                   "Retention and expansion decide lifetime value more than new logos do.",
                   ("Renewal playbook rolled out to all CSMs.",
                    "Two downgrades in the mid-market segment.",
                    "Expansion offers for customers above 80% seat use."),
                   ((4, 5), (4, 5))),
        PlannedKpi("aided_awareness", B, NORTHWIND.cmo, 0.06,
                   "The meaning: buyers must know us before they shortlist us.",
                   ("New positioning launched at the spring conference.",
                    "Survey wave shows the new message landing with IT leaders.",
                    "Brand study with a larger sample next quarter to confirm the lift."),
                   ((3, 4), (3, 4))),
        PlannedKpi("nps", B, _CS, 0.01,
                   "How customers feel about the promise we make; it leads renewals.",
                   ("Onboarding survey added after the first month.",
                    "Detractors cite slow support on the new dashboards.",
                    "Support hours extended; release notes now written for customers."),
                   ((4, 4), (3, 4)), since_v2=True),
    ),
    leadership=LeadershipSystem(
        meaning_owner=NORTHWIND.cmo.with_role, math_owner=_CRO.with_role, priority_mandate=G,
        split_answer="Yes, until this year: Daniel carried brand and demand alone. The math now sits with Tom.",
        priority_answer="Revenue operations. Pipeline has sagged for two quarters; brand keeps its own scorecard.",
        build_answer="Combine: brand stays in-house with Daniel; a fractional growth lead supports Tom for a year.",
        answered_by=NORTHWIND.ceo.name),
)

_BLOOM = CompanyPlan(
    cast=BLOOM,
    kpis=(
        PlannedKpi("new_customers", G, BLOOM.cmo, 0.33,
                   "New subscribers are the engine of a subscription brand.",
                   ("Spring bundle launched with two retail partners.",
                    "Influencer codes converting above plan.",
                    "Referral credit raised to one free box for both friends."),
                   ((4, 4), (4, 5))),
        PlannedKpi("churn_rate", G, _GROWTH, -0.25,
                   "Every point of churn we keep pays for a month of acquisition.",
                   ("Pause option added to the cancel flow.",
                    "Fewer cancellations after the pause option.",
                    "Win-back emails for lapsed subscribers at day 30."),
                   ((4, 4), (4, 4))),
        PlannedKpi("revenue", G, BLOOM.ceo, 0.3,
                   "Revenue tells the board the brand and the math add up.",
                   ("Price rise on the large box accepted by most subscribers.",
                    "Gift subscriptions above last year.",
                    "Holiday gift range in planning; supplier terms agreed."),
                   ((5, 4), (5, 5))),
        PlannedKpi("nps", B, BLOOM.cmo, 0.06,
                   "Promoters bring friends: the brand promise, measured by those who pay for it.",
                   ("Packaging refresh praised in comments.",
                    "Delivery delays in one region dented scores.",
                    "New courier in the north from next month."),
                   ((4, 4), (4, 3))),
        PlannedKpi("decision_confidence", B, BLOOM.cmo, 0.015,
                   "Customers sure of their choice stay longer; confidence is the missing KPI.",
                   ("Tasting notes added to every box.",
                    "Quiz-based box picker live on the website.",
                    "Comparison guide for first-time buyers in the welcome email."),
                   ((4, 4), (4, 4))),
    ),
    leadership=LeadershipSystem(
        meaning_owner=BLOOM.cmo.with_role, math_owner=_GROWTH.with_role, priority_mandate=B,
        split_answer="No: we split it two years ago. Sofia owns the brand, Jonas owns the funnel and retention.",
        priority_answer="Brand reputation: the category is crowding and trust is what keeps subscribers.",
        build_answer="Hire: a senior brand manager under Sofia; growth stays in-house with Jonas.",
        answered_by=BLOOM.ceo.name),
)

PLANS: dict[str, CompanyPlan] = {"Northwind Analytics": _NORTHWIND, "Bloom & Brew": _BLOOM}


def planned_targets(key: str, data: MonthlyData, months: list[Month], yearly_change: float) -> dict[Month, float]:
    """Year one: a smooth line from the first month to the twelfth; after that, last year plus the change."""
    actuals = monthly_values(STANDARD_CATALOG, key, data, months)
    first, twelfth = actuals.get(months[0]), actuals.get(months[min(11, len(months) - 1)])
    targets: dict[Month, float | None] = {}
    if first and twelfth:
        rate = (twelfth / first) ** (1 / 11) - 1
        targets |= fill_monthly_growth(months[:12], first, rate)
    targets |= fill_from_last_year(months[12:], actuals, yearly_change)
    unit = STANDARD_CATALOG[key].unit
    return {m: tidy_target(v, unit) for m, v in targets.items() if v is not None}


def _terms(plan: CompanyPlan, data: MonthlyData, months: list[Month], version: int) -> list[KpiTerms]:
    """Version 1 planned two years ahead; version 2 added the third year (and, for Northwind, NPS)."""
    planned = months if version == 2 or not any(k.since_v2 for k in plan.kpis) else months[:24]
    return [KpiTerms(metric_key=k.key, mandate=k.mandate, owner_name=k.owner.name, owner_role=k.owner.role,
                     rationale=k.rationale, targets=planned_targets(k.key, data, planned, k.yearly_change))
            for k in plan.kpis if version == 2 or not k.since_v2]


def _moment(month: Month, day: int, hour: int) -> dt.datetime:
    """A plausible time in ``month``, never in the future."""
    return min(dt.datetime(month.year, month.month, day, hour, tzinfo=dt.UTC), clock.now())


def _agree(engine: Engine, workspace_id: int, plan: CompanyPlan, kpis: list[KpiTerms], when: Month,
           based_on: tuple[int, int] | None) -> tuple[int, int]:
    """Draft by the CMO, signed by the CMO and then the CEO a few days later."""
    with session_scope(engine) as session:
        draft = save_draft(session, workspace_id, kpis, based_on=based_on, by=plan.cmo, now=_moment(when, 3, 9))
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CMO, plan.cmo, now=_moment(when, 3, 10))
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CEO, plan.ceo, now=_moment(when, 6, 16))
    return draft.number, draft.edit


def _commentary_and_votes(engine: Engine, workspace_id: int, plan: CompanyPlan, latest: Month) -> None:
    with session_scope(engine) as session:
        for kpi in plan.kpis:
            for back, text in zip((2, 1, 0), kpi.comments, strict=True):
                owner = kpi.owner.name
                save_commentary(session, workspace_id, kpi.key, add_months(latest, -back), text, author=owner,
                                expected_version=None, now=_moment(add_months(latest, 1 - back), 5, 11))
            for back, (ceo, cmo) in zip((1, 0), kpi.votes, strict=True):
                month = add_months(latest, -back)
                cast_vote(session, workspace_id, kpi.key, month, Role.CEO, ceo, voter=plan.ceo)
                cast_vote(session, workspace_id, kpi.key, month, Role.CMO, cmo, voter=plan.cmo)


def seed_scorecard(engine: Engine, workspace_id: int, profile: CompanyProfile) -> None:
    """Give a new demo workspace its leadership system, a signed agreement (two versions for Northwind),
    targets for every month, recent commentary and confidence votes."""
    plan = PLANS.get(profile.name)
    if plan is None:
        return
    with session_scope(engine) as session:
        months = queries.months_with_data(session, workspace_id)
        data = queries.monthly_data(session, workspace_id)
    if len(months) < 13:
        return
    based_on = _agree(engine, workspace_id, plan, _terms(plan, data, months, 1), months[0], None)
    if any(k.since_v2 for k in plan.kpis):
        _agree(engine, workspace_id, plan, _terms(plan, data, months, 2), months[-12], based_on)
    _commentary_and_votes(engine, workspace_id, plan, months[-1])
    answered = min(clock.today(), months[-1] + dt.timedelta(days=12))
    with session_scope(engine) as session:
        save_leadership_system(session, workspace_id, plan.leadership.model_copy(update={"answered_on": answered}))
