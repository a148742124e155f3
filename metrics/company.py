"""A client company's details as typed in: name, currency, fiscal-year start, brand colour and logo, checked.

Every problem is collected before answering, each in words a person can act on; nothing is stored here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from metrics.logo import Logo, LogoRefused, prepared_logo
from metrics.refusal import Refused

NAME_MAX = 120
DEFAULT_COLOR = "#1f4e79"
COLOR_EXAMPLE = "#1F4E79"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

COMMON_CURRENCIES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "CNY", "HKD", "SGD", "INR", "SEK",
                     "NOK", "DKK", "PLN", "CZK", "BRL", "MXN", "ZAR", "AED")
"""Offered first in the app; any other ISO 4217 code may be typed."""

ISO_4217 = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF
CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF
GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD
LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP
PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND
TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
""".split())
"""Active ISO 4217 currency codes (precious metals, test and fund codes left out)."""

ROW_LABELS = {
    "import_batch": "imports", "observation": "figures", "metric_month_total": "monthly totals",
    "import_preset": "import presets", "custom_metric": "own metrics", "sql_source": "SQL sources",
    "driver_override": "driver map lines", "leading_indicator": "leading indicators", "review": "reviews",
    "review_event": "review closings and reopenings", "review_note": "review notes and decisions",
    "action_item": "actions", "agreement_version": "agreement versions", "agreement_kpi": "agreed KPIs",
    "kpi_target": "targets", "agreement_signature": "signatures", "kpi_commentary": "commentaries",
    "confidence_vote": "confidence votes", "leadership_system": "leadership answers",
    "source_of_record": "sources of record", "part_source": "sources added up as parts", "membership": "members",
    "meeting_cadence": "meeting cadence", "tile_placement": "One View tile arrangements",
    "delivery": "mail sent", "mail_preference": "members' mail choices", "delivery_setting": "mail settings",
    "alert_event": "alerts raised and cleared", "scheduled_refresh": "scheduled SQL refreshes",
}
"""What a table's rows are, in the user's words, for the summary of a deletion."""
BOOKKEEPING = frozenset({"data_version"})  # rows of the app's own, not the company's data: left out of summaries


class CompanyRefused(Refused):
    """The company's details were refused and nothing was changed; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class CompanyDetails:
    """A client company's details, checked and tidied (name spaced normally, currency in capitals)."""

    name: str
    currency: str = "USD"
    fiscal_year_start_month: int = 1
    color: str = DEFAULT_COLOR
    logo: Logo | None = None


def tidy_name(name: str) -> str:
    """The name with its spaces tidied: none at either end, single ones inside."""
    return " ".join(name.split())


def same_name(first: str, second: str) -> bool:
    """Whether two names are the same company's: letter case and spacing do not count."""
    return tidy_name(first).casefold() == tidy_name(second).casefold()


def name_problem(name: str) -> str | None:
    tidied = tidy_name(name)
    if not tidied:
        return "the company needs a name"
    if len(tidied) > NAME_MAX:
        return f"the name has {len(tidied)} characters; at most {NAME_MAX} are allowed"
    return None


def currency_problem(currency: str) -> str | None:
    if currency.strip().upper() in ISO_4217:
        return None
    return f"the currency must be a three-letter ISO 4217 code such as EUR or USD, not '{currency.strip()}'"


def fiscal_start_problem(month: int) -> str | None:
    if 1 <= month <= 12:
        return None
    return f"the fiscal year must start in a month from 1 (January) to 12 (December), not {month}"


def color_problem(color: str) -> str | None:
    if _COLOR.match(color.strip()):
        return None
    return f"the colour must look like {COLOR_EXAMPLE}, not '{color.strip()}'"


def checked_company(name: str, currency: str = "USD", fiscal_year_start_month: int = 1, color: str = DEFAULT_COLOR,
                    logo: bytes | None = None, logo_name: str = "the logo") -> CompanyDetails:
    """The details, tidied; CompanyRefused with every problem when any field is wrong."""
    checks = (name_problem(name), currency_problem(currency), fiscal_start_problem(fiscal_year_start_month),
              color_problem(color))
    problems = [problem for problem in checks if problem]
    prepared = None
    if logo is not None:
        try:
            prepared = prepared_logo(logo, logo_name)
        except LogoRefused as refused:
            problems.append(str(refused))
    if problems:
        raise CompanyRefused(problems)
    return CompanyDetails(tidy_name(name), currency.strip().upper(), fiscal_year_start_month,
                          color.strip().lower(), prepared)


def month_name(month: int) -> str:
    return calendar.month_name[month]


def deletion_summary(rows: Mapping[str, int]) -> str:
    """What deleting a company removes, in words: "imports: 2, figures: 1,240" (tables with rows only, in the
    order of ROW_LABELS, other tables last)."""
    order = {table: position for position, table in enumerate(ROW_LABELS)}
    tables = sorted((table for table, count in rows.items() if count and table not in BOOKKEEPING),
                    key=lambda table: order.get(table, len(order)))
    parts = [f"{ROW_LABELS.get(table, table.replace('_', ' '))}: {rows[table]:,}" for table in tables]
    return ", ".join(parts) or "no figures or other data"
