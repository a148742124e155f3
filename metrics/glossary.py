"""The metrics glossary (docs/metrics.md), written from the catalog so the two never drift apart.

Regenerate with ``python -m metrics.glossary > docs/metrics.md``; a test compares the committed file.
"""

from __future__ import annotations

import sys
from urllib.parse import urlparse

from metrics.catalog import BAND_TITLES, STANDARD_CATALOG, Aggregation, Catalog, Direction, Metric

INTRO = """\
# Metrics glossary

Every metric Alignboard knows: what it means, how a period's value is computed, and a public
source for the definition. Grouped as the CEO hears them: the P&L, the campaigns, how people feel.

**Output or outcome.** An *output* counts what marketing did or produced: impressions, clicks,
content, leads. An *outcome* is what the business got: revenue, retention, pipeline, customer
confidence. Outputs are useful when they lead to outcomes; a page of outputs alone is a vanity report.

**Two mandates.** *Brand* (the meaning: identity, positioning, presence) and *growth* (the math:
sources, funnel, commercial alignment) are judged on different scorecards.

**Ratios are ratios of sums.** A derived metric over a quarter or a year is its formula applied to
the period's totals, never the average of monthly ratios: 50 clicks on 1,000 impressions in January
and 10 on 100 in February is 60 / 1,100 = 5.5%, not (5% + 10%) / 2 = 7.5%. Only months where every
input has data are used, and a division by zero shows "no data" instead of a number.

**Storage.** Percentages are stored as fractions (0.25 is 25%). Base metrics are imported and kept as
monthly roll-ups; derived metrics (those with a formula) are computed, never imported.
"""

COLUMNS = ("Metric", "Key", "What it measures", "Class", "Mandate", "Unit", "Good when", "Over a period",
           "Formula", "Source")
DIRECTION_WORDS = {Direction.UP: "higher", Direction.DOWN: "lower", Direction.NEUTRAL: "neither (context)"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def aggregation_text(metric: Metric) -> str:
    """How the monthly values of one metric combine over a quarter or a year."""
    if metric.derived:
        return "formula on period totals"
    if metric.aggregation == Aggregation.WEIGHTED_AVERAGE:
        return f"average weighted by `{metric.weight_key}`"
    return {Aggregation.SUM: "sum of months", Aggregation.FIRST: "first month",
            Aggregation.LAST: "last month"}[metric.aggregation]


def source_link(url: str) -> str:
    return f"[{urlparse(url).netloc.removeprefix('www.')}]({url})" if url else "—"


def metric_row(metric: Metric) -> str:
    cells = (
        metric.label, f"`{metric.key}`", metric.description, metric.metric_class.value,
        metric.mandate.value, metric.unit.value, DIRECTION_WORDS[metric.direction], aggregation_text(metric),
        f"`{metric.formula}`" if metric.formula else "imported", source_link(metric.source),
    )
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def band_section(title: str, metrics: list[Metric]) -> str:
    header = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS)
    rows = "\n".join(metric_row(m) for m in metrics)
    return f"## {title}\n\n{header}\n{rows}\n"


def glossary_markdown(catalog: Catalog = STANDARD_CATALOG) -> str:
    """The whole glossary as Markdown: intro, then one table per band."""
    sections = [INTRO]
    for band, title in BAND_TITLES.items():
        metrics = [m for m in catalog if m.band == band]
        if metrics:
            sections.append(band_section(title, metrics))
    return "\n".join(sections)


def main() -> None:
    sys.stdout.write(glossary_markdown())


if __name__ == "__main__":
    main()
