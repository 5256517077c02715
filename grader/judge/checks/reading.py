"""A student's equation answer made ready to compare, and what feedback says about the reading.

The answer's JSON tree(s) are rebuilt through the allow-list, letters (``X_{1ij}``, ``W_{1j}``) are
renamed to the data's variables, and — whenever the answer came from text (Markdown, a printed
line, a string) or letters were renamed — feedback says what was read, as STACK does before it
grades: "We read your level-2 equations in the Markdown of cell 14 as β0j = γ00 + u0j; …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from grader.answers.encoded import Invalid, tree_of
from grader.answers.letters import Resolved, rename_letters, resolve
from grader.answers.locate import WHAT, Found
from grader.judge.checks.context import Context
from reference.equations.display import Equation
from reference.equations.serialize import from_tree
from reference.errors import EquationError

_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Prepared:
    """An equation answer ready to compare (``None`` if absent or unreadable), with feedback."""

    equation: Any | None
    problem: str | None = None
    lines: tuple[str, ...] = ()


_MEMO: list[tuple[Context, dict[str, Any]]] = []


def prepare(ctx: Context, found: Found, name: str) -> Prepared:
    """Rebuild, rename and describe one equation answer (once per context and answer)."""
    entry = _MEMO[0] if _MEMO else None  # one read: another thread may replace the entry
    if entry is None or entry[0] is not ctx:
        entry = (ctx, {})
        _MEMO[:] = [entry]
    memo = entry[1]
    if name not in memo:
        memo[name] = _prepare(ctx, found, name)
    return memo[name]


def _prepare(ctx: Context, found: Found, name: str) -> Prepared:
    if found.value is None:
        return Prepared(None)
    trees = tree_of(found.value)
    if isinstance(trees, Invalid):
        wanted = "a list of sympy equations" if name == "level2" else "a sympy equation (Eq)"
        return Prepared(None, f"{found.label} holds {trees.reason}; this part needs {wanted}.")
    try:
        equation: Any = (
            [from_tree(t) for t in trees] if isinstance(trees, list) else from_tree(trees)
        )
    except EquationError as exc:
        return Prepared(None, f"{found.label} could not be read as an equation: {exc}")
    equation, renamed = _renamed(ctx, equation)
    return Prepared(equation, None, tuple(_said(ctx, found, name, equation, renamed)))


def _renamed(ctx: Context, equation: Any) -> tuple[Any, list[str]]:
    letters = _letters(ctx)
    if not letters or ctx.equations is None:
        return equation, []
    school = ctx.equations.school_level
    if isinstance(equation, list):
        pairs = [rename_letters(e, letters, school) for e in equation]
        said = list(dict.fromkeys(s for _, notes in pairs for s in notes))
        return [e for e, _ in pairs], said
    renamed, notes = rename_letters(equation, letters, school)
    return renamed, list(notes)


def _letters(ctx: Context) -> dict[str, Resolved]:
    """What X_p and W_q stand for: the student's definitions, else the final model's order."""
    if ctx.equations is None:
        return {}
    school = ctx.equations.school_level
    level1: list[str] = []
    level2: list[str] = []
    for term in ctx.final.fe_params if ctx.final is not None else {}:
        name = term.lower()
        if _NAME.fullmatch(name) and name != "intercept":
            (level2 if name in school else level1).append(name)
    variables = {str(c).lower() for c in ctx.data.columns}
    return resolve(ctx.located.letters, variables, tuple(level1), tuple(level2))


def _said(ctx: Context, found: Found, name: str, equation: Any, renamed: list[str]) -> list[str]:
    lines = []
    if found.from_text or renamed:
        shown = "; ".join(
            _text(e) for e in (equation if isinstance(equation, list) else [equation])
        )
        what = "your " + WHAT[name].removeprefix("the ")
        lines.append(ctx.say("read.equation", what=what, where=found.label, equations=shown))
    if renamed:
        lines.append(ctx.say("read.letters", renames="; ".join(renamed)))
    if found.notes:
        lines.append(ctx.say("read.notes", notes=" ".join(found.notes)))
    return lines


def _text(equation: Any) -> str:
    try:
        return Equation.from_sympy(equation).text()
    except (TypeError, ValueError, AttributeError):
        return str(equation)


def memoised(ctx: Context, key: str, make: Any) -> Any:
    """``make()``, computed once per context and key."""
    entry = _MEMO[0] if _MEMO else None
    if entry is None or entry[0] is not ctx:
        entry = (ctx, {})
        _MEMO[:] = [entry]
    if key not in entry[1]:
        entry[1][key] = make()
    return entry[1][key]
