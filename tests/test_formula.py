"""Derived-metric formulas: arithmetic on names, no value instead of errors, nothing else allowed."""

from __future__ import annotations

import pytest

from metrics.formula import FormulaError, evaluate, formula_names

VALUES = {"a": 10.0, "b": 4.0, "c": 0.0, "d": -2.0}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("a + b", 14.0),
        ("a - b", 6.0),
        ("a * b", 40.0),
        ("a / b", 2.5),
        ("(a + b) / b", 3.5),
        ("a + b / b", 11.0),  # precedence: division first
        ("-d", 2.0),
        ("a * d", -20.0),
        ("a / 4", 2.5),
        ("(a / b) / (b / a)", 6.25),
        ("a", 10.0),
        ("2.5", 2.5),
    ],
)
def test_evaluates_arithmetic(formula: str, expected: float) -> None:
    assert evaluate(formula, VALUES) == pytest.approx(expected)


@pytest.mark.parametrize(
    "formula",
    [
        "a / missing",
        "missing / a",
        "missing + a",
        "-missing",
        "(a + missing) / b",
    ],
)
def test_missing_input_gives_no_value(formula: str) -> None:
    assert evaluate(formula, VALUES) is None


def test_input_given_as_none_gives_no_value() -> None:
    assert evaluate("a / b", {"a": None, "b": 2.0}) is None


@pytest.mark.parametrize(
    "formula",
    [
        "a / c",
        "a / 0",
        "a / (b - b)",
        "(a / c) * 0",  # an inner division by zero is not rescued by the outer expression
        "c / c",
        "b / (a / c)",
    ],
)
def test_division_by_zero_gives_no_value(formula: str) -> None:
    assert evaluate(formula, VALUES) is None


def test_overflow_gives_no_value_never_inf() -> None:
    assert evaluate("a * a", {"a": 1e200}) is None


@pytest.mark.parametrize(
    "formula",
    [
        "abs(a)",  # call
        "__import__('os')",  # call
        "a.real",  # attribute
        "a ** 2",  # power
        "a // b",  # floor division
        "a % b",  # modulo
        "a if b else c",  # conditional
        "a < b",  # comparison
        "[a, b]",  # list
        "a[0]",  # subscript
        "lambda: a",  # lambda
        "'text'",  # string constant
        "+a",  # unary plus is not one of the four operations
    ],
)
def test_rejected_constructs_raise(formula: str) -> None:
    with pytest.raises(FormulaError):
        evaluate(formula, VALUES)


def test_rejected_before_any_value_is_read() -> None:
    with pytest.raises(FormulaError):
        formula_names("a.__class__")


@pytest.mark.parametrize(
    ("formula", "names"),
    [
        ("a / b", ("a", "b")),
        ("(b + a) / b", ("b", "a")),
        ("x * 3", ("x",)),
        ("2 / 3", ()),
    ],
)
def test_names_in_order_of_first_use(formula: str, names: tuple[str, ...]) -> None:
    assert formula_names(formula) == names


@pytest.mark.parametrize("formula", ["a /", "a b", "", "True + a"])
def test_malformed_formula_raises_formula_error(formula: str) -> None:
    with pytest.raises(FormulaError):
        evaluate(formula, VALUES)
