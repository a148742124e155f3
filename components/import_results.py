"""What an import found and changed, the import history, and the data health table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.text import plain
from importers.summary import change_lines, problem_counts
from metrics.catalog import Catalog
from metrics.formatting import format_value
from metrics.health import MetricHealth
from metrics.periods import month_label

SHOWN_PROBLEMS = 2000


def outcome_summary(outcome, currency: str, dry_run: bool) -> None:  # noqa: ANN001 - db.imports.ImportOutcome
    """Rows read and rejected, periods and grain; then the problems, or what changes."""
    conversion = outcome.conversion
    rejected_rows = {p.row for p in outcome.problems if p.row is not None}
    read, rejected, periods, grain = st.columns([1, 1, 3, 1])
    read.metric("Rows read", f"{conversion.rows_read:,}")
    rejected.metric("Rows rejected", f"{max(conversion.rows_rejected, len(rejected_rows)):,}")
    periods.metric("Periods", conversion.periods_text())
    grain.metric("Grain", conversion.grain.value if conversion.grain else "—")
    how = [f"dates read as {conversion.date_format}" if conversion.date_format else "",
           f"decimal mark '{conversion.decimal}'" if conversion.decimal else "", *conversion.notes]
    st.caption(plain(" · ".join(h for h in how if h)))
    found_in_conversion(conversion, outcome.catalog)
    if outcome.problems:
        problems_table(outcome.problems, dry_run)
    elif outcome.result is not None:
        changes_table(outcome, currency, dry_run)


def found_in_conversion(conversion, catalog: Catalog) -> None:  # noqa: ANN001 - importers.convert.Conversion
    """Rows skipped for want of a date, and the months the file covers only in part."""
    if conversion.skipped_rows:
        st.info(plain("Skipped: " + "; ".join(conversion.skipped_notes) + "."), icon=":material/event_busy:")
    partial = conversion.partial_months({m.key: m.label for m in catalog})
    if partial:
        st.caption(plain("Partial months: " + "; ".join(partial)))


def problems_table(problems: list, dry_run: bool) -> None:
    verb = "would be" if dry_run else "was"
    st.error(f"{len(problems):,} problem(s) found: nothing {verb} imported. Fix the file or the mapping and "
             "try again; every problem is listed below.")
    groups = pd.DataFrame(problem_counts(problems), columns=["Column", "Problem", "Rows", "First rows"])
    st.dataframe(groups, hide_index=True, width="stretch")
    with st.expander(f"Every problem ({min(len(problems), SHOWN_PROBLEMS):,} shown)"):
        rows = [{"File": p.file, "Row": p.row, "Column": p.column or "", "Problem": p.reason}
                for p in problems[:SHOWN_PROBLEMS]]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def changes_table(outcome, currency: str, dry_run: bool) -> None:  # noqa: ANN001 - db.imports.ImportOutcome
    result = outcome.result
    lines = change_lines(list(result.changes), outcome.catalog, currency)
    moved = [line for line in lines if line.kind != "same"]
    if dry_run:
        st.success(f"Dry run passed: nothing written yet. Importing as source '{plain(outcome.source_name)}' would "
                   f"change {len(moved)} of {len(lines)} monthly value(s) and replace {result.replaced} earlier "
                   "value(s) of this source.")
    else:
        st.success(f"Imported as source '{plain(outcome.source_name)}' (import #{result.batch_id}): {len(moved)} "
                   f"monthly value(s) changed, {result.replaced} earlier value(s) of this source replaced.")
    if moved:
        frame = pd.DataFrame([{"Month": month_label(c.month), "Metric": c.metric, "Before": c.before,
                               "After": c.after, "Change": c.change, "": c.kind} for c in moved])
        st.dataframe(frame, hide_index=True, width="stretch", height=min(38 + 35 * len(frame), 420))


def history_table(entries: list) -> None:
    """The workspace's imports: who, when, which file and digest, rows, periods, and whether undone."""
    if not entries:
        st.caption("No imports yet.")
        return
    rows = [{"Import": f"#{e.batch_id}", "When": e.created_at, "By": e.created_by, "Source": e.source_name,
             "File": e.file_name, "Rows": e.rows, "Periods": _periods(e.period_start, e.period_end),
             "Status": e.status, "SHA-256": e.file_digest[:16]} for e in entries]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def undo_control(entries: list) -> int | None:
    """Pick an active import and undo it; returns its id when the button is pressed."""
    active = [e for e in entries if e.status == "active"]
    if not active:
        return None
    labels = {e.batch_id: f"#{e.batch_id} · {e.file_name or e.source_name} · {e.created_at:%Y-%m-%d %H:%M}"
              for e in active}
    chosen = st.selectbox("Import to undo", list(labels), format_func=labels.get, key="undo_choice")
    st.caption("Undoing takes the import's values out and brings back the values it had replaced.")
    return chosen if st.button("Undo this import", key="undo_button") else None


def _periods(start, end) -> str:  # noqa: ANN001 - dates or None
    if start is None:
        return ""
    return month_label(start) if start == end else f"{month_label(start)} – {month_label(end)}"


def health_table(report: list[MetricHealth], catalog: Catalog, currency: str) -> None:
    """Per metric: the last month with data, months missing, and values far from the metric's usual."""
    if not report:
        st.caption("No figures yet.")
        return
    gaps, odd = sum(bool(h.missing) for h in report), sum(bool(h.outliers) for h in report)
    st.caption(f"{len(report)} metrics with data · {gaps} with missing months · {odd} with unusual values "
               "(more than 3.5 robust standard deviations from their own median month).")
    rows = [_health_row(h, catalog, currency) for h in report]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 1400))


def _health_row(health: MetricHealth, catalog: Catalog, currency: str) -> dict:
    metric = catalog.get(health.key)
    shown = [f"{month_label(o.month)}: {format_value(o.value, metric.unit, currency) if metric else o.value}"
             for o in health.outliers[:4]]
    missing = ", ".join(month_label(m) for m in health.missing[:6]) + ("…" if len(health.missing) > 6 else "")
    return {"Metric": health.label, "Status": "OK" if health.ok else "Check", "Last month": month_label(
        health.last_month), "Missing months": f"{len(health.missing)}: {missing}" if health.missing else "none",
        "Unusual values": "; ".join(shown) or "none"}
