"""Formulas of derived metrics: arithmetic over period sums of base metrics.

Parsed with ``ast`` and limited to + - * / on names and numbers, so a formula written as data
can never run code. A division by zero or a missing input gives ``None`` ("no value").
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from functools import lru_cache

_OPERATORS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class FormulaError(ValueError):
    """A formula uses something other than + - * / on names and numbers."""


@lru_cache(maxsize=512)
def _parse(formula: str) -> ast.expr:
    try:
        tree = ast.parse(formula, mode="eval").body
    except SyntaxError as error:
        raise FormulaError(f"{formula!r} is not a formula: {error.msg}") from None
    for node in ast.walk(tree):
        allowed = (ast.BinOp, ast.Name, ast.Constant, ast.Load, ast.UnaryOp, ast.USub, *_OPERATORS)
        if not isinstance(node, allowed):
            raise FormulaError(f"{formula!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Constant) and not _is_number(node.value):
            raise FormulaError(f"{formula!r}: only numbers may appear as constants")
    return tree


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@lru_cache(maxsize=512)
def formula_names(formula: str) -> tuple[str, ...]:
    """The metric keys a formula reads, in order of first use."""
    names = [n.id for n in ast.walk(_parse(formula)) if isinstance(n, ast.Name)]
    return tuple(dict.fromkeys(names))


def evaluate(formula: str, values: Mapping[str, float | None]) -> float | None:
    """Evaluate ``formula`` on ``values``; None when an input is missing or a divisor is zero."""
    result = _eval(_parse(formula), values)
    return result if result is not None and math.isfinite(result) else None


def _eval(node: ast.expr, values: Mapping[str, float | None]) -> float | None:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = _eval(node.operand, values)
        return None if inner is None else -inner
    assert isinstance(node, ast.BinOp)
    left, right = _eval(node.left, values), _eval(node.right, values)
    if left is None or right is None or (isinstance(node.op, ast.Div) and right == 0):
        return None
    return _OPERATORS[type(node.op)](left, right)
