"""Text that is safe to open in a spreadsheet or slide tool.

A cell beginning with = or @ (or a tab or carriage return before one) can be read as a formula by
Excel, LibreOffice or Sheets (formula injection); so can one beginning with + or - followed by
anything a formula could call. Every export passes its text through here. Figures and placeholders
that merely start with a sign, such as "-4.2%", "+3.1 pts", "-$1.2M", "- / -" or "-", stay as they
are: no tool runs them, and an apostrophe in front of them would only be a stray character.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd

ALWAYS = ("=", "@", "\t", "\r")
SIGNS = ("+", "-")
# One figure as the app writes it: sign, currency, digits, decimals, scale or unit ("-$1.2M", "+3.1 pts",
# "-CHF 5K", "-0.4%"), or a placeholder for a missing one ("-", "n/a", the share-safe mask).
_FIGURE = (r"(?:[+\-−]?(?:[$€£¥]|[A-Z]{3}\s)?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|pts|[KMB]|×|mo))?"
           r"|[-–—]|n/a|•••)")
_NOTE = r"(?:\s\((?:partial|disagree|flagged)[^()=@|!]*\))?"  # the app's own remarks after a figure
_FIGURES = re.compile(rf"^{_FIGURE}(?:\s*[/·]\s*{_FIGURE})*{_NOTE}$")
_NEGATIVE_ZERO = re.compile(r"(?<![\w.])[-−+]((?:[$€£¥]|[A-Z]{3}\s)?0(?:\.0+)?)(?![\d.])")


def formula_risk(text: str) -> bool:
    """True when a spreadsheet could run ``text`` as a formula: it starts with = or @ (or a tab or
    carriage return), or with + or - followed by more than figures and placeholders."""
    if text.startswith(ALWAYS):
        return True
    return text.startswith(SIGNS) and not _FIGURES.match(text.strip())


def neutralise(text: str) -> str:
    """Prefix a formula-looking text with an apostrophe so no tool evaluates it."""
    return "'" + text if formula_risk(text) else text


def unsigned_zeros(text: str) -> str:
    """A change that rounds to zero carries no sign: "-0.0 pts" and "+0.0%" read "0.0 pts" and "0.0%"."""
    return _NEGATIVE_ZERO.sub(r"\1", text)


def safe_value(value: object) -> object:
    return neutralise(value) if isinstance(value, str) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names are neutralised; numbers stay numbers."""
    safe = frame.copy()
    safe.columns = [safe_value(c) for c in safe.columns]
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(safe_value)
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) of a neutralised frame."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one neutralised sheet per frame."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
