"""How the agreed scorecard looks: the agreement line, one table per mandate, a KPI's trend against
its target, the reconciliation table and the leadership system. Receives computed values; never queries.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.charts import BREAK_AT_GAPS, chart_config
from components.rag_badge import rag_badge_html
from components.table_fit import fitted_columns
from components.text import plain
from metrics.agreement import LITMUS_QUESTIONS, ROLE_TITLES, LeadershipSystem, Role
from metrics.catalog import MANDATE_TITLES, Unit
from metrics.coverage import is_complete, partial_label
from metrics.formatting import format_value, mask_currency_text
from metrics.one_view import indexed
from metrics.periods import month_label
from metrics.scorecard import KpiLine, Reconciliation, Scorecard, format_pct, format_variance, reconcile
from metrics.status import RAG_COLORS, RAG_LABELS, Rag

TARGET_COLOR = "#6b7785"
ACTUAL_COLOR = "#1f4e79"
PCT_OF_TARGET, INDEXED = "% of target", "index, first month = 100"  # what a share-safe money chart shows


def figure(value: float | None, unit: Unit, currency: str, safe: bool = False) -> str:
    """A value with its unit; share-safe mode hides absolute currency amounts."""
    return format_value(value, unit, currency, mask_currency=safe)


def agreement_line(card: Scorecard) -> None:
    """Which agreement drives the page, who signed it and when, and any draft waiting."""
    signed = "; ".join(f"{ROLE_TITLES[Role(s.role)]} {s.name}, {s.signed_at:%d %b %Y}" for s in card.signatures)
    st.markdown(f"**{card.agreement}** · signed by {plain(signed)}")
    if card.pending_draft:
        st.caption(f"{card.pending_draft} is waiting for signatures; until both sign, this scorecard uses "
                   f"{card.agreement}.")


def streak_text(line: KpiLine) -> str:
    if line.rag == Rag.NO_DATA:
        return "—"
    return f"{line.streak} month{'s' if line.streak != 1 else ''} {RAG_LABELS[line.rag].lower()}"


def _confidence(line: KpiLine) -> str:
    votes = f"CEO {line.ceo_confidence or '–'} · CMO {line.cmo_confidence or '–'}"
    return f"{votes} ⚠ we disagree" if line.disagree else votes


def mandate_frame(lines: Sequence[KpiLine], currency: str, safe: bool = False) -> pd.DataFrame:
    """One row per KPI of one mandate, as shown in its table."""
    return pd.DataFrame({
        "KPI": [k.label for k in lines],
        "Owner": [k.owner for k in lines],
        "Actual": [actual_text(k, currency, safe) for k in lines],
        "Target": [figure(k.target, k.unit, currency, safe) for k in lines],
        "Variance": [format_variance(k.variance, k.unit, currency, mask_currency=safe) for k in lines],
        "Variance %": [format_pct(k.variance_pct) for k in lines],
        "Status": [RAG_LABELS[k.rag] for k in lines],
        "Streak": [streak_text(k) for k in lines],
        "Trend": [trend_line(k, safe) for k in lines],
        "Confidence": [_confidence(k) for k in lines],
    })


def actual_text(line: KpiLine, currency: str, safe: bool = False) -> str:
    """The month's actual, marked when the figures cover only part of the month."""
    value = figure(line.actual, line.unit, currency, safe)
    if line.actual is None or is_complete(line.coverage) or not line.trend:
        return value
    return f"{value} ({partial_label(line.trend[-1].month, line.coverage)})"  # the trend ends at the month


def trend_line(line: KpiLine, safe: bool = False) -> list[float | None]:
    """The 12 months of actuals for the table's small chart; in share-safe mode money is indexed
    (first month = 100), so the line keeps its shape without carrying the amounts."""
    actuals = [p.actual for p in line.trend]
    return indexed(actuals) if safe and line.unit == Unit.CURRENCY else actuals


def _status_style(value: str) -> str:
    colors = {RAG_LABELS[r]: RAG_COLORS[r] for r in Rag}
    return f"background-color: {colors[value]}; color: white; font-weight: 600" if value in colors else ""


def mandate_table(lines: Sequence[KpiLine], currency: str, safe: bool = False) -> None:
    frame = mandate_frame(lines, currency, safe)
    styled = frame.style.map(_status_style, subset=["Status"])
    st.dataframe(styled, hide_index=True, width="stretch", **fitted_columns(styled, {
        "Trend": st.column_config.LineChartColumn("12 months", width="small"),
        "Confidence": st.column_config.TextColumn("Confidence (1–5)"),
    }))


def pct_of_target(actual: float | None, target: float | None) -> float | None:
    """An actual as a percentage of its target (100 = on target); None without both."""
    return None if actual is None or not target else actual / target * 100


def rebased_trend(line: KpiLine) -> tuple[list[float | None], list[float | None], str]:
    """Share-safe values for a money KPI's chart, worked out before the chart is built so no amount reaches the
    browser: each month's actual as % of its target against a target line at 100; without any target, the
    actuals indexed (first month = 100). Returns the actuals, the target line and what the numbers are."""
    actuals = [p.actual for p in line.trend]
    if not any(p.target for p in line.trend):
        return indexed(actuals), [None] * len(actuals), INDEXED
    return ([pct_of_target(p.actual, p.target) for p in line.trend],
            [100.0 if p.target else None for p in line.trend], PCT_OF_TARGET)


def _rebased_text(value: float | None, meaning: str) -> str:
    if value is None:
        return "no data"
    return f"{value:.0f}% of target" if meaning == PCT_OF_TARGET else f"{value:.0f} ({meaning})"


def _trend_values(line: KpiLine, currency: str, safe: bool) -> tuple[list, list, list[str], list[str]]:
    """The chart's actuals and targets with their hover texts: amounts, or rebased money in share-safe mode."""
    if safe and line.unit == Unit.CURRENCY:
        actuals, targets, meaning = rebased_trend(line)
        return actuals, targets, [_rebased_text(v, meaning) for v in actuals], [_rebased_text(v, meaning)
                                                                                for v in targets]
    actuals, targets = [p.actual for p in line.trend], [p.target for p in line.trend]
    return (actuals, targets, [figure(v, line.unit, currency) for v in actuals],
            [figure(v, line.unit, currency) for v in targets])


def trend_rows(line: KpiLine, currency: str, safe: bool = False) -> list[dict]:
    """The chart's data, a row per month: actual and target with their hover texts and the status colour."""
    actuals, targets, actual_text, target_text = _trend_values(line, currency, safe)
    return [{"month": month_label(p.month), "Actual": actual, "Target": target, "actual_text": shown_actual,
             "target_text": shown_target, "status": RAG_COLORS[p.rag]}
            for p, actual, target, shown_actual, shown_target in zip(line.trend, actuals, targets, actual_text,
                                                                     target_text, strict=True)]


def trend_spec(line: KpiLine, currency: str, safe: bool = False, height: int = 190) -> dict:
    """Twelve months of actuals, each point in its status colour, against the dashed target line; in share-safe
    mode money is charted as % of target (see ``rebased_trend``). A Vega-Lite spec, drawn by ``vega_chart``."""
    months = [month_label(p.month) for p in line.trend]
    x = {"field": "month", "type": "ordinal", "sort": months, "title": None,
         "axis": {"labelAngle": 0, "grid": False, "labelOverlap": True}}
    y_axis = {"labels": False, "ticks": False, "domain": False, "title": None, "tickCount": 4}
    hover = [{"field": "month", "title": "Month"}, {"field": "actual_text", "title": "Actual"},
             {"field": "target_text", "title": "Target"}]
    lines = {"transform": [{"fold": ["Target", "Actual"], "as": ["series", "value"]}],
             "mark": {"type": "line", "strokeWidth": 2, "invalid": BREAK_AT_GAPS},
             "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "axis": y_axis,
                                        "scale": {"zero": False}},
                          "color": {"field": "series", "type": "nominal", "title": None,
                                    "scale": {"domain": ["Target", "Actual"], "range": [TARGET_COLOR, ACTUAL_COLOR]},
                                    "legend": {"orient": "top", "direction": "horizontal"}},
                          "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                                         "scale": {"domain": ["Target", "Actual"], "range": [[6, 4], [1, 0]]}}}}
    points = {"mark": {"type": "point", "filled": True, "size": 70, "opacity": 1, "invalid": BREAK_AT_GAPS},
              "encoding": {"x": x, "y": {"field": "Actual", "type": "quantitative", "axis": y_axis},
                           "color": {"field": "status", "type": "nominal", "scale": None, "legend": None},
                           "tooltip": hover}}
    return {"height": height, "data": {"values": trend_rows(line, currency, safe)}, "layer": [lines, points],
            "config": chart_config()}


def kpi_heading(line: KpiLine, currency: str, safe: bool = False) -> None:
    """A KPI's name, status chip, the month's figures and why it was chosen."""
    st.markdown(f"**{plain(line.label)}** &nbsp; {rag_badge_html(line.rag)}", unsafe_allow_html=True)
    st.markdown(f"{actual_text(line, currency, safe)} against "
                f"{figure(line.target, line.unit, currency, safe)} ({format_pct(line.variance_pct)}) · "
                f"{streak_text(line)}".replace("$", "\\$"))
    rationale = mask_currency_text(line.rationale) if safe else line.rationale
    st.caption(f"Owner: {plain(line.owner)}" + (f" · {plain(rationale)}" if rationale else ""))
    if line.disagree:
        st.warning("We disagree about this number: the CEO and the CMO trust it "
                   f"{line.ceo_confidence} and {line.cmo_confidence} out of 5.", icon=":material/gpp_maybe:")


def commentary(line: KpiLine, safe: bool = False) -> None:
    """The month's commentary as text, for presenting and share-safe mode, where the edit box is not shown
    (share-safe masks the amounts of money written in it)."""
    if not line.commentary:
        return
    text = mask_currency_text(line.commentary) if safe else line.commentary
    st.markdown(f"**What we are doing to improve it**  \n{plain(text)}")


def reconciliation_frame(lines: Sequence[KpiLine], currency: str, threshold: float,
                         safe: bool = False) -> pd.DataFrame:
    """KPIs reported by two sources this month, each check redone at ``threshold``."""
    rows = []
    for line in lines:
        check: Reconciliation | None = line.reconciliation
        if check is None:
            continue
        check = reconcile(check.source, check.value, check.other_source, check.other_value, threshold)
        rows.append({"KPI": line.label, "Source of record": check.source,
                     "Its value": figure(check.value, line.unit, currency, safe),
                     "Other source": check.other_source,
                     "Other value": figure(check.other_value, line.unit, currency, safe),
                     "Variance": format_pct(check.variance_pct),
                     "Check": f"Above {threshold:.0%}: reconcile" if check.flagged else "Within tolerance"})
    return pd.DataFrame(rows)


def leadership_summary(answers: LeadershipSystem, safe: bool = False) -> None:
    """Who owns the meaning and the math, what matters most, and the litmus answers with their date."""
    lead = MANDATE_TITLES[answers.priority_mandate] if answers.priority_mandate else "not decided"
    for column, (label, value) in zip(st.columns(3), (("Owns the meaning (brand)", answers.meaning_owner),
                                                      ("Owns the math (growth)", answers.math_owner),
                                                      ("Matters most, next 18–24 months", lead)), strict=True):
        column.caption(label)
        column.markdown(f"**{plain(value or 'not named')}**")
    when = f"{answers.answered_on:%d %b %Y}" if answers.answered_on else "not yet"
    who = f" by {answers.answered_by}" if answers.answered_by else ""
    st.caption(f"The litmus test, answered {when}{plain(who)}:")
    for number, (question, answer) in enumerate(zip(LITMUS_QUESTIONS, answers.answers, strict=True), start=1):
        answer = mask_currency_text(answer) if safe else answer
        st.markdown(f"{number}. *{plain(question)}*  \n{plain(answer) if answer else '— no answer recorded'}")


def agreed_card(line: KpiLine | None, currency: str, safe: bool = False) -> dict:
    """What a One View card adds for an agreed KPI: its target for the month (money masked in share-safe
    mode) and its status."""
    if line is None:
        return {}
    target = "no target this month" if line.target is None else figure(line.target, line.unit, currency, safe)
    return {"target_text": target, "status": line.rag}
