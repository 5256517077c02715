"""Equations written as text — LaTeX in Markdown, printed lines, strings — read and classified.

The reading itself is :func:`grader.answers.mathtext.read_math`, our own bounded parser (nothing is
evaluated or ``sympify``-ed). This module finds the rows worth reading and says what each equation
*is*, from what it defines and contains:

========================  ==================  =======================================
kind                      defines             contains
========================  ==================  =======================================
``level1``                the response        β's
``level2``                a β                 γ's and u's
``combined``              the response        γ's (and u's), no β
``combined_with_estimates``  the response     numbers in place of the γ's
``other``                 anything else (``u0j = …``, ``AIC = …``)
========================  ==================  =======================================

The response is the assignment's response column (its caller names it) or R&B's ``Y``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

import sympy

from grader.answers.markdown import math_spans
from reference.equations.symbols import beta, gamma, read_symbol, u

EquationKind = Literal["level1", "level2", "combined", "combined_with_estimates", "other"]
Syntax = Literal["latex", "plain"]
MAX_ROWS_READ = 200  # per text: rows handed to the reader
MAX_PLAIN_LHS = 30


@functools.lru_cache(maxsize=8)
def _lhs(response: str) -> re.Pattern[str]:
    """What the left side of a line starts with when the line is an equation we grade."""
    name = re.escape(response.lower())
    return re.compile(
        rf"y|{name}|β|beta|\\beta|\\hat|ŷ|\\mathrm\{{{name}|\\text\{{{name}|b_?\{{?\d"
        r"|π|\\pi|pi_?\{?\d"  # R&B's three-level letters (grader.answers.pi_notation)
    )


@dataclass(frozen=True, slots=True)
class RowEquation:
    """One equation read from one row of text."""

    source: str
    equation: sympy.Equality
    kind: EquationKind
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RowFailure:
    """A row that looks like an answer's equation but could not be read, and why."""

    source: str
    error: str


@dataclass(frozen=True, slots=True)
class TextMath:
    """The equations of one text, the rows that failed, and the reader's notes on the text."""

    equations: tuple[RowEquation, ...] = ()
    failures: tuple[RowFailure, ...] = ()
    notes: tuple[str, ...] = ()


# Plain-text spellings of the coefficients: b0j, b_0j, b0_j (β); g00, g_01 (γ); u0_j (u).
_BETA = re.compile(r"b_?\{?(\d{1,2})\}?_?\{?j\}?")
_GAMMA = re.compile(r"g_?\{?(\d)(\d)\}?")
_U = re.compile(r"u_?\{?(\d{1,2})\}?_\{?j\}?")


def canonical_letters(equation: sympy.Basic) -> sympy.Basic:
    """``b0j``, ``g01`` and ``u0_j`` renamed to the notation's β, γ and u (their meaning is
    unambiguous: no variable of the data is called b0j)."""
    renames: dict[sympy.Basic, sympy.Basic] = {}
    for symbol in equation.free_symbols:
        if not isinstance(symbol, sympy.Symbol):
            continue
        name = symbol.name
        if match := _BETA.fullmatch(name):
            renames[symbol] = beta(int(match[1]))
        elif match := _GAMMA.fullmatch(name):
            renames[symbol] = gamma(int(match[1]), int(match[2]))
        elif match := _U.fullmatch(name):
            renames[symbol] = u(int(match[1]))
    return equation.xreplace(renames) if renames else equation


def classify(equation: sympy.Basic, response: str) -> EquationKind:
    """What an equation defines and contains (see the module's table).

    >>> from reference.notation import Eq, y, beta, gamma, u, r, x, w
    >>> classify(Eq(y, beta(0) + beta(1) * x("minority") + r), "mathach")
    'level1'
    >>> classify(Eq(beta(0), gamma(0, 0) + u(0)), "mathach"), classify(Eq(y, gamma(0, 0) + u(0) + r), "mathach")
    ('level2', 'combined')
    >>> classify(Eq(y, 12.6 + 2.1 * x("ses") + u(0) + r), "mathach"), classify(Eq(u(0), gamma(0, 0)), "mathach")
    ('combined_with_estimates', 'other')
    """
    if not isinstance(equation, sympy.Equality):
        return "other"
    lhs, rhs = equation.lhs, equation.rhs
    if not isinstance(lhs, sympy.Symbol) and isinstance(rhs, sympy.Symbol):
        lhs, rhs = rhs, lhs
    if not isinstance(lhs, sympy.Symbol):
        return "other"
    defined = read_symbol(lhs.name, response).kind
    kinds = {read_symbol(s.name).kind for s in rhs.free_symbols if isinstance(s, sympy.Symbol)}
    if defined == "beta":
        return "level2"
    if defined != "response":
        return "other"
    if "beta" in kinds:
        return "level1"
    if "gamma" in kinds:
        return "combined"
    numbers = {a for a in rhs.atoms(sympy.Number) if a not in (0, 1, -1)}
    return "combined_with_estimates" if len(numbers) >= 2 else "other"


def read_rows(rows: tuple[str, ...], syntax: Syntax, response: str) -> TextMath:
    """Read each row (a math span, or a plain line) with the bounded reader; classify each."""
    from grader.answers.mathtext import read_math  # sympy is imported only when needed

    equations: list[RowEquation] = []
    failures: list[RowFailure] = []
    notes: list[str] = []
    for row in rows[:MAX_ROWS_READ]:
        reading = read_math(row, syntax=syntax)
        row_notes = tuple(reading.notes)
        if not reading.equations:
            if _looks_like_answer(row, response):
                why = reading.error or (row_notes[0] if row_notes else "it has no = sign")
                failures.append(RowFailure(row, why))
            continue
        for read in reading.equations:
            equation = canonical_letters(read.equation)
            kind = classify(equation, response)
            equations.append(RowEquation(read.source or row, equation, kind, row_notes))
        notes += [n for n in row_notes if n not in notes]
    return TextMath(tuple(equations), tuple(failures), tuple(notes))


def latex_rows(text: str) -> tuple[str, ...]:
    """Every math span of a LaTeX-bearing text (Markdown, a ``text/latex`` output) that has an
    ``=``; the reader cuts a span into its rows itself (aligned blocks, ``&=`` continuations)."""
    return tuple(span for span in math_spans(text).items if "=" in span)


def plain_rows(text: str, response: str) -> tuple[str, ...]:
    """Lines of plain text that hold an equation of the model (``mathach_ij = 11.9 + …``), a
    leading label such as ``**Level 2:**`` or a bullet left off."""
    rows = []
    for line in text.split("\n"):
        clean = line.strip().strip("*-•>`").strip()
        before = clean.partition("=")[0]
        if ":" in before:  # "Level 1: mathach_ij = ..." -> the equation after the label
            clean = clean[before.rindex(":") + 1 :]
        clean = clean.strip().strip("*`").strip()
        if "=" not in clean and _RANDOM_PART.search(clean) and _NUMBER_TIMES.search(clean):
            clean = "Y_ij = " + clean  # a printed right-hand side: "12.658*Intercept + … + r_ij"
        if _looks_like_answer(clean, response) and "$" not in clean:
            rows.append(clean)
    return tuple(rows)


#: A printed sum holding the random part (``u_0j``, ``u0j``, ``r_ij``, ``e_ij``) and a number
#: times a name: the right-hand side of the combined model, its ``mathach_ij =`` left off.
_RANDOM_PART = re.compile(r"(?<![A-Za-z0-9_])(?:u_?0j?|[re]_?ij)(?![A-Za-z0-9_])")
_NUMBER_TIMES = re.compile(r"\d\s{0,3}[*·×]\s{0,3}[A-Za-z]")


def string_rows(text: str) -> tuple[tuple[str, ...], Syntax]:
    """The pieces of a string variable's text and the syntax to read them in."""
    if "$" in text:
        return latex_rows(text), "latex"
    if "\\" in text or "{" in text:
        return ((text,) if "=" in text else ()), "latex"
    return tuple(r.strip() for r in text.replace(";", "\n").split("\n") if "=" in r), "plain"


def _looks_like_answer(row: str, response: str) -> bool:
    """The row defines the response or a β (the equations graded), as far as text shows."""
    lhs, equals, _ = row.partition("=")
    lhs = lhs.strip().strip("$`*").strip().lower()
    return bool(equals) and 0 < len(lhs) <= MAX_PLAIN_LHS and _lhs(response).match(lhs) is not None
