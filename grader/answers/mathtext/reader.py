"""Reading a math text into equations: rows, then each row's two sides, with notes on the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sympy

from grader.answers.mathtext.blocks import Row, split_rows
from grader.answers.mathtext.caps import (
    MAX_CHARS,
    MAX_NOTES,
    MAX_ROWS,
    Refused,
    Unreadable,
    shown,
)
from grader.answers.mathtext.cursor import Cursor
from grader.answers.mathtext.parser import read_side
from grader.answers.mathtext.tokens import Token, tokenize

_QUOTED = 100


@dataclass(frozen=True, slots=True)
class ReadEquation:
    """One equation read from a student's text.

    Attributes:
        source: the row as written (one line, at most 300 characters), to echo in feedback.
        equation: ``lhs = rhs`` as an unevaluated :class:`sympy.Equality`.
    """

    source: str
    equation: sympy.Equality


@dataclass(frozen=True, slots=True)
class MathReading:
    """What a text holds: its equations, a kind note on everything else, or why none was read.

    Attributes:
        equations: one per row with an ``=`` that could be read, in the text's order.
        notes: one sentence each: TeX traps, rows skipped and why, rows joined or cut short.
        error: set when the text as a whole was not read (too long, a macro definition, ...).
    """

    equations: tuple[ReadEquation, ...]
    notes: tuple[str, ...]
    error: str | None = None


def read_math(text: str, *, syntax: Literal["latex", "plain"] = "latex") -> MathReading:
    """Read the equations in one math span or block (``latex``) or printed text (``plain``).

    ``text`` comes without its ``$``/``$$``/``\\[ \\]`` delimiters. Nothing is evaluated; any
    text is read, or refused, in bounded time, and no text makes this function raise.

    >>> reading = read_math(r"Y_{ij} = \\beta_{0j} + \\beta_{1j} X_{1ij} + e_{ij}")
    >>> reading.equations[0].equation
    Eq(Y_ij, X_1ij*beta_1j + beta_0j + e_ij)
    >>> read_math("β0j = γ00 + γ01*meanses_j + u0j", syntax="plain").equations[0].equation
    Eq(beta_0j, gamma_00 + gamma_01*meanses_j + u_0j)
    >>> read_math(r"\\def\\x{\\x}\\x").error[:24]
    '\\\\def defines a command o'
    """
    if syntax not in {"latex", "plain"}:
        raise ValueError(f"syntax must be 'latex' or 'plain'; got {syntax!r}")
    if not isinstance(text, str):
        return MathReading((), (), f"Expected text to read; got {type(text).__name__}.")
    if len(text) > MAX_CHARS:
        return MathReading(
            (),
            (),
            f"This text is {len(text):,} characters long; equations are read from texts of up "
            f"to {MAX_CHARS:,}. Write each equation in its own math block.",
        )
    try:
        tokens = tokenize(text, syntax)
    except Refused as refusal:
        return MathReading((), (), str(refusal))
    rows, notes = split_rows(tokens)
    return _read_rows(text, rows, notes, syntax=syntax)


def _read_rows(text: str, rows: list[Row], notes: list[str], *, syntax: str) -> MathReading:
    equations: list[ReadEquation] = []
    any_equals = any(token.kind == "eq" for row in rows for token in row.tokens)
    for row in rows[:MAX_ROWS]:
        previous = equations[-1].equation.lhs if equations else None
        found = _read_row(text, row, previous, notes, syntax=syntax, any_equals=any_equals)
        if found is not None:
            equations.append(found)
    if len(rows) > MAX_ROWS:
        notes.append(
            f"Only the first {MAX_ROWS} rows were read; {len(rows) - MAX_ROWS} more were not."
        )
    kept = list(dict.fromkeys(notes))
    if len(kept) > MAX_NOTES:
        kept[MAX_NOTES - 1 :] = [f"{len(kept) - MAX_NOTES + 1} more notes were left out."]
    return MathReading(tuple(equations), tuple(kept))


def _read_row(
    text: str,
    row: Row,
    previous: sympy.Expr | None,
    notes: list[str],
    *,
    syntax: str,
    any_equals: bool,
) -> ReadEquation | None:
    written = text[row.start : row.end]
    source = shown(written, _QUOTED)  # the row as quoted in notes: short enough to read
    tokens = row.tokens
    relation = next((t for t in tokens if t.kind == "rel"), None)
    bad = next((t for t in tokens if t.kind == "bad"), None)
    equals = [i for i, t in enumerate(tokens) if t.kind == "eq"]
    if relation is not None:
        notes.append(
            f"`{source}` uses {relation.text} rather than =, so it was read as a distribution or a "
            "condition, not as an equation."
        )
        return None
    if not equals:
        if syntax == "latex" and (bad is not None or any_equals):
            why = bad.text if bad is not None else "it has no = sign"
            notes.append(f"`{source}` was not read as an equation: {why}.")
        return None
    if bad is not None:
        notes.append(f"`{source}` was skipped: {bad.text}.")
        return None
    if len(equals) > 1:
        notes.append(
            f"`{source}` has {len(equals)} = signs; the first was read as the equation and what "
            "follows the second = was left out."
        )
    end = equals[1] if len(equals) > 1 else len(tokens)
    try:
        sides = _sides(
            text, tokens[: equals[0]], tokens[equals[0] + 1 : end], previous, notes, syntax
        )
    except Unreadable as why:
        notes.append(f"`{source}` was skipped: {why}.")
        return None
    return ReadEquation(shown(written), sympy.Eq(*sides, evaluate=False))


def _sides(
    text: str,
    left: tuple[Token, ...],
    right: tuple[Token, ...],
    previous: sympy.Expr | None,
    notes: list[str],
    syntax: str,
) -> tuple[sympy.Expr, sympy.Expr]:
    if not right:
        raise Unreadable("nothing follows its =")
    latex = syntax == "latex"
    if left:
        lhs = read_side(Cursor(left, text, notes, latex=latex))
    elif previous is None:
        raise Unreadable("it starts with = and no row above says what it equals")
    else:
        lhs = previous  # an aligned "&= ..." row continues the row above's left side
    return lhs, read_side(Cursor(right, text, notes, latex=latex))
