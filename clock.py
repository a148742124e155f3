"""The one clock: every "today" and "now" in the app comes from here, so tests (and demos) can pin it.

``ALIGNBOARD_TODAY=2026-11-15`` pins the date; the time of day stays the machine's.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "ALIGNBOARD_TODAY"


def today() -> dt.date:
    """Today's date, or the pinned one."""
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def now() -> dt.datetime:
    """The current moment in UTC, on the pinned date when one is set."""
    moment = dt.datetime.now(dt.UTC)
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if not pinned:
        return moment
    day = dt.date.fromisoformat(pinned)
    return moment.replace(year=day.year, month=day.month, day=day.day)
