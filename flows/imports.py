"""The steps of importing a file: upload, how it was read, mapping, dry run, import with a progress bar.

Everything a step keeps between reruns (the file read, the preview, whether it passed) lives in the company's
own corner of the session (``company_state``): switching company drops it, and a preview of one company's
file can never enable an import into another.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import streamlit as st

from components.import_mapping import crm_options, mapping_editor, metric_name_options, reading_options
from components.import_results import outcome_summary, problems_table
from components.text import plain
from db import service
from db.access import Permission, Scope
from db.imports import ImportOutcome, Progress, save_preset
from db.overlaps import CHOICE_TITLES, OverlapChoice
from flows.saving import save
from importers.convert import detected_grain
from importers.mapping import LAYOUT_TITLES, ImportMapping, Layout
from importers.reading import SourceTable, read_file
from importers.suggest import apply_preset, suggest
from metrics.catalog import Catalog
from metrics.validation import ImportRejected
from settings import get_settings

log = logging.getLogger(__name__)
SUGGESTED = "Suggested by Alignboard"
DECIMALS = {"auto": "Detect", ".": "Point (1,234.56)", ",": "Comma (1.234,56)"}
FILE_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm"]


COMPANY_STATE_PREFIX = "_company_state_"


def company_state(scope: Scope) -> dict:
    """What the import steps keep for this company between reruns (dropped when another company is chosen)."""
    key = f"{COMPANY_STATE_PREFIX}{scope.workspace_id}"
    for other in [k for k in st.session_state if str(k).startswith(COMPANY_STATE_PREFIX) and k != key]:
        del st.session_state[other]
    return st.session_state.setdefault(key, {})


def uploaded_table(scope: Scope) -> tuple[SourceTable, str] | None:
    """The uploaded file read into a table (once per file and reading choice), and its decimal choice."""
    max_mb = get_settings().max_upload_mb
    state = company_state(scope)
    upload = st.file_uploader(f"CSV or Excel file (up to {max_mb} MB)", type=FILE_TYPES, max_upload_size=max_mb,
                              key=f"import_upload_{scope.workspace_id}")
    if upload is None:
        st.caption("Wide sheets (a date column, one column per metric), long sheets (date, metric, value), "
                   "ad-platform exports and CRM opportunity exports are recognised.")
        return None
    decimal_cell, sheet_cell = st.columns(2)
    decimal = decimal_cell.selectbox("Decimal mark", list(DECIMALS), format_func=DECIMALS.get, key="import_decimal")
    sheet_key = f"import_sheet_{upload.file_id}"
    key = (upload.file_id, st.session_state.get(sheet_key), decimal)
    if state.get("table_key") != key:
        with st.spinner("Reading the file…"):
            table = read_file(upload.name, upload.getvalue(), max_mb, key[1], None if decimal == "auto" else decimal)
        state["table"], state["table_key"] = table, (upload.file_id, table.sheet or None, decimal)
    table = state["table"]
    if table.sheets:
        sheet_cell.selectbox("Sheet", table.sheets, index=table.sheets.index(table.sheet), key=sheet_key)
    return table, decimal


def starting_mapping(table: SourceTable, catalog: Catalog,
                     presets: dict[str, ImportMapping]) -> tuple[str, ImportMapping]:
    """The suggested mapping or a saved preset applied to this file; the user may change the layout.

    Returns the widget-key prefix for this file, start and layout (so a new file starts fresh) and the mapping.
    """
    choice = st.selectbox("Start from", [SUGGESTED, *presets], key="import_preset_choice",
                          help="Presets are mappings saved for this client company, to reuse next month.")
    if choice == SUGGESTED:
        start = suggest(table, catalog)
    else:
        start, missing = apply_preset(presets[choice], table, catalog)
        if missing:
            st.warning(plain(f"This file lacks columns the preset expects: {', '.join(missing)}"))
    layouts = list(Layout)
    file_key = table.digest[:12]
    layout = st.selectbox("Layout", layouts, index=layouts.index(start.layout), format_func=LAYOUT_TITLES.get,
                          key=f"import_layout_{file_key}_{choice}")
    if layout != start.layout:
        start = suggest(table, catalog, layout)
    return f"{file_key}-{choice}-{layout.value}", start


def confirmed_mapping(table: SourceTable, start: ImportMapping, catalog: Catalog, decimal: str,
                      key: str, named: bool = True) -> ImportMapping:
    """The mapping step; ``named`` asks for the source name (a SQL source is always named after itself)."""
    with st.container(border=True):
        st.markdown("**2 · What each column holds**")
        mapping = mapping_editor(table, start, catalog, key)
        mapping.decimal = decimal
        detected = detected_grain(table, mapping)
        found = f" · rows look {detected.value}" if detected else ""
        with st.expander(f"How to read the dates{found}", expanded=False):
            reading_options(mapping, start, detected, key)
        if mapping.layout == Layout.CRM:
            with st.expander("Stages and lead sources", expanded=True):
                crm_options(table, mapping, key)
        if mapping.layout == Layout.LONG and mapping.metric_names:
            with st.expander("Metric names in the file", expanded=True):
                metric_name_options(mapping, catalog, key)
        if named:
            mapping.source_name = st.text_input(
                "Source name", value=start.source_name, key=f"{key}-source", max_chars=255,
                help="Re-importing the same source replaces its values for the months in the file; other sources "
                     "stay.")
    return mapping


def preset_saver(scope: Scope, mapping: ImportMapping, by: str) -> None:
    name_cell, button_cell = st.columns([3, 1], vertical_alignment="bottom")
    name = name_cell.text_input("Save this mapping as a preset", placeholder="e.g. Google Ads monthly export",
                                key="import_preset_name")
    if button_cell.button("Save preset", key="import_preset_save") and name.strip():
        if save(scope, Permission.IMPORT, "preset.saved",
                lambda session: save_preset(session, scope.workspace_id, name, mapping, scope.named(by)),
                typed_name=by, detail={"preset": name.strip()}):
            st.toast(f"Preset '{plain(name.strip())}' saved.")


def fingerprint(scope: Scope, table: SourceTable, mapping: ImportMapping) -> str:
    """Which company, file and mapping a dry run was for: importing needs a passed dry run of exactly these."""
    return hashlib.sha256(f"{scope.workspace_id}|{table.digest}|{mapping.model_dump_json()}".encode()).hexdigest()


def run_import_with(action: Callable[[Progress], ImportOutcome]) -> ImportOutcome:
    """Run an import step with a progress bar that follows it (and disappears when it is done)."""
    bar = st.progress(0.0, text="Starting…")
    try:
        return action(lambda share, text: bar.progress(min(max(share, 0.0), 1.0), text=text))
    finally:
        bar.empty()


def run_import(scope: Scope, table: SourceTable, mapping: ImportMapping, by: str,
               dry_run: bool, **choices: object) -> ImportOutcome:
    return run_import_with(lambda progress: service.import_file(
        scope, table, mapping, typed_name=by, dry_run=dry_run, progress=progress, **choices))


def overlap_choice(outcome: ImportOutcome) -> dict | None:
    """When the file's months already come from another source (or the file is already in), say so and ask
    what to do; returns the import's choices, or None while nothing is chosen."""
    if not outcome.needs_choice:
        return {}
    sentences = ([outcome.identical.sentence()] if outcome.identical else []) + [o.sentence() for o in
                                                                                 outcome.overlaps]
    st.warning(plain(". ".join(sentences) + ". Adding them up would count these figures twice: choose what this "
                     "file is."), icon=":material/call_split:")
    options = [OverlapChoice.REPLACE] if outcome.identical else list(CHOICE_TITLES)
    choice = st.radio("What should this file do?", options, index=None, format_func=CHOICE_TITLES.get,
                      key="import_overlap_choice")
    if choice is None:
        return None
    return {"overlap": choice, "replace_identical": outcome.identical is not None}


def import_buttons(scope: Scope, currency: str, table: SourceTable, mapping: ImportMapping, by: str) -> None:
    """Dry run first; Import only once a dry run of this very file and mapping has passed in this company, and,
    where another source already has its months, once the user has said what the file is."""
    state, stamp = company_state(scope), fingerprint(scope, table, mapping)
    preview = state.get("preview")
    choices = overlap_choice(preview[1]) if preview and preview[0] == stamp and preview[1].accepted \
        and state.get("done") != stamp else {}
    passed = state.get("passed") == stamp and choices is not None
    dry_cell, import_cell = st.columns(2)
    if dry_cell.button("Preview (dry run)", key="import_dry_run", width="stretch"):
        state.pop("done", None)
        outcome = run_import(scope, table, mapping, by, dry_run=True)
        state["preview"], state["passed"] = (stamp, outcome), stamp if outcome.accepted else None
        st.session_state.pop("import_overlap_choice", None)
        st.rerun()  # draw the preview, and the question about other sources, above the Import button
    clicked = import_cell.button("Import", type="primary", key="import_run", disabled=not passed, width="stretch",
                                 help=None if passed else "Run the preview (dry run) of this file and mapping first"
                                 " (and choose what the file is, where its months already come from elsewhere).")
    if clicked and scope.single_user and not by:
        st.error("Type your name in 'Imported by' so the history says who imported the file.")
    elif clicked:
        outcome = run_import(scope, table, mapping, by, dry_run=False, **(choices or {}))
        state["preview"], state["passed"], state["done"] = (stamp, outcome), None, stamp
    preview = state.get("preview")
    if preview and preview[0] == stamp:
        outcome_summary(preview[1], currency, dry_run=state.get("done") != stamp)
        if state.get("done") == stamp and preview[1].accepted:
            st.page_link("pages/one_view.py", label="See it in the one view", icon=":material/dashboard:")


def guarded(step: Callable[[], None], what: str) -> None:
    """Run a step of the page; a file that cannot be read shows its problems, anything else a short apology."""
    try:
        step()
    except ImportRejected as rejected:
        problems_table(rejected.problems, dry_run=False)
    except Exception as error:
        if type(error).__name__ in ("RerunException", "StopException"):
            raise  # Streamlit's own control flow (st.rerun, st.stop)
        log.exception("data page: %s failed", what)
        st.error(f"Sorry, {what} failed and nothing was changed. Try again; if it keeps failing, the server log "
                 "has the details.")
