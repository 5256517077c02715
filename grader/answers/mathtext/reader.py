"""Reading a math text into equations: rows, then each row's two sides, with notes on the rest."""

from __future__ import annotations

import re
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
_DISTRIBUTION = ("a distribution", "")
_APPROXIMATION = ("an approximation", "; write = if it is one")
_RELATIONS = {"\\sim": _DISTRIBUTION, "~": _DISTRIBUTION, "∼": _DISTRIBUTION} | {
    "\\approx": _APPROXIMATION,
    "≈": _APPROXIMATION,
}


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


#: A module's name before a function a student printed (fixed alternatives: no backtracking).
_MODULE_PREFIX = re.compile(r"\b(?:np|numpy|math)\.(?=(?:log10|log|ln|exp|sqrt)\()")


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

    Raises:
        ValueError: ``syntax`` is neither ``"latex"`` nor ``"plain"`` (a caller's mistake).
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
    if syntax == "plain":  # printed code: np.log(size) is log(size)
        text = _MODULE_PREFIX.sub("", text)
    try:
        tokens = tokenize(text, syntax)
    except Refused as refusal:
        return MathReading((), (), str(refusal))
    rows, notes = split_rows(tokens)
    return _Reader(text, notes, latex=syntax == "latex").read(rows)


class _Reader:
    """One text being read: the equations so far and the notes on everything else."""

    def __init__(self, text: str, notes: list[str], *, latex: bool) -> None:
        self.text, self.notes, self.latex = text, notes, latex
        self.equations: list[ReadEquation] = []
        self.any_equals = False

    def read(self, rows: list[Row]) -> MathReading:
        self.any_equals = any(token.kind == "eq" for row in rows for token in row.tokens)
        for row in rows[:MAX_ROWS]:
            self.row(row)
        if len(rows) > MAX_ROWS:
            self.notes.append(
                f"Only the first {MAX_ROWS} rows were read; {len(rows) - MAX_ROWS} more were not."
            )
        kept = list(dict.fromkeys(self.notes))
        if len(kept) > MAX_NOTES:
            kept[MAX_NOTES - 1 :] = [f"{len(kept) - MAX_NOTES + 1} more notes were left out."]
        return MathReading(tuple(self.equations), tuple(kept))

    def row(self, row: Row) -> None:
        written = self.text[row.start : row.end]
        source = shown(written, _QUOTED)  # the row as quoted in notes: short enough to read
        why_not = self._not_an_equation(row.tokens, source)
        if why_not is not None:
            self.notes += [why_not] if why_not else []
            return
        equals = [i for i, token in enumerate(row.tokens) if token.kind == "eq"]
        if len(equals) > 1:
            self.notes.append(
                f"`{source}` has {len(equals)} = signs; the first was read as the equation and "
                "what follows the second = was left out."
            )
        left = row.tokens[: equals[0]]
        right = row.tokens[equals[0] + 1 : equals[1] if len(equals) > 1 else None]
        try:
            lhs, rhs = self._sides(left, right)
        except Unreadable as why:
            self.notes.append(f"`{source}` was skipped: {why}.")
            return
        self.equations.append(ReadEquation(shown(written), sympy.Eq(lhs, rhs, evaluate=False)))

    def _not_an_equation(self, tokens: tuple[Token, ...], source: str) -> str | None:
        """Why a row is not read (``""``: not worth a note), or ``None`` to read it."""
        relation = next((t for t in tokens if t.kind == "rel"), None)
        bad = next((t for t in tokens if t.kind == "bad"), None)
        if relation is not None:
            what, advice = _RELATIONS.get(relation.text, ("a condition", ""))
            return f"`{source}` states {what} ({relation.text}), so it was not read as an equation{advice}."
        if not any(token.kind == "eq" for token in tokens):
            if not self.latex or (bad is None and not self.any_equals):
                return ""  # printed output around an equation, or an inline $\\gamma_{01}$
            why = bad.text if bad is not None else "it has no = sign"
            return f"`{source}` was not read as an equation: {why}."
        return None if bad is None else f"`{source}` was skipped: {bad.text}."

    def _sides(
        self, left: tuple[Token, ...], right: tuple[Token, ...]
    ) -> tuple[sympy.Expr, sympy.Expr]:
        if not right:
            raise Unreadable("nothing follows its =")
        if left:
            lhs = read_side(Cursor(left, self.text, self.notes, latex=self.latex))
        elif self.equations:
            lhs = self.equations[-1].equation.lhs  # an aligned "&= ..." row continues the one above
        else:
            raise Unreadable("it starts with = and no row above says what it equals")
        return lhs, read_side(Cursor(right, self.text, self.notes, latex=self.latex))
