"""How much of a file an import reads at most, checked before anything is built from it.

A 1.5 KB workbook can declare a cell at XFD1048576 and a 100 KB zip can unpack to gigabytes: every limit is
checked from what the file says about itself first (its zip directory, its declared size, its line lengths),
then again while it is read, so a file that lies is stopped as soon as it passes a limit.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # what Excel itself can hold: beyond it a sheet is not valid


@dataclass(frozen=True)
class ReadLimits:
    """The largest table an import reads; each refusal names the limit and the setting that raises it."""

    excel_rows: int = 1_000_000  # CSV files are bounded by their cells alone
    columns: int = 500
    cells: int = 20_000_000  # rows × columns of the table as read, blanks included
    line_bytes: int = MB  # a CSV line (and an Excel cell's text)
    unpacked_mb: int = 500  # an Excel workbook's parts, unpacked
    compression_ratio: int = 200  # unpacked size over packed size of any large part of a workbook

    @classmethod
    def from_settings(cls, settings: object) -> ReadLimits:
        """The limits an installation configured (``settings.Settings``, or anything with the same fields)."""
        return cls(excel_rows=settings.max_excel_rows, columns=settings.max_import_columns,
                   cells=settings.max_import_cells, line_bytes=settings.max_line_kb * 1024,
                   unpacked_mb=settings.max_unpacked_mb, compression_ratio=settings.max_compression_ratio)

    @classmethod
    def configured(cls) -> ReadLimits:
        """The limits from the ALIGNBOARD_* settings (the defaults when none is set)."""
        from settings import get_settings  # read when a file is read, so a changed setting applies at once

        return cls.from_settings(get_settings())


SETTING = {
    "excel_rows": "ALIGNBOARD_MAX_EXCEL_ROWS", "columns": "ALIGNBOARD_MAX_IMPORT_COLUMNS",
    "cells": "ALIGNBOARD_MAX_IMPORT_CELLS", "line_bytes": "ALIGNBOARD_MAX_LINE_KB",
    "unpacked_mb": "ALIGNBOARD_MAX_UNPACKED_MB", "compression_ratio": "ALIGNBOARD_MAX_COMPRESSION_RATIO",
}


def setting_note(limit: str) -> str:
    """"(setting ALIGNBOARD_MAX_IMPORT_COLUMNS)": where a refusal's limit can be changed."""
    return f"(setting {SETTING[limit]})"


def size_text(size: int) -> str:
    """Bytes for a message: "1.5 MB", "200 KB", "12 bytes"."""
    if size >= MB:
        return f"{size / MB:,.1f} MB"
    if size >= 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size:,} bytes"
