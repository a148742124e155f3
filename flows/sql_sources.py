"""SQL sources on the Data page: add one (its URL is never shown again), change, map and refresh it.

Adding, changing, mapping and deleting a source is for the company's advisors; every write goes through the seam
with the person's scope, and the source functions record themselves in the company's history.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from components.import_results import outcome_summary
from components.text import plain
from db import service
from db.access import Permission, Scope
from db.engine import engine_for
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
from flows.imports import confirmed_mapping, run_import_with
from flows.saving import attempt
from importers.suggest import apply_preset, suggest
from metrics.catalog import Catalog
from metrics.refusal import Refused

URL_HELP = ("Stored encrypted for this client company and never shown again. Alignboard opens it read-only "
            "(PostgreSQL, MySQL/MariaDB or a SQLite file), never its own database, and with a role that may only "
            "read: not a superuser.")


def show_refusal(error: Refused) -> None:
    """The reason in words; SQL that helps (a read-only role) as code to copy."""
    st.error(plain(getattr(error, "reason", str(error))), icon=":material/block:")
    if getattr(error, "recipe", ""):
        st.code(error.recipe, language="sql")


def _validation_text(error: ValidationError) -> str:
    return "; ".join(plain(e["msg"].removeprefix("Value error, ")) for e in error.errors())


def _write(scope: Scope, work, by: str) -> bool:  # noqa: ANN001 - a callable taking the Session
    """One change of a source as the company's advisor; a source's own refusal shows its recipe too."""
    return attempt(lambda: service.write(scope, Permission.ADMINISTER, None, work, typed_name=by), show_refusal)[0]


def add_source_form(scope: Scope, by: str) -> str | None:
    """The form for a new source; returns its name once it is stored."""
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
    except ValidationError as error:
        st.error(_validation_text(error))
        return None
    added = _write(scope, lambda session: add_sql_source(session, scope.workspace_id, data, actor=scope.named(by),
                                                         can_manage_sources=True), by)
    return data.name if added else None


def source_panel(scope: Scope, workspace: dict, source: SqlSourceView, catalog: Catalog, by: str) -> None:
    refreshed = f"{source.refreshed_at:%Y-%m-%d %H:%M}" if source.refreshed_at else "never"
    st.caption(plain(f"{source.masked_url} · last refreshed {refreshed}"))
    st.code(source.query, language="sql")
    run_cell, delete_cell = st.columns([3, 1])
    tables = st.session_state.setdefault(f"sql_tables_{scope.workspace_id}", {})
    if run_cell.button("Run the query and map its columns", key=f"sql_run_{source.id}"):
        try:
            tables[source.id] = fetch_sql_source(engine_for(scope.url), scope.workspace_id, source.id)
        except SqlSourceError as error:
            show_refusal(error)
    if delete_cell.button("Delete this source", key=f"sql_delete_{source.id}") and _write(
            scope, lambda session: delete_sql_source(session, scope.workspace_id, source.id, actor=scope.named(by),
                                                     can_manage_sources=True), by):
        st.toast(f"SQL source '{plain(source.name)}' deleted.")
        return
    _change_form(scope, source, by)
    if source.id in tables:
        _map(scope, source, tables[source.id], catalog, by)
    if source.mapping is not None:
        _refresh(scope, workspace, source, by)


def _change_form(scope: Scope, source: SqlSourceView, by: str) -> None:
    with st.expander("Change this source"), st.form(f"sql_change_{source.id}"):
        name = st.text_input("Source name", value=source.name, key=f"sql_change_name_{source.id}")
        url = st.text_input("New database URL (empty keeps the stored one)", type="password", help=URL_HELP,
                            key=f"sql_change_url_{source.id}")
        query = st.text_area("Source query", value=source.query, height=120, key=f"sql_change_query_{source.id}")
        if not st.form_submit_button("Save the changes"):
            return
    try:
        data = SqlSourceChange(name=name, url=url, query=query)
    except ValidationError as error:
        st.error(_validation_text(error))
        return
    if _write(scope, lambda session: change_sql_source(session, scope.workspace_id, source.id, data,
                                                       actor=scope.named(by), can_manage_sources=True), by):
        st.toast(f"SQL source '{plain(data.name)}' saved.")
        st.rerun()


def _map(scope: Scope, source: SqlSourceView, table, catalog: Catalog,  # noqa: ANN001 - a SourceTable
         by: str) -> None:
    st.caption(f"The query returned {len(table.frame):,} rows.")
    start = apply_preset(source.mapping, table, catalog)[0] if source.mapping else suggest(table, catalog)
    mapping = confirmed_mapping(table, start, catalog, "auto", f"sql-{source.id}-{start.layout.value}", named=False)
    st.caption(plain(f"Imports from this query are recorded as source '{source_name(source.name)}': each refresh "
                     "replaces the values of the previous one for the months it covers."))
    if st.button("Save this mapping", key=f"sql_save_{source.id}") and _write(
            scope, lambda session: set_sql_mapping(session, scope.workspace_id, source.id, mapping,
                                                   actor=scope.named(by), can_manage_sources=True), by):
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
    try:
        outcome = run_import_with(lambda progress: refresh_sql_source(
            engine_for(scope.url), scope.workspace_id, source.id, created_by=scope.named(by), dry_run=dry,
            progress=progress))
    except SqlSourceError as error:
        show_refusal(error)
        return
    outcome_summary(outcome, workspace["currency"], dry_run=dry)
