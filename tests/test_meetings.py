"""The review cadence: the n-th weekday of a month, the next meeting, and a meeting moved by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from db.engine import session_scope
from db.meetings import cadence, next_meeting_date, save_cadence
from metrics.meetings import Cadence, next_meeting, nth_weekday, pre_read_day

D = dt.date


@pytest.mark.parametrize(("month", "weekday", "week", "expected"), [
    (D(2026, 12, 1), 1, 2, D(2026, 12, 8)),  # second Tuesday of December 2026
    (D(2026, 12, 1), 1, 1, D(2026, 12, 1)),  # the month starts on a Tuesday
    (D(2026, 12, 1), 3, -1, D(2026, 12, 31)),  # last Thursday
    (D(2027, 2, 1), 0, 4, D(2027, 2, 22)),  # fourth Monday of February 2027
    (D(2027, 2, 1), 6, -1, D(2027, 2, 28)),
])
def test_nth_weekday(month: dt.date, weekday: int, week: int, expected: dt.date) -> None:
    assert nth_weekday(month, weekday, week) == expected


@pytest.mark.parametrize(("today", "override", "expected"), [
    (D(2026, 12, 2), None, D(2026, 12, 8)),  # this month's is ahead
    (D(2026, 12, 8), None, D(2026, 12, 8)),  # the meeting is today
    (D(2026, 12, 9), None, D(2027, 1, 12)),  # this month's has passed: January's second Tuesday
    (D(2026, 12, 2), D(2026, 12, 10), D(2026, 12, 10)),  # moved by hand, still ahead
    (D(2026, 12, 11), D(2026, 12, 10), D(2027, 1, 12)),  # a moved date that has passed gives way to the cadence
])
def test_next_meeting(today: dt.date, override: dt.date | None, expected: dt.date) -> None:
    chosen = Cadence(weekday=1, week=2, next_override=override)
    assert next_meeting(chosen, today) == expected
    assert pre_read_day(chosen, today) == expected - dt.timedelta(days=3)
    assert chosen.text() == "the second Tuesday of each month"


def test_a_week_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValidationError, match="the week must be 1 to 4"):
        Cadence(week=5)


def test_the_cadence_is_kept_per_company(engine, workspace_id: int) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        assert cadence(session, workspace_id) == Cadence()
        save_cadence(session, workspace_id, Cadence(weekday=3, week=-1, pre_read_days=5))
    with session_scope(engine) as session:
        assert cadence(session, workspace_id).text() == "the last Thursday of each month"
        assert next_meeting_date(session, workspace_id, D(2026, 12, 2)) == D(2026, 12, 31)
