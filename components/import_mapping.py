"""The mapping step: what each column holds, confirmed or changed by the user, and how to read the file."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import clock
from components.text import plain
from importers.cells import DateOrder
from importers.convert import SKIP_CHOICE, WHOLE_FILE_CHOICE
from importers.grain import Grain, WeekAnchor
from importers.mapping import (
    CRM_METRICS,
    IGNORE_METRIC,
    LAYOUT_ROLES,
    ROLE_TITLES,
    ColumnChoice,
    ImportMapping,
    Layout,
    NewMetric,
    Role,
    new_metric_key,
)
from importers.reading import SourceTable
from importers.suggest import distinct_text
from metrics.catalog import MANDATE_TITLES, STANDARD_CATALOG, Catalog, Mandate, MetricClass, Unit
from metrics.periods import add_months, month_label, month_start

NEW = "new"
UNITS = {Unit.COUNT: "Count", Unit.CURRENCY: "Money", Unit.PERCENT: "Percentage", Unit.SCORE: "Score",
         Unit.RATIO: "Ratio"}
CLASSES = {MetricClass.OUTPUT: "Output (activity)", MetricClass.OUTCOME: "Outcome (business result)"}
GRAINS = {None: "Detect from the dates", Grain.DAILY: "Daily", Grain.WEEKLY: "Weekly", Grain.MONTHLY: "Monthly"}
ORDERS = {DateOrder.AUTO: "Detect", DateOrder.DAY_FIRST: "Day first (31/01/2026)",
          DateOrder.MONTH_FIRST: "Month first (01/31/2026)"}
MONTHS_OFFERED = 36


def column_options(layout: Layout, catalog: Catalog, suggested: list[NewMetric]) -> list[str]:
    """Choices for a column: the layout's roles, then (for metric columns) every storable metric."""
    options = [r.value for r in LAYOUT_ROLES[layout] if r != Role.METRIC]
    if Role.METRIC in LAYOUT_ROLES[layout]:
        options += [f"metric:{m.key}" for m in catalog if not m.derived]
        options += [f"metric:{m.key}" for m in suggested if m.key not in catalog]
        options.append(NEW)
    return options


def option_label(option: str, catalog: Catalog, suggested: list[NewMetric]) -> str:
    if option == NEW:
        return "New metric…"
    if option.startswith("metric:"):
        key = option.removeprefix("metric:")
        if key in catalog:
            return f"Metric: {catalog[key].label}"
        new = next((m for m in suggested if m.key == key), None)
        return f"New metric: {new.label}" if new else key
    return ROLE_TITLES[Role(option)]


def chosen_option(choice: ColumnChoice) -> str:
    return f"metric:{choice.metric}" if choice.role == Role.METRIC and choice.metric else choice.role.value


def mapping_editor(table: SourceTable, start: ImportMapping, catalog: Catalog, key: str) -> ImportMapping:
    """Every column with a few of its values and a choice of what it holds; returns the confirmed mapping."""
    options = column_options(start.layout, catalog, start.new_metrics)
    mapping = start.model_copy(deep=True, update={"columns": {}, "new_metrics": []})
    st.caption("Check what each column holds. Breakdowns (campaign, ad group) are added up; segments "
               "(channel, platform) are kept apart. Columns you ignore are not imported.")
    channel_slots = {}
    for position, column in enumerate(table.columns):
        name_cell, choice_cell = st.columns([2, 3], vertical_alignment="center")
        samples = ", ".join(table.samples(column)) or "blank"
        name_cell.markdown(f"**{plain(column)}**  \n:gray[{plain(samples[:80])}]")
        before = start.columns.get(column, ColumnChoice())
        current = chosen_option(before)
        with choice_cell:
            option = st.selectbox(column, options, index=options.index(current) if current in options else 0,
                                  format_func=lambda o: option_label(o, catalog, start.new_metrics),
                                  key=f"{key}-column-{position}", label_visibility="collapsed")
            choice = _choice(option, column, catalog, start, mapping, f"{key}-new-{position}")
            mapping.columns[column] = _kept(before, choice)
            channel_slots[column] = (position, st.container())
    channel_names(mapping, start, channel_slots, key)
    undated_options(mapping, start, key)
    return mapping


def _kept(before: ColumnChoice, choice: ColumnChoice) -> ColumnChoice:
    """The new choice, keeping the channel name and the suggestion's note while the metric stays the same."""
    if choice.role != before.role or choice.metric != before.metric:
        return choice
    return choice.model_copy(update={"segment": before.segment, "confidence": before.confidence,
                                     "note": before.note})


def channel_names(mapping: ImportMapping, start: ImportMapping, slots: dict, key: str) -> None:
    """A "Channel" box under each column of a metric that several columns feed (tv_spend, search_spend…)."""
    metric_columns = mapping.metric_columns()
    feeding: dict[str, int] = {}
    for metric_key in metric_columns.values():
        feeding[metric_key] = feeding.get(metric_key, 0) + 1
    for column, metric_key in metric_columns.items():
        choice = mapping.columns[column]
        if feeding[metric_key] < 2 and not choice.segment:
            continue
        position, slot = slots[column]
        named = start.columns.get(column, ColumnChoice()).segment or column
        choice.segment = slot.text_input(
            "Channel", value=named[:120], max_chars=120, key=f"{key}-channel-{position}",
            help="Columns of one metric are kept apart as channels, each under its own name, and add up to the "
                 "metric's total.").strip()


def undated_options(mapping: ImportMapping, start: ImportMapping, key: str) -> None:
    """Without a date column, the whole file can be one month; rows without a date can be skipped."""
    mapping.whole_file_month = None
    if mapping.layout != Layout.CRM and not mapping.with_role(Role.DATE):
        if st.checkbox(WHOLE_FILE_CHOICE, value=start.whole_file_month is not None, key=f"{key}-whole"):
            mapping.whole_file_month = whole_file_month_picker(key)
            mapping.skip_undated = False  # every row has its month
            return
    mapping.skip_undated = st.checkbox(
        SKIP_CHOICE, value=start.skip_undated, key=f"{key}-skip",
        help="Rows that cannot be placed in time (a blank date) are left out, and the preview says how many and "
             "why. Without this, one missing date stops the import. Unreadable dates still do.")


def whole_file_month_picker(key: str) -> dt.date:
    """This month and the three years before it, newest first; last month to start with (a preset's month is
    the month of the file it was saved from, not of this one)."""
    this_month = month_start(clock.today())
    months = [add_months(this_month, -n) for n in range(MONTHS_OFFERED)]
    return st.selectbox("The month the file covers", months, index=1, format_func=month_label,
                        key=f"{key}-whole-month")


def _choice(option: str, column: str, catalog: Catalog, start: ImportMapping, mapping: ImportMapping,
            key: str) -> ColumnChoice:
    if option == NEW:
        taken = set(catalog.keys()) | {m.key for m in mapping.new_metrics}
        new = new_metric_form(column, taken, key)
        mapping.new_metrics.append(new)
        return ColumnChoice(role=Role.METRIC, metric=new.key)
    if option.startswith("metric:"):
        metric_key = option.removeprefix("metric:")
        suggested = next((m for m in start.new_metrics if m.key == metric_key and m.key not in catalog), None)
        if suggested is not None and suggested not in mapping.new_metrics:
            mapping.new_metrics.append(suggested)
        return ColumnChoice(role=Role.METRIC, metric=metric_key)
    return ColumnChoice(role=Role(option))


def new_metric_form(column: str, taken: set[str], key: str) -> NewMetric:
    """Label, unit, output or outcome, and mandate of a metric this workspace defines itself."""
    with st.container(border=True):
        label = st.text_input("Name of the new metric", value=column[:80], key=f"{key}-label",
                              max_chars=80).strip() or column[:80] or "New metric"
        unit_cell, class_cell, mandate_cell = st.columns(3)
        unit = unit_cell.selectbox("Unit", list(UNITS), format_func=UNITS.get, key=f"{key}-unit")
        metric_class = class_cell.selectbox("Output or outcome", list(CLASSES), format_func=CLASSES.get,
                                            key=f"{key}-class")
        mandate = mandate_cell.selectbox("Mandate", [Mandate.GROWTH, Mandate.BRAND], format_func=MANDATE_TITLES.get,
                                         key=f"{key}-mandate")
    return NewMetric(key=new_metric_key(label, taken), label=label, unit=unit, metric_class=metric_class,
                     mandate=mandate)


def reading_options(mapping: ImportMapping, start: ImportMapping, detected: Grain | None, key: str) -> None:
    """Grain, week anchor and date order, filled into ``mapping`` (detected values are the defaults)."""
    grain_cell, week_cell, order_cell = st.columns(3)
    grains = list(GRAINS)
    label = f"Detect from the dates ({detected.value})" if detected else GRAINS[None]
    mapping.grain = grain_cell.selectbox("Rows are", grains, index=grains.index(start.grain),
                                         format_func=lambda g: label if g is None else GRAINS[g], key=f"{key}-grain")
    anchors = list(WeekAnchor)
    mapping.week_anchor = week_cell.selectbox(
        "A weekly row's date is", anchors, index=anchors.index(start.week_anchor), key=f"{key}-anchor",
        format_func=lambda a: "the week's first day" if a == WeekAnchor.START else "the week's last day",
        help="A week that straddles two months is split between them by its days.")
    orders = list(ORDERS)
    mapping.date_order = order_cell.selectbox("Dates like 01/03/2026", orders, index=orders.index(start.date_order),
                                              format_func=ORDERS.get, key=f"{key}-order")


def crm_options(table: SourceTable, mapping: ImportMapping, key: str) -> None:
    """Which stages count as won or lost, which lead sources are marketing, which figures to derive."""
    stage, source = mapping.first(Role.STAGE), mapping.first(Role.LEAD_SOURCE)
    stages = distinct_text(table, stage) if stage else []
    won_cell, lost_cell = st.columns(2)
    mapping.won_stages = won_cell.multiselect("Stages that mean won", stages, key=f"{key}-won",
                                              default=[s for s in mapping.won_stages if s in stages])
    mapping.lost_stages = lost_cell.multiselect("Stages that mean lost", stages, key=f"{key}-lost",
                                                default=[s for s in mapping.lost_stages if s in stages])
    if source:
        sources = distinct_text(table, source)
        mapping.marketing_sources = st.multiselect(
            "Lead sources that are marketing", sources, key=f"{key}-marketing",
            default=[s for s in mapping.marketing_sources if s in sources],
            help="Won deals from these sources count as marketing-sourced revenue.")
    mapping.crm_metrics = st.multiselect("Figures to import", list(CRM_METRICS), key=f"{key}-metrics",
                                         default=[m for m in mapping.crm_metrics if m in CRM_METRICS],
                                         format_func=lambda k: STANDARD_CATALOG[k].label)


def metric_name_options(mapping: ImportMapping, catalog: Catalog, key: str, limit: int = 40) -> None:
    """Long files: which metric each name in the metric column is (or ignore its rows)."""
    options = ["", IGNORE_METRIC, *[m.key for m in catalog if not m.derived]]
    labels = {"": "— choose —", IGNORE_METRIC: "Ignore these rows",
              **{m.key: m.label for m in catalog if not m.derived}}
    for position, (name, chosen) in enumerate(list(mapping.metric_names.items())[:limit]):
        mapping.metric_names[name] = st.selectbox(
            f"'{name}' is", options, index=options.index(chosen) if chosen in options else 0,
            format_func=labels.get, key=f"{key}-name-{position}")
    if len(mapping.metric_names) > limit:
        st.caption(f"{len(mapping.metric_names) - limit} more names: save a preset and adjust it, or rename them.")
