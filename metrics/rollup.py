"""Roll raw observations up to months, following each metric's aggregation rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalog import Aggregation, Catalog
from metrics.validation import parse_dates

ROLLUP_COLUMNS = ["metric_key", "month", "segment", "value", "weight"]


def monthly_rollup(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Validated long rows (date, metric, value[, segment, weight]) to one row per metric, month, segment."""
    data = pd.DataFrame({
        "metric_key": frame["metric"].astype(str).to_numpy(),
        "date": parse_dates(frame["date"]).to_numpy(),
        "segment": frame["segment"].fillna("").astype(str).to_numpy() if "segment" in frame else "",
        "value": pd.to_numeric(frame["value"]).to_numpy(dtype=float),
        "weight": pd.to_numeric(frame["weight"]).to_numpy(dtype=float) if "weight" in frame else 1.0,
    })
    data["month"] = data["date"].to_numpy().astype("datetime64[M]")
    rule = data["metric_key"].map({m.key: m.aggregation.value for m in catalog})
    parts = [_rollup(data[rule == agg.value], agg) for agg in Aggregation]
    result = pd.concat([p for p in parts if not p.empty] or [pd.DataFrame(columns=ROLLUP_COLUMNS)])
    result["month"] = pd.to_datetime(result["month"]).dt.date
    return result[ROLLUP_COLUMNS].sort_values(["metric_key", "month", "segment"]).reset_index(drop=True)


def _rollup(data: pd.DataFrame, aggregation: Aggregation) -> pd.DataFrame:
    if data.empty:
        return data
    keys = ["metric_key", "month", "segment"]
    if aggregation == Aggregation.SUM:
        out = data.groupby(keys, sort=False, observed=True)["value"].sum().reset_index()
        out["weight"] = 1.0
        return out
    if aggregation in (Aggregation.FIRST, Aggregation.LAST):
        ordered = data.sort_values("date", kind="stable")
        keep = "first" if aggregation == Aggregation.FIRST else "last"
        out = ordered.drop_duplicates(keys, keep=keep)[keys + ["value"]]
        out = out.assign(weight=1.0)
        return out
    weighted = data.assign(vw=data["value"] * data["weight"])
    out = weighted.groupby(keys, sort=False, observed=True)[["vw", "weight"]].sum().reset_index()
    out["value"] = np.where(out["weight"] > 0, out["vw"] / out["weight"].where(out["weight"] > 0, 1), np.nan)
    return out.drop(columns="vw")
