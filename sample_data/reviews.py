"""Two closed past reviews per demo company, with notes, decisions and actions.

The two months before the newest one are closed; the newest stays open. So a new user opening the
review sees actions carried over from earlier months, one of them overdue, and can close the month.
Runs after the scorecard seeder, so the frozen snapshots include the agreed KPIs.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from db import queries
from db.engine import session_scope
from db.review import ActionIn, NoteIn, add_action, add_note, close_month, set_action_status
from metrics.periods import Month, add_months
from metrics.review import ActionStatus
from sample_data.generator import CompanyProfile

CEO = {"b2b_saas": "Dana Kim (CEO)", "consumer_subscription": "Luca Moretti (CEO)"}
CMO = {"b2b_saas": "Maria Lopez (CMO)", "consumer_subscription": "Aisha Bello (CMO)"}

# (title, owner role, days after the start of the following month it is due, KPI)
FIRST_ACTIONS = {
    "b2b_saas": [
        ("Move 20% of display budget to partner webinars", "cmo", 20, "pipeline_created"),
        ("Agree one definition of a sales-qualified lead with sales", "cmo", 9, "win_rate"),
        ("Rebuild the sourced-revenue report with finance", "ceo", 25, "new_bookings"),
    ],
    "consumer_subscription": [
        ("Test a win-back offer for lapsed subscribers", "cmo", 20, "churn_rate"),
        ("Align the promo calendar with the supply plan", "ceo", 9, "revenue"),
        ("Add the decision-confidence question to the post-purchase survey", "cmo", 25, "decision_confidence"),
    ],
}
SECOND_ACTIONS = {
    "b2b_saas": [("Pause the awareness campaign until pipeline per impression recovers", "cmo", 65, "pipeline_created"),
                 ("Report pipeline by channel in the next review", "cmo", 75, None)],
    "consumer_subscription": [("Brief the agency on the next brand campaign", "cmo", 65, "aided_awareness"),
                              ("Share the churn cohort analysis with the board", "ceo", 75, "churn_rate")],
}
NOTES = {
    "b2b_saas": ("Impressions keep climbing but pipeline does not follow; the brand push is not reaching buyers.",
                 "Decision: keep the awareness budget flat until pipeline per impression recovers."),
    "consumer_subscription": ("Outputs and outcomes move together; retention is the number to protect.",
                              "Decision: hold the acquisition budget and fund the win-back test."),
}


def _meeting(month: Month) -> dt.datetime:
    """Reviews meet on the 6th of the month after the one they review."""
    return dt.datetime.combine(add_months(month, 1) + dt.timedelta(days=5), dt.time(9, 30), tzinfo=dt.UTC)


def _owner(kind: str, role: str) -> str:
    return (CEO if role == "ceo" else CMO)[kind]


def _hold_review(engine: Engine, workspace_id: int, month: Month, kind: str,
                 actions: list[tuple[str, str, int, str | None]], note: str, decision: str) -> list[int]:
    """Record a meeting's notes, decision and new actions, then close the month; returns the action ids."""
    with session_scope(engine) as session:
        add_note(session, workspace_id, month, NoteIn(item_key="scorecard", kind="note", text=note,
                                                      author=CMO[kind]))
        add_note(session, workspace_id, month, NoteIn(item_key="decisions", kind="decision", text=decision,
                                                      author=CEO[kind]))
        ids = [add_action(session, workspace_id, month, ActionIn(
            title=title, owner=_owner(kind, role), kpi_key=kpi,
            due=add_months(month, 1) + dt.timedelta(days=days))).id for title, role, days, kpi in actions]
    with session_scope(engine) as session:
        close_month(session, workspace_id, month, CEO[kind], at=_meeting(month))
    return ids


def seed_reviews(engine: Engine, workspace_id: int, profile: CompanyProfile) -> None:
    """Close the two months before the newest: the first closes one action the second month, one
    stays open past its due date (overdue), one more is closed; the second adds two open actions."""
    with session_scope(engine) as session:
        months = queries.months_with_data(session, workspace_id)
    if len(months) < 3:
        return
    first, second, kind = add_months(months[-1], -2), add_months(months[-1], -1), profile.kind
    if kind not in FIRST_ACTIONS:
        return
    done, _late, reported = _hold_review(engine, workspace_id, first, kind, FIRST_ACTIONS[kind], *NOTES[kind])
    with session_scope(engine) as session:
        set_action_status(session, workspace_id, done, ActionStatus.DONE, second)
        set_action_status(session, workspace_id, reported, ActionStatus.DONE, second)
    follow_up = f"Carried over: the {first:%B} actions; one is now late."
    _hold_review(engine, workspace_id, second, kind, SECOND_ACTIONS[kind], follow_up, NOTES[kind][1])
