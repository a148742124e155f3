"""Output vs outcome: the contrast tables, vanity traps, journey momentum, and the validator's charts."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from components.charts import FONT
from components.text import chart_text, plain
from metrics.catalog import Catalog, MetricClass
from metrics.contrast import WINDOWS, ContrastRow, growth_text
from metrics.drivers import DriverMap
from metrics.funnel import TRAILING_MONTHS, StageConversion
from metrics.periods import Month, month_label
from metrics.predictive import Analysis, Pair, VerdictKind, months_ahead
from metrics.vanity import VanityThresholds, VanityTrap

GOOD, BAD, QUIET, DEEP = "#2e7d32", "#c62828", "#9aa5b1", "#1f4e79"
CLASS_TITLES = {MetricClass.OUTPUT: "Outputs (activity)", MetricClass.OUTCOME: "Outcomes (results)"}
LINK_TITLES = {MetricClass.OUTPUT: "Meant to drive", MetricClass.OUTCOME: "Driven by"}
LAYOUT = {"font": {"family": FONT, "color": "#1c2430"}, "paper_bgcolor": "rgba(0,0,0,0)",
          "plot_bgcolor": "rgba(0,0,0,0)", "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}
AXES = {"automargin": True, "gridcolor": "#e3e7ec"}
SCALED_NOTE = ("Share-safe: both axes show each change in standard deviations of that metric's monthly changes, "
               "so the pattern shows without the amounts.")

CEO_EXPLANATION = """
**What "predicts" means.** Over the months tested, when this metric changed, the outcome tended to change
the same way that many months later — more often than chance explains, even after allowing for having tried
several delays. It is an early-warning signal worth watching and setting targets on.

**What it does not mean.** It is a pattern over time, not proof of cause. Both may be moved by something
else — a season, a price change, one large customer — so test the belief (for example with a campaign
pause in one region) before moving budget on it. "No reliable relationship" means these months cannot show a
link, not that there is none; more months may change the answer. Patterns also fade, which is why adopted
indicators are re-tested every month.
"""


def _colour(row: ContrastRow, window: int) -> str:
    good = row.good(window)
    return "" if good is None else f"color: {GOOD if good else BAD}"


def contrast_table(rows: Sequence[ContrastRow], metric_class: MetricClass, catalog: Catalog) -> None:
    """One side of the contrast; growth green when it moved the metric's good way, red when not."""
    columns = [f"{w} months" for w in WINDOWS]
    frame = pd.DataFrame([{"Metric": r.metric.label, "Class": r.metric.metric_class.value,
                           **{c: growth_text(r.growth[w]) for c, w in zip(columns, WINDOWS, strict=True)},
                           LINK_TITLES[metric_class]: ", ".join(catalog[k].label for k in r.linked)}
                          for r in rows])
    styles = pd.DataFrame([{"Metric": "", "Class": "", LINK_TITLES[metric_class]: "",
                            **{c: _colour(r, w) for c, w in zip(columns, WINDOWS, strict=True)}} for r in rows])
    st.markdown(f"**{CLASS_TITLES[metric_class]}**")
    if frame.empty:
        st.caption("None in the driver map.")
        return
    st.dataframe(frame.style.apply(lambda _: styles[frame.columns], axis=None), hide_index=True,
                 height="content",  # every row, at the larger type of presentation mode too
                 column_config={"Class": st.column_config.TextColumn(width="small")})


def contrast_view(sides: Mapping[MetricClass, Sequence[ContrastRow]], catalog: Catalog, month: Month) -> None:
    """Outputs beside outcomes, each over the trailing windows to the month."""
    st.caption(f"Growth over the last 3, 6 and 12 months to {month_label(month)}, each against the same number of "
               "months just before. Green: moved the good way (a falling CAC is good); red: the wrong way.")
    for column, metric_class in zip(st.columns(2), (MetricClass.OUTPUT, MetricClass.OUTCOME), strict=True):
        with column:
            contrast_table(sides[metric_class], metric_class, catalog)


def driver_map_editor(catalog: Catalog, drivers: DriverMap) -> dict[str, list[str]] | None:
    """An editable table (one line per output); returns the whole new map when saved, else None."""
    labels = {m.key: m.label for m in catalog.of_class(MetricClass.OUTCOME)}
    keys = {label: key for key, label in labels.items()}
    outputs = catalog.of_class(MetricClass.OUTPUT)
    frame = pd.DataFrame({"Output": [m.label for m in outputs],
                          "Drives": [[labels[k] for k in drivers.get(m.key, ())] for m in outputs]})
    with st.form("driver_map"):
        edited = st.data_editor(frame, hide_index=True, disabled=["Output"], key="driver_map_editor",
                                column_config={"Drives": st.column_config.MultiselectColumn(
                                    "Drives (outcomes)", options=list(labels.values()))})
        if not st.form_submit_button("Save driver map"):
            return None
    return {m.key: [keys[label] for label in _as_list(drives) if label in keys]
            for m, drives in zip(outputs, edited["Drives"], strict=True)}


def _as_list(cell: object) -> list:
    """A multiselect cell as a list: the editor may hand back a list, an array, or nothing."""
    return list(cell) if isinstance(cell, (list, tuple, np.ndarray)) else []


def _change(value: float) -> str:
    return f"{value * 100:+.1f}%"


def vanity_list(traps: Sequence[VanityTrap], catalog: Catalog) -> None:
    """The ranked traps: the two numbers first, then the reading."""
    lines = [f"{i}. **{plain(catalog[t.output].label)} {_change(t.output_growth)} · "
             f"{plain(catalog[t.outcome].label)} {_change(t.outcome_growth)}** — {plain(t.reading)}"
             for i, t in enumerate(traps, start=1)]
    st.markdown("\n".join(lines))


def vanity_limits() -> VanityThresholds:
    """The thresholds set on the Vanity traps tab; read before the tab draws them, for the warning above the tabs."""
    return VanityThresholds(output_min=st.session_state.get("vanity_output_min", 10.0) / 100,
                            outcome_max=st.session_state.get("vanity_outcome_max", 0.0) / 100,
                            months=st.session_state.get("vanity_months", 3))


def vanity_panel(traps: Sequence[VanityTrap], limits: VanityThresholds, catalog: Catalog, month: Month) -> None:
    """The thresholds to judge by, then the traps they find, widest gap first."""
    left, middle, right = st.columns(3)
    left.number_input("Output improved by at least (%)", 0.0, 500.0, 10.0, 1.0, key="vanity_output_min")
    middle.number_input("While its outcome moved by at most (%)", -100.0, 100.0, 0.0, 1.0, key="vanity_outcome_max")
    right.selectbox("Over the trailing", (3, 6, 12), format_func=lambda n: f"{n} months", key="vanity_months")
    if traps:
        st.markdown("Outputs that improved while an outcome they are meant to drive fell or stalled, widest gap "
                    f"first ({limits.months} months to {month_label(month)}, against the {limits.months} before):")
        vanity_list(traps, catalog)
    else:
        st.success("No vanity traps: no output improved while the outcomes it is meant to drive fell or stalled.")


def weakest_stage_alert(weakest: StageConversion | None, catalog: Catalog, month: Month) -> None:
    """Where buyers lose momentum: a warning for a fall of a tenth or more, a note for a small dip."""
    if weakest is None:
        st.success(f"No stage converted worse than its own {TRAILING_MONTHS}-month average this month.")
        return
    show = st.warning if (weakest.change or 0) <= -0.10 else st.info
    show(plain(f"Buyers lose the most momentum between {catalog[weakest.from_key].label} and "
               f"{catalog[weakest.to_key].label}: {percent(weakest.latest)} converted in {month_label(month)} "
               f"against {percent(weakest.trailing_average)} over the previous {TRAILING_MONTHS} months "
               f"({_change(weakest.change or 0)})."))


def journey_table(steps: Sequence[StageConversion], catalog: Catalog, weakest: StageConversion | None) -> None:
    """Each step's trailing average, the latest month's change against it, and every month (newest first)."""
    def name(step: StageConversion) -> str:
        mark = "⚠ " if step is weakest else ""
        return f"{mark}{catalog[step.from_key].label} → {catalog[step.to_key].label}"

    months = list(steps[0].by_month) if steps else []
    rows = [{"Stage": name(s), f"Trailing {TRAILING_MONTHS}-month average": percent(s.trailing_average),
             "Change": "no value" if s.change is None else _change(s.change),
             **{month_label(m): percent(s.by_month[m]) for m in reversed(months)}} for s in steps]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def percent(value: float | None) -> str:
    return "no value" if value is None else f"{value * 100:.1f}%"


def journey_chart(steps: Sequence[StageConversion], catalog: Catalog, weakest: StageConversion | None) -> None:
    """Small multiples: one panel per step, the weakest in red; gaps stay gaps."""
    titles = [chart_text(f"{catalog[s.from_key].label} → {catalog[s.to_key].label}") for s in steps]
    figure = make_subplots(rows=1, cols=max(len(steps), 1), subplot_titles=titles)
    for i, step in enumerate(steps, start=1):
        values = [None if v is None else v * 100 for v in step.by_month.values()]
        figure.add_trace(go.Scatter(x=[month_label(m) for m in step.by_month], y=values, mode="lines+markers",
                                    line={"color": BAD if step is weakest else DEEP}, showlegend=False,
                                    hovertemplate="%{x}: %{y:.1f}%<extra></extra>"), row=1, col=i)
        figure.update_yaxes(ticksuffix="%", row=1, col=i, **AXES)
        figure.update_xaxes(type="category", showticklabels=False, row=1, col=i)
    figure.update_layout(height=240, **{**LAYOUT, "margin": {"l": 40, "r": 10, "t": 40, "b": 10}})
    st.plotly_chart(figure, theme=None, config={"displayModeBar": False})


def journey_momentum(steps: Sequence[StageConversion], weakest: StageConversion | None, catalog: Catalog,
                     month: Month) -> None:
    """The journey tab: where buyers lose momentum, then every step as a chart and a table."""
    weakest_stage_alert(weakest, catalog, month)
    journey_chart(steps, catalog, weakest)
    journey_table(steps, catalog, weakest)


def verdict_box(analysis: Analysis) -> None:
    """The plain verdict, coloured by what it lets you do."""
    show = {VerdictKind.PREDICTS: st.success, VerdictKind.MOVES_TOGETHER: st.info, VerdictKind.FRAGILE: st.warning,
            VerdictKind.NO_RELATIONSHIP: st.warning}.get(analysis.verdict, st.error)
    show(plain(analysis.message))


def lag_chart(analysis: Analysis) -> None:
    """Pearson's r at each lag with its 95% interval; reliable lags (after correction) in deep blue."""
    tested = [r for r in analysis.lags if r.tested]
    figure = go.Figure(go.Bar(
        x=[r.lag for r in tested], y=[r.pearson for r in tested],
        marker_color=[DEEP if r.reliable() else QUIET for r in tested],
        error_y={"type": "data", "symmetric": False, "array": [r.ci_high - r.pearson for r in tested],
                 "arrayminus": [r.pearson - r.ci_low for r in tested], "color": "#5c6773"},
        customdata=[[r.n, r.p_adjusted] for r in tested],
        hovertemplate="Lag %{x} months: r = %{y:.2f}<br>%{customdata[0]} points, corrected p = "
                      "%{customdata[1]:.3g}<extra></extra>"))
    figure.add_hline(y=0, line={"color": QUIET, "width": 1})
    figure.update_layout(height=340, title={"text": "Correlation of monthly changes, by months ahead", "x": 0},
                         xaxis={"title": {"text": "Months ahead (lag)"}, "dtick": 1, "automargin": True},
                         yaxis={"title": {"text": "Pearson r"}, "range": [-1.05, 1.05], **AXES}, **LAYOUT)
    st.plotly_chart(figure, theme=None, config={"displayModeBar": False})


def in_standard_deviations(values: Sequence[float]) -> list[float]:
    """Changes divided by their standard deviation: the cloud keeps its shape (and its correlation) and
    its side of zero, without the amounts of money the changes are made of."""
    spread = statistics.pstdev(values) if len(values) > 1 else 0.0
    return [value / spread if spread else 0.0 for value in values]


def scatter_chart(pairs: Sequence[Pair], labels: tuple[str, str], lag: int, hide_values: bool = False) -> None:
    """Each point: the predictor's change in a month against the outcome's change ``lag`` months later.

    ``hide_values`` (share-safe) rebases both axes to standard deviations before the chart is built, so the
    figure sent to the browser holds no amounts, and drops the axis figures.
    """
    xs, ys = [p[1] for p in pairs], [p[2] for p in pairs]
    if hide_values:
        xs, ys = in_standard_deviations(xs), in_standard_deviations(ys)
    figure = go.Figure(go.Scatter(
        x=xs, y=ys, mode="markers", marker={"color": DEEP, "size": 8}, text=[month_label(p[0]) for p in pairs],
        hovertemplate="%{text}<extra></extra>" if hide_values else "%{text}: %{x:,.3g} → %{y:,.3g}<extra></extra>"))
    figure.update_xaxes(showticklabels=not hide_values)
    figure.update_yaxes(showticklabels=not hide_values)
    later = "in the same month" if lag == 0 else f"{months_ahead(lag).replace('ahead', 'later')}"
    figure.update_layout(height=340, title={"text": f"Each month's change, and the outcome's change {later}", "x": 0},
                         xaxis={"title": {"text": chart_text(f"Change in {labels[0]}")}, **AXES},
                         yaxis={"title": {"text": chart_text(f"Change in {labels[1]}")}, **AXES}, **LAYOUT)
    st.plotly_chart(figure, theme=None, config={"displayModeBar": False})
    if hide_values:
        st.caption(SCALED_NOTE)


def lag_table(analysis: Analysis) -> None:
    """Every lag's numbers, including the ones that could not be tested and why."""
    def number(value: float | None, digits: str = ".2f") -> str:
        return "—" if value is None else format(value, digits)

    rows = [{"Months ahead": r.lag, "Points": r.n, "Pearson r": number(r.pearson),
             "95% interval": "—" if r.ci_low is None else f"{r.ci_low:.2f} to {r.ci_high:.2f}",
             "p": number(r.p_value, ".3g"), f"p ({analysis.correction})": number(r.p_adjusted, ".3g"),
             "Spearman ρ": number(r.spearman), f"Spearman p ({analysis.correction})": number(r.spearman_p_adjusted,
                                                                                            ".3g"),
             "Reliable": "yes" if r.reliable() else ("no" if r.tested else r.note)} for r in analysis.lags]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def _months_list(months: Sequence) -> str:
    return ", ".join(month_label(m) for m in months)


def sample_note(analysis: Analysis, labels: tuple[str, str]) -> None:
    """How many points were used and which months were missing: gaps are reported, never filled."""
    sample = analysis.sample
    span = f"{month_label(sample[0])} to {month_label(sample[-1])}" if sample else "no months"
    text = (f"Sample: {span} ({len(sample)} months). Points used at the verdict's lag: {analysis.points_used} "
            f"month-to-month changes. Correction for testing several lags: {analysis.correction}.")
    for label, missing in zip(labels, (analysis.missing_predictor, analysis.missing_outcome), strict=True):
        if missing:
            text += f" {label} is missing {len(missing)} month(s): {_months_list(missing)} (left out, not filled)."
    st.caption(plain(text))


def analysis_view(analysis: Analysis, pairs: Sequence[Pair], labels: tuple[str, str],
                  hide_values: bool = False) -> None:
    """Step 4: the verdict, the sample, the lag chart and scatter, every lag's numbers, and what it means."""
    with st.container(border=True):
        st.markdown("**Step 4 · Analyse the data**")
        verdict_box(analysis)
        sample_note(analysis, labels)
        if any(r.tested for r in analysis.lags):
            chart_left, chart_right = st.columns(2)
            with chart_left:
                lag_chart(analysis)
            with chart_right:
                scatter_chart(pairs, labels, analysis.best.lag if analysis.best else 0, hide_values)
            lag_table(analysis)
        with st.expander("What the verdict means, and what it does not"):
            st.markdown(CEO_EXPLANATION)
