"""The rules behind suggestions, one at a time: rates and other people's figures never mapped, channels read
from column names, totals and repeats settled, values checked, presets applied without counting twice."""

from __future__ import annotations

import pytest

from importers.mapping import SURE, ColumnChoice, ImportMapping, Role, match_header, suggest_metric, suggestion_catalog
from importers.naming import mix_suffix, rate_reason, reference_reason
from importers.reading import read_file
from importers.suggest import apply_preset, profile, suggest, unsure_columns
from metrics.catalog import STANDARD_CATALOG

CATALOG = suggestion_catalog(STANDARD_CATALOG)


def mapped(text: str, file: str = "file.csv") -> dict[str, tuple[Role, str | None, str]]:
    mapping = suggest(read_file(file, text.encode()), STANDARD_CATALOG)
    return {c: (ch.role, ch.metric, ch.segment) for c, ch in mapping.columns.items()}


def choice(text: str, column: str) -> ColumnChoice:
    return suggest(read_file("file.csv", text.encode()), STANDARD_CATALOG).columns[column]


# --- Headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "unit", "expected"), [
    ("Cost per click", None, None), ("CPC", None, None), ("Avg. CPC", "USD", None), ("Cost / conv.", None, None),
    ("revenue_per_conversion", None, None), ("ROAS", None, None), ("Conv. rate", None, None),
    ("Impr. share", None, None), ("Frequency", None, None), ("Mean order value", "USD", None),
    ("Share of voice", None, "share_of_voice"), ("SOV (%)", "%", "share_of_voice"),
    ("Aided awareness %", "%", "aided_awareness"), ("competitor_sales_B", None, None),
    ("comp_spend", None, None), ("Revenue forecast", None, None), ("Revenue LY", None, None),
    ("Revenue YoY", None, None), ("Spend vs plan", None, None), ("Budget", None, None),
    ("Budget spent", None, "marketing_spend"), ("Revenue YTD", None, None), ("tv_S", None, "marketing_spend"),
    ("facebook_I", None, "impressions"), ("search_clicks_P", None, "clicks"), ("tv_P", None, None),
    ("Channel3_spend", None, "marketing_spend"), ("paid_social_impr", None, "impressions"),
    ("ReturnOnAdSpend", None, None), ("AllConversions", None, None), ("tvSpend", None, "marketing_spend"),
    ("Cost of sales", None, None), ("Engaged sessions", None, "sessions"),
])
def test_metric_suggestions_never_name_a_rate_or_someone_elses_figure(header: str, unit: str | None,
                                                                       expected: str | None) -> None:
    assert suggest_metric(header, STANDARD_CATALOG, unit)[0] == expected


@pytest.mark.parametrize(("header", "key", "channel"), [
    ("tv_spend", "marketing_spend", "tv"), ("Spend - Search", "marketing_spend", "Search"),
    ("Spend (Search)", "marketing_spend", "Search"), ("paid_search_spend", "marketing_spend", "paid_search"),
    ("Facebook Impressions", "impressions", "Facebook"), ("email_clicks", "clicks", "email"),
    ("ooh_S", "marketing_spend", "ooh"), ("Organic_channel0_impression", "impressions", "Organic_channel0"),
    ("Sum of tv spend", "marketing_spend", "tv"), ("Amount spent (USD)", "marketing_spend", ""),
    ("total_spend", "marketing_spend", ""), ("Clicks (all)", "clicks", ""),
])
def test_the_channel_is_taken_from_the_column_name_as_written(header: str, key: str, channel: str) -> None:
    found = match_header(header, CATALOG)
    assert (found.key, found.channel) == (key, channel) and found.confidence >= SURE


@pytest.mark.parametrize(("header", "sure"), [
    ("Revenue", True), ("Impr.", True), ("tv_spend", True), ("Leads", False), ("Results", False),
    ("Engaged sessions", False), ("Unique link clicks", False), ("Jan 2021 revenue", False),
    ("kitten_spend", False), ("Revenue 2", False),
])
def test_an_unsure_reading_falls_below_the_threshold(header: str, sure: bool) -> None:
    assert (match_header(header, CATALOG).confidence >= SURE) == sure


@pytest.mark.parametrize(("header", "words"), [
    ("CTR", "a rate"), ("Avg. session duration", "an average"), ("Cost per lead", "a per-unit value"),
    ("Purchase ROAS (return on ad spend)", "a ratio (return on spend)"), ("Pages / session", "'/'"),
    ("Promoters %", "a percentage"), ("Clicks", None), ("Shares", None), ("Spend", None),
])
def test_rate_reasons(header: str, words: str | None) -> None:
    reason = rate_reason(header)
    assert (reason is None) if words is None else (words in reason)


@pytest.mark.parametrize(("header", "words"), [
    ("competitor_sales_B", "a competitor's figure"), ("control_group", "a control"),
    ("sentiment_score_control", "a control"), ("Category index", "a benchmark or index"),
    ("Expected Revenue", "a forecast"), ("MQL target", "a target"), ("Ad set budget", "a budget or plan"),
    ("Revenue prior year", "last year's"), ("Revenue vs LY", "a comparison"), ("Revenue YTD", "a running total"),
    ("Budget spent", None), ("Revenue", None), ("Planned", "a budget or plan"), ("Sales", None),
])
def test_reference_reasons(header: str, words: str | None) -> None:
    reason = reference_reason(header)
    assert (reason is None) if words is None else (words in reason)


@pytest.mark.parametrize(("header", "expected"), [
    ("tv_S", ("tv", "S")), ("search_clicks_P", ("search_clicks", "P")), ("competitor_sales_B", ("competitor_sales",
                                                                                               "B")),
    ("facebook_i", ("facebook", "I")), ("tv_spend", None), ("S", None), ("_S", None), ("Revenue", None),
])
def test_marketing_mix_suffixes(header: str, expected: tuple[str, str] | None) -> None:
    assert mix_suffix(header) == expected


# --- Values ---------------------------------------------------------------------------------------


def test_profile_sees_the_range_and_the_share_of_whole_numbers() -> None:
    table = read_file("f.csv", b"Month,Rate,Count\n2026-01,0.25,3\n2026-02,0.5,4\n2026-03,1,6\n2026-04,0,9\n")
    seen = profile(table)
    assert (seen["Rate"].low, seen["Rate"].high, seen["Rate"].fractional) == (0.0, 1.0, 0.5)
    assert seen["Rate"].fractions_only and not seen["Count"].fractions_only
    assert (seen["Count"].low, seen["Count"].high, seen["Count"].fractional) == (3.0, 9.0, 0.0)


@pytest.mark.parametrize(("values", "role"), [
    (["0.021", "0.024", "0.019"], Role.IGNORE),  # fractions under a count header: a rate
    (["0", "1", "1"], Role.METRIC),  # small whole counts are counts
    (["12", "0.5", "3.25"], Role.METRIC),  # fractional conversions (data-driven attribution) above 1
    (["4%", "5%", "6%"], Role.IGNORE),  # % signs: a rate
])
def test_values_under_a_count_header_can_make_it_a_rate(values: list[str], role: Role) -> None:
    rows = "".join(f"2026-0{i + 1},{v}\n" for i, v in enumerate(values))
    assert choice(f"Month,Conversions\n{rows}", "Conversions").role == role


@pytest.mark.parametrize(("values", "role"), [
    (["$0.02", "$0.03", "$0.02"], Role.IGNORE), (["$1.25", "$2.50", "$0.75"], Role.IGNORE),
    (["$120.50", "$80.00", "$1.00"], Role.METRIC), (["3", "4", "2"], Role.METRIC),
])
def test_small_decimals_under_a_money_header_are_a_per_unit_value(values: list[str], role: Role) -> None:
    rows = "".join(f"2026-0{i + 1},{v}\n" for i, v in enumerate(values))
    assert choice(f"Month,Revenue\n{rows}", "Revenue").role == role


# --- The rest of the file -------------------------------------------------------------------------


def test_a_cost_column_is_marketing_spend_only_beside_ad_figures() -> None:
    pnl = choice("Month,Revenue,Cost,Gross profit\n2026-01,900,400,500\n", "Cost")
    assert pnl.role == Role.IGNORE and "might be Marketing spend" in pnl.note and pnl.confidence < SURE
    ads = choice("Day,Clicks,Cost\n2026-01-01,90,400\n", "Cost")
    assert (ads.role, ads.metric) == (Role.METRIC, "marketing_spend")


@pytest.mark.parametrize(("header", "expected"), [
    ("Month,NPS,Responses\n2026-01,40,120\n", "nps_responses"),
    ("Month,Decision confidence,Responses\n2026-01,71,80\n", "confidence_responses"),
    ("Month,Aided awareness,Respondents\n2026-01,0.31,400\n", "awareness_sample"),
    ("Month,NPS,Confidence score,Responses\n2026-01,40,71,120\n", None),  # which survey? ask
    ("Month,Responses\n2026-01,120\n", None),
])
def test_responses_belong_to_the_files_one_survey_score(header: str, expected: str | None) -> None:
    responses = choice(header, "Responses" if "Responses" in header else "Respondents")
    assert responses.metric == expected
    assert (responses.role == Role.METRIC) == (expected is not None)


@pytest.mark.parametrize(("header", "role"), [
    ("Revenue - Search", Role.IGNORE), ("Pipeline (Paid social)", Role.IGNORE), ("Channel0_revenue", Role.IGNORE),
    ("Search sessions", Role.METRIC), ("Search spend", Role.METRIC),
])
def test_revenue_under_a_marketing_channels_name_is_attribution_and_only_offered(header: str, role: Role) -> None:
    assert choice(f"Month,{header}\n2026-01,1200\n", header).role == role


def test_one_channel_column_with_an_unknown_word_is_asked_about_and_several_make_a_pattern() -> None:
    lone = choice("Week,kitten_spend\n2026-01-05,10\n", "kitten_spend")
    assert lone.role == Role.IGNORE and "might be Marketing spend" in lone.note
    assert mapped("Week,north_spend,south_spend\n2026-01-05,10,20\n") == {
        "Week": (Role.DATE, None, ""), "north_spend": (Role.METRIC, "marketing_spend", "north"),
        "south_spend": (Role.METRIC, "marketing_spend", "south")}


def test_a_plain_column_beside_channels_is_left_out_even_when_its_values_cannot_be_checked() -> None:
    text = "Week,tv_spend,search_spend,Spend\n2026-01-05,,20,30\n2026-01-12,10,,25\n"  # no row has all three
    settled = choice(text, "Spend")
    assert settled.role == Role.IGNORE and "probably the total of mapped columns tv_spend, search_spend" in \
        settled.note


def test_the_same_channel_twice_is_mapped_once() -> None:
    assert mapped("Week,facebook_S,facebook_spend\n2026-01-05,10,10\n") == {
        "Week": (Role.DATE, None, ""), "facebook_S": (Role.METRIC, "marketing_spend", "facebook"),
        "facebook_spend": (Role.IGNORE, None, "")}


def test_unsure_columns_are_the_ones_with_a_candidate() -> None:
    mapping = suggest(read_file("f.csv", b"Month,Revenue,Leads,CTR\n2026-01,5,7,0.1\n"), STANDARD_CATALOG)
    assert unsure_columns(mapping) == ["Leads"]


# --- Presets --------------------------------------------------------------------------------------


def test_a_new_channel_column_does_not_double_what_the_preset_already_maps() -> None:
    first = read_file("spend.csv", b"Week,Spend\n2026-01-05,100\n")
    preset = suggest(first, STANDARD_CATALOG)
    next_file = read_file("spend.csv", b"Week,Spend,tv_spend\n2026-01-12,150,50\n")
    applied, missing = apply_preset(preset, next_file, STANDARD_CATALOG)
    assert missing == [] and applied.columns["Spend"].metric == "marketing_spend"
    assert applied.columns["tv_spend"].role == Role.IGNORE and "'Spend'" in applied.columns["tv_spend"].note


def test_a_new_channel_beside_the_presets_channels_is_mapped_as_one_more_channel() -> None:
    preset = ImportMapping(columns={"Week": ColumnChoice(role=Role.DATE), "tv_spend": ColumnChoice(
        role=Role.METRIC, metric="marketing_spend", segment="tv")})
    next_file = read_file("spend.csv", b"Week,tv_spend,radio_spend\n2026-01-12,150,50\n")
    applied, _ = apply_preset(preset, next_file, STANDARD_CATALOG)
    assert (applied.columns["radio_spend"].metric, applied.columns["radio_spend"].segment) == ("marketing_spend",
                                                                                              "radio")
