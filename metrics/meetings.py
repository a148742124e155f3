"""When a company's monthly review meets: a cadence ("the second Tuesday of each month") and the next date.

A date set by hand for one meeting (moved for a holiday) wins over the cadence until it has passed.
"""

from __future__ import annotations

import calendar
import datetime as dt

from pydantic import BaseModel, Field, field_validator

from metrics.periods import add_months, month_start

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


class Cadence(BaseModel):
    """The review's rhythm: the ``week``-th (1-4, or -1 for the last) ``weekday`` (0 = Monday) of each month."""

    weekday: int = Field(default=1, ge=0, le=6)
    week: int = Field(default=2)
    pre_read_days: int = Field(default=3, ge=0, le=14)  # the pre-read goes out this many days before
    next_override: dt.date | None = None  # one meeting moved by hand

    @field_validator("week")
    @classmethod
    def _known_week(cls, week: int) -> int:
        if week not in ORDINALS:
            raise ValueError("the week must be 1 to 4, or -1 for the last")
        return week

    def text(self) -> str:
        """'the second Tuesday of each month'."""
        return f"the {ORDINALS[self.week]} {WEEKDAYS[self.weekday]} of each month"


def nth_weekday(month: dt.date, weekday: int, week: int) -> dt.date:
    """The ``week``-th ``weekday`` of ``month`` (week -1: the last one)."""
    days = [d for d in calendar.Calendar().itermonthdates(month.year, month.month)
            if d.month == month.month and d.weekday() == weekday]
    return days[-1] if week == -1 else days[week - 1]


def next_meeting(cadence: Cadence, today: dt.date) -> dt.date:
    """The next review on or after ``today``: a moved date while it is ahead, else the cadence's next day."""
    if cadence.next_override is not None and cadence.next_override >= today:
        return cadence.next_override
    this_month = nth_weekday(month_start(today), cadence.weekday, cadence.week)
    if this_month >= today:
        return this_month
    return nth_weekday(add_months(month_start(today), 1), cadence.weekday, cadence.week)


def pre_read_day(cadence: Cadence, today: dt.date) -> dt.date:
    """When the pre-read of the next meeting goes out."""
    return next_meeting(cadence, today) - dt.timedelta(days=cadence.pre_read_days)
