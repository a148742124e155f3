"""The demo companies' people: one cast per company, and every name the seeders write belongs to it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select

from db.engine import session_scope
from db.models import Workspace
from db.review_models import ActionItem, Review, ReviewEvent, ReviewNote
from db.scorecard_models import (
    AgreementKpiRow,
    AgreementSignatureRow,
    AgreementVersionRow,
    ConfidenceVoteRow,
    KpiCommentaryRow,
    LeadershipSystemRow,
)
from metrics.review import ReviewSnapshot
from sample_data.generator import DEMO_COMPANIES
from sample_data.people import CASTS, Cast, Person
from sample_data.scorecard import PLANS
from sample_data.seed import ensure_sample_data

_WITH_ROLE = re.compile(r"^(?P<name>.+?) \((?P<role>[^()]+)\)$")


def problem(cast: Cast, where: str, written: str, role: str | None = None) -> str | None:
    """Why a written name is not one of the cast (None when it is): "Name" or "Name (Role)", and, when
    ``role`` is given, held by the person who has that role."""
    match = _WITH_ROLE.match(written)
    name, typed_role = (match["name"], match["role"]) if match else (written, None)
    person = next((p for p in cast.everyone() if p.name == name), None)
    if person is None:
        return f"{where}: {written!r} is not in the cast"
    if typed_role is not None and typed_role != person.role:
        return f"{where}: {written!r}, but {name} is the {person.role}"
    if role is not None and person.role != role:
        return f"{where}: {written!r} should be the {role}"
    return None


def test_every_demo_company_has_a_cast_with_distinct_people() -> None:
    assert set(CASTS) == {profile.name for profile in DEMO_COMPANIES}
    for cast in CASTS.values():
        assert (cast.ceo.role, cast.cmo.role) == ("CEO", "CMO")
        names = [p.name for p in cast.everyone()]
        assert len(names) == len(set(names))
    everyone = [p.name for cast in CASTS.values() for p in cast.everyone()]
    assert len(everyone) == len(set(everyone))  # nobody works at both companies


def test_the_plans_are_written_for_their_own_cast() -> None:
    for name, plan in PLANS.items():
        cast = CASTS[name]
        assert plan.cast is cast
        found = [problem(cast, f"{k.key} owner", k.owner.name, k.owner.role) for k in plan.kpis]
        found += [problem(cast, "meaning owner", plan.leadership.meaning_owner),
                  problem(cast, "math owner", plan.leadership.math_owner),
                  problem(cast, "litmus answered by", plan.leadership.answered_by, "CEO")]
        assert [p for p in found if p] == []


@pytest.mark.parametrize(("written", "role", "expected"), [
    ("Maya Chen", None, None),
    ("Maya Chen (CEO)", "CEO", None),
    ("Aisha Bello (VP Customer Success)", None, None),
    ("Dana Kim (CEO)", None, "x: 'Dana Kim (CEO)' is not in the cast"),
    ("Maya Chen (CMO)", None, "x: 'Maya Chen (CMO)', but Maya Chen is the CEO"),
    ("Daniel Okafor", "CEO", "x: 'Daniel Okafor' should be the CEO"),
])
def test_the_check_itself_tells_cast_from_strangers(written: str, role: str | None, expected: str | None) -> None:
    assert problem(CASTS["Northwind Analytics"], "x", written, role) == expected


def _agreement_names(session, workspace_id: int, cast: Cast) -> list[str | None]:  # noqa: ANN001 - a Session
    versions = session.scalars(select(AgreementVersionRow).where(AgreementVersionRow.workspace_id == workspace_id))
    found: list[str | None] = []
    for version in versions:
        found.append(problem(cast, f"v{version.number} drafted by", version.created_by))
        for kpi in session.scalars(select(AgreementKpiRow).where(AgreementKpiRow.version_id == version.id)):
            found.append(problem(cast, f"v{version.number} {kpi.metric_key} owner", kpi.owner_name, kpi.owner_role))
        for signature in session.scalars(select(AgreementSignatureRow)
                                         .where(AgreementSignatureRow.version_id == version.id)):
            found.append(problem(cast, f"v{version.number} signed as {signature.role}", signature.name,
                                 signature.role.upper()))
    return found


def _scorecard_names(session, workspace_id: int, cast: Cast) -> list[str | None]:  # noqa: ANN001 - a Session
    found = [problem(cast, f"{row.metric_key} commentary", row.author)
             for row in session.scalars(select(KpiCommentaryRow).where(KpiCommentaryRow.workspace_id == workspace_id))]
    found += [problem(cast, f"{row.metric_key} {row.role} vote", row.voter, row.role.upper())
              for row in session.scalars(select(ConfidenceVoteRow)
                                         .where(ConfidenceVoteRow.workspace_id == workspace_id))]
    for row in session.scalars(select(LeadershipSystemRow).where(LeadershipSystemRow.workspace_id == workspace_id)):
        found += [problem(cast, "meaning owner", row.meaning_owner), problem(cast, "math owner", row.math_owner),
                  problem(cast, "litmus answered by", row.answered_by)]
    return found


def _review_names(session, workspace_id: int, cast: Cast) -> list[str | None]:  # noqa: ANN001 - a Session
    found = [problem(cast, f"action {row.title!r}", row.owner)
             for row in session.scalars(select(ActionItem).where(ActionItem.workspace_id == workspace_id))]
    for review in session.scalars(select(Review).where(Review.workspace_id == workspace_id)):
        if review.closed_by:
            found.append(problem(cast, f"{review.month:%b %Y} closed by", review.closed_by, "CEO"))
        found += [problem(cast, f"{review.month:%b %Y} {note.kind}", note.author)
                  for note in session.scalars(select(ReviewNote).where(ReviewNote.review_id == review.id))]
        for event in session.scalars(select(ReviewEvent).where(ReviewEvent.review_id == review.id)):
            found.append(problem(cast, f"{review.month:%b %Y} {event.kind} by", event.by))
            if event.snapshot:
                found += _snapshot_names(ReviewSnapshot.model_validate_json(event.snapshot), cast)
    return found


def _snapshot_names(snapshot: ReviewSnapshot, cast: Cast) -> list[str | None]:
    """What a closed review froze: who closed it, the KPI owners, the action owners, the note takers."""
    where = f"{snapshot.month:%b %Y} review"
    found = [problem(cast, f"{where} closed by", snapshot.closed_by, "CEO")]
    found += [problem(cast, f"{where} {k.key} owner", k.owner) for k in snapshot.kpis]
    found += [problem(cast, f"{where} action owner", v.action.owner) for v in snapshot.actions]
    return found + [problem(cast, f"{where} note", n.author) for n in snapshot.notes]


def test_every_name_the_demo_companies_carry_belongs_to_their_cast(engine: Engine) -> None:
    ensure_sample_data(engine)
    problems: list[str | None] = []
    counted = 0
    with session_scope(engine) as session:
        for workspace in session.scalars(select(Workspace)):
            cast = CASTS[workspace.name]
            found = (_agreement_names(session, workspace.id, cast) + _scorecard_names(session, workspace.id, cast)
                     + _review_names(session, workspace.id, cast))
            counted += len(found)
            problems += [f"{workspace.name}: {p}" for p in found if p]
    assert problems == []
    assert counted > 100  # agreements, votes, commentary, actions, notes and closes were all looked at


def test_action_owners_include_people_other_than_the_ceo_and_cmo() -> None:
    from sample_data.reviews import FIRST_ACTIONS, SECOND_ACTIONS

    for name, cast in CASTS.items():
        owners = {owner for _, owner, _, _ in FIRST_ACTIONS[name] + SECOND_ACTIONS[name]}
        assert owners <= set(cast.everyone()) and owners - {cast.ceo, cast.cmo}
        assert all(isinstance(owner, Person) for owner in owners)
