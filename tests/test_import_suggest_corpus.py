"""Suggestions for realistic exports: every column of every file in tests/import_corpus, and what it holds.

The files are our own, modelled on the public column naming of the tools people export from (Google Ads,
Meta Ads Manager, LinkedIn Campaign Manager, Microsoft Advertising, TikTok Ads, GA4, HubSpot, Salesforce) and
of marketing-mix data sets (Robyn, Meridian). Each expectation says what the column truly holds: mapped to
a metric (with its channel), a role, or left unmapped, either on purpose (the note says why) or because the
app is unsure (the note names the candidate and the confidence is below SURE).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from importers.mapping import SURE, ImportMapping, Layout, Role
from importers.reading import SourceTable, read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

CORPUS = Path(__file__).parent / "import_corpus"


@dataclass(frozen=True)
class Expect:
    role: Role
    metric: str | None = None
    segment: str = ""
    why: str = ""  # words an unmapped column's note must carry
    ask: str = ""  # the candidate an unsure column's note names


def metric(key: str, segment: str = "") -> Expect:
    return Expect(Role.METRIC, key, segment)


def out(why: str) -> Expect:
    return Expect(Role.IGNORE, why=why)


def ask(label: str) -> Expect:
    return Expect(Role.IGNORE, ask=label)


DATE, SEGMENT, DETAIL = Expect(Role.DATE), Expect(Role.SEGMENT), Expect(Role.DETAIL)
SPEND, IMPRESSIONS, CLICKS = metric("marketing_spend"), metric("impressions"), metric("clicks")
CONVERSIONS, CONVERSION_VALUE, REVENUE = metric("conversions"), metric("conversion_value"), metric("revenue")
RATE, AVERAGE, PER_UNIT, RATIO = out("a rate"), out("an average"), out("a per-unit value"), out("a ratio")
PERCENT, REACH, CURRENCY = out("a percentage"), out("not added up across days"), out("the currency")
COMPETITOR, CONTROL = out("a competitor's figure"), out("a control or context variable")
BENCHMARK, FORECAST, TARGET = out("a benchmark or index"), out("a forecast"), out("a target")
BUDGET, PRIOR, COMPARISON = out("a budget or plan"), out("last year's"), out("a comparison")
NO_METRIC, NOT_OURS, TEXT = out("no metric"), out("not one of Alignboard's metrics"), out("text, not a figure")
EXPOSURE, CRM_UNUSED = out("paid media exposure"), out("not used for the CRM figures")


def channels(key: str, pattern: str, names: list[str]) -> dict[str, Expect]:
    """One column per channel, all mapped to ``key``: pattern "{}_spend" gives tv_spend -> segment "tv"."""
    return {pattern.format(name): metric(key, name) for name in names}


CASES: list[tuple[str, Layout, dict[str, Expect]]] = [
    ("google_ads_campaigns.csv", Layout.AD_PLATFORM, {
        "Day": DATE, "Campaign": DETAIL, "Campaign type": DETAIL, "Currency code": CURRENCY, "Impr.": IMPRESSIONS,
        "Clicks": CLICKS, "CTR": RATE, "Avg. CPC": AVERAGE, "Cost": SPEND, "Conversions": CONVERSIONS,
        "Cost / conv.": RATIO, "Conv. rate": RATE, "Conv. value": CONVERSION_VALUE, "Conv. value / cost": RATIO,
        "Search impr. share": RATE}),
    ("meta_ads_daily.csv", Layout.AD_PLATFORM, {
        "Reporting starts": DATE, "Reporting ends": out("a second date column"), "Campaign name": DETAIL,
        "Ad set name": DETAIL, "Ad name": DETAIL, "Delivery": DETAIL, "Amount spent (USD)": SPEND,
        "Impressions": IMPRESSIONS, "Reach": REACH, "Frequency": RATE, "Results": ask("Conversions"),
        "Result indicator": DETAIL, "Cost per result": PER_UNIT, "Link clicks": CLICKS,
        "CPC (cost per link click) (USD)": PER_UNIT, "CTR (link click-through rate)": RATE,
        "CPM (cost per 1,000 impressions) (USD)": PER_UNIT, "Clicks (all)": out("same metric as 'Link clicks'"),
        "Purchases conversion value": CONVERSION_VALUE, "Ad set budget": BUDGET, "Ad set budget type": BUDGET}),
    ("linkedin_campaigns.csv", Layout.AD_PLATFORM, {
        "Start Date (in UTC)": DATE, "Account Name": DETAIL, "Campaign Group Name": DETAIL, "Campaign Name": DETAIL,
        "Campaign Type": DETAIL, "Total Spent": SPEND, "Impressions": IMPRESSIONS, "Clicks": CLICKS,
        "Average CTR": AVERAGE, "Average CPM": AVERAGE, "Average CPC": AVERAGE, "Conversions": CONVERSIONS,
        "Leads": ask("MQLs"), "Cost per Lead": PER_UNIT, "Total Engagements": metric("engagements"),
        "Engagement Rate": RATE, "Currency": CURRENCY}),
    ("microsoft_ads_campaigns.csv", Layout.AD_PLATFORM, {
        "Date": DATE, "Account name": DETAIL, "Campaign name": DETAIL, "Impressions": IMPRESSIONS,
        "Clicks": CLICKS, "Spend": SPEND, "CTR": RATE, "Avg. CPC": AVERAGE, "Conversions": CONVERSIONS,
        "Conv. rate": RATE, "Cost per conv.": PER_UNIT, "Revenue": CONVERSION_VALUE,
        "Return on ad spend": RATIO}),
    ("tiktok_ads.csv", Layout.AD_PLATFORM, {
        "By Day": DATE, "Campaign name": DETAIL, "Ad group name": DETAIL, "Cost": SPEND,
        "Impressions": IMPRESSIONS, "Clicks (destination)": CLICKS, "CTR (destination)": RATE,
        "CPC (destination)": PER_UNIT, "CPM": PER_UNIT, "Conversions": CONVERSIONS,
        "Cost per conversion": PER_UNIT, "Conversion rate (CVR)": RATE, "Reach": REACH,
        "Video views": NO_METRIC}),
    ("robyn_weekly.csv", Layout.WIDE, {
        "DATE": DATE, "revenue": REVENUE, **channels("marketing_spend", "{}_S", ["tv", "ooh", "print"]),
        "facebook_I": metric("impressions", "facebook"), "search_clicks_P": metric("clicks", "search"),
        "search_S": metric("marketing_spend", "search"), "competitor_sales_B": COMPETITOR,
        "facebook_S": metric("marketing_spend", "facebook"), "events": TEXT, "newsletter": NO_METRIC}),
    ("mmm_exposure.csv", Layout.WIDE, {
        "week": DATE, "tv_S": metric("marketing_spend", "tv"), "tv_P": EXPOSURE,
        "radio_S": metric("marketing_spend", "radio"), "radio_P": EXPOSURE, "sales": REVENUE}),
    ("meridian_geo.csv", Layout.WIDE, {
        "geo": SEGMENT, "time": DATE,
        **channels("impressions", "{}_impression", ["Channel0", "Channel1", "Channel2"]),
        **channels("marketing_spend", "{}_spend", ["Channel0", "Channel1", "Channel2"]),
        "competitor_sales_control": COMPETITOR, "sentiment_score_control": CONTROL, "Promo": NO_METRIC,
        "conversions": CONVERSIONS, "revenue_per_conversion": PER_UNIT, "population": NOT_OURS}),
    ("meridian_national.csv", Layout.WIDE, {
        "time": DATE, **channels("impressions", "{}_impression", ["Channel0", "Channel1"]),
        **channels("marketing_spend", "{}_spend", ["Channel0", "Channel1"]),
        "Organic_channel0_impression": metric("impressions", "Organic_channel0"),
        "competitor_sales_control": COMPETITOR, "conversions": CONVERSIONS, "revenue_per_conversion": PER_UNIT}),
    ("ga4_sessions.csv", Layout.WIDE, {
        "Date": DATE, "Session default channel group": SEGMENT, "Sessions": metric("sessions"),
        "Engaged sessions": ask("Website sessions"), "Engagement rate": RATE,
        "Average engagement time per session": AVERAGE, "Event count": NO_METRIC, "Key events": ask("Conversions"),
        "Total revenue": ask("Revenue"), "Total users": NO_METRIC, "New users": NO_METRIC}),
    ("ga4_source_medium.csv", Layout.WIDE, {
        "Date": DATE, "Session source / medium": SEGMENT, "Sessions": metric("sessions"), "Views": NO_METRIC,
        "Bounce rate": RATE, "Key events": ask("Conversions")}),
    ("hubspot_deals.csv", Layout.CRM, {
        "Record ID": Expect(Role.DEAL_ID), "Deal Name": CRM_UNUSED, "Deal Stage": Expect(Role.STAGE),
        "Close Date": Expect(Role.CLOSE_DATE), "Create Date": Expect(Role.CREATED_DATE),
        "Amount": Expect(Role.AMOUNT), "Amount in company currency": CRM_UNUSED, "Pipeline": CRM_UNUSED,
        "Deal owner": CRM_UNUSED, "Original Source Type": Expect(Role.LEAD_SOURCE)}),
    ("salesforce_opportunities.csv", Layout.CRM, {
        "Opportunity Owner": CRM_UNUSED, "Account Name": CRM_UNUSED, "Opportunity Name": CRM_UNUSED,
        "Stage": Expect(Role.STAGE), "Fiscal Period": CRM_UNUSED, "Amount": Expect(Role.AMOUNT),
        "Expected Revenue": FORECAST, "Probability (%)": PERCENT, "Age": CRM_UNUSED,
        "Close Date": Expect(Role.CLOSE_DATE), "Created Date": Expect(Role.CREATED_DATE), "Next Step": CRM_UNUSED,
        "Lead Source": Expect(Role.LEAD_SOURCE), "Type": CRM_UNUSED, "Opportunity ID": Expect(Role.DEAL_ID)}),
    ("crm_sales_pipeline.csv", Layout.CRM, {
        "opportunity_id": Expect(Role.DEAL_ID), "sales_agent": CRM_UNUSED, "product": CRM_UNUSED,
        "account": CRM_UNUSED, "deal_stage": Expect(Role.STAGE), "engage_date": Expect(Role.CREATED_DATE),
        "close_date": Expect(Role.CLOSE_DATE), "close_value": Expect(Role.AMOUNT)}),
    ("finance_pnl.csv", Layout.WIDE, {
        "Month": DATE, "Revenue": REVENUE, "Cost of sales": NOT_OURS, "Gross profit": metric("gross_profit"),
        "Budget": BUDGET, "Last year": PRIOR}),
    ("finance_pnl_variance.csv", Layout.WIDE, {
        "Month": DATE, "Net revenue": REVENUE, "Revenue budget": BUDGET, "Revenue LY": PRIOR,
        "Revenue vs budget": COMPARISON, "Gross profit": metric("gross_profit"), "GP %": PERCENT,
        "Opex": NOT_OURS}),
    ("finance_millions.csv", Layout.WIDE, {
        "Month": DATE, "Revenue ($m)": ask("Revenue"), "Gross profit ($m)": ask("Gross profit")}),
    ("survey_nps.csv", Layout.WIDE, {
        "Month": DATE, "NPS": metric("nps"), "Responses": metric("nps_responses"), "Promoters": NO_METRIC,
        "Passives": NO_METRIC, "Detractors": NO_METRIC, "Promoters %": PERCENT}),
    ("survey_confidence.csv", Layout.WIDE, {
        "Month": DATE, "Confidence score": metric("decision_confidence"),
        "Responses": metric("confidence_responses")}),
    ("wide_per_conversion.csv", Layout.WIDE, {
        "Week": DATE, "Spend": SPEND, "Clicks": CLICKS, "Conversions": CONVERSIONS, "Revenue": REVENUE,
        "Revenue per conversion": PER_UNIT}),
    ("wide_value_checks.csv", Layout.WIDE, {
        "Month": DATE, "Sessions": metric("sessions"), "Conversion": ask("Conversions"), "Revenue": ask("Revenue")}),
    ("revenue_twice.csv", Layout.WIDE, {
        "Month": DATE, "Revenue": REVENUE, "Revenue (2)": out("same metric as 'Revenue'")}),
    ("cost_and_total_cost.csv", Layout.WIDE, {
        "Week": DATE, "Clicks": CLICKS, "Impressions": IMPRESSIONS, "Cost": SPEND,
        "Total cost": out("same metric as 'Cost'")}),
    ("total_beside_channels.csv", Layout.WIDE, {
        "week": DATE, **channels("marketing_spend", "{}_spend", ["tv", "search", "social"]),
        "total_spend": out("a total of other columns: mapped columns tv_spend, search_spend, social_spend"),
        "revenue": REVENUE}),
    ("total_more_than_channels.csv", Layout.WIDE, {
        "week": DATE, "tv_spend": out("a part of 'total_spend'"), "search_spend": out("a part of 'total_spend'"),
        "total_spend": SPEND}),
    ("channel_spend_columns.csv", Layout.WIDE, {
        "Week": DATE, **channels("marketing_spend", "Spend - {}", ["Search", "Social", "Display", "Video", "Email"]),
        "Revenue": REVENUE}),
    ("campaign_report_by_channel.csv", Layout.AD_PLATFORM, {
        "Month": DATE, "Channel": SEGMENT, "Campaign": DETAIL, "Spend": SPEND, "Impressions": IMPRESSIONS,
        "Clicks": CLICKS, "Leads": ask("MQLs"), "MQLs": metric("mqls"), "Cost per MQL": PER_UNIT}),
    ("competitor_and_plan_columns.csv", Layout.WIDE, {
        "Week": DATE, "Revenue": REVENUE, "competitor_sales": COMPETITOR, "comp_spend": COMPETITOR,
        "control_group": CONTROL, "benchmark_index": BENCHMARK, "Revenue forecast": FORECAST,
        "Spend target": TARGET, "Spend": SPEND, "Revenue YoY": PRIOR}),
    ("country_channel_columns.csv", Layout.WIDE, {
        "Date": DATE, "Country": SEGMENT, **channels("marketing_spend", "{}_spend", ["google", "meta", "linkedin"]),
        **channels("clicks", "{}_clicks", ["google", "meta", "linkedin"])}),
    ("market_suffix_columns.csv", Layout.WIDE, {
        "Week": DATE, **channels("marketing_spend", "spend_{}", ["US", "UK", "DE"]),
        **channels("revenue", "revenue_{}", ["US", "UK", "DE"])}),
    ("attributed_revenue_by_channel.csv", Layout.WIDE, {
        "Month": DATE, **channels("marketing_spend", "{} spend", ["Search", "Social", "Email"]),
        "Search revenue": ask("Revenue"), "Social revenue": ask("Revenue"), "Email revenue": ask("Revenue")}),
    ("pivot_sum_of.csv", Layout.WIDE, {
        "Month": DATE, "Sum of Spend": SPEND, "Sum of Clicks": CLICKS, "Count of Campaign": NO_METRIC}),
    ("marketing_monthly.csv", Layout.WIDE, {
        "Month": DATE, "Sessions": metric("sessions"), "MQLs": metric("mqls"), "SQLs": metric("sqls"),
        "Opportunities": metric("opportunities"), "Pipeline created": metric("pipeline_created"),
        "New customers": metric("new_customers"), "Customers": metric("customers"), "Revenue": REVENUE,
        "Marketing spend": SPEND, "Sales spend": metric("sales_spend"), "CAC": PER_UNIT}),
    ("kpi_long.csv", Layout.LONG, {
        "Month": DATE, "KPI": Expect(Role.METRIC_NAME), "Value": Expect(Role.VALUE), "Unit": Expect(Role.UNIT)}),
]


def read(name: str) -> SourceTable:
    return read_file(name, (CORPUS / name).read_bytes())


def suggested(name: str) -> ImportMapping:
    return suggest(read(name), STANDARD_CATALOG)


def test_the_corpus_has_at_least_thirty_files_and_each_has_expectations() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.csv"))
    assert len(files) >= 30
    assert sorted(name for name, _, _ in CASES) == files


@pytest.mark.parametrize(("name", "layout", "expected"), CASES, ids=[name for name, _, _ in CASES])
def test_every_column_of_a_realistic_export_is_mapped_as_what_it_holds(name: str, layout: Layout,
                                                                       expected: dict[str, Expect]) -> None:
    mapping = suggested(name)
    assert mapping.layout == layout
    assert list(mapping.columns) == list(expected)  # every column, in file order
    got = {c: (ch.role, ch.metric, ch.segment) for c, ch in mapping.columns.items()}
    assert got == {c: (e.role, e.metric, e.segment) for c, e in expected.items()}


@pytest.mark.parametrize(("name", "layout", "expected"), CASES, ids=[name for name, _, _ in CASES])
def test_every_column_says_how_sure_and_why(name: str, layout: Layout, expected: dict[str, Expect]) -> None:
    mapping = suggested(name)
    for column, want in expected.items():
        choice = mapping.columns[column]
        assert choice.note, column
        if want.role != Role.IGNORE:
            assert choice.confidence is not None and SURE <= choice.confidence <= 1, column
        elif want.ask:
            assert choice.confidence is not None and choice.confidence < SURE, column
            assert f"might be {want.ask}" in choice.note, column
        else:
            assert want.why in choice.note, (column, choice.note)


def numbers(table: SourceTable, column: str) -> list[float]:
    return [float(str(v).replace("$", "").replace(",", "")) for v in table.frame[column].tolist()]


@pytest.mark.parametrize(("name", "all_spend"), [
    # Worked out by hand from the files: 4210 + 2800 + 1250 + 6400 + 180 = 14,840 and so on, week by week.
    ("channel_spend_columns.csv", 14_840.00 + 14_350.50 + 15_678.00),
    # tv + search + social, which is also what the total_spend column says: 19,010.50 + 7,080.25 + 22,552.75.
    ("total_beside_channels.csv", 48_643.50),
    # The channel columns miss part of the total: the total alone is complete (21,010.50 + 9,080.25 + 24,552.75).
    ("total_more_than_channels.csv", 54_643.50),
    ("robyn_weekly.csv", (67_075 + 38_185 + 22_404) + (85_840 + 12_400 + 5_659.9) + (396_835 + 1_361 + 17_400
                         + 15_141.3) + (250_350 + 53_040 + 26_100 + 19_156.6)),
])
def test_the_mapped_spend_columns_add_up_to_all_of_the_spend_once(name: str, all_spend: float) -> None:
    table = read(name)
    mapping = suggest(table, STANDARD_CATALOG)
    spend = [c for c, key in mapping.metric_columns().items() if key == "marketing_spend"]
    assert sum(sum(numbers(table, c)) for c in spend) == pytest.approx(all_spend)


@pytest.mark.parametrize(("name", "won", "lost", "marketing"), [
    ("hubspot_deals.csv", ["Closed won"], ["Closed lost"], ["Organic Search", "Paid Social"]),
    ("salesforce_opportunities.csv", ["Closed Won"], ["Closed Lost"], ["Trade Show", "Web", "Webinar"]),
    ("crm_sales_pipeline.csv", ["Won"], ["Lost"], []),
])
def test_crm_exports_get_their_won_lost_and_marketing_values(name: str, won: list[str], lost: list[str],
                                                             marketing: list[str]) -> None:
    mapping = suggested(name)
    assert (mapping.won_stages, mapping.lost_stages, mapping.marketing_sources) == (won, lost, marketing)


def test_a_long_sheet_maps_only_the_metric_names_it_is_sure_of() -> None:
    assert suggested("kpi_long.csv").metric_names == {
        "Revenue": "revenue", "Sessions": "sessions", "CPC": "", "Leads": "", "Competitor revenue": "",
        "Share of voice": "share_of_voice"}


@pytest.mark.parametrize(("name", "new_metrics"), [
    ("google_ads_campaigns.csv", ["conversions", "conversion_value"]),
    ("microsoft_ads_campaigns.csv", ["conversions", "conversion_value"]),  # its "Revenue" is conversion value
    ("meta_ads_daily.csv", ["conversion_value"]),  # "Results" only offered: no new metric defined for it
    ("ga4_sessions.csv", []),
])
def test_new_metrics_are_defined_only_for_mapped_columns(name: str, new_metrics: list[str]) -> None:
    assert [m.key for m in suggested(name).new_metrics] == new_metrics
