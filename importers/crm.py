"""CRM opportunity rows to monthly figures: opportunities and pipeline by created date; deals won and lost,
new bookings and marketing-sourced revenue by close date.

A CRM export lists every deal, so a month inside the export's range with no lost deal has zero lost deals
(not "no data"); those zeros are written too, so win rate has both of its inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from importers.cells import DateColumn
from importers.convert import Context, check_cell_units, check_duplicates, codes_of, empty_long, segments
from importers.mapping import Role

BY_CREATED = ("opportunities", "pipeline_created")
BY_CLOSE = ("deals_won", "deals_lost", "new_bookings", "marketing_sourced_revenue")


def crm_rows(ctx: Context) -> tuple[pd.DataFrame, DateColumn]:
    mapping, frame = ctx.mapping, ctx.frame
    stage_column, amount_column = mapping.first(Role.STAGE) or "", mapping.first(Role.AMOUNT) or ""
    stage = frame[stage_column].astype("str").str.strip().str.lower().to_numpy(dtype=object)
    present = frame[stage_column].notna().to_numpy() | frame[amount_column].notna().to_numpy()
    won = np.isin(stage, [s.strip().lower() for s in mapping.won_stages])
    lost = np.isin(stage, [s.strip().lower() for s in mapping.lost_stages]) & ~won
    amounts = _amounts(ctx, amount_column, present, won)
    created = _dates(ctx, Role.CREATED_DATE, present)
    closed = _dates(ctx, Role.CLOSE_DATE, present & (won | lost))
    _check_ids(ctx, present)
    segment_codes, segment_labels = segments(ctx, mapping.with_role(Role.SEGMENT), present)
    keep = ctx.kept(present)
    segment = np.asarray(segment_labels, dtype=object)[segment_codes]
    rows = ctx.table.rows
    wanted = set(mapping.crm_metrics)
    parts = []
    if created is not None:
        parts += _family(created, keep, segment, rows, {
            "opportunities": np.ones(len(frame)), "pipeline_created": np.nan_to_num(amounts)}, wanted)
    if closed is not None:
        marketing = _marketing(ctx)
        parts += _family(closed, keep & (won | lost), segment, rows, {
            "deals_won": won * 1.0, "deals_lost": lost * 1.0, "new_bookings": np.where(won, amounts, 0.0),
            "marketing_sourced_revenue": np.where(won & marketing, amounts, 0.0) if marketing is not None else None,
        }, wanted)
    long = pd.concat(parts, ignore_index=True) if parts else empty_long()
    dates = created if created is not None else closed
    return long, dates if dates is not None else _no_dates(len(frame))


def _amounts(ctx: Context, column: str, present: np.ndarray, won: np.ndarray) -> np.ndarray:
    numbers = ctx.numbers(column)
    raw = ctx.frame[column]
    ctx.log.cells(present & numbers.bad, column, "not a number: {value}", raw)
    ctx.log.cells(present & (numbers.values < 0), column, "the amount cannot be negative: {value}", raw)
    ctx.log.cells(present & won & np.isnan(numbers.values) & ~numbers.bad, column, "a won deal needs an amount")
    check_cell_units(ctx, column, ctx.catalog["new_bookings"], numbers, raw, present)
    return numbers.values


def _dates(ctx: Context, role: Role, rows: np.ndarray) -> DateColumn | None:
    column = ctx.mapping.first(role)
    return ctx.dates(column, rows) if column else None


def _check_ids(ctx: Context, present: np.ndarray) -> None:
    column = ctx.mapping.first(Role.DEAL_ID)
    if column is None:
        return
    has_id = ctx.frame[column].notna().to_numpy() & present
    check_duplicates(ctx, codes_of(ctx.frame[column]), has_id, column, "opportunity ID")


def _marketing(ctx: Context) -> np.ndarray | None:
    column = ctx.mapping.first(Role.LEAD_SOURCE)
    if column is None:
        return None
    sources = ctx.frame[column].astype("str").str.strip().str.lower().to_numpy(dtype=object)
    return np.isin(sources, [s.strip().lower() for s in ctx.mapping.marketing_sources])


def _family(dates: DateColumn, rows_kept: np.ndarray, segment: np.ndarray, rows: np.ndarray,
            values: dict[str, np.ndarray | None], wanted: set[str]) -> list[pd.DataFrame]:
    """Long rows for metrics dated the same way, plus zero rows for every month of their range."""
    keep = rows_kept & ~np.isnat(dates.values)
    if not keep.any():
        return []
    day = dates.values[keep].astype("datetime64[D]").astype("datetime64[ns]")
    months = pd.period_range(dates.values[keep].min(), dates.values[keep].max(), freq="M").to_timestamp()
    parts = []
    for key, value in values.items():
        if value is None or key not in wanted:
            continue
        parts.append(pd.DataFrame({"date": day, "metric": key, "value": value[keep], "segment": segment[keep],
                                   "weight": 1.0, "row": rows[keep]}))
        for label in pd.unique(segment[keep]):
            parts.append(pd.DataFrame({"date": months.to_numpy(dtype="datetime64[ns]"), "metric": key, "value": 0.0,
                                       "segment": label, "weight": 1.0, "row": int(rows[keep].min())}))
    return parts


def _no_dates(size: int) -> DateColumn:
    return DateColumn(np.full(size, np.datetime64("NaT"), dtype="datetime64[ns]"), np.zeros(size, dtype=bool))
