"""The review as data: carry-over and overdue, the agenda, what changed, share-safe masking."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalog import Unit
from metrics.review import (
    MASK,
    ActionStatus,
    AgendaKind,
    Reconciliation,
    VanityTrapLine,
    actions_for_month,
    build_agenda,
    is_overdue,
    mask_currency_text,
    open_in_month,
    review_as_of,
    share_safe,
    shown,
    snapshot_differences,
)
from metrics.status import Rag
from tests.review_samples import action, snapshot

AUG, SEP, OCT, NOV = (dt.date(2026, m, 1) for m in (8, 9, 10, 11))


# --- carry-over and overdue ------------------------------------------------------------------

OPEN_FROM_AUG = action(1, AUG, due=dt.date(2026, 9, 10))
DONE_IN_SEP = action(2, AUG, due=dt.date(2026, 9, 30), status=ActionStatus.DONE, closed_month=SEP)
AGREED_IN_SEP = action(3, SEP, due=dt.date(2026, 11, 15))
DROPPED_IN_AUG = action(4, AUG, status=ActionStatus.DROPPED, closed_month=AUG)


@pytest.mark.parametrize(("item", "month", "expected"), [
    (OPEN_FROM_AUG, AUG, True), (OPEN_FROM_AUG, SEP, True), (OPEN_FROM_AUG, NOV, True),
    (DONE_IN_SEP, AUG, True),  # still open when August was reviewed
    (DONE_IN_SEP, SEP, False),  # closed in September's review
    (DONE_IN_SEP, OCT, False),
    (AGREED_IN_SEP, AUG, False),  # did not exist yet
    (AGREED_IN_SEP, SEP, True),
    (DROPPED_IN_AUG, AUG, False),
])
def test_an_action_stays_open_month_after_month_until_closed(item, month, expected) -> None:
    assert open_in_month(item, month) is expected


@pytest.mark.parametrize(("as_of", "expected"), [
    (dt.date(2026, 9, 9), False), (dt.date(2026, 9, 10), False),  # the due day itself is not late
    (dt.date(2026, 9, 11), True),
])
def test_overdue_means_open_after_its_due_day(as_of, expected) -> None:
    assert is_overdue(OPEN_FROM_AUG, as_of) is expected
    assert is_overdue(DONE_IN_SEP, dt.date(2027, 1, 1)) is False
    assert is_overdue(action(9, AUG), dt.date(2030, 1, 1)) is False  # no due date, never late


@pytest.mark.parametrize(("month", "today", "expected"), [
    (AUG, dt.date(2026, 11, 24), dt.date(2026, 9, 30)),  # August was reviewed in September
    (OCT, dt.date(2026, 11, 24), dt.date(2026, 11, 24)),
    (OCT, dt.date(2026, 10, 15), dt.date(2026, 10, 15)),
])
def test_overdue_is_judged_at_the_review_meeting_at_the_latest(month, today, expected) -> None:
    assert review_as_of(month, today) == expected


def test_each_month_shows_its_open_actions_carried_over_and_flagged() -> None:
    actions = [OPEN_FROM_AUG, DONE_IN_SEP, AGREED_IN_SEP, DROPPED_IN_AUG]
    august = {v.action.id: v for v in actions_for_month(actions, AUG, dt.date(2026, 9, 6))}
    assert set(august) == {1, 2, 4}  # 4 shows as dropped in August itself
    assert not august[1].carried_over and not august[1].overdue and not august[4].open_in_month

    september = actions_for_month(actions, SEP, dt.date(2026, 10, 6))
    assert [v.action.id for v in september] == [1, 3, 2]  # overdue first, then by due date, closed last
    first, new, done = september
    assert (first.carried_over, first.overdue) == (True, True)
    assert (new.carried_over, new.overdue) == (False, False)
    assert (done.open_in_month, done.carried_over) == (False, False)

    october = {v.action.id: v for v in actions_for_month(actions, OCT, dt.date(2026, 11, 6))}
    assert set(october) == {1, 3}
    assert october[3].carried_over and not october[3].overdue and october[1].overdue


# --- the agenda ------------------------------------------------------------------------------


def test_agenda_runs_scorecard_exceptions_actions_decisions() -> None:
    review = snapshot(kpi_count=7)
    review.kpis[0].reconciliation = Reconciliation(source="Finance", value=100.0, other_source="CRM",
                                                   other_value=108.0, variance_pct=0.08, flagged=True)
    agenda = build_agenda(review)
    assert [i.kind for i in agenda] == [AgendaKind.SCORECARD, *[AgendaKind.EXCEPTION] * 5, AgendaKind.ACTIONS,
                                        AgendaKind.DECISIONS]
    assert [i.key for i in agenda[1:6]] == ["red:pipeline_created", "red:share_of_voice", "confidence:new_bookings",
                                            "vanity:Impressions:Pipeline created", "reconciliation:pipeline_created"]
    assert agenda[0].detail == "Agreement v2: 3 on track, 2 at risk, 2 off track."
    assert agenda[-2].detail == "3 open, 3 carried over, 1 overdue."
    assert agenda[-1].detail == "1 recorded this month."
    assert "+8.0%" in agenda[5].detail


def test_agenda_lists_the_three_widest_vanity_traps_and_counts_the_rest() -> None:
    trap = VanityTrapLine(output_label="Clicks", output_growth=0.3, outcome_label="Bookings", outcome_growth=-0.1,
                          reading="Clicks up, bookings down.")
    review = snapshot().model_copy(update={"vanity_traps": [trap.model_copy(update={"output_label": f"Out {i}"})
                                                             for i in range(5)]})
    vanity = [i for i in build_agenda(review) if i.key.startswith("vanity:")]
    assert [i.key for i in vanity] == ["vanity:Out 0:Bookings", "vanity:Out 1:Bookings", "vanity:Out 2:Bookings"]
    assert vanity[-1].detail.endswith("(2 more vanity traps on the Output vs outcome page.)")


def test_agenda_without_an_agreement_still_has_its_frame() -> None:
    empty = snapshot().model_copy(update={"kpis": [], "vanity_traps": [], "actions": [], "agreement": ""})
    assert [i.title for i in build_agenda(empty)] == ["The agreed scorecard", "Open actions", "Decisions"]
    assert build_agenda(empty)[0].detail == "No agreement signed yet: no agreed KPIs yet."


# --- what changed since the review -----------------------------------------------------------


def test_identical_snapshots_have_no_differences() -> None:
    assert snapshot_differences(snapshot(), snapshot()) == []


def test_a_restated_actual_and_new_commentary_are_reported() -> None:
    frozen, live = snapshot(), snapshot()
    live.kpis[0] = live.kpis[0].model_copy(update={"actual": 120_000.0, "rag": Rag.GREEN, "commentary": "Fixed."})
    live.cards[0] = live.cards[0].model_copy(update={"value": 1_300_000.0})
    changes = {(d.item, d.field): (d.frozen, d.live) for d in snapshot_differences(frozen, live)}
    assert changes == {
        ("Pipeline created", "actual"): ("$80K", "$120K"),
        ("Pipeline created", "status"): ("Off track", "On track"),
        ("Pipeline created", "commentary"): ("Work on pipeline created: moved $40K to webinars.", "Fixed."),
        ("Revenue", "One View value"): ("$1.2M", "$1.3M"),
    }


def test_a_kpi_dropped_from_the_scorecard_is_a_difference() -> None:
    live = snapshot(kpi_count=4)
    changes = [d for d in snapshot_differences(snapshot(kpi_count=5), live) if d.item == "Net Promoter Score"]
    assert [(d.field, d.live) for d in changes if d.field == "KPI"] == [("KPI", "not on the scorecard")]


# --- share-safe ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Moved $40K to webinars", f"Moved {MASK} to webinars"),
    ("revenue €1.47M (+3.2%)", f"revenue {MASK} (+3.2%)"),
    ("EUR 300K budget", f"{MASK} budget"),
    ("a 40,000 GBP saving", f"a {MASK} saving"),
    ("cut CHF 1,200.50 of spend", f"cut {MASK} of spend"),
    ("Impressions +22% while pipeline fell 9%", "Impressions +22% while pipeline fell 9%"),
    ("NPS 41.0, 3 new hires", "NPS 41.0, 3 new hires"),
])
def test_money_in_free_text_is_masked(text, expected) -> None:
    assert mask_currency_text(text) == expected


def test_share_safe_keeps_changes_percent_of_target_and_rag_but_not_amounts() -> None:
    safe = share_safe(snapshot())
    pipeline, win_rate = safe.kpi("pipeline_created"), safe.kpi("win_rate")
    assert (pipeline.actual, pipeline.target, pipeline.variance) == (None, None, None)
    assert pipeline.pct_of_target == pytest.approx(0.8) and pipeline.variance_pct == pytest.approx(-0.2)
    assert pipeline.rag == Rag.RED and pipeline.commentary == f"Work on pipeline created: moved {MASK} to webinars."
    assert shown(safe, pipeline.actual, Unit.CURRENCY) == MASK
    assert (win_rate.actual, win_rate.target) == (0.25, 0.24)  # percentages are not money
    assert safe.cards[0].value is None and safe.cards[0].change_month == "+3.1%"
    assert safe.cards[1].value == 41.0
    assert safe.summary[0] == f"In Sep 2026, revenue {MASK} (+3.1% vs Aug 2026)."


def test_share_safe_trend_becomes_percent_of_target() -> None:
    pipeline = share_safe(snapshot()).kpi("pipeline_created")
    assert pipeline.trend_as_pct_of_target
    assert pipeline.trend[0].actual is None
    assert [p.target for p in pipeline.trend] == [1.0] * 12
    assert pipeline.trend[-1].actual == pytest.approx(0.8)  # 80K of 100K
    assert pipeline.trend[5].actual == pytest.approx(80_000 * 0.94 / (100_000 * 0.94))


def test_share_safe_leaves_the_original_untouched() -> None:
    original = snapshot()
    share_safe(original)
    assert original.kpi("pipeline_created").actual == 80_000 and not original.share_safe
