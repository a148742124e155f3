"""The agreement and scorecard in the database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from db.engine import session_scope, write_scope
from db.ingest import ingest
from db.overlaps import OverlapChoice
from db.scorecard import (
    EditConflict,
    agreement_versions,
    cast_vote,
    current_agreement,
    discard_draft,
    leadership_system,
    open_draft,
    save_commentary,
    save_draft,
    save_leadership_system,
    scorecard_for_month,
    sign_agreement,
)
from db.workspaces import WorkspaceIn, create_workspace
from metrics.agreement import AgreementError, LeadershipSystem, Role, diff
from metrics.catalog import STANDARD_CATALOG, Mandate
from metrics.scorecard import KpiTerms
from metrics.status import Rag
from sample_data.generator import DEMO_COMPANIES, generate
from sample_data.scorecard import seed_scorecard

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)
TODAY = dt.date(2026, 1, 1)


def kpi(key: str, mandate: Mandate = Mandate.GROWTH, **extra: object) -> KpiTerms:
    return KpiTerms(metric_key=key, mandate=mandate, owner_name="Dana Ortiz", owner_role="CMO", **extra)


TARGETS = {JAN: 100.0, FEB: 100.0, MAR: 100.0}
FOUR = [kpi("revenue", targets=TARGETS), kpi("new_bookings", targets={MAR: 50.0}),
        kpi("churn_rate", targets={MAR: 0.02}), kpi("nps", Mandate.BRAND, targets={MAR: 40.0})]


def load(engine: Engine, workspace_id: int, records: list[tuple], source: str = "Finance ledger") -> None:
    padded = [(*r, 1) if len(r) == 3 else r for r in records]  # weight 1 unless a survey gives its sample
    frame = pd.DataFrame(padded, columns=["date", "metric", "value", "weight"])
    # a second source's figures are parts of the total here; the reconciliation tests set a record themselves
    ingest(engine, workspace_id, frame.astype(str), source_name=source, today=TODAY, overlap=OverlapChoice.SEGMENT)


def agree(engine: Engine, workspace_id: int, kpis: list[KpiTerms], based_on: tuple[int, int] | None) -> int:
    """Save a draft and have both leaders sign it; returns its number."""
    with session_scope(engine) as session:
        draft = save_draft(session, workspace_id, kpis, based_on=based_on, by="Dana")
    with session_scope(engine) as session:
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CEO, "Maya Chen")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CMO, "Dana Ortiz")
    return draft.number


def test_draft_one_signature_agreed(engine: Engine, workspace_id: int) -> None:
    with session_scope(engine) as session:
        draft = save_draft(session, workspace_id, FOUR, based_on=None, by="Dana")
        assert (draft.title, draft.edit) == ("Draft v1", 1)
        assert current_agreement(session, workspace_id) is None
    with session_scope(engine) as session:
        half = sign_agreement(session, workspace_id, 1, 1, Role.CEO, "Maya Chen")
        assert (half.title, half.awaiting) == ("Draft v1", [Role.CMO])
        assert scorecard_for_month(session, workspace_id, MAR).pending_draft == "Draft v1"
    with session_scope(engine) as session:
        done = sign_agreement(session, workspace_id, 1, 1, Role.CMO, "Dana Ortiz")
    with session_scope(engine) as session:
        agreed = current_agreement(session, workspace_id)
        assert (done.title, agreed.title, [s.name for s in agreed.signatures]) == (
            "Agreement v1", "Agreement v1", ["Maya Chen", "Dana Ortiz"])
        assert agreed.kpis[0].targets == TARGETS
        assert open_draft(session, workspace_id) is None


def test_an_edit_after_agreement_makes_a_new_draft_and_the_old_one_keeps_driving(
        engine: Engine, workspace_id: int) -> None:
    load(engine, workspace_id, [("2025-03-01", "revenue", 95)])
    agree(engine, workspace_id, FOUR, None)
    changed = [kpi("revenue", targets={**TARGETS, MAR: 90.0}), *FOUR[1:]]
    with session_scope(engine) as session:
        draft = save_draft(session, workspace_id, changed, based_on=(1, 1), by="Dana")
        sign_agreement(session, workspace_id, 2, draft.edit, Role.CEO, "Maya Chen")
    with session_scope(engine) as session:
        card = scorecard_for_month(session, workspace_id, MAR)
        assert (card.agreement, card.pending_draft) == ("Agreement v1", "Draft v2")
        assert (card.kpi("revenue").target, card.kpi("revenue").rag) == (100.0, Rag.AMBER)
        sign_agreement(session, workspace_id, 2, draft.edit, Role.CMO, "Dana Ortiz")
    with session_scope(engine) as session:
        card = scorecard_for_month(session, workspace_id, MAR)
        assert (card.agreement, card.pending_draft, card.kpi("revenue").rag) == ("Agreement v2", "", Rag.GREEN)
        assert scorecard_for_month(session, workspace_id, MAR, version=1).kpi("revenue").target == 100.0
        history = agreement_versions(session, workspace_id)
    assert [v.title for v in history] == ["Agreement v1", "Agreement v2"]
    assert diff(history[0].kpis, history[1].kpis, STANDARD_CATALOG) == [
        "Revenue: targets changed for 1 month: Mar 2025 $100 → $90."]


def test_editing_a_draft_withdraws_signatures_and_discarding_keeps_the_agreement(
        engine: Engine, workspace_id: int) -> None:
    agree(engine, workspace_id, FOUR, None)
    with session_scope(engine) as session:
        save_draft(session, workspace_id, FOUR[:3] + [kpi("aided_awareness", Mandate.BRAND)], based_on=(1, 1))
        sign_agreement(session, workspace_id, 2, 1, Role.CMO, "Dana Ortiz")
        edited = save_draft(session, workspace_id, FOUR[:3] + [kpi("nps", Mandate.BRAND)], based_on=(2, 1))
        assert (edited.number, edited.edit, edited.signatures) == (2, 2, [])
        with pytest.raises(EditConflict, match="changed after you opened it"):
            sign_agreement(session, workspace_id, 2, 1, Role.CEO, "Maya Chen")
        discard_draft(session, workspace_id, 2, 2)
    with session_scope(engine) as session:
        assert [v.title for v in agreement_versions(session, workspace_id)] == ["Agreement v1"]


def test_a_set_that_breaks_the_rules_is_not_saved(engine: Engine, workspace_id: int) -> None:
    eight = [kpi(k) for k in ("revenue", "new_bookings", "cac", "nps", "nrr", "grr", "churn_rate", "win_rate")]
    with session_scope(engine) as session, pytest.raises(AgreementError, match="Seven KPIs is the hard limit"):
        save_draft(session, workspace_id, eight, based_on=None)
    with session_scope(engine) as session:
        assert agreement_versions(session, workspace_id) == []


def test_a_stale_save_is_refused_and_nothing_is_overwritten(engine: Engine, workspace_id: int) -> None:
    with session_scope(engine) as session:
        save_draft(session, workspace_id, FOUR, based_on=None)
    with session_scope(engine) as session:
        save_draft(session, workspace_id, [kpi("cac"), *FOUR[1:]], based_on=(1, 1), by="first saver")
    with session_scope(engine) as session, pytest.raises(EditConflict, match="Someone else saved Draft v1"):
        save_draft(session, workspace_id, [kpi("grr"), *FOUR[1:]], based_on=(1, 1), by="second saver")
    with session_scope(engine) as session:
        assert open_draft(session, workspace_id).kpis[0].metric_key == "cac"


def test_two_sessions_saving_at_once_one_loses_cleanly(engine: Engine, workspace_id: int) -> None:
    """Both read edit 1; the first commits; the second's UPDATE finds the row changed and writes nothing."""
    with session_scope(engine) as session:
        save_draft(session, workspace_id, FOUR, based_on=None)
    with session_scope(engine) as first_page, session_scope(engine) as second_page:  # both pages show edit 1
        assert open_draft(first_page, workspace_id).edit == open_draft(second_page, workspace_id).edit == 1
    with write_scope(engine, workspace_id) as first:
        save_draft(first, workspace_id, [kpi("cac"), *FOUR[1:]], based_on=(1, 1))
    with pytest.raises(EditConflict, match="saved Draft v1"), write_scope(engine, workspace_id) as second:
        save_draft(second, workspace_id, [kpi("grr"), *FOUR[1:]], based_on=(1, 1))
    with session_scope(engine) as session:
        assert open_draft(session, workspace_id).edit == 2  # the first saver's version stands
    with session_scope(engine) as session:
        draft = open_draft(session, workspace_id)
        assert (draft.edit, draft.kpis[0].metric_key, len(draft.kpis)) == (2, "cac", 4)


def test_commentary_and_votes_are_kept_per_month(engine: Engine, workspace_id: int) -> None:
    load(engine, workspace_id, [("2025-02-01", "revenue", 80), ("2025-03-01", "revenue", 120)])
    agree(engine, workspace_id, FOUR, None)
    with session_scope(engine) as session:
        save_commentary(session, workspace_id, "revenue", FEB, "Chasing late renewals", author="Dana",
                        expected_version=None)
        version = save_commentary(session, workspace_id, "revenue", MAR, "Renewals in", expected_version=None)
        save_commentary(session, workspace_id, "revenue", MAR, "Renewals in; upsell next", expected_version=version)
        cast_vote(session, workspace_id, "revenue", FEB, Role.CEO, 2)
        cast_vote(session, workspace_id, "revenue", FEB, Role.CMO, 4)
        cast_vote(session, workspace_id, "revenue", MAR, Role.CEO, 4)
        cast_vote(session, workspace_id, "revenue", MAR, Role.CMO, 5)
        with pytest.raises(AgreementError, match="from 1"):
            cast_vote(session, workspace_id, "revenue", MAR, Role.CMO, 6)
    with session_scope(engine) as session:
        feb, mar = (scorecard_for_month(session, workspace_id, m).kpi("revenue") for m in (FEB, MAR))
    assert (feb.commentary, feb.ceo_confidence, feb.cmo_confidence, feb.disagree) == (
        "Chasing late renewals", 2, 4, True)
    assert (mar.commentary, mar.ceo_confidence, mar.cmo_confidence, mar.disagree) == (
        "Renewals in; upsell next", 4, 5, False)
    assert (feb.actual, feb.rag, mar.actual, mar.rag) == (80.0, Rag.RED, 120.0, Rag.GREEN)
    assert mar.streak == 1 and feb.streak == 1


def test_a_second_commentary_writer_does_not_overwrite_the_first(engine: Engine, workspace_id: int) -> None:
    with session_scope(engine) as session:
        save_commentary(session, workspace_id, "nps", MAR, "Survey fixed", author="CMO", expected_version=None)
    with session_scope(engine) as session, pytest.raises(EditConflict, match="Someone else saved this commentary"):
        save_commentary(session, workspace_id, "nps", MAR, "Mine", author="CEO", expected_version=None)
    with session_scope(engine) as session:
        agree(engine, workspace_id, FOUR, None)
        assert scorecard_for_month(session, workspace_id, MAR).kpi("nps").commentary == "Survey fixed"


def test_scorecard_figures_and_reconciliation_between_two_sources(engine: Engine, workspace_id: int) -> None:
    load(engine, workspace_id, [("2025-03-01", "new_bookings", 100), ("2025-03-01", "customers_lost", 2),
                                ("2025-03-01", "customers", 100), ("2025-03-01", "new_customers", 10),
                                ("2025-03-01", "nps", 30, 200)])
    load(engine, workspace_id, [("2025-03-01", "new_bookings", 108), ("2025-03-01", "nps", 42, 100)],
         source="Marketing CRM")
    terms = [kpi("revenue", targets=TARGETS), kpi("new_bookings", targets={MAR: 200.0},
                                                  source_of_record="Finance ledger"),
             kpi("churn_rate", targets={MAR: 0.02}), kpi("nps", Mandate.BRAND, targets={MAR: 40.0})]
    agree(engine, workspace_id, terms, None)
    with session_scope(engine) as session:
        card = scorecard_for_month(session, workspace_id, MAR)
    bookings, churn, nps = card.kpi("new_bookings"), card.kpi("churn_rate"), card.kpi("nps")
    assert (bookings.actual, bookings.variance, bookings.variance_pct, bookings.rag) == (208.0, 8.0, 0.04, Rag.GREEN)
    check = bookings.reconciliation
    assert (check.source, check.value, check.other_source, check.other_value) == (
        "Finance ledger", 100.0, "Marketing CRM", 108.0)
    assert (check.variance_pct, check.flagged) == (pytest.approx(0.08), True)
    assert churn.actual == pytest.approx(2 / 92) and churn.rag == Rag.AMBER  # 2.17% within 0.02 / 0.9
    assert nps.reconciliation.variance_pct == pytest.approx(0.4)  # 42 vs 30, each source's own weighted mean
    assert card.kpi("revenue").rag == Rag.NO_DATA and card.kpi("revenue").reconciliation is None
    assert [k.key for k in card.mandate_kpis(Mandate.BRAND)] == ["nps"]


def test_leadership_system_is_saved_and_guarded(engine: Engine, workspace_id: int) -> None:
    answers = LeadershipSystem(meaning_owner="Dana Ortiz (CMO)", math_owner="Lee Park (VP Growth)",
                               priority_mandate=Mandate.GROWTH, split_answer="Yes, until this year.",
                               priority_answer="Revenue operations.", build_answer="Outsource brand, hire growth.",
                               answered_on=dt.date(2026, 2, 10), answered_by="Maya Chen")
    with session_scope(engine) as session:
        assert leadership_system(session, workspace_id).version is None
        saved = save_leadership_system(session, workspace_id, answers)
    with session_scope(engine) as session, pytest.raises(EditConflict):
        save_leadership_system(session, workspace_id, answers.model_copy(update={"math_owner": "Someone"}))
    with session_scope(engine) as session:
        again = save_leadership_system(session, workspace_id, saved.model_copy(update={"math_owner": "Kim"}))
        assert (again.math_owner, again.priority_mandate, again.answered_on) == (
            "Kim", Mandate.GROWTH, dt.date(2026, 2, 10))
        assert again.version == saved.version + 1


@pytest.mark.parametrize("name", ["Northwind Analytics", "Bloom & Brew"])
def test_demo_companies_get_a_signed_agreement_with_targets_commentary_and_votes(engine: Engine, name: str) -> None:
    profile = next(p for p in DEMO_COMPANIES if p.name == name)
    end = dt.date(2026, 6, 1)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name=name, currency=profile.currency)).id
    ingest(engine, workspace_id, generate(profile, end), source_name="Sample data generator", today=TODAY.replace(2027))
    seed_scorecard(engine, workspace_id, profile)
    with session_scope(engine) as session:
        history = agreement_versions(session, workspace_id)
        card = scorecard_for_month(session, workspace_id, end)
        older = scorecard_for_month(session, workspace_id, dt.date(2026, 3, 1))
        answers = leadership_system(session, workspace_id)
    latest = history[-1]
    assert all(v.agreed for v in history) and 4 <= len(latest.kpis) <= 6
    assert {k.mandate for k in latest.kpis} == {Mandate.BRAND, Mandate.GROWTH}
    assert all(len(k.targets) == 36 and max(k.targets) == end for k in latest.kpis)
    assert all(k.commentary and k.ceo_confidence and k.cmo_confidence for k in card.kpis)
    assert all(k.commentary == "" for k in older.kpis)  # commentary covers the last three months only
    disagreements = [k.key for k in card.kpis if k.disagree]
    statuses = [k.rag for k in card.kpis]
    if name == "Northwind Analytics":
        assert [v.title for v in history] == ["Agreement v1", "Agreement v2"]
        assert len(history[0].kpis) == 5 and len(latest.kpis) == 6
        assert disagreements == ["pipeline_created"] and card.kpi("pipeline_created").rag == Rag.RED
    else:
        assert [v.title for v in history] == ["Agreement v1"] and disagreements == []
        assert statuses.count(Rag.GREEN) >= 3 and Rag.RED not in statuses
    assert answers.priority_mandate is not None and answers.answered_on is not None and answers.version == 1
