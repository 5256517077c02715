"""sympy equation → JSON-able tree, run inside the student's kernel.

Self-contained on purpose: it imports only sympy and the standard library, so the grader's
extraction step can import it or send its source into a kernel it does not trust. The objects it
reads were made by student code, so it never calls their ``__repr__``, ``__str__``, ``__eq__``,
``__hash__`` or ``__float__``: types are compared by identity (``type(obj) is sympy.Add``; an
``isinstance`` check can be fooled by a ``__class__`` property), only exact sympy classes are read,
and sizes are capped before anything is walked. Any problem raises :class:`TreeError` with a message
a student can act on.

A tree node is ``{"op": ..., "args": [...]}`` for ``Add``, ``Mul``, ``Pow``, ``Eq`` and ``Tuple``
(a list of equations), ``{"op": "Symbol", "name": ...}``, ``{"op": "Integer", "value": int}``,
``{"op": "Float", "value": float}`` or ``{"op": "Rational", "value": [p, q]}``.
"""

from __future__ import annotations

import math
from typing import Any

import sympy
from sympy.core import numbers

MAX_NODES = 5000
MAX_DEPTH = 50
MAX_NAME = 100
MAX_NUMBER = 10**15
TOO_LARGE = (
    f"the equation has more than {MAX_NODES} parts; an HLM equation needs far fewer. "
    "Check that it was not built in a loop."
)
HINT = (
    "Write equations with reference.notation (Eq, y, beta, gamma, u, r, x, w), numbers, + - * / **."
)

_OPS: tuple[tuple[type, str], ...] = (
    (sympy.Symbol, "Symbol"),
    (sympy.Add, "Add"),
    (sympy.Mul, "Mul"),
    (sympy.Pow, "Pow"),
    (sympy.Equality, "Eq"),
    (sympy.Integer, "Integer"),
    (numbers.One, "Integer"),
    (numbers.Zero, "Integer"),
    (numbers.NegativeOne, "Integer"),
    (sympy.Rational, "Rational"),
    (numbers.Half, "Rational"),
    (sympy.Float, "Float"),
    (sympy.Tuple, "Tuple"),
    (list, "Tuple"),
    (tuple, "Tuple"),
)


class TreeError(ValueError):
    """An object cannot be sent to the grader as an equation; the message says why."""


class _Walk:
    """Depth-first conversion with a node budget shared by the whole tree."""

    def __init__(self) -> None:
        self.remaining = MAX_NODES

    def node(self, obj: object, depth: int) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise TreeError(f"the equation is nested more than {MAX_DEPTH} levels deep. {HINT}")
        self.remaining -= 1
        if self.remaining < 0:
            raise TreeError(TOO_LARGE)
        op = _op_of(type(obj))
        if op is None:
            raise TreeError(_unsupported(obj))
        if op == "Symbol":
            return {"op": op, "name": _name(obj)}
        if op in ("Integer", "Rational", "Float"):
            return {"op": op, "value": _number(op, obj)}
        return {"op": op, "args": [self.node(a, depth + 1) for a in self._children(obj, op)]}

    def _children(self, obj: object, op: str) -> list[object]:
        if type(obj) is list or type(obj) is tuple:
            items: object = obj
        else:
            items = obj.args  # type: ignore[attr-defined]  # an exact sympy class: its own property
        if (type(items) is not list and type(items) is not tuple) or len(items) > self.remaining:
            raise TreeError(TOO_LARGE)
        if op == "Tuple" and not items:
            raise TreeError("the list of equations is empty; put one Eq per β in it.")
        return list(items)


def to_tree(expr: object) -> dict[str, Any]:
    """Convert a sympy equation, expression or list of equations to plain JSON data.

    >>> to_tree(sympy.Eq(sympy.Symbol("mathach_ij"), 2 * sympy.Symbol("beta_0j")))["op"]
    'Eq'

    Raises:
        TreeError: an unsupported object, or a size limit exceeded.
    """
    return _Walk().node(expr, 0)


def _op_of(typ: type) -> str | None:
    for known, op in _OPS:
        if typ is known:
            return op
    return None


def _name(symbol: object) -> str:
    name = symbol.name  # type: ignore[attr-defined]
    if type(name) is not str or not name or not name.isprintable():
        raise TreeError("a symbol has an empty or unprintable name. " + HINT)
    if len(name) > MAX_NAME:
        raise TreeError(f"the symbol name {name[:30]!r}... is longer than {MAX_NAME} characters.")
    return name


def _number(op: str, number: object) -> int | float | list[int]:
    if op == "Float":
        value = float(number)  # type: ignore[arg-type]  # exact sympy.Float: its own __float__
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise TreeError(f"the number {value!r} is not finite or larger than {MAX_NUMBER:.0e}.")
        return value
    p, q = number.p, number.q  # type: ignore[attr-defined]
    if type(p) is not int or type(q) is not int or max(abs(p), q) > MAX_NUMBER:
        raise TreeError(
            f"a whole number or fraction in the equation is larger than {MAX_NUMBER:.0e}."
        )
    return p if op == "Integer" else [p, q]


def _unsupported(obj: object) -> str:
    typ = type(obj)
    name = _type_name(typ)
    if name in ("BooleanTrue", "BooleanFalse"):
        return (
            "sympy evaluated the equation to True/False because its sides are (un)equal as written; "
            "use Eq from reference.notation, which keeps the equation as you wrote it."
        )
    if typ is str:
        return "the answer is text, not a sympy equation. " + HINT
    return f"the equation contains an object of type {name}, which cannot be sent. {HINT}"


def _type_name(typ: type) -> str:
    """A class's own name, read without running a metaclass's properties."""
    try:
        name = type.__dict__["__name__"].__get__(typ, type)
    except Exception:  # a broken class: describe it generically
        return "object"
    return name[:60] if type(name) is str else "object"
