"""Data: bring your own numbers from files and SQL, see every import (and undo one), and check data health."""

from __future__ import annotations

import streamlit as st

import clock
from components.frame import page_header
from components.import_flow import (
    confirmed_mapping,
    guarded,
    import_buttons,
    preset_saver,
    starting_mapping,
    uploaded_table,
)
from components.import_results import health_table, history_table, undo_control
from components.presentation import presenting, share_safe_on
from components.source_of_record import source_of_record_section
from components.sql_panel import add_source_form, source_panel
from db import cached
from db.engine import engine_for
from db.imports import undo_import
from importers.mapping import LAYOUT_TITLES, with_new_metrics
from metrics.catalog import STANDARD_CATALOG

page = page_header("Data")
workspace, url = page.workspace, page.url
if presenting() or share_safe_on():  # an editing page, full of raw figures: not one to screen-share
    st.info("Bringing in data is not available while presenting or with share-safe on: this page shows raw "
            "figures. Turn presentation mode and share-safe off to import or check data.",
            icon=":material/visibility_off:")
    st.stop()
catalog = with_new_metrics(STANDARD_CATALOG, cached.custom_metrics(url, workspace["id"]))
by = st.text_input("Imported by", placeholder="Your name", key="import_by").strip()
file_tab, history_tab, sql_tab, health_tab = st.tabs(["Import a file", "History", "SQL sources", "Data health"])


def import_a_file() -> None:
    st.markdown("**1 · The file**")
    uploaded = uploaded_table(workspace["id"])
    if uploaded is None:
        return
    table, decimal = uploaded
    rows = len(table.frame)
    st.info(f"Read as {table.describe()} · {rows:,} row{'' if rows == 1 else 's'}.")
    for note in table.notes:
        st.caption(note)
    key, start = starting_mapping(table, catalog, cached.import_presets(url, workspace["id"]))
    st.caption(f"Detected layout: {LAYOUT_TITLES[start.layout]}.")
    mapping = confirmed_mapping(table, start, catalog, decimal, key)
    preset_saver(workspace["id"], mapping, by)
    st.markdown("**3 · Preview, then import**")
    import_buttons(workspace, table, mapping, by)


def history() -> None:
    entries = cached.import_history(url, workspace["id"])
    history_table(entries)
    batch_id = undo_control(entries)
    if batch_id is not None:
        try:
            undo_import(engine_for(url), workspace["id"], batch_id)
        except ValueError as error:
            st.error(str(error))
            return
        st.session_state["import_undone"] = batch_id
        st.rerun()
    if "import_undone" in st.session_state:
        st.success(f"Import #{st.session_state.pop('import_undone')} undone: its values are out and the values it "
                   "had replaced are back.")


def sql_sources() -> None:
    sources = cached.sql_sources(url, workspace["id"])
    if "sql_added" in st.session_state:
        st.success(f"SQL source '{st.session_state.pop('sql_added')}' added. Run its query and map its columns.")
    with st.expander("Add a SQL source", expanded=not sources):
        added = add_source_form(workspace["id"], by)
    if added:
        st.session_state["sql_added"] = added
        st.rerun()
    if sources:
        source = st.selectbox("SQL source", sources, format_func=lambda s: s.name, key="sql_choice")
        source_panel(workspace, source, catalog, by)


def data_health() -> None:
    st.caption("Per metric: the last month with data, months missing up to last month, and values far outside "
               "the metric's own history.")
    health_table(cached.data_health(url, workspace["id"], clock.today()), catalog, workspace["currency"])


with file_tab:
    guarded(import_a_file, "reading or importing the file")
with history_tab:
    guarded(history, "the import history")
with sql_tab:
    guarded(sql_sources, "the SQL source")
with health_tab:
    guarded(data_health, "the data health check")
with st.expander("Sources of record: when two systems report the same number"):
    guarded(lambda: source_of_record_section(workspace["id"], catalog, by), "choosing the source of record")
