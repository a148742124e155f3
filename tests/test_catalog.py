"""The metric catalog is complete, documented, and refuses definitions that cannot be computed."""

from __future__ import annotations

import pytest

from metrics.catalog import (
    STANDARD_CATALOG,
    Aggregation,
    Band,
    Catalog,
    Direction,
    Mandate,
    Metric,
    MetricClass,
    Unit,
)
from metrics.glossary import glossary_markdown
from settings import PROJECT_ROOT

GLOSSARY = PROJECT_ROOT / "docs" / "metrics.md"
REQUIRED_KEYS = [
    "revenue", "new_bookings", "gross_margin", "nrr", "grr", "churn_rate", "marketing_spend", "impressions",
    "clicks", "sessions", "content_published", "engagements", "mqls", "sqls", "pipeline_created",
    "marketing_sourced_share", "nps", "decision_confidence", "aided_awareness", "share_of_voice", "ctr", "cac",
    "win_rate", "pipeline_per_marketing_dollar", "ltv", "ltv_to_cac", "cac_payback_months",
]
ALL_METRICS = list(STANDARD_CATALOG)


def test_at_least_25_metrics() -> None:
    assert len(STANDARD_CATALOG) >= 25


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_required_metric_exists(key: str) -> None:
    assert key in STANDARD_CATALOG


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.key)
def test_every_metric_is_fully_described(metric: Metric) -> None:
    assert len(metric.description) >= 10 and metric.label
    assert isinstance(metric.unit, Unit)
    assert isinstance(metric.metric_class, MetricClass)
    assert isinstance(metric.mandate, Mandate)
    assert isinstance(metric.direction, Direction)
    assert isinstance(metric.band, Band)
    assert metric.source.startswith("https://"), f"{metric.key} needs a public source"


def test_bands_classes_and_mandates_are_all_used() -> None:
    assert {m.band for m in STANDARD_CATALOG} == set(Band)
    assert {m.metric_class for m in STANDARD_CATALOG} == set(MetricClass)
    assert {m.mandate for m in STANDARD_CATALOG} == set(Mandate)


@pytest.mark.parametrize(
    ("key", "metric_class", "mandate"),
    [("impressions", "output", "brand"), ("clicks", "output", "growth"), ("content_published", "output", "brand"),
     ("revenue", "outcome", "growth"), ("nrr", "outcome", "growth"), ("decision_confidence", "outcome", "brand")],
)
def test_outputs_and_outcomes(key: str, metric_class: str, mandate: str) -> None:
    assert (STANDARD_CATALOG[key].metric_class, STANDARD_CATALOG[key].mandate) == (metric_class, mandate)


@pytest.mark.parametrize("metric", [m for m in ALL_METRICS if m.derived], ids=lambda m: m.key)
def test_derived_metrics_read_only_base_metrics(metric: Metric) -> None:
    for name in metric.inputs:
        assert name == "months" or not STANDARD_CATALOG[name].derived


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.key)
def test_glossary_lists_metric_with_formula_and_source(metric: Metric) -> None:
    lines = [line for line in GLOSSARY.read_text().splitlines() if f"| `{metric.key}` |" in line]
    assert len(lines) == 1, f"{metric.key} should appear once in docs/metrics.md"
    assert metric.label in lines[0] and metric.source in lines[0]
    if metric.formula:
        assert f"`{metric.formula}`" in lines[0]


def test_committed_glossary_is_the_generated_one() -> None:
    assert GLOSSARY.read_text() == glossary_markdown(), "run: python -m metrics.glossary > docs/metrics.md"


def custom(key: str, **extra: object) -> Metric:
    fields = {"label": key.title(), "description": "A metric made up for a test.", "unit": Unit.COUNT,
              "metric_class": MetricClass.OUTPUT, "mandate": Mandate.GROWTH, "direction": Direction.UP,
              "band": Band.CAMPAIGNS}
    return Metric(key=key, **{**fields, **extra})


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([custom("demo_rate", formula="demos / clicks", unit=Unit.PERCENT)], "'demos'"),
        ([custom("ctr_per_click", formula="ctr / clicks")], "'ctr'"),  # a derived metric is not an input
        ([custom("clicks")], "defined twice"),
        ([custom("clicks_squared", formula="clicks ** 2")], "Pow is not allowed"),  # + - * / only
        ([custom("booked", aggregation=Aggregation.WEIGHTED_AVERAGE, weight_key="responses")], "'responses'"),
    ],
)
def test_catalog_rejects_what_it_cannot_compute(extra: list[Metric], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        STANDARD_CATALOG.with_custom(extra)


@pytest.mark.parametrize(
    "fields",
    [
        {"aggregation": Aggregation.WEIGHTED_AVERAGE},  # weighted without a weight
        {"weight_key": "clicks"},  # a weight on a sum
        {"description": "short"},
    ],
)
def test_metric_definition_is_checked(fields: dict) -> None:
    with pytest.raises(ValueError):
        custom("demo", **fields)


def test_custom_metric_joins_the_catalog() -> None:
    catalog = STANDARD_CATALOG.with_custom([custom("demos"), custom("demo_rate", formula="demos / clicks")])
    assert len(catalog) == len(STANDARD_CATALOG) + 2
    assert catalog["demo_rate"].inputs == ("demos", "clicks")
    assert "demos" in catalog.base_keys() and "demo_rate" not in catalog.base_keys()
    assert "demos" not in STANDARD_CATALOG


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["ctr"], {"clicks", "impressions"}),
        (["nps"], {"nps", "nps_responses"}),
        (["cac_payback_months"], {"marketing_spend", "sales_spend", "new_customers", "gross_profit", "customers"}),
        (["revenue", "win_rate"], {"revenue", "deals_won", "deals_lost"}),
    ],
)
def test_needed_base_keys(keys: list[str], expected: set[str]) -> None:
    assert STANDARD_CATALOG.needed_base_keys(keys) == expected


def test_of_class_splits_the_catalog() -> None:
    outputs, outcomes = (STANDARD_CATALOG.of_class(c) for c in (MetricClass.OUTPUT, MetricClass.OUTCOME))
    assert len(outputs) + len(outcomes) == len(STANDARD_CATALOG)
    assert "impressions" in {m.key for m in outputs} and "revenue" in {m.key for m in outcomes}


def test_catalog_is_ordered_and_sized() -> None:
    catalog = Catalog([custom("a_one"), custom("b_two")])
    assert catalog.keys() == ["a_one", "b_two"] and len(catalog) == 2 and catalog.get("zzz") is None
