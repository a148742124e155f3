"""The review's meeting dates in words, and a cadence changed by hand.

"Next review: Tue 8 Dec 2026 (the second Tuesday of each month)" on the review page and the portfolio; the
rhythm itself and the next date come from ``metrics.meetings``.
"""

from __future__ import annotations

import datetime as dt

from metrics.meetings import Cadence, next_meeting
from metrics.refusal import Refused


class MeetingRefused(Refused):
    """A meeting date that cannot be kept (one in the past); nothing was changed."""


def day_text(day: dt.date) -> str:
    """'Tue 8 Dec 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def is_moved(cadence: Cadence, today: dt.date) -> bool:
    """Whether the next meeting is one moved by hand (a moved date still ahead)."""
    return cadence.next_override is not None and cadence.next_override >= today


def usual_meeting(cadence: Cadence, today: dt.date) -> dt.date:
    """The next meeting the cadence alone would give, whatever was moved."""
    return next_meeting(cadence.model_copy(update={"next_override": None}), today)


def next_review_text(cadence: Cadence, today: dt.date) -> str:
    """'Next review: Tue 8 Dec 2026 (the second Tuesday of each month)', or, for a moved meeting,
    'Next review: Thu 10 Dec 2026 (moved from Tue 8 Dec 2026; usually the second Tuesday of each month)'."""
    day = next_meeting(cadence, today)
    if not is_moved(cadence, today) or day == usual_meeting(cadence, today):
        return f"Next review: {day_text(day)} ({cadence.text()})"
    return (f"Next review: {day_text(day)} (moved from {day_text(usual_meeting(cadence, today))}; usually "
            f"{cadence.text()})")


MOST_PRE_READ_DAYS = 14  # as metrics.meetings.Cadence allows


def changed_cadence(current: Cadence, *, weekday: int, week: int, moved_to: dt.date | None,
                    today: dt.date, pre_read_days: int | None = None) -> Cadence:
    """The cadence as the form sets it: a new rhythm, the next meeting moved to ``moved_to`` (None: on the
    rhythm's own day) and the pre-read's lead time (None: kept). A date in the past is refused."""
    if moved_to is not None and moved_to < today:
        raise MeetingRefused(f"The next meeting cannot be moved to {day_text(moved_to)}: that day has passed. "
                             f"Choose {day_text(today)} or later.")
    lead = current.pre_read_days if pre_read_days is None else pre_read_days
    if not 0 <= lead <= MOST_PRE_READ_DAYS:
        raise MeetingRefused(f"The pre-read goes out 0 to {MOST_PRE_READ_DAYS} days before the meeting, not {lead}.")
    return Cadence(weekday=weekday, week=week, pre_read_days=lead, next_override=moved_to)
