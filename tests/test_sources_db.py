"""Sources of record on SQLite and PostgreSQL: two reports of the same number are reconciled, not added up."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from db.engine import session_scope
from db.ingest import ingest
from db.overlaps import OverlapChoice
from db.queries import monthly_data, months_with_data, segment_totals, sources_for_month
from db.scorecard import save_draft, scorecard_for_month, sign_agreement
from db.source_models import SourceOfRecordRow
from db.sources import (
    SourceOfRecordError,
    clear_source_of_record,
    metric_sources,
    monthly_values_by_source,
    record_reconciliations,
    set_source_of_record,
    sources_of_record,
)
from db.workspaces import WorkspaceIn, create_workspace, workspace_by_name
from metrics.agreement import Role
from metrics.catalog import STANDARD_CATALOG, Mandate
from metrics.one_view import band_figures
from metrics.scorecard import KpiTerms
from sample_data.generator import DEMO_COMPANIES, CompanyProfile, generate
from sample_data.seed import SAMPLE_SOURCE, ensure_sample_data
from sample_data.sources import ATTRIBUTION_SOURCE

TODAY = dt.date(2026, 11, 1)
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
SOURCED = "marketing_sourced_revenue"
FINANCE, MARKETING = "Finance ledger", "Marketing attribution report"


def load(engine: Engine, workspace_id: int, rows: list[tuple], source: str) -> None:
    """Rows of (date, metric, value[, segment[, weight]])."""
    full = [(*row, *("", 1.0)[len(row) - 3:]) for row in rows]
    frame = pd.DataFrame(full, columns=["date", "metric", "value", "segment", "weight"]).astype(str)
    ingest(engine, workspace_id, frame, source_name=source, today=TODAY, overlap=OverlapChoice.SEGMENT)


@pytest.fixture
def two_reports(engine: Engine, workspace_id: int) -> int:
    """Finance books marketing-sourced revenue; marketing's report claims 5% more in Jan and 9% more in Feb.
    Impressions come from two ad platforms, parts of one total; NPS from two surveys with their weights."""
    load(engine, workspace_id, [("2026-01-01", SOURCED, 100_000), ("2026-02-01", SOURCED, 200_000),
                                ("2026-01-01", "nps", 30, "", 200)], FINANCE)
    load(engine, workspace_id, [("2026-01-01", SOURCED, 105_000), ("2026-02-01", SOURCED, 218_000),
                                ("2026-03-01", SOURCED, 50_000), ("2026-01-01", "nps", 42, "", 100)], MARKETING)
    load(engine, workspace_id, [("2026-01-15", "impressions", 1_000, "paid_search")], "Google Ads")
    load(engine, workspace_id, [("2026-01-20", "impressions", 500, "paid_social")], "Meta Ads")
    return workspace_id


def values(engine: Engine, workspace_id: int, key: str) -> dict[dt.date, float]:
    with session_scope(engine) as session:
        return {m: p.value for m, p in monthly_data(session, workspace_id, [key]).get(key, {}).items()}


def choose(engine: Engine, workspace_id: int, key: str, source: str | None) -> None:
    with session_scope(engine) as session:
        if source is None:
            clear_source_of_record(session, workspace_id, key)
        else:
            set_source_of_record(session, workspace_id, key, source, by="Dana")


def test_without_a_source_of_record_two_reports_add_up(engine: Engine, two_reports: int) -> None:
    assert values(engine, two_reports, SOURCED) == {JAN: 205_000.0, FEB: 418_000.0, MAR: 50_000.0}
    assert values(engine, two_reports, "nps") == {JAN: pytest.approx((30 * 200 + 42 * 100) / 300)}


def test_with_a_source_of_record_only_that_source_counts_and_clearing_restores(engine: Engine,
                                                                              two_reports: int) -> None:
    choose(engine, two_reports, SOURCED, FINANCE)
    assert values(engine, two_reports, SOURCED) == {JAN: 100_000.0, FEB: 200_000.0}  # March: marketing only
    assert values(engine, two_reports, "impressions") == {JAN: 1_500.0}  # parts of a total still add up
    choose(engine, two_reports, SOURCED, MARKETING)  # a new choice replaces the old one
    assert values(engine, two_reports, SOURCED) == {JAN: 105_000.0, FEB: 218_000.0, MAR: 50_000.0}
    choose(engine, two_reports, "nps", MARKETING)
    assert values(engine, two_reports, "nps") == {JAN: 42.0}  # that survey's own weighted mean
    choose(engine, two_reports, SOURCED, None)
    assert values(engine, two_reports, SOURCED) == {JAN: 205_000.0, FEB: 418_000.0, MAR: 50_000.0}
    with session_scope(engine) as session:
        assert list(sources_of_record(session, two_reports)) == ["nps"]
        assert session.scalar(select(func.count()).select_from(SourceOfRecordRow)) == 1
        assert clear_source_of_record(session, two_reports, SOURCED) is False


def test_a_source_that_does_not_report_the_metric_is_refused(engine: Engine, two_reports: int) -> None:
    with session_scope(engine) as session, pytest.raises(SourceOfRecordError, match="'Google Ads' has no figures "
                                                                                     "for Marketing-sourced revenue"):
        set_source_of_record(session, two_reports, SOURCED, "Google Ads")
    with session_scope(engine) as session:
        assert sources_of_record(session, two_reports) == {}
    assert values(engine, two_reports, SOURCED)[JAN] == 205_000.0


def test_the_choice_belongs_to_one_workspace(engine: Engine, two_reports: int) -> None:
    with session_scope(engine) as session:
        other = create_workspace(session, WorkspaceIn(name="Other Co")).id
    load(engine, other, [("2026-01-01", SOURCED, 10), ("2026-01-01", SOURCED, 1, "x")], FINANCE)
    load(engine, other, [("2026-01-01", SOURCED, 20)], MARKETING)
    choose(engine, two_reports, SOURCED, FINANCE)
    assert values(engine, other, SOURCED) == {JAN: 31.0}
    choose(engine, other, SOURCED, FINANCE)
    assert values(engine, other, SOURCED) == {JAN: 11.0}  # the record's segments still add up
    with session_scope(engine) as session:
        assert segment_totals(session, other, SOURCED, [JAN]) == {"(all)": 10.0, "x": 1.0}


def test_each_source_keeps_its_own_monthly_values_for_reconciliation(engine: Engine, two_reports: int) -> None:
    choose(engine, two_reports, SOURCED, FINANCE)
    with session_scope(engine) as session:
        by_source = monthly_values_by_source(session, two_reports, [SOURCED, "nps"])
        spring = monthly_values_by_source(session, two_reports, [SOURCED], [FEB, MAR])
        sources = metric_sources(session, two_reports)
    assert by_source[SOURCED] == {FINANCE: {JAN: 100_000.0, FEB: 200_000.0},
                                  MARKETING: {JAN: 105_000.0, FEB: 218_000.0, MAR: 50_000.0}}
    assert by_source["nps"] == {FINANCE: {JAN: 30.0}, MARKETING: {JAN: 42.0}}
    assert spring == {SOURCED: {FINANCE: {FEB: 200_000.0}, MARKETING: {FEB: 218_000.0, MAR: 50_000.0}}}
    assert sources == {SOURCED: [FINANCE, MARKETING], "nps": [FINANCE, MARKETING],
                       "impressions": ["Google Ads", "Meta Ads"]}


def test_sources_for_month_say_which_source_is_the_record(engine: Engine, two_reports: int) -> None:
    choose(engine, two_reports, SOURCED, FINANCE)
    with session_scope(engine) as session:
        found = sources_for_month(session, two_reports, [SOURCED, "impressions"], JAN)
    flags = {(s.source_name, s.metric_key): (s.is_record, s.counted) for s in found}
    assert flags == {(FINANCE, SOURCED): (True, True), (MARKETING, SOURCED): (False, False),
                     ("Google Ads", "impressions"): (False, True), ("Meta Ads", "impressions"): (False, True)}


def test_record_reconciliations_flag_the_months_above_five_percent(engine: Engine, two_reports: int) -> None:
    choose(engine, two_reports, SOURCED, FINANCE)
    with session_scope(engine) as session:
        [checked] = record_reconciliations(session, two_reports, MAR, length=3)
    assert (checked.key, checked.label, checked.source_of_record) == (SOURCED, "Marketing-sourced revenue", FINANCE)
    rows = [(m.month, m.check.value, m.check.other_source, m.check.other_value, m.check.variance_pct,
             m.check.flagged) for m in checked.months]
    assert rows == [(JAN, 100_000.0, MARKETING, 105_000.0, pytest.approx(0.05), False),  # exactly 5%: not above
                    (FEB, 200_000.0, MARKETING, 218_000.0, pytest.approx(0.09), True),
                    (MAR, None, MARKETING, 50_000.0, None, False)]  # finance has not booked March yet
    assert checked.flagged_months == [FEB]


def test_the_scorecard_reconciles_a_kpi_against_the_workspace_source_of_record(engine: Engine,
                                                                                two_reports: int) -> None:
    terms = [KpiTerms(metric_key=key, mandate=mandate, owner_name="Dana", targets={FEB: 190_000.0},
                      source_of_record=MARKETING if key == SOURCED else "")
             for key, mandate in ((SOURCED, Mandate.GROWTH), ("revenue", Mandate.GROWTH), ("nps", Mandate.BRAND))]
    with session_scope(engine) as session:
        draft = save_draft(session, two_reports, terms, based_on=None)
        for role in Role:
            sign_agreement(session, two_reports, draft.number, draft.edit, role, f"{role.value} name")
    with session_scope(engine) as session:
        before = scorecard_for_month(session, two_reports, FEB).kpi(SOURCED)
    choose(engine, two_reports, SOURCED, FINANCE)
    with session_scope(engine) as session:
        after = scorecard_for_month(session, two_reports, FEB).kpi(SOURCED)
    assert before.actual == 418_000.0 and before.reconciliation.source == MARKETING  # the agreement's reference
    assert after.actual == 200_000.0  # finance's figure only: 200K against a 190K target
    check = after.reconciliation
    assert (check.source, check.value, check.other_source, check.other_value) == (FINANCE, 200_000.0, MARKETING,
                                                                                  218_000.0)
    assert (check.variance_pct, check.flagged) == (pytest.approx(0.09), True)


def test_demo_companies_count_finance_once_and_flag_marketing_over_claims(engine: Engine) -> None:
    ensure_sample_data(engine)
    for profile in DEMO_COMPANIES:
        check_demo_company(engine, profile)


def check_demo_company(engine: Engine, profile: CompanyProfile) -> None:
    with session_scope(engine) as session:
        workspace_id = workspace_by_name(session, profile.name).id
    generated = generate(profile)
    booked = generated[generated["metric"] == SOURCED]
    finance = {dt.date.fromisoformat(str(d)[:10]): v for d, v in zip(booked["date"], booked["value"], strict=True)}
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id)
        latest = months_with_data(session, workspace_id)[-1]
        [checked] = record_reconciliations(session, workspace_id, latest)
        records = sources_of_record(session, workspace_id)
        reports = monthly_values_by_source(session, workspace_id, [SOURCED])[SOURCED]
    assert {k: r.source_name for k, r in records.items()} == {SOURCED: SAMPLE_SOURCE}
    assert {m: p.value for m, p in data[SOURCED].items()} == pytest.approx(finance)  # not the sum of both
    assert set(reports) == {SAMPLE_SOURCE, ATTRIBUTION_SOURCE} and len(reports[ATTRIBUTION_SOURCE]) == 36
    over = [reports[ATTRIBUTION_SOURCE][m] / finance[m] - 1 for m in sorted(finance)]
    assert all(0.0199 < share < 0.0901 for share in over)  # marketing claims 2-9% more, every month
    share = next(c for cards in band_figures(STANDARD_CATALOG, data, latest).values() for c in cards
                 if c.key == "marketing_sourced_share")
    assert share.value == pytest.approx(finance[latest] / data["new_bookings"][latest].value)
    assert checked.source_of_record == SAMPLE_SOURCE and len(checked.months) == 12
    assert {m.check.other_source for m in checked.months} == {ATTRIBUTION_SOURCE}
    assert 2 <= len(checked.flagged_months) <= 6 and latest in checked.flagged_months
    assert all(m.check.flagged == (m.check.variance_pct > 0.05) for m in checked.months)
