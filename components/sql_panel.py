"""SQL sources on the Data page: add one (its URL is never shown again), map its query, refresh it on demand."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from components.import_flow import confirmed_mapping, run_import_with
from components.import_results import outcome_summary
from components.text import plain
from db import cached
from db.engine import engine_for, session_scope
from db.sql_sources import (
    SqlSourceError,
    SqlSourceIn,
    SqlSourceView,
    add_sql_source,
    delete_sql_source,
    fetch_sql_source,
    refresh_sql_source,
    set_sql_mapping,
    source_name,
)
from importers.suggest import apply_preset, suggest
from metrics.catalog import Catalog


def _engine():  # noqa: ANN202 - sqlalchemy Engine
    return engine_for(cached.database_url())


def add_source_form(workspace_id: int, by: str) -> str | None:
    """The form for a new source; returns its name once it is stored."""
    with st.form("sql_add", clear_on_submit=True):
        name = st.text_input("Name", placeholder="Finance warehouse")
        url = st.text_input("Database URL", type="password",
                            placeholder="postgresql+psycopg://reader:password@host:5432/finance",
                            help="Stored for this client company and never shown again. Alignboard opens it "
                                 "read-only (PostgreSQL, MySQL/MariaDB or a SQLite file).")
        query = st.text_area("Query: one SELECT, ideally already summed per day or month", height=120,
                             placeholder="SELECT day, SUM(revenue) AS revenue FROM invoices GROUP BY day")
        if not st.form_submit_button("Add source"):
            return None
    try:
        data = SqlSourceIn(name=name, url=url, query=query)
        with session_scope(_engine()) as session:
            add_sql_source(session, workspace_id, data, by)
    except ValidationError as error:
        st.error("; ".join(plain(e["msg"].removeprefix("Value error, ")) for e in error.errors()))
        return None
    except SqlSourceError as error:
        st.error(plain(str(error)))
        return None
    return name


def source_panel(workspace: dict, source: SqlSourceView, catalog: Catalog, by: str) -> None:
    refreshed = f"{source.refreshed_at:%Y-%m-%d %H:%M}" if source.refreshed_at else "never"
    st.caption(plain(f"{source.masked_url} · last refreshed {refreshed}"))
    st.code(source.query, language="sql")
    run_cell, delete_cell = st.columns([3, 1])
    tables = st.session_state.setdefault("sql_tables", {})
    if run_cell.button("Run the query and map its columns", key=f"sql_run_{source.id}"):
        try:
            tables[source.id] = fetch_sql_source(_engine(), workspace["id"], source.id)
        except SqlSourceError as error:
            st.error(plain(str(error)))
    if delete_cell.button("Delete this source", key=f"sql_delete_{source.id}"):
        with session_scope(_engine()) as session:
            delete_sql_source(session, workspace["id"], source.id)
        st.toast(f"SQL source '{source.name}' deleted.")
        return
    if source.id in tables:
        _map(workspace, source, tables[source.id], catalog)
    if source.mapping is not None:
        _refresh(workspace, source, by)


def _map(workspace: dict, source: SqlSourceView, table, catalog: Catalog) -> None:  # noqa: ANN001 - SourceTable
    st.caption(f"The query returned {len(table.frame):,} rows.")
    start = apply_preset(source.mapping, table, catalog)[0] if source.mapping else suggest(table, catalog)
    mapping = confirmed_mapping(table, start, catalog, "auto", f"sql-{source.id}-{start.layout.value}", named=False)
    st.caption(plain(f"Imports from this query are recorded as source '{source_name(source.name)}': each refresh "
                     "replaces the values of the previous one for the months it covers."))
    if st.button("Save this mapping", key=f"sql_save_{source.id}"):
        with session_scope(_engine()) as session:
            set_sql_mapping(session, workspace["id"], source.id, mapping)
        st.toast("Mapping saved: the source can now be refreshed.")


def _refresh(workspace: dict, source: SqlSourceView, by: str) -> None:
    dry_cell, run_cell = st.columns(2)
    dry = dry_cell.button("Refresh: dry run", key=f"sql_dry_{source.id}", width="stretch")
    now = run_cell.button("Refresh now", type="primary", key=f"sql_refresh_{source.id}", width="stretch")
    if not (dry or now):
        return
    if now and not by:
        st.error("Type your name in 'Imported by' so the history says who refreshed the source.")
        return
    try:
        outcome = run_import_with(lambda progress: refresh_sql_source(
            _engine(), workspace["id"], source.id, created_by=by or "preview", dry_run=dry, progress=progress))
    except SqlSourceError as error:
        st.error(plain(str(error)))
        return
    outcome_summary(outcome, workspace["currency"], dry_run=dry)
