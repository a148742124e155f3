"""Red / amber / green: the status words every page and export shares."""

from __future__ import annotations

from enum import StrEnum


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"
    PARTIAL = "partial"  # the figures cover only part of the month: not judged against a month's target


RAG_COLORS: dict[Rag, str] = {
    Rag.GREEN: "#2e7d32",
    Rag.AMBER: "#ed8b00",
    Rag.RED: "#c62828",
    Rag.NO_DATA: "#9e9e9e",
    Rag.PARTIAL: "#607d8b",
}

RAG_LABELS: dict[Rag, str] = {
    Rag.GREEN: "On track",
    Rag.AMBER: "At risk",
    Rag.RED: "Off track",
    Rag.NO_DATA: "No data",
    Rag.PARTIAL: "Partial month",
}
