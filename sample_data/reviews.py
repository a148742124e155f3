"""Two closed past reviews per demo company, with notes, decisions and actions.

The two months before the newest one are closed; the newest stays open. So a new user opening the
review sees actions carried over from earlier months, one of them overdue, and can close the month.
Runs after the scorecard seeder, so the frozen snapshots include the agreed KPIs. Owners, note takers
and the CEO who closes each month come from the company's cast (sample_data/people.py).
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
from sample_data.people import BLOOM, CASTS, NORTHWIND, Cast, Person

# (title, owner, days after the start of the following month it is due, KPI)
Planned = tuple[str, Person, int, str | None]
_CRO, _GROWTH = NORTHWIND.titled("CRO"), BLOOM.titled("Head of Growth")
FIRST_ACTIONS: dict[str, list[Planned]] = {
    "Northwind Analytics": [
        ("Move 20% of display budget to partner webinars", NORTHWIND.cmo, 20, "pipeline_created"),
        ("Agree one definition of a sales-qualified lead with sales", _CRO, 9, "win_rate"),
        ("Rebuild the sourced-revenue report with finance", NORTHWIND.ceo, 25, "new_bookings"),
    ],
    "Bloom & Brew": [
        ("Test a win-back offer for lapsed subscribers", _GROWTH, 20, "churn_rate"),
        ("Align the promo calendar with the supply plan", BLOOM.ceo, 9, "revenue"),
        ("Add the decision-confidence question to the post-purchase survey", BLOOM.cmo, 25, "decision_confidence"),
    ],
}
SECOND_ACTIONS: dict[str, list[Planned]] = {
    "Northwind Analytics": [
        ("Pause the awareness campaign until pipeline per impression recovers", NORTHWIND.cmo, 65,
         "pipeline_created"),
        ("Report pipeline by channel in the next review", _CRO, 75, None)],
    "Bloom & Brew": [
        ("Brief the agency on the next brand campaign", BLOOM.cmo, 65, "aided_awareness"),
        ("Share the churn cohort analysis with the board", _GROWTH, 75, "churn_rate")],
}
NOTES = {
    "Northwind Analytics": (
        "Impressions keep climbing but pipeline does not follow; the brand push is not reaching buyers.",
        "Decision: keep the awareness budget flat until pipeline per impression recovers."),
    "Bloom & Brew": ("Outputs and outcomes move together; retention is the number to protect.",
                     "Decision: hold the acquisition budget and fund the win-back test."),
}


def _meeting(month: Month) -> dt.datetime:
    """Reviews meet on the 6th of the month after the one they review."""
    return dt.datetime.combine(add_months(month, 1) + dt.timedelta(days=5), dt.time(9, 30), tzinfo=dt.UTC)


def _hold_review(engine: Engine, workspace_id: int, month: Month, cast: Cast, actions: list[Planned],
                 note: str, decision: str) -> list[int]:
    """Record a meeting's notes (the CMO's) and decision (the CEO's) and its new actions, then the CEO closes
    the month; returns the action ids."""
    with session_scope(engine) as session:
        add_note(session, workspace_id, month, NoteIn(item_key="scorecard", kind="note", text=note,
                                                      author=cast.cmo.with_role))
        add_note(session, workspace_id, month, NoteIn(item_key="decisions", kind="decision", text=decision,
                                                      author=cast.ceo.with_role))
        ids = [add_action(session, workspace_id, month, ActionIn(
            title=title, owner=owner.with_role, kpi_key=kpi,
            due=add_months(month, 1) + dt.timedelta(days=days))).id for title, owner, days, kpi in actions]
    with session_scope(engine) as session:
        close_month(session, workspace_id, month, cast.ceo.with_role, at=_meeting(month))
    return ids


def seed_reviews(engine: Engine, workspace_id: int, profile: CompanyProfile) -> None:
    """Close the two months before the newest: the first closes one action the second month, one
    stays open past its due date (overdue), one more is closed; the second adds two open actions."""
    with session_scope(engine) as session:
        months = queries.months_with_data(session, workspace_id)
    if len(months) < 3:
        return
    first, second, name = add_months(months[-1], -2), add_months(months[-1], -1), profile.name
    if name not in FIRST_ACTIONS:
        return
    cast = CASTS[name]
    done, _late, reported = _hold_review(engine, workspace_id, first, cast, FIRST_ACTIONS[name], *NOTES[name])
    with session_scope(engine) as session:
        set_action_status(session, workspace_id, done, ActionStatus.DONE, second)
        set_action_status(session, workspace_id, reported, ActionStatus.DONE, second)
    follow_up = f"Carried over: the {first:%B} actions; one is now late."
    _hold_review(engine, workspace_id, second, cast, SECOND_ACTIONS[name], follow_up, NOTES[name][1])
