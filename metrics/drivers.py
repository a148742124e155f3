"""Which outputs are meant to drive which outcomes: the default map, as data, and a workspace's own version.

The default follows the path a buyer takes: attention (impressions, engagement, content) and visits should
turn into pipeline and bookings, and impressions, clicks, visits and spend into revenue; leads into pipeline;
sales steps into pipeline and won deals; cheaper leads into cheaper customers; share of voice into awareness.
A workspace can change any output's line.
"""

from __future__ import annotations

from collections.abc import Mapping

from metrics.catalog import Catalog, MetricClass

DriverMap = dict[str, tuple[str, ...]]
DriverLines = Mapping[str, tuple[str, ...] | list[str]]  # a map as read from a form or the database

_REVENUE = ("pipeline_created", "new_bookings")
# Attention, visits and spend are meant to end in revenue too: a company that tracks only revenue and its
# activity (no CRM) still sees whether the activity pays.
_TO_REVENUE = (*_REVENUE, "revenue")

DEFAULT_DRIVERS: DriverMap = {
    "impressions": _TO_REVENUE,
    "clicks": _TO_REVENUE,
    "ctr": ("pipeline_created",),
    "engagements": _REVENUE,
    "engagement_rate": ("pipeline_created",),
    "content_published": _REVENUE,
    "sessions": _TO_REVENUE,
    "mqls": _REVENUE,
    "cost_per_mql": ("cac",),
    "sqls": ("pipeline_created", "deals_won"),
    "opportunities": ("pipeline_created", "deals_won"),
    "marketing_spend": _TO_REVENUE,
    "share_of_voice": ("aided_awareness",),
}


def check_driver_map(catalog: Catalog, mapping: DriverLines) -> list[str]:
    """Every reason the map cannot be used: unknown metrics, or an output and outcome the wrong way round."""
    problems: list[str] = []
    for output, outcomes in mapping.items():
        metric = catalog.get(output)
        if metric is None or metric.metric_class != MetricClass.OUTPUT:
            problems.append(f"{output!r} is not an output metric")
        for outcome in outcomes:
            target = catalog.get(outcome)
            if target is None or target.metric_class != MetricClass.OUTCOME:
                problems.append(f"{outcome!r} (driven by {output!r}) is not an outcome metric")
    return problems


def effective_drivers(catalog: Catalog, overrides: DriverLines | None = None) -> DriverMap:
    """The default map with a workspace's overrides laid on top (an empty line means 'drives nothing').

    Metrics the catalog does not know are left out, so a removed custom metric never breaks the page.
    """
    merged = {**DEFAULT_DRIVERS, **{k: tuple(v) for k, v in (overrides or {}).items()}}
    return {
        output: tuple(o for o in outcomes if o in catalog)
        for output, outcomes in merged.items()
        if output in catalog and outcomes
    }


def drivers_of(mapping: DriverMap, outcome: str) -> list[str]:
    """The outputs meant to drive ``outcome``, in map order."""
    return [output for output, outcomes in mapping.items() if outcome in outcomes]


def changed_lines(old: DriverMap, new: DriverLines) -> dict[str, tuple[str, ...]]:
    """The outputs whose line differs between two maps (what a save has to write)."""
    keys = set(old) | set(new)
    return {k: tuple(new.get(k, ())) for k in sorted(keys) if tuple(old.get(k, ())) != tuple(new.get(k, ()))}
