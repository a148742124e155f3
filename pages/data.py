"""Data: bring your own numbers from files and SQL, see every import (and undo one), and check data health."""

from __future__ import annotations

import streamlit as st

import clock
from components.import_results import health_table, history_table, undo_control
from components.person import person_name
from components.presentation import presenting, share_safe_on
from components.text import plain
from db import service
from db.access import Permission
from flows.frame import page_header
from flows.imports import (
    confirmed_mapping,
    guarded,
    import_buttons,
    preset_saver,
    starting_mapping,
    uploaded_table,
)
from flows.saving import attempt
from flows.source_of_record import source_of_record_section
from flows.sql_sources import add_source_form, source_panel
from importers.mapping import LAYOUT_TITLES

page = page_header("Data")
scope, workspace = page.scope, page.workspace
if presenting() or share_safe_on():  # an editing page, full of raw figures: not one to screen-share
    st.info("Bringing in data is not available while presenting or with share-safe on: this page shows raw "
            "figures. Turn presentation mode and share-safe off to import or check data.",
            icon=":material/visibility_off:")
    st.stop()
if not scope.can(Permission.IMPORT):
    st.info("Your role in this company reads the figures but does not bring data in. The import history and data "
            "health are shown below.", icon=":material/visibility:")
catalog = service.catalog(scope)
by = person_name(scope.single_user, scope.named(), label="Imported by")
file_tab, history_tab, sql_tab, health_tab = st.tabs(["Import a file", "History", "SQL sources", "Data health"])


def import_a_file() -> None:
    st.markdown("**1 · The file**")
    if not scope.can(Permission.IMPORT):
        return
    uploaded = uploaded_table(scope)
    if uploaded is None:
        return
    table, decimal = uploaded
    rows = len(table.frame)
    st.info(f"Read as {plain(table.describe())} · {rows:,} row{'' if rows == 1 else 's'}.")
    for note in table.notes:
        st.caption(note)
    key, start = starting_mapping(table, catalog, service.import_presets(scope))
    st.caption(f"Detected layout: {LAYOUT_TITLES[start.layout]}.")
    mapping = confirmed_mapping(table, start, catalog, decimal, key)
    preset_saver(scope, mapping, by)
    st.markdown("**3 · Preview, then import**")
    import_buttons(scope, workspace["currency"], table, mapping, by)


def history() -> None:
    entries = service.import_history(scope)
    history_table(entries)
    batch_id = undo_control(entries) if scope.can(Permission.IMPORT) else None
    if batch_id is not None and attempt(lambda: service.undo_import(scope, batch_id, typed_name=by))[0]:
        st.session_state["import_undone"] = batch_id
        st.rerun()
    if "import_undone" in st.session_state:
        st.success(f"Import #{st.session_state.pop('import_undone')} undone: its values are out and the values it "
                   "had replaced are back.")


def sql_sources() -> None:
    if not scope.can(Permission.ADMINISTER):
        st.caption("SQL sources are added and refreshed by the company's advisor.")
        return
    sources = service.sql_sources(scope)
    if "sql_added" in st.session_state:
        st.success(f"SQL source '{plain(st.session_state.pop('sql_added'))}' added. Run its query and map its columns.")
    with st.expander("Add a SQL source", expanded=not sources):
        added = add_source_form(scope, by)
    if added:
        st.session_state["sql_added"] = added
        st.rerun()
    if sources:
        source = st.selectbox("SQL source", sources, format_func=lambda s: s.name, key="sql_choice")
        source_panel(scope, workspace, source, catalog, by)


def data_health() -> None:
    st.caption("Per metric: the last month with data, months missing up to last month, and values far outside "
               "the metric's own history.")
    health_table(service.data_health(scope, clock.today()), catalog, workspace["currency"])


with file_tab:
    guarded(import_a_file, "reading or importing the file")
with history_tab:
    guarded(history, "the import history")
with sql_tab:
    guarded(sql_sources, "the SQL source")
with health_tab:
    guarded(data_health, "the data health check")
with st.expander("Sources of record: when two systems report the same number"):
    guarded(lambda: source_of_record_section(scope, catalog, by), "choosing the source of record")
