"""Expressions: a recursive-descent reader that builds sympy objects directly.

Only :class:`sympy.Symbol`, :class:`sympy.Add`, :class:`sympy.Mul`, :class:`sympy.Pow`,
:class:`sympy.Integer`, :class:`sympy.Float` and the rationals their arithmetic gives are built;
no string is ever evaluated. Signs are read in a loop (5,000 ``+`` cost no recursion), brackets
recurse at most :data:`~.caps.MAX_DEPTH` deep, exponents are whole numbers up to
:data:`~.caps.MAX_EXPONENT` and exact numbers stay within :data:`~.caps.MAX_BITS`.
"""

from __future__ import annotations

import math
import re

import sympy

from grader.answers.mathtext.caps import (
    MAX_BITS,
    MAX_EXPONENT,
    MAX_NUMBER,
    MAX_TERMS,
    Unreadable,
)
from grader.answers.mathtext.commands import FUNCTIONS, GROUPING_PAIRS
from grader.answers.mathtext.cursor import Cursor, describe
from grader.answers.mathtext.names import NAME_KINDS, read_name, scripted
from grader.answers.mathtext.tokens import Token

_INTEGER = re.compile(r"[0-9]++")
_DECIMAL = re.compile(r"(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][-+]?+[0-9]++)?+")
_ATOM_KINDS = NAME_KINDS | {"number", "open", "frac", "func"}
_EXPONENT = f"an exponent is read only as a whole number from -{MAX_EXPONENT} to {MAX_EXPONENT}"


def read_side(cursor: Cursor) -> sympy.Expr:
    """Read all of the cursor's tokens as one expression."""
    expr = _sum(cursor)
    token = cursor.peek()
    if token is not None:
        raise Unreadable(describe(token))
    return expr


def _sum(cursor: Cursor) -> sympy.Expr:
    terms = [_signed(cursor)]
    while cursor.at("op", "+", "-"):
        terms.append(_signed(cursor))
        if len(terms) > MAX_TERMS:
            raise Unreadable(f"it has more than {MAX_TERMS} terms")
    return sympy.Add(*terms)


def _signed(cursor: Cursor) -> sympy.Expr:
    negative = False
    while (sign := cursor.accept("op", "+", "-")) is not None:  # + -2.965, - -x: a loop
        negative ^= sign.text == "-"
    term = _product(cursor)
    return sympy.Mul(sympy.S.NegativeOne, term) if negative else term


def _product(cursor: Cursor) -> sympy.Expr:
    factors = [_power(cursor)]
    while True:
        if cursor.accept("op", "*"):
            factors.append(_power(cursor))
        elif cursor.accept("op", "/"):
            factors.append(_reciprocal(_power(cursor)))
        elif any(cursor.at(kind) for kind in _ATOM_KINDS):  # implicit: 1.89\,ses_{ij}
            factors.append(_power(cursor))
        else:
            return _checked(sympy.Mul(*factors))
        if len(factors) > MAX_TERMS:
            raise Unreadable(f"it has a product of more than {MAX_TERMS} factors")


def _power(cursor: Cursor) -> sympy.Expr:
    base = _atom(cursor)
    exponent = _exponent(cursor)
    if exponent is None:
        return base
    if cursor.at("op", "^") or cursor.at("sup"):
        raise Unreadable("a tower of powers is not read; " + _EXPONENT)
    if base.is_Number and base.is_zero and exponent < 0:
        raise Unreadable("0 to a negative power divides by zero")
    if isinstance(base, sympy.Rational) and _bits(base) * abs(exponent) > MAX_BITS:
        raise Unreadable("a power of a number that large is not read")
    return _checked(sympy.Pow(base, exponent))


def _atom(cursor: Cursor) -> sympy.Expr:
    token = cursor.peek()
    if token is None:
        raise Unreadable("it ends where a term was expected")
    if token.kind == "func" or _called(cursor, token):
        return _function(cursor)
    if token.kind in NAME_KINDS:
        return sympy.Symbol(read_name(cursor))
    if token.kind == "number":
        return _number(cursor.take().text)
    if token.kind == "frac":
        return _fraction(cursor)
    if token.kind == "open":
        inner = _group(cursor)
        if token.text == "{" and isinstance(inner, sympy.Symbol):  # {mathach}_{ij}
            return sympy.Symbol(scripted(cursor, token, inner.name))
        return inner
    raise Unreadable(describe(token))


def _called(cursor: Cursor, token: Token) -> bool:
    """A plain word such as ``log`` followed by ``(``: a function applied (``log(size)``)."""
    return (token.kind == "name" and token.text.lower() in FUNCTIONS
            and cursor.at("open", "(", ahead=1))  # fmt: skip


def _function(cursor: Cursor) -> sympy.Expr:
    r"""``\log(size_j)``, ``\sqrt{x}``, ``log(size)``: the variable the student made with the
    function, named as the grader names such a variable (``log_size_j``)."""
    token = cursor.take()
    function = FUNCTIONS.get(token.text.lower(), token.text)
    if not cursor.at("open", "(", "{", "["):
        raise Unreadable(f"{function} should be applied to one variable in brackets")
    inner = _group(cursor)
    if not isinstance(inner, sympy.Symbol):
        raise Unreadable(f"{function}(…) is read only around one variable, like {function}(size)")
    name = f"{function}_{inner.name}"
    if cursor.at("op", "_") or cursor.at("uscore"):  # \log(\text{size})_j
        name = scripted(cursor, token, name)
    return sympy.Symbol(name)


def _group(cursor: Cursor) -> sympy.Expr:
    opening = cursor.take()
    cursor.enter()
    inner = _sum(cursor)
    closing = cursor.accept("close")
    if closing is None or GROUPING_PAIRS.get(opening.text) != closing.text:
        raise Unreadable(f"the {opening.text} opened here is not closed by its match")
    cursor.leave()
    return inner


def _fraction(cursor: Cursor) -> sympy.Expr:
    cursor.take()
    digits = cursor.peek()
    if digits and digits.kind == "number" and len(digits.text) > 1 and digits.text.isdigit():
        return _digit_fraction(cursor.take().text)
    cursor.enter()  # \frac\frac\frac... recurses without a bracket
    numerator = _argument(cursor)
    fraction = _checked(sympy.Mul(numerator, _reciprocal(_argument(cursor))))
    cursor.leave()
    return fraction


def _argument(cursor: Cursor) -> sympy.Expr:
    """An argument of ``\\frac``: a braced expression, or one name or number (``\\frac 1 2``)."""
    if cursor.at("open", "{"):
        return _group(cursor)
    return _atom(cursor)


def _digit_fraction(digits: str) -> sympy.Expr:
    """``\\frac12``: TeX takes one digit per argument, so ``\\frac123`` is ½·3."""
    rest = _number(digits[2:]) if len(digits) > 2 else sympy.S.One
    return _checked(
        sympy.Mul(sympy.Integer(digits[0]), _reciprocal(sympy.Integer(digits[1])), rest)
    )


def _reciprocal(denominator: sympy.Expr) -> sympy.Expr:
    if not denominator.is_Number:
        raise Unreadable(
            "a fraction is read only when its denominator is a number, like \\frac{x}{2}"
        )
    if denominator.is_zero:
        raise Unreadable("it divides by zero")
    return _checked(sympy.Pow(denominator, -1))


def _exponent(cursor: Cursor) -> int | None:
    """The exponent after ``^`` (or Unicode ``²``), or ``None`` when there is none."""
    if cursor.at("sup"):
        return _whole(cursor.take().text)
    if cursor.accept("op", "^") is None:
        return None
    token = cursor.take()
    if token.kind == "script":
        if token.trap:
            cursor.notes.append(_raise_note(token.text, "{" + token.text + "}"))
        return _whole(token.text)
    if token.kind == "number":
        return _whole(token.text)
    if token.kind == "op" and token.text in "+-":
        number = cursor.take()
        if cursor.latex:
            braced = "{" + token.text + number.text + "}"
            cursor.notes.append(_raise_note(token.text + number.text, braced))
        return _whole(token.text + number.text)
    if token.kind == "open" and token.text == "{":
        sign = cursor.accept("op", "+", "-")
        number = cursor.take()
        if cursor.accept("close", "}") is None:
            raise Unreadable(_EXPONENT)
        return _whole((sign.text if sign else "") + number.text)
    raise Unreadable(_EXPONENT)


def _whole(text: str) -> int:
    digits = text.removeprefix("-").removeprefix("+")
    if not (_INTEGER.fullmatch(digits) and len(digits) <= 3):
        raise Unreadable(_EXPONENT)
    value = int(text)
    if abs(value) > MAX_EXPONENT:
        raise Unreadable(_EXPONENT)
    return value


def _number(text: str) -> sympy.Expr:
    """A written number: ``11`` → Integer, ``11.945``, ``.5``, ``1.2e-3`` → Float."""
    if len(text) > MAX_NUMBER:
        raise Unreadable(
            f"a number {len(text):,} characters long is more than the {MAX_NUMBER} read"
        )
    if _INTEGER.fullmatch(text):
        return sympy.Integer(int(text))
    if not _DECIMAL.fullmatch(text):
        raise Unreadable(f"{text} is not a number as written here")
    value = float(text)
    if not math.isfinite(value):
        raise Unreadable(f"{text} is too large a number")
    return sympy.Float(value)


def _bits(number: sympy.Rational) -> int:
    return max(int(number.p).bit_length(), int(number.q).bit_length())


def _checked(expr: sympy.Expr) -> sympy.Expr:
    """``expr``, unless its exact numeric coefficient grew beyond :data:`~.caps.MAX_BITS`."""
    coefficient = expr.as_coeff_Mul()[0] if isinstance(expr, sympy.Mul) else expr
    if isinstance(coefficient, sympy.Rational) and _bits(coefficient) > MAX_BITS:
        raise Unreadable("a number that large is not read")
    return expr


def _raise_note(written: str, braced: str) -> str:
    return (
        f"TeX raises only one character after ^, so ^{written} does not show as meant. It was "
        f"read as ^{braced}; write the braces so it shows that way."
    )
