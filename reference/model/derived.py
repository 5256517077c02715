"""Variables a student derived from the data, as recipes the grader can compute again.

Students centre ``ses`` on the school mean themselves, take school means, build dummies and products
by hand, or let patsy do it (``C(sector)``, ``I(ses**2)``, ``center(ses)``, ``np.log(size)``). To
re-fit such a model exactly, each of its columns is described by how it follows from the data's own
columns: an :class:`Expr`. A model's extra columns are :class:`Derived` (a name and an expression),
added to the data before the model is built (:func:`with_derived`), so the formula machinery sees
plain column names. Expressions are values: built by :mod:`reference.model.tie` from numbers, never
parsed from a student's text, and (de)serialised through a checked JSON form for the fit cache.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from reference.data.dataset import dataset_of
from reference.errors import SpecError

#: What an expression does with its arguments.
OPS = frozenset(
    {"one", "col", "mean", "centre", "affine", "log", "log10", "sqrt", "mul", "sum", "eq", "values"}
)
MAX_VALUES_BYTES = 8 * 200_000
MAX_NODES = 12  # a recipe is tied from a handful of steps; anything larger is not one of ours


@dataclass(frozen=True, slots=True)
class Expr:
    """One column computed from the data.

    Attributes:
        op: ``one`` (the constant 1: an intercept), ``col`` (a column of the data, ``name``),
            ``mean`` (its school mean), ``centre`` (minus its school mean), ``affine``
            (``a·x + b``), ``log``, ``log10``, ``sqrt``, ``mul`` (the product of ``args``), ``sum``
            (their sum), ``eq`` (1 where the argument equals ``a``, else 0) or ``values`` (a column
            that could not be tied to the data: its values, one per row of the data, as float64
            bytes — the model is still fitted exactly, but such a column has no value at a profile).
        args: the expressions it applies to.
        name: the column, for ``col``.
        a, b: the constants of ``affine`` and ``eq``.
    """

    op: str
    args: tuple[Expr, ...] = ()
    name: str = ""
    a: float = 1.0
    b: float = 0.0
    data: bytes = field(default=b"", repr=False)

    def text(self) -> str:
        """A canonical, readable form (also the cache key's): ``centre(ses)``, ``ses*sector``.

        >>> Expr("mul", (col("ses"), Expr("mean", (col("ses"),)))).text()
        'ses*mean(ses)'
        """
        if self.op in ("col", "one"):
            return self.name or "1"
        if self.op == "values":
            return f"values({hashlib.sha256(self.data).hexdigest()[:16]})"
        inner = [a.text() for a in self.args]
        if self.op in ("mul", "sum"):
            return ("*" if self.op == "mul" else " + ").join(inner)
        if self.op == "affine":
            return _affine_text(self.a, inner[0], self.b)
        if self.op == "eq":
            return f"({inner[0]}=={self.a!r})"
        return f"{self.op}({inner[0]})"

    def show(self) -> str:
        """The expression for people: numbers to 4 significant digits (``ses - 0.0001434``)."""
        if self.op in ("col", "one", "values"):
            return self.text()
        inner = [a.show() for a in self.args]
        if self.op in ("mul", "sum"):
            return ("·" if self.op == "mul" else " + ").join(inner)
        if self.op == "affine":
            return _affine_text(float(f"{self.a:.4g}"), inner[0], float(f"{self.b:.4g}"))
        if self.op == "eq":
            return f"({inner[0]} == {self.a:g})"
        return f"{self.op}({inner[0]})"

    def columns(self) -> frozenset[str]:
        """The data columns it reads."""
        if self.op == "col":
            return frozenset({self.name})
        return frozenset().union(*(a.columns() for a in self.args))

    def factors(self) -> tuple[str, ...] | None:
        """The columns it multiplies when it is a plain product of columns (``ses*ses``), else None."""
        if self.op == "col":
            return (self.name,)
        if self.op != "mul":
            return None
        parts = [a.factors() for a in self.args]
        return None if any(p is None for p in parts) else tuple(f for p in parts if p for f in p)


def _affine_text(a: float, inner: str, b: float) -> str:
    """``a·x + b`` written as a student would read it: ``-1*sector + 1``, ``ses - 0.0001``."""
    scaled = inner if a == 1 else f"-{inner}" if a == -1 else f"{a!r}*{inner}"
    return scaled if b == 0 else f"{scaled} {'+' if b > 0 else '-'} {abs(b)!r}"


def col(name: str) -> Expr:
    """A column of the data."""
    return Expr("col", name=name)


@dataclass(frozen=True, slots=True)
class Derived:
    """A column a model adds to the data: its name in the formula and how it is computed.

    ``named``: the student made this column and named it, so it is a variable of theirs even when
    it is a product (their ``ses_cath`` is not split into ses·sector in the equations).
    """

    name: str
    expr: Expr
    named: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "expr": _to_json(self.expr), "named": self.named}


def evaluate(expr: Expr, data: pd.DataFrame) -> np.ndarray:
    """The column ``expr`` describes, computed on ``data`` (rows in the data's order)."""
    if expr.op == "col":
        return np.asarray(data[expr.name], dtype=float)
    if expr.op == "one":
        return np.ones(len(data))
    if expr.op == "values":
        column = np.frombuffer(expr.data, dtype="<f8").astype(float)
        if len(column) != len(data):
            raise SpecError(f"{expr.name or 'a column'} has {len(column)} values, not {len(data)}.")
        return column
    values = [evaluate(a, data) for a in expr.args]
    if expr.op in ("mul", "sum"):
        stacked = np.vstack(values)
        return np.prod(stacked, axis=0) if expr.op == "mul" else np.sum(stacked, axis=0)
    (x,) = values
    if expr.op in ("mean", "centre"):
        groups = np.asarray(data[dataset_of(data).group])
        means = pd.Series(x).groupby(groups).transform("mean").to_numpy()
        return means if expr.op == "mean" else x - means
    with np.errstate(all="ignore"):
        return _elementwise(expr, x)


def _elementwise(expr: Expr, x: np.ndarray) -> np.ndarray:
    if expr.op == "affine":
        return expr.a * x + expr.b
    if expr.op == "eq":
        return (x == expr.a).astype(float)
    return {"log": np.log, "log10": np.log10, "sqrt": np.sqrt}[expr.op](x)


def with_derived(data: pd.DataFrame, derived: Sequence[Derived]) -> pd.DataFrame:
    """``data`` with the derived columns added (``data`` itself is not changed).

    Raises:
        SpecError: a derived column would replace a column of the data, or is not finite.
    """
    if not derived:
        return data
    out = data.copy()
    for item in derived:
        if item.name in data.columns:
            raise SpecError(f"the derived column {item.name!r} would replace a column of the data.")
        values = evaluate(item.expr, data)
        if not np.isfinite(values).all():
            raise SpecError(f"{item.name} = {item.expr.text()} is not finite for every student.")
        out[item.name] = values
    return out


def at_profile(expr: Expr, profile: Mapping[str, float], school_means: Mapping[str, str]) -> float:
    """The value of ``expr`` for a described student (the forecast profile).

    A school mean comes from the profile's column for it (``mean(ses)`` is ``meanses``), so
    ``centre(ses)`` is ``ses − meanses``, as the data defines its own ``cses``.

    Raises:
        SpecError: the profile does not say what the expression needs.

    >>> at_profile(Expr("centre", (col("ses"),)), {"ses": 0.0, "meanses": -0.4}, {"ses": "meanses"})
    0.4
    """
    if expr.op == "col":
        return _profile_value(profile, expr.name, expr.name)
    if expr.op == "one":
        return 1.0
    if expr.op == "values":
        raise SpecError(
            f"your {expr.name or 'column'} could not be matched with the data, so it has no value "
            "at the forecast profile."
        )
    if expr.op in ("mean", "centre"):
        (inner,) = expr.args
        if inner.op != "col" or inner.name not in school_means:
            raise SpecError(
                f"the forecast profile gives no school mean of {inner.text()}, which your "
                f"{expr.op}({inner.text()}) needs."
            )
        mean = _profile_value(profile, school_means[inner.name], expr.text())
        return mean if expr.op == "mean" else at_profile(inner, profile, school_means) - mean
    values = [at_profile(a, profile, school_means) for a in expr.args]
    if expr.op in ("mul", "sum"):
        return math.prod(values) if expr.op == "mul" else math.fsum(values)
    result = float(_elementwise(expr, np.array(values[:1], dtype=float))[0])
    if not math.isfinite(result):
        raise SpecError(f"{expr.text()} is not defined at the forecast profile.")
    return result


def _profile_value(profile: Mapping[str, float], column: str, needed_by: str) -> float:
    if column not in profile:
        raise SpecError(
            f"the forecast profile has no value for {column!r} (needed by {needed_by!r}); it has "
            f"{', '.join(sorted(profile))}."
        )
    return float(profile[column])


def _to_json(expr: Expr) -> dict[str, Any]:
    return {"op": expr.op, "args": [_to_json(a) for a in expr.args], "name": expr.name,
            "a": expr.a, "b": expr.b, "data": base64.b64encode(expr.data).decode("ascii")}  # fmt: skip


def derived_from_json(raw: object) -> Derived:
    """Read a :meth:`Derived.to_json` document back (from the fit cache), checking every field.

    Raises:
        SpecError: the document is not a derived column.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise SpecError("a derived column in the cache is malformed.")
    budget = [MAX_NODES]
    return Derived(raw["name"], _from_json(raw.get("expr"), budget), raw.get("named") is True)


def _from_json(raw: object, budget: list[int]) -> Expr:
    budget[0] -= 1
    if budget[0] < 0 or not isinstance(raw, dict) or raw.get("op") not in OPS:
        raise SpecError("a derived column in the cache is malformed.")
    args, a, b = raw.get("args"), raw.get("a"), raw.get("b")
    if not (isinstance(args, list) and isinstance(a, int | float) and isinstance(b, int | float)):
        raise SpecError("a derived column in the cache is malformed.")
    data = _bytes(raw.get("data", ""))
    return Expr(str(raw["op"]), tuple(_from_json(x, budget) for x in args),
                str(raw.get("name", "")), float(a), float(b), data)  # fmt: skip


def _bytes(text: object) -> bytes:
    if not isinstance(text, str) or len(text) > 2 * MAX_VALUES_BYTES:
        raise SpecError("a derived column in the cache is malformed.")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise SpecError("a derived column in the cache is malformed.") from None
