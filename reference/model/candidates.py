"""What a design column can be, in terms of the data: the search behind :mod:`reference.model.tie`.

A column is tied to the first of, in order: the constant 1 (an intercept); a column of the data, its
school mean or its deviation from the school mean, or a log/sqrt of a positive column; an indicator
of one value of a column with few values (``C(sector, Treatment(1))``); an affine map of any of those
(grand-mean centring, standardising, a change of units); a product of two of them (interactions made
by hand, ``I(ses**2)``); a weighted sum of two columns (``ses - meanses``). Equality is checked on
every row, to a relative 1e-6: a column that only resembles one is not tied (a model of a column
rounded by hand is a different model).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement

import numpy as np
import pandas as pd

from reference.data.files import predictor_columns, school_level_columns
from reference.model.derived import Expr, col, evaluate

TOLERANCE = 1e-6
MAX_LEVELS = 20  # a column with more distinct values is not treated as categorical
_SAMPLE = 64  # rows a product is first tried on, before the full check


@dataclass(frozen=True, slots=True, eq=False)
class Candidate:
    """A column the data can make, and its values."""

    expr: Expr
    values: np.ndarray


def candidates(data: pd.DataFrame) -> list[Candidate]:
    """The data's columns and the columns students derive from them, most natural first."""
    names = predictor_columns(data)
    school = school_level_columns(data)
    exprs = [col(n) for n in names]
    exprs += [Expr(op, (col(n),)) for op in ("mean", "centre") for n in names if n not in school]
    positive = [n for n in names if float(data[n].min()) > 0 and data[n].nunique() > MAX_LEVELS]
    exprs += [Expr(op, (col(n),)) for op in ("log", "sqrt", "log10") for n in positive]
    return [Candidate(e, evaluate(e, data)) for e in exprs]


def tie_column(values: np.ndarray, table: list[Candidate]) -> Expr | None:
    """What ``values`` are in terms of the data, or None when they are none of the above."""
    values = np.asarray(values, dtype=float)
    if not np.isfinite(values).all():
        return None
    if _close(values, np.ones_like(values)):
        return Expr("one")
    for search in (_equal, _indicator, _affine, _product, _weighted_sum):
        found = search(values, table)
        if found is not None:
            return found
    return None


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(1.0, float(np.abs(b).max()))
    return bool(np.all(np.abs(a - b) <= TOLERANCE * scale))


def _equal(values: np.ndarray, table: list[Candidate]) -> Expr | None:
    return next((c.expr for c in table if _close(values, c.values)), None)


def _indicator(values: np.ndarray, table: list[Candidate]) -> Expr | None:
    if not np.isin(values, (0.0, 1.0)).all():
        return None
    for c in table:
        if c.expr.op != "col":
            continue
        levels = np.unique(c.values)
        if 2 <= len(levels) <= MAX_LEVELS:
            for level in levels:
                if np.array_equal(values, (c.values == level).astype(float)):
                    return Expr("eq", (c.expr,), a=float(level))
    return None


def _affine(values: np.ndarray, table: list[Candidate]) -> Expr | None:
    for c in table:
        spread = float(np.var(c.values))
        if spread == 0:
            continue
        a = float(np.mean((c.values - c.values.mean()) * (values - values.mean())) / spread)
        b = float(values.mean() - a * c.values.mean())
        if a != 0 and _close(values, a * c.values + b):
            return Expr("affine", (c.expr,), a=a, b=b)
    return None


def _product(values: np.ndarray, table: list[Candidate]) -> Expr | None:
    rows = np.linspace(0, len(values) - 1, min(_SAMPLE, len(values))).astype(int)
    sample = values[rows]
    for u, v in combinations_with_replacement(table, 2):
        near = np.allclose(sample, u.values[rows] * v.values[rows], rtol=TOLERANCE, atol=TOLERANCE)
        if near and _close(values, u.values * v.values):
            return Expr("mul", (u.expr, v.expr))
    return None


def _weighted_sum(values: np.ndarray, table: list[Candidate]) -> Expr | None:
    """``a·u + b·v + c`` of two columns of the data (``ses - meanses``, a sum of dummies)."""
    columns = [c for c in table if c.expr.op == "col"]
    ones = np.ones_like(values)
    for i, u in enumerate(columns):
        for v in columns[i + 1 :]:
            design = np.column_stack([u.values, v.values, ones])
            coef, *_ = np.linalg.lstsq(design, values, rcond=None)
            if abs(coef[0]) > 0 and abs(coef[1]) > 0 and _close(values, design @ coef):
                first = Expr("affine", (u.expr,), a=float(coef[0]), b=float(coef[2]))
                second = Expr("affine", (v.expr,), a=float(coef[1]), b=0.0)
                return Expr("sum", (first, second))
    return None
