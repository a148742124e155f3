"""SQL sources on the Data page: add one (its URL is never shown again), map its query, refresh it on demand.

Adding, changing and deleting a source is for advisors: ``can_manage`` says whether the person at the screen is
one (until sign-in has roles, everyone is), and without it the sources can be refreshed but not changed.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from components.import_flow import confirmed_mapping, run_import_with
from components.import_results import outcome_summary
from components.text import plain
from db import cached
from db.engine import engine_for, write_scope
from db.sql_sources import (
    SqlSourceChange,
    SqlSourceError,
    SqlSourceIn,
    SqlSourceView,
    add_sql_source,
    change_sql_source,
    delete_sql_source,
    fetch_sql_source,
    refresh_sql_source,
    set_sql_mapping,
    source_name,
)
from importers.suggest import apply_preset, suggest
from metrics.catalog import Catalog

URL_HELP = ("Stored encrypted for this client company and never shown again. Alignboard opens it read-only "
            "(PostgreSQL, MySQL/MariaDB or a SQLite file), never its own database, and with a role that may only "
            "read: not a superuser.")


def _engine():  # noqa: ANN202 - sqlalchemy Engine
    return engine_for(cached.database_url())


def show_refusal(error: SqlSourceError) -> None:
    """The reason in words; SQL that helps (a read-only role) as code to copy."""
    st.error(plain(error.reason))
    if error.recipe:
        st.code(error.recipe, language="sql")


def _validation_text(error: ValidationError) -> str:
    return "; ".join(plain(e["msg"].removeprefix("Value error, ")) for e in error.errors())


def add_source_form(workspace_id: int, by: str, *, can_manage: bool = True) -> str | None:
    """The form for a new source; returns its name once it is stored."""
    if not can_manage:
        st.caption("Only advisors add SQL sources.")
        return None
    with st.form("sql_add", clear_on_submit=True):
        name = st.text_input("Name", placeholder="Finance warehouse")
        url = st.text_input("Database URL", type="password",
                            placeholder="postgresql+psycopg://reader:password@host:5432/finance", help=URL_HELP)
        query = st.text_area("Query: one SELECT, ideally already summed per day or month", height=120,
                             placeholder="SELECT day, SUM(revenue) AS revenue FROM invoices GROUP BY day")
        if not st.form_submit_button("Add source"):
            return None
    try:
        data = SqlSourceIn(name=name, url=url, query=query)
        with write_scope(_engine(), workspace_id) as session:
            add_sql_source(session, workspace_id, data, actor=by, can_manage_sources=can_manage)
    except ValidationError as error:
        st.error(_validation_text(error))
        return None
    except SqlSourceError as error:
        show_refusal(error)
        return None
    return data.name


def source_panel(workspace: dict, source: SqlSourceView, catalog: Catalog, by: str, *,
                 can_manage: bool = True) -> None:
    refreshed = f"{source.refreshed_at:%Y-%m-%d %H:%M}" if source.refreshed_at else "never"
    st.caption(plain(f"{source.masked_url} · last refreshed {refreshed}"))
    st.code(source.query, language="sql")
    run_cell, delete_cell = st.columns([3, 1])
    tables = st.session_state.setdefault("sql_tables", {})
    if run_cell.button("Run the query and map its columns", key=f"sql_run_{source.id}"):
        try:
            tables[source.id] = fetch_sql_source(_engine(), workspace["id"], source.id)
        except SqlSourceError as error:
            show_refusal(error)
    if can_manage and delete_cell.button("Delete this source", key=f"sql_delete_{source.id}"):
        with write_scope(_engine(), workspace["id"]) as session:
            delete_sql_source(session, workspace["id"], source.id, actor=by, can_manage_sources=can_manage)
        st.toast(f"SQL source '{source.name}' deleted.")
        return
    if can_manage:
        _change_form(workspace, source, by)
    if source.id in tables:
        _map(workspace, source, tables[source.id], catalog, by, can_manage)
    if source.mapping is not None:
        _refresh(workspace, source, by)


def _change_form(workspace: dict, source: SqlSourceView, by: str) -> None:
    with st.expander("Change this source"), st.form(f"sql_change_{source.id}"):
        name = st.text_input("Source name", value=source.name, key=f"sql_change_name_{source.id}")
        url = st.text_input("New database URL (empty keeps the stored one)", type="password", help=URL_HELP,
                            key=f"sql_change_url_{source.id}")
        query = st.text_area("Source query", value=source.query, height=120, key=f"sql_change_query_{source.id}")
        if not st.form_submit_button("Save the changes"):
            return
    try:
        data = SqlSourceChange(name=name, url=url, query=query)
        with write_scope(_engine(), workspace["id"]) as session:
            change_sql_source(session, workspace["id"], source.id, data, actor=by, can_manage_sources=True)
    except ValidationError as error:
        st.error(_validation_text(error))
        return
    except SqlSourceError as error:
        show_refusal(error)
        return
    st.toast(f"SQL source '{data.name}' saved.")
    st.rerun()


def _map(workspace: dict, source: SqlSourceView, table, catalog: Catalog,  # noqa: ANN001 - SourceTable
         by: str, can_manage: bool) -> None:
    st.caption(f"The query returned {len(table.frame):,} rows.")
    start = apply_preset(source.mapping, table, catalog)[0] if source.mapping else suggest(table, catalog)
    mapping = confirmed_mapping(table, start, catalog, "auto", f"sql-{source.id}-{start.layout.value}", named=False)
    st.caption(plain(f"Imports from this query are recorded as source '{source_name(source.name)}': each refresh "
                     "replaces the values of the previous one for the months it covers."))
    if can_manage and st.button("Save this mapping", key=f"sql_save_{source.id}"):
        with write_scope(_engine(), workspace["id"]) as session:
            set_sql_mapping(session, workspace["id"], source.id, mapping, actor=by, can_manage_sources=can_manage)
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
        show_refusal(error)
        return
    outcome_summary(outcome, workspace["currency"], dry_run=dry)
