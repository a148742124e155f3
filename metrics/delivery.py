"""When mail is due: the pre-read in the days before the review, the final pack once the month is closed.

A review meets in the month after the one it reviews (the second Tuesday of December reviews November). Its
pre-read is due from ``pre_read_days`` before the meeting up to the meeting day itself, so a run missed on the
day (a server down) still sends it the next day; after the meeting it is too late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from metrics.meetings import Cadence, next_meeting
from metrics.periods import Month, month_start, previous_month

FINAL_PACK_DAYS = 14  # the final pack goes out to a month closed in the last two weeks, not to old closes


@dataclass(frozen=True)
class ReviewDate:
    """The next meeting and the month it reviews."""

    month: Month
    meeting: dt.date


def next_review(cadence: Cadence, today: dt.date) -> ReviewDate:
    meeting = next_meeting(cadence, today)
    return ReviewDate(month=previous_month(month_start(meeting)), meeting=meeting)


def pre_read_due(cadence: Cadence, today: dt.date, closed: Collection[Month]) -> ReviewDate | None:
    """The review whose pre-read is due today (None: not yet, or its month is already closed)."""
    review = next_review(cadence, today)
    if today < review.meeting - dt.timedelta(days=cadence.pre_read_days) or review.month in closed:
        return None
    return review


def final_packs_due(closes: Iterable[tuple[Month, dt.date]], today: dt.date) -> list[Month]:
    """The closed months whose final pack is due: closed (``closes``: month, day it was closed) in the last
    ``FINAL_PACK_DAYS`` days, oldest first."""
    return sorted(month for month, closed_on in closes
                  if today - dt.timedelta(days=FINAL_PACK_DAYS) < closed_on <= today)
