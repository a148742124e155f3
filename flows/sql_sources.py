"""SQL sources on the Data page: add one (its URL is never shown again), map its query, refresh it on demand."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from components.import_results import outcome_summary
from components.text import plain
from db.access import Permission, Scope
from db.engine import engine_for
from db.sql_sources import (
    SqlSourceIn,
    SqlSourceView,
    add_sql_source,
    delete_sql_source,
    fetch_sql_source,
    refresh_sql_source,
    set_sql_mapping,
    source_name,
)
from flows.imports import confirmed_mapping, run_import_with
from flows.saving import attempt, save
from importers.suggest import apply_preset, suggest
from metrics.catalog import Catalog


def add_source_form(scope: Scope, by: str) -> str | None:
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
    except ValidationError as error:
        st.error("; ".join(plain(e["msg"].removeprefix("Value error, ")) for e in error.errors()))
        return None
    saved = save(scope, Permission.ADMINISTER, "sql_source.added",
                 lambda session: add_sql_source(session, scope.workspace_id, data, scope.named(by)),
                 typed_name=by, detail={"source": name})
    return name if saved else None


def source_panel(scope: Scope, workspace: dict, source: SqlSourceView, catalog: Catalog, by: str) -> None:
    refreshed = f"{source.refreshed_at:%Y-%m-%d %H:%M}" if source.refreshed_at else "never"
    st.caption(plain(f"{source.masked_url} · last refreshed {refreshed}"))
    st.code(source.query, language="sql")
    run_cell, delete_cell = st.columns([3, 1])
    tables = st.session_state.setdefault("sql_tables", {})
    if run_cell.button("Run the query and map its columns", key=f"sql_run_{source.id}"):
        scope.require(Permission.ADMINISTER)
        fetched, table = attempt(lambda: fetch_sql_source(engine_for(scope.url), scope.workspace_id, source.id))
        if fetched:
            tables[source.id] = table
    if delete_cell.button("Delete this source", key=f"sql_delete_{source.id}") and save(
            scope, Permission.ADMINISTER, "sql_source.deleted",
            lambda session: delete_sql_source(session, scope.workspace_id, source.id), typed_name=by,
            detail={"source": source.name}):
        st.toast(f"SQL source '{source.name}' deleted.")
        return
    if source.id in tables:
        _map(scope, source, tables[source.id], catalog, by)
    if source.mapping is not None:
        _refresh(scope, workspace, source, by)


def _map(scope: Scope, source: SqlSourceView, table, catalog: Catalog,  # noqa: ANN001 - a SourceTable
         by: str) -> None:
    st.caption(f"The query returned {len(table.frame):,} rows.")
    start = apply_preset(source.mapping, table, catalog)[0] if source.mapping else suggest(table, catalog)
    mapping = confirmed_mapping(table, start, catalog, "auto", f"sql-{source.id}-{start.layout.value}", named=False)
    st.caption(plain(f"Imports from this query are recorded as source '{source_name(source.name)}': each refresh "
                     "replaces the values of the previous one for the months it covers."))
    if st.button("Save this mapping", key=f"sql_save_{source.id}") and save(
            scope, Permission.ADMINISTER, "sql_source.mapped",
            lambda session: set_sql_mapping(session, scope.workspace_id, source.id, mapping), typed_name=by):
        st.toast("Mapping saved: the source can now be refreshed.")


def _refresh(scope: Scope, workspace: dict, source: SqlSourceView, by: str) -> None:
    dry_cell, run_cell = st.columns(2)
    dry = dry_cell.button("Refresh: dry run", key=f"sql_dry_{source.id}", width="stretch")
    now = run_cell.button("Refresh now", type="primary", key=f"sql_refresh_{source.id}", width="stretch")
    if not (dry or now):
        return
    if now and scope.single_user and not by:
        st.error("Type your name in 'Imported by' so the history says who refreshed the source.")
        return
    scope.require(Permission.ADMINISTER)
    refreshed, outcome = attempt(lambda: run_import_with(lambda progress: refresh_sql_source(
        engine_for(scope.url), scope.workspace_id, source.id, created_by=scope.named(by), dry_run=dry,
        progress=progress)))
    if refreshed:
        outcome_summary(outcome, workspace["currency"], dry_run=dry)
