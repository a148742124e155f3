"""Collecting every problem of a file at once, each with its row (line in the file), column and reason."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from metrics.validation import MAX_PROBLEMS, ImportRejected, Problem

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
OUR_FAULT = ("the file could not be read because of a fault on our side (it has been logged); nothing was "
             "imported. Try again, or save the file as CSV and import that")


def refuse(file_name: str, reason: str) -> ImportRejected:
    """The whole file refused, with why: nothing of it is read further, nothing is written."""
    return ImportRejected([Problem(file=file_name, reason=reason)])


class ReadFailure(ImportRejected):
    """A file broke the reader in a way it does not foresee: the details are logged, the person is told plainly.

    Distinct from the refusals of bad files so the fault run and the tests can count it as a fault of ours.
    """

    def __init__(self, file_name: str) -> None:
        super().__init__([Problem(file=file_name, reason=OUR_FAULT)])


def show(value: object, limit: int = 40) -> str:
    """A cell value quoted for a message, shortened and without control characters."""
    text = CONTROL.sub(" ", str(value)).strip()
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


class ProblemLog:
    """Problems of one table; ``rejected`` marks the rows that have at least one."""

    def __init__(self, file_name: str, rows: np.ndarray) -> None:
        self.file = file_name
        self.rows = rows
        self.rejected = np.zeros(len(rows), dtype=bool)
        self.problems: list[Problem] = []

    def cells(self, mask: np.ndarray, column: str, reason: str,
              values: pd.Series | Sequence | np.ndarray | None = None, quote: bool = True) -> None:
        """One problem per marked row; ``{value}`` in ``reason`` becomes the row's entry in ``values``."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.rejected |= mask
        positions = np.flatnonzero(mask)
        for position in positions[:MAX_PROBLEMS]:
            text = reason
            if values is not None:
                value = values.iloc[position] if isinstance(values, pd.Series) else values[position]
                text = reason.replace("{value}", show(value) if quote else str(value))
            self.problems.append(Problem(file=self.file, row=int(self.rows[position]), column=column, reason=text))
        if len(positions) > MAX_PROBLEMS:
            self.problems.append(Problem(file=self.file, column=column, reason=(
                f"{len(positions) - MAX_PROBLEMS:,} more rows with the same problem")))

    def column(self, column: str | None, reason: str) -> None:
        """A problem with a whole column (or the mapping), not with one row."""
        self.problems.append(Problem(file=self.file, column=column, reason=reason))

    @property
    def fatal(self) -> bool:
        """A problem that stops the table being read at all (no row attached)."""
        return any(p.row is None for p in self.problems)


def by_row(problems: list[Problem]) -> list[Problem]:
    """Problems of the whole file first, then in file order (one row's problems in column order)."""
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))
