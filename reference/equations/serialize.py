"""Equations as data between the student's kernel and the grader.

:func:`to_tree` (from :mod:`reference.equations.totree`, which imports only sympy and the standard library) runs
in the kernel; :func:`from_tree` runs in the grader and is the trust boundary. It rebuilds an
expression only through an allow-list of operators, with caps on size, depth, name length, number
magnitude and how large the equation would grow when multiplied out. Symbol names are only data:
nothing is ever evaluated, sympified, parsed or unpickled.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy

from reference.equations import totree
from reference.equations.totree import MAX_DEPTH, MAX_NAME, MAX_NODES, MAX_NUMBER, TreeError
from reference.errors import EquationError

#: Powers may not nest into huge numbers: the product of |exponents| along any path stays below.
MAX_EXPONENT = 10
#: How many terms an equation may have once multiplied out: the comparison expands it, and an
#: HLM equation has a few dozen (10,000 would take sympy half a minute).
MAX_TERMS = 1_000
_NUMBERS = frozenset({"Integer", "Rational", "Float"})
_KEYS = {"Symbol": {"op", "name"}, **{op: {"op", "value"} for op in _NUMBERS}}


def to_tree(expr: object) -> dict[str, Any]:
    """A sympy equation (or expression, or list of equations) as JSON-able data.

    >>> from reference.notation import Eq, y, beta, r
    >>> to_tree(Eq(y, beta(0) + r))["args"][0]
    {'op': 'Symbol', 'name': 'mathach_ij'}

    Raises:
        EquationError: the object is not made of allowed sympy parts, or is too large.
    """
    try:
        return totree.to_tree(expr)
    except TreeError as exc:
        raise EquationError(str(exc)) from None


def from_tree(tree: object) -> sympy.Basic:
    """Rebuild an equation from untrusted data, through the allow-list only.

    >>> from reference.notation import Eq, y, beta, gamma, u, r, w
    >>> eq = Eq(y, beta(0) + r)
    >>> from_tree(to_tree(eq)) == eq
    True

    Raises:
        EquationError: malformed data, an operator not allowed, or a limit exceeded; the message is
            written for the student whose answer it was.
    """
    built = _Builder().build(tree, 0, 1.0)
    return built.expr


@dataclass(frozen=True, slots=True)
class _Built:
    expr: sympy.Basic
    terms: int  # an upper bound on the number of terms once expanded


class _Builder:
    def __init__(self) -> None:
        self.remaining = MAX_NODES

    def build(self, tree: object, depth: int, power: float) -> _Built:
        op, tree = self._check(tree, depth)
        if op == "Symbol":
            return _Built(sympy.Symbol(_symbol_name(tree["name"])), 1)
        if op in _NUMBERS:
            return _Built(_number(op, tree["value"]), 1)
        args = tree["args"]
        if op == "Tuple" and depth > 0:
            raise _error("a list of equations may only be the whole answer, not part of one.")
        if op == "Pow":
            return self._pow(args, depth, power)
        built = [self.build(a, depth + 1, power) for a in args]
        return _combine(op, built)

    def _check(self, tree: object, depth: int) -> tuple[str, dict[str, Any]]:
        if depth > MAX_DEPTH:
            raise _error(f"the equation is nested more than {MAX_DEPTH} levels deep.")
        self.remaining -= 1
        if self.remaining < 0:
            raise _error(f"the equation has more than {MAX_NODES} parts.")
        if type(tree) is not dict:
            raise _error("the equation data is malformed (a part is not an object).")
        op = tree.get("op")
        if type(op) is not str or op not in _ARITY:
            shown = op[:30] if type(op) is str else type(op).__name__
            raise _error(f"the equation uses {shown!r}, which is not allowed. {totree.HINT}")
        if set(tree) != _KEYS.get(op, {"op", "args"}):
            raise _error(f"the equation data for {op} is malformed (unexpected fields).")
        args = tree.get("args", [])
        if type(args) is not list or not _ARITY[op](len(args)) or len(args) > self.remaining:
            raise _error(f"{op} has the wrong number of parts ({_count(args)}).")
        return op, tree

    def _pow(self, args: list[Any], depth: int, power: float) -> _Built:
        op = args[1].get("op") if type(args[1]) is dict else None
        if type(op) is not str or op not in _NUMBERS:  # a list "op" would not even hash
            raise _error("an exponent must be a plain number (write x**2, not x**y).")
        exponent = self.build(args[1], depth + 1, 1.0)
        size = abs(float(exponent.expr))
        if size * power > MAX_EXPONENT:
            raise _error(
                f"powers above {MAX_EXPONENT} (also through nested powers) are not allowed."
            )
        base = self.build(args[0], depth + 1, power * max(size, 1.0))
        _no_equations("Pow", [base.expr])
        grown = base.terms ** math.ceil(size) if exponent.expr.is_Integer else 1
        return _Built(sympy.Pow(base.expr, exponent.expr), _capped(grown))


_ARITY: dict[str, Callable[[int], bool]] = {
    "Symbol": lambda n: n == 0,
    "Integer": lambda n: n == 0,
    "Rational": lambda n: n == 0,
    "Float": lambda n: n == 0,
    "Add": lambda n: n >= 1,
    "Mul": lambda n: n >= 1,
    "Pow": lambda n: n == 2,
    "Eq": lambda n: n == 2,
    "Tuple": lambda n: n >= 1,
}


def _combine(op: str, built: list[_Built]) -> _Built:
    exprs = [b.expr for b in built]
    if op != "Tuple":
        _no_equations(op, exprs)
    if op == "Eq":
        return _Built(sympy.Eq(exprs[0], exprs[1], evaluate=False), _capped(_sum(built)))
    if op == "Tuple":
        return _Built(sympy.Tuple(*exprs), _capped(_sum(built)))
    if op == "Add":
        return _Built(sympy.Add(*exprs), _capped(_sum(built)))
    return _Built(sympy.Mul(*exprs), _capped(math.prod(b.terms for b in built)))


def _no_equations(op: str, exprs: list[sympy.Basic]) -> None:
    if any(isinstance(e, (sympy.Equality, sympy.Tuple)) for e in exprs):
        raise _error(f"an equation cannot be part of a {op}; write one Eq(left, right).")


def _sum(built: list[_Built]) -> int:
    return sum(b.terms for b in built)


def _capped(terms: int) -> int:
    if terms > MAX_TERMS:
        raise _error(f"multiplied out, the equation would have more than {MAX_TERMS} terms.")
    return terms


def _symbol_name(name: object) -> str:
    if type(name) is not str or not name or not name.isprintable() or len(name) > MAX_NAME:
        raise _error(f"a symbol name must be printable text of 1 to {MAX_NAME} characters.")
    return name


def _number(op: str, value: object) -> sympy.Expr:
    if op == "Float":
        if type(value) not in (int, float) or not math.isfinite(value) or abs(value) > MAX_NUMBER:  # type: ignore[arg-type]
            raise _error(f"a decimal number must be finite and at most {MAX_NUMBER:.0e}.")
        return sympy.Float(value)
    parts = value if op == "Rational" else [value, 1]
    if type(parts) is not list or len(parts) != 2 or any(type(v) is not int for v in parts):
        raise _error(f"a {op} must be whole numbers.")
    p, q = parts
    if q <= 0 or max(abs(p), q) > MAX_NUMBER:
        raise _error(f"a whole number or fraction must be at most {MAX_NUMBER:.0e} (and q > 0).")
    return sympy.Rational(p, q)


def _count(args: object) -> str:
    return str(len(args)) if type(args) is list else "not a list"


def _error(message: str) -> EquationError:
    return EquationError(f"Your equation could not be read: {message}")
