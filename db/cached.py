"""Streamlit's cache around the queries pages use: the one caching seam, cleared on every write."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from db import queries
from db.engine import engine_for, session_scope
from db.events import on_write
from db.workspaces import list_workspaces
from metrics.series import MonthPoint
from settings import get_settings


def database_url() -> str:
    return get_settings().database_url


@st.cache_data(show_spinner=False)
def workspaces(url: str) -> list[dict]:
    """Workspaces as plain dicts (cacheable): id, name, currency, fiscal start, colour."""
    with session_scope(engine_for(url)) as session:
        return [{"id": w.id, "name": w.name, "currency": w.currency, "color": w.color,
                 "fiscal_year_start_month": w.fiscal_year_start_month} for w in list_workspaces(session)]


@st.cache_data(show_spinner=False)
def monthly_data(url: str, workspace_id: int) -> dict[str, dict[dt.date, MonthPoint]]:
    with session_scope(engine_for(url)) as session:
        return queries.monthly_data(session, workspace_id)


@st.cache_data(show_spinner=False)
def months_with_data(url: str, workspace_id: int) -> list[dt.date]:
    with session_scope(engine_for(url)) as session:
        return queries.months_with_data(session, workspace_id)


@st.cache_data(show_spinner=False)
def sources_for_month(url: str, workspace_id: int, keys: tuple[str, ...],
                      month: dt.date) -> list[queries.SourceBatch]:
    with session_scope(engine_for(url)) as session:
        return queries.sources_for_month(session, workspace_id, keys, month)


def clear() -> None:
    st.cache_data.clear()


on_write(clear)


@st.cache_data(show_spinner=False)
def driver_overrides(url: str, workspace_id: int) -> dict[str, tuple[str, ...]]:
    """The workspace's own lines of the output -> outcome driver map."""
    from db import indicators

    with session_scope(engine_for(url)) as session:
        return indicators.driver_overrides(session, workspace_id)


@st.cache_data(show_spinner=False)
def adopted_indicators(url: str, workspace_id: int) -> list:
    """The workspace's adopted leading indicators (db.indicators.AdoptedIndicator)."""
    from db import indicators

    with session_scope(engine_for(url)) as session:
        return indicators.adopted_indicators(session, workspace_id)


@st.cache_data(show_spinner=False)
def review_state(url: str, workspace_id: int, month: dt.date):  # noqa: ANN201 - db.review.ReviewState
    """Whether the month's review is open or closed, its frozen snapshot and its close/reopen history."""
    from db import review

    with session_scope(engine_for(url)) as session:
        return review.review_state(session, workspace_id, month)


@st.cache_data(show_spinner=False)
def live_review(url: str, workspace_id: int, month: dt.date, today: dt.date):  # noqa: ANN201 - ReviewSnapshot
    """What the month's review shows from today's data: scorecard, One View, vanity traps, actions, notes."""
    from db import review

    with session_scope(engine_for(url)) as session:
        return review.live_snapshot(session, workspace_id, month, today)
