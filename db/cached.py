"""Streamlit's cache around the queries pages use: the one caching seam, cleared on every write."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from db import queries
from db.engine import engine_for, session_scope
from db.events import on_write
from db.workspaces import company_list
from metrics.agreement import AgreementVersion, LeadershipSystem
from metrics.scorecard import Scorecard
from metrics.series import MonthPoint
from settings import get_settings


def database_url() -> str:
    return get_settings().database_url


def workspaces(url: str, include_archived: bool = False) -> list[dict]:
    """The client companies as plain dicts (db.workspaces.company_list), read fresh on every call.

    Not cached: it is one small query, and a company added or archived by another process (the command
    line) must show on the next rerun.
    """
    with session_scope(engine_for(url)) as session:
        return company_list(session, include_archived=include_archived)


@st.cache_data(show_spinner=False)
def monthly_data(url: str, workspace_id: int) -> dict[str, dict[dt.date, MonthPoint]]:
    with session_scope(engine_for(url)) as session:
        return queries.monthly_data(session, workspace_id)


@st.cache_data(show_spinner=False)
def months_with_data(url: str, workspace_id: int) -> list[dt.date]:
    with session_scope(engine_for(url)) as session:
        return queries.months_with_data(session, workspace_id)


@st.cache_data(show_spinner=False)
def month_coverage(url: str, workspace_id: int) -> dict[dt.date, float]:
    """Each month with figures and its coverage share (db.queries.month_coverage)."""
    with session_scope(engine_for(url)) as session:
        return queries.month_coverage(session, workspace_id)


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


@st.cache_data(show_spinner=False)
def scorecard(url: str, workspace_id: int, month: dt.date) -> Scorecard:
    """The agreed scorecard for a month (db.scorecard.scorecard_for_month)."""
    from db.scorecard import scorecard_for_month

    with session_scope(engine_for(url)) as session:
        return scorecard_for_month(session, workspace_id, month)


@st.cache_data(show_spinner=False)
def agreement_versions(url: str, workspace_id: int) -> list[AgreementVersion]:
    """Every version of the KPI agreement, oldest first."""
    from db.scorecard import agreement_versions as versions

    with session_scope(engine_for(url)) as session:
        return versions(session, workspace_id)


@st.cache_data(show_spinner=False)
def leadership_system(url: str, workspace_id: int) -> LeadershipSystem:
    from db.scorecard import leadership_system as answers

    with session_scope(engine_for(url)) as session:
        return answers(session, workspace_id)


@st.cache_data(show_spinner=False)
def import_history(url: str, workspace_id: int) -> list:
    """The workspace's imports, newest first (db.imports.HistoryEntry)."""
    from db import imports

    with session_scope(engine_for(url)) as session:
        return imports.import_history(session, workspace_id)


@st.cache_data(show_spinner=False)
def import_presets(url: str, workspace_id: int) -> dict:
    """Saved mappings by name (importers.mapping.ImportMapping)."""
    from db import imports

    with session_scope(engine_for(url)) as session:
        return imports.presets(session, workspace_id)


@st.cache_data(show_spinner=False)
def custom_metrics(url: str, workspace_id: int) -> list:
    """The workspace's own metric definitions (importers.mapping.NewMetric)."""
    from db import imports

    with session_scope(engine_for(url)) as session:
        return imports.custom_metrics(session, workspace_id)


@st.cache_data(show_spinner=False)
def data_health(url: str, workspace_id: int, today: dt.date) -> list:
    """Per stored metric: last month, missing months, unusual values (metrics.health.MetricHealth)."""
    from db import imports

    with session_scope(engine_for(url)) as session:
        return imports.data_health(session, workspace_id, today)


@st.cache_data(show_spinner=False)
def sql_sources(url: str, workspace_id: int) -> list:
    """The workspace's SQL sources, URLs masked (db.sql_sources.SqlSourceView)."""
    from db import sql_sources as sources

    with session_scope(engine_for(url)) as session:
        return sources.sql_sources(session, workspace_id)


@st.cache_data(show_spinner=False)
def metric_sources(url: str, workspace_id: int) -> dict[str, list[str]]:
    """Every metric with figures and the sources that report it (db.sources.metric_sources)."""
    from db import sources

    with session_scope(engine_for(url)) as session:
        return sources.metric_sources(session, workspace_id)


@st.cache_data(show_spinner=False)
def sources_of_record(url: str, workspace_id: int) -> dict:
    """The workspace's source of record by metric key (db.sources.SourceOfRecord)."""
    from db import sources

    with session_scope(engine_for(url)) as session:
        return sources.sources_of_record(session, workspace_id)


@st.cache_data(show_spinner=False)
def record_reconciliations(url: str, workspace_id: int, month: dt.date) -> list:
    """Metrics with a source of record and another source, 12 months to ``month`` (ReconciledMetric)."""
    from db import sources

    with session_scope(engine_for(url)) as session:
        return sources.record_reconciliations(session, workspace_id, month)
