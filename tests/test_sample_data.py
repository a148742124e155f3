"""The demo companies: a seeded generator whose figures add up and tell their stories, and first-run seeding."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

import clock
from db.engine import session_scope
from db.ingest import ingest
from db.models import ImportBatch, Observation
from db.queries import monthly_data
from db.workspaces import WorkspaceIn, create_workspace, list_workspaces
from metrics.catalog import STANDARD_CATALOG, Aggregation, Direction, MetricClass
from metrics.periods import add_months, months_between
from metrics.rollup import monthly_rollup
from metrics.series import MonthlyData, MonthPoint
from metrics.trends import trailing_growth
from metrics.validation import ImportRejected, validate_long
from sample_data import seed
from sample_data.generator import CAMPAIGN_METRICS, DEMO_COMPANIES, generate, last_complete_month

NORTHWIND, BLOOM = DEMO_COMPANIES
END = dt.date(2025, 6, 1)
OUTPUTS = [m.key for m in STANDARD_CATALOG.of_class(MetricClass.OUTPUT)]
OUTCOMES = [m.key for m in STANDARD_CATALOG.of_class(MetricClass.OUTCOME)]


def good_way(key: str, value: float) -> float:
    """Growth turned so that positive is good (a falling churn counts as positive)."""
    return -value if STANDARD_CATALOG[key].direction == Direction.DOWN else value


def growth(data: MonthlyData, key: str, month: dt.date) -> float:
    value = trailing_growth(STANDARD_CATALOG, key, data, month, 3)
    assert value is not None, f"{key} has no trailing growth at {month}"
    return value


def vanity_traps(data: MonthlyData, month: dt.date) -> list[tuple[str, str]]:
    """Output up at least 10% over the quarter while an outcome is flat or worse (direction-aware)."""
    rising = [o for o in OUTPUTS if growth(data, o, month) >= 0.10]
    failing = [c for c in OUTCOMES if good_way(c, growth(data, c, month)) <= 0]
    return [(o, c) for o in rising for c in failing]


def rolled_up(frame: pd.DataFrame) -> MonthlyData:
    """The generator's rows as monthly data without a database (same rules as db.queries.monthly_data)."""
    rollup = monthly_rollup(frame, STANDARD_CATALOG)
    rollup["vw"] = rollup["value"] * rollup["weight"]
    sums = rollup.groupby(["metric_key", "month"])[["value", "vw", "weight"]].sum()
    data: dict[str, dict[dt.date, MonthPoint]] = {}
    for (key, month), row in sums.iterrows():
        weighted = STANDARD_CATALOG[key].aggregation == Aggregation.WEIGHTED_AVERAGE
        point = MonthPoint(row.vw / row.weight, row.weight) if weighted else MonthPoint(row.value)
        data.setdefault(key, {})[month] = point
    return data


def series(data: MonthlyData, key: str) -> list[float]:
    return [point.value for _, point in sorted(data[key].items())]


# --- the generator -----------------------------------------------------------------------------

@pytest.mark.parametrize("profile", DEMO_COMPANIES, ids=lambda p: p.name)
def test_same_seed_gives_the_same_table_and_another_seed_does_not(profile) -> None:
    first = generate(profile, END, seed=7)
    pd.testing.assert_frame_equal(first, generate(profile, END, seed=7))
    assert not first["value"].equals(generate(profile, END, seed=8)["value"])


@pytest.mark.parametrize("profile", DEMO_COMPANIES, ids=lambda p: p.name)
def test_rows_pass_validation_and_cover_every_base_metric_for_36_months(profile) -> None:
    frame = generate(profile, END)
    assert list(frame.columns) == ["date", "metric", "value", "segment", "weight"]
    assert validate_long(frame, STANDARD_CATALOG, "sample", today=dt.date(2025, 7, 1)) == []
    assert set(frame["metric"]) == set(STANDARD_CATALOG.base_keys())
    months = frame["date"].dt.to_period("M").drop_duplicates().sort_values()
    assert [p.to_timestamp().date() for p in months] == months_between(dt.date(2022, 7, 1), END)


@pytest.mark.parametrize("profile", DEMO_COMPANIES, ids=lambda p: p.name)
def test_campaign_metrics_are_daily_per_channel_and_the_rest_monthly_unsegmented(profile) -> None:
    frame = generate(profile, END)
    campaign = frame[frame["metric"].isin(CAMPAIGN_METRICS)]
    assert campaign["segment"].nunique() >= 5
    assert campaign["date"].dt.day.nunique() == 31
    days_with_rows = campaign.groupby("metric")["date"].nunique()
    assert days_with_rows.drop("content_published").min() == len(pd.date_range("2022-07-01", "2025-06-30"))
    monthly = frame[~frame["metric"].isin(CAMPAIGN_METRICS)]
    assert set(monthly["date"].dt.day) == {1}
    assert set(monthly["segment"]) == {""}
    assert len(monthly) == 36 * (len(STANDARD_CATALOG.base_keys()) - len(CAMPAIGN_METRICS))


@pytest.mark.parametrize("profile", DEMO_COMPANIES, ids=lambda p: p.name)
def test_survey_scores_carry_their_response_counts_as_weight(profile) -> None:
    frame = generate(profile, END).set_index(["metric", "date"])
    for score, responses in (("nps", "nps_responses"), ("decision_confidence", "confidence_responses"),
                             ("aided_awareness", "awareness_sample")):
        weights = frame.loc[score, "weight"]
        assert (weights == frame.loc[responses, "value"].loc[weights.index]).all()
        assert (weights > 10).all()
    unweighted = frame.drop(index=["nps", "decision_confidence", "aided_awareness"], level="metric")
    assert (unweighted["weight"] == 1.0).all()


def test_default_end_month_is_the_last_complete_month() -> None:
    assert last_complete_month(dt.date(2025, 3, 15)) == dt.date(2025, 2, 1)
    assert last_complete_month(dt.date(2025, 1, 1)) == dt.date(2024, 12, 1)
    latest = generate(BLOOM)["date"].max().date()
    assert latest == add_months(last_complete_month(), 1) - dt.timedelta(days=1)


def test_a_month_that_is_not_over_yet_is_refused() -> None:
    with pytest.raises(ValueError, match="must end with a complete month"):
        generate(BLOOM, clock.today().replace(day=1))


@pytest.mark.parametrize("profile", DEMO_COMPANIES, ids=lambda p: p.name)
def test_figures_add_up(profile) -> None:
    data = rolled_up(generate(profile, END))
    customers, new, lost = (series(data, k) for k in ("customers", "new_customers", "customers_lost"))
    for i in range(1, 36):
        assert customers[i] == customers[i - 1] + new[i] - lost[i]
    assert series(data, "deals_won") == new
    # Opportunities close the month after they open: won or lost.
    won, lost_deals, opportunities = (series(data, k) for k in ("deals_won", "deals_lost", "opportunities"))
    assert [w + x for w, x in zip(won[1:], lost_deals[1:], strict=True)] == opportunities[:-1]
    # Recurring revenue rolls forward: next start = start + new + expansion - contraction - churned.
    mrr, bookings, expansion, contraction, churned = (
        series(data, k) for k in ("mrr_start", "new_bookings", "expansion_revenue", "contraction_revenue",
                                  "churned_revenue"))
    for i in range(35):
        flows = mrr[i] + bookings[i] / 12 + expansion[i] - contraction[i] - churned[i]
        assert mrr[i + 1] == pytest.approx(flows, abs=0.02)


@pytest.mark.parametrize("profile, revenue_range", [(NORTHWIND, (1e6, 3e6)), (BLOOM, (0.5e6, 1.5e6))],
                         ids=["Northwind", "Bloom"])
def test_magnitudes_and_ranges_are_realistic(profile, revenue_range) -> None:
    data = rolled_up(generate(profile, END))
    low, high = revenue_range
    assert all(low <= r <= high for r in series(data, "revenue"))
    recurring_next = series(data, "mrr_start")[1:]
    assert all(0.9 < r / m < 1.1 for r, m in zip(series(data, "revenue"), recurring_next, strict=False))
    assert all(0.70 <= g / r <= 0.80 for g, r in zip(series(data, "gross_profit"), series(data, "revenue"),
                                                     strict=True))
    assert all(-100 <= v <= 100 for v in series(data, "nps"))
    assert all(0 <= v <= 100 for v in series(data, "decision_confidence"))
    assert all(0 < v < 1 for k in ("aided_awareness", "share_of_voice") for v in series(data, k))


@pytest.mark.parametrize("end_month", [dt.date(2025, m, 1) for m in range(1, 13)], ids=lambda d: d.strftime("%b"))
def test_stories_hold_whatever_month_the_data_ends(end_month: dt.date) -> None:
    """The seed is fixed but the end month follows the calendar: the stories must not depend on it."""
    check_northwind_story(rolled_up(generate(NORTHWIND, end_month)), end_month)
    check_bloom_is_aligned(rolled_up(generate(BLOOM, end_month)), end_month)


def check_northwind_story(data: MonthlyData, latest: dt.date) -> None:
    for key in ("impressions", "clicks", "engagements"):
        assert growth(data, key, latest) >= 0.15, key
        assert growth(data, key, add_months(latest, -3)) >= 0.15, key
    for key in ("pipeline_created", "new_bookings"):
        assert growth(data, key, latest) <= -0.05, key
    assert growth(data, "pipeline_created", add_months(latest, -3)) < 0
    assert growth(data, "mqls", latest) >= 0
    for key in ("sqls", "opportunities", "win_rate"):
        assert growth(data, key, latest) < 0, key
    traps = vanity_traps(data, latest)
    for pair in (("impressions", "pipeline_created"), ("clicks", "new_bookings"),
                 ("engagements", "pipeline_created"), ("engagements", "win_rate")):
        assert pair in traps
    # Before the brand push, growth was ordinary and aligned: every earlier quarter is free of traps.
    for months_back in range(6, 31):
        assert vanity_traps(data, add_months(latest, -months_back)) == [], months_back


def check_bloom_is_aligned(data: MonthlyData, latest: dt.date) -> None:
    for month in [add_months(latest, -i) for i in range(6)]:
        assert vanity_traps(data, month) == [], month
        for key in OUTPUTS + OUTCOMES:
            if STANDARD_CATALOG[key].direction != Direction.NEUTRAL:
                assert good_way(key, growth(data, key, month)) >= -0.02, (key, month)
        for key in ("revenue", "new_bookings", "pipeline_created", "mqls", "impressions"):
            assert growth(data, key, month) >= 0.03, (key, month)
        for key in ("cac", "churn_rate"):
            assert growth(data, key, month) <= 0.0, (key, month)


# --- through the database ------------------------------------------------------------------------

def load(engine: Engine, profile) -> MonthlyData:
    """Ingest a company's sample rows the way any file arrives, and read them back as the pages do."""
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name=profile.name, currency=profile.currency)).id
    ingest(engine, workspace_id, generate(profile), source_name="Sample data generator")
    with session_scope(engine) as session:
        return monthly_data(session, workspace_id)


def test_stories_measured_through_ingest_and_monthly_queries(engine: Engine) -> None:
    latest = last_complete_month()
    northwind, bloom = load(engine, NORTHWIND), load(engine, BLOOM)
    assert max(northwind["revenue"]) == max(bloom["revenue"]) == latest
    check_northwind_story(northwind, latest)
    check_bloom_is_aligned(bloom, latest)
    for data in (northwind, bloom):
        customers, new, lost = (series(data, k) for k in ("customers", "new_customers", "customers_lost"))
        assert all(customers[i] == customers[i - 1] + new[i] - lost[i] for i in range(1, 36))
        assert series(data, "deals_won") == new


def count(engine: Engine, model) -> int:  # noqa: ANN001 - any table
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_seeding_creates_both_companies_once_and_runs_the_seeders(engine: Engine, monkeypatch) -> None:
    calls: list[tuple[int, str]] = []
    monkeypatch.setattr(seed, "SEEDERS", [lambda _engine, workspace_id, profile: calls.append((workspace_id,
                                                                                                profile.name))])
    started = time.perf_counter()
    assert seed.ensure_sample_data(engine) == ["Northwind Analytics", "Bloom & Brew"]
    assert time.perf_counter() - started < 5
    observations = count(engine, Observation)
    with session_scope(engine) as session:
        workspaces = {w.name: w for w in list_workspaces(session)}
    assert workspaces["Bloom & Brew"].currency == "EUR"
    assert workspaces["Northwind Analytics"].color == NORTHWIND.color
    assert sorted(calls) == sorted((w.id, name) for name, w in workspaces.items())

    assert seed.ensure_sample_data(engine) == []
    assert count(engine, Observation) == observations
    assert count(engine, ImportBatch) == 2
    assert len(calls) == 2


def test_seeding_adds_only_the_missing_company(engine: Engine) -> None:
    with session_scope(engine) as session:
        create_workspace(session, WorkspaceIn(name="Bloom & Brew", currency="EUR"))
    assert seed.ensure_sample_data(engine) == ["Northwind Analytics"]
    assert count(engine, ImportBatch) == 2  # Northwind's figures and its marketing attribution report


def test_failed_seeding_leaves_no_empty_company_behind(engine: Engine, monkeypatch) -> None:
    bad = pd.DataFrame({"date": ["2024-01-01"], "metric": ["no_such_metric"], "value": [1.0]})
    monkeypatch.setattr(seed, "generate", lambda profile, end_month=None: bad)
    with pytest.raises(ImportRejected):
        seed.ensure_sample_data(engine)
    with session_scope(engine) as session:
        assert list_workspaces(session) == []
