"""Text that is safe to open in a spreadsheet or slide tool.

A cell beginning with = + - or @ can be read as a formula by Excel, LibreOffice or Sheets
(formula injection). Every export passes its text through here; plain numbers such as "-4.2%"
or "+3.1 pts" stay as they are because no tool runs them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+\-−]?[$€£¥]?\d[\d,]*(\.\d+)?\s?(%|pts|[KMB]|×|mo)?$")


def neutralise(text: str) -> str:
    """Prefix a formula-looking text with an apostrophe so no tool evaluates it."""
    if text.startswith(TRIGGERS) and not _PLAIN_NUMBER.match(text.strip()):
        return "'" + text
    return text


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
