"""Rows: a text cut into the statements it holds, before any of them is read.

Rows end at ``\\\\``, at an environment's ``\\begin``/``\\end`` (hard: nothing continues across
them), at a new line in plain text, and, outside brackets, at ``,`` ``;`` ``:`` ``.`` ``\\quad``
and words in ``\\text{...}`` (soft: ``Y = ... + r, \\quad r \\sim N(0, \\sigma^2)`` holds two
statements). ``&`` marks go. A row without a relation that starts with ``+ - \\cdot``, follows a row
ending in an operator or ``=``, or follows an unclosed bracket continues the row before it: that is
how a long combined equation spreads over lines. Braces and ``\\left``/``\\right`` pairs that span
rows (``\\left\\{ \\begin{array}...\\end{array} \\right.``) frame the rows and are dropped; a
``\\left``/``\\right`` pair within a row becomes plain brackets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from grader.answers.mathtext.commands import GROUPING_PAIRS
from grader.answers.mathtext.tokens import Token

_SOFT, _LINE, _HARD = 1, 2, 3
_OPENING, _CLOSING = frozenset({"open", "left"}), frozenset({"close", "right"})


@dataclass(frozen=True, slots=True)
class Row:
    """The tokens of one statement and where it stands in the text (``start``, ``end``)."""

    tokens: tuple[Token, ...]
    start: int
    end: int


def split_rows(tokens: list[Token]) -> tuple[list[Row], list[str]]:
    """Cut tokens into rows; the notes say which bracket pairs spanning rows were dropped.

    >>> from grader.answers.mathtext.tokens import tokenize
    >>> rows, _ = split_rows(tokenize(r"a &= b \\\\ &+ c \\\\ d = e, \\quad f", "latex"))
    >>> [" ".join(t.text for t in row.tokens) for row in rows]
    ['a = b + c', 'd = e', 'f']
    """
    rows = _merge(_segments(tokens))
    notes = _pair_delimiters(rows)
    return [Row(tuple(row), row[0].start, row[-1].end) for row in rows if row], notes


def _segments(tokens: list[Token]) -> list[tuple[int, list[Token]]]:
    """Statements with the strength of the boundary before each."""
    segments: list[tuple[int, list[Token]]] = []
    current: list[Token] = []
    boundary, depth = _HARD, 0
    for index, token in enumerate(tokens):
        cut = _cut(tokens, index, depth)
        if cut:
            if current:
                segments.append((boundary, current))
                current, boundary = [], cut
            boundary = max(boundary, cut)
            depth = 0 if cut > _SOFT else depth
        elif token.kind not in {"amp", "gap"}:
            depth = max(0, depth + (token.kind in _OPENING) - (token.kind in _CLOSING))
            current.append(token)
    if current:
        segments.append((boundary, current))
    return segments


def _cut(tokens: list[Token], index: int, depth: int) -> int:
    token = tokens[index]
    if token.kind in {"begin", "end"}:
        return _HARD
    if token.kind == "row":
        return _LINE
    if depth == 0 and (
        token.kind == "gap" or (token.kind == "punct" and not _decimal(tokens, index))
    ):
        return _SOFT
    return 0


def _decimal(tokens: list[Token], index: int) -> bool:
    """``11,945``: a comma glued between digits is not a separator (the row notes it instead)."""
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    return (
        index > 0
        and tokens[index - 1].kind == "number"
        and tokens[index].glued
        and after is not None
        and after.kind == "number"
        and after.glued
    )


def _merge(segments: list[tuple[int, list[Token]]]) -> list[list[Token]]:
    rows: list[list[Token]] = []
    balances: list[int] = []
    for boundary, segment in segments:
        balance = sum((t.kind in _OPENING) - (t.kind in _CLOSING) for t in segment)
        if rows and boundary != _HARD and _continues(rows[-1], balances[-1], segment):
            rows[-1].extend(segment)
            balances[-1] += balance
        else:
            rows.append(list(segment))
            balances.append(balance)
    return rows


def _continues(previous: list[Token], unclosed: int, segment: list[Token]) -> bool:
    if any(token.kind in {"eq", "rel"} for token in segment):
        return False
    first, last = segment[0], previous[-1]
    starts_with_operator = first.kind == "op" and first.text in {"+", "-", "*"}
    return starts_with_operator or last.kind in {"op", "eq"} or unclosed > 0


def _pair_delimiters(rows: list[list[Token]]) -> list[str]:
    """Drop brace and ``\\left``/``\\right`` pairs that span rows; resolve those within one."""
    stack: list[tuple[int, int]] = []
    drops: set[tuple[int, int]] = set()
    notes: list[str] = []
    for r, row in enumerate(rows):
        for i, token in enumerate(row):
            if token.kind == "left" or (token.kind == "open" and token.text == "{"):
                stack.append((r, i))
            elif token.kind == "right" or (token.kind == "close" and token.text == "}"):
                opener = stack.pop() if stack and _partners(rows, stack[-1], token) else None
                if opener is None:
                    if token.kind == "right":
                        row[i] = _bad(token, "\\right has no matching \\left")
                elif opener[0] != r:
                    drops |= {opener, (r, i)}
                    notes += _spanning_note(rows[opener[0]][opener[1]])
                elif token.kind == "right":
                    row[opener[1]], row[i], dropped = _resolved(row[opener[1]], token)
                    drops |= {(r, opener[1]), (r, i)} if dropped else set()
    for r, i in stack:
        if rows[r][i].kind == "left":
            rows[r][i] = _bad(rows[r][i], "\\left has no matching \\right")
    for r, i in sorted(drops, reverse=True):
        del rows[r][i]
    return notes


def _partners(rows: list[list[Token]], opener: tuple[int, int], closer: Token) -> bool:
    return (rows[opener[0]][opener[1]].kind == "left") == (closer.kind == "right")


def _resolved(left: Token, right: Token) -> tuple[Token, Token, bool]:
    """A pair within one row: plain brackets, dropped (``\\left. \\right.``) or unreadable."""
    if left.text == right.text == ".":
        return left, right, True
    if GROUPING_PAIRS.get(left.text) == right.text:
        return replace(left, kind="open"), replace(right, kind="close"), False
    message = f"\\left{left.text} … \\right{right.text} is not part of the notation read here"
    return _bad(left, message), right, False


def _spanning_note(opener: Token) -> list[str]:
    if opener.kind == "left" and opener.text in {"(", "["}:
        return [
            f"A \\left{opener.text} … \\right pair spans several rows, so it was left out; "
            "keep brackets within one row (or end the row with an operator to continue it)."
        ]
    return []


def _bad(token: Token, message: str) -> Token:
    return replace(token, kind="bad", text=message)
