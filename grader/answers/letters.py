"""Letter variables (``X_{1ij}``, ``W_{1j}``) resolved to the data's variables.

Many students write equations with letters and say in prose what each stands for ("where X_1 is
minority", "$X_{1ij}$ = minority"). Each letter is resolved, in this order, from:

1. the student's own definition in the notebook's text (the first data variable named right
   after the letter, or just before it as in "minority (X_1)");
2. the order of the final model's predictors: X_p is its p-th student-level predictor, W_q its
   q-th school-level one.

A letter without a number (``W_j``, Raudenbush & Bryk's own notation for a single school-level
predictor, or ``X_ij``) is resolved the same way: from a definition ("(W = disclim)", "where W is
meanses"), else to the model's only predictor of its level when there is exactly one. In an
equation it must carry its subscript (``W_j``) unless the text defines it: a bare ``W`` is a
letter only when the student said what it stands for.

Symbols are then renamed before the equation is compared, and feedback says how each was read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sympy

from reference.equations.symbols import w, x
from reference.errors import EquationError

# "X_1", "X_{1ij}", "W1j" in prose; every quantifier bounded (linear on any input).
_MENTION = re.compile(r"(?<![A-Za-z0-9\\])([XW])_?\{?(\d{1,2})?\}?(?:_?\{?i?j\}?)?(?![A-Za-z0-9])")
_SYMBOL = re.compile(r"([XxWw])_?\{?(\d{1,2})?\}?,?_?\{?(ij|j|i)?\}?")
_LINKS = ("=", ":", "is ", "denotes", "stands for", "represents", "refers to", "for ", "as ",
          "-", "–", "—", "(", "means", "indicates")  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{0,30}")


@dataclass(frozen=True, slots=True)
class Mention:
    """A letter met in the text, with the text just after and just before it."""

    key: str  # "X1", "W2"
    after: str
    before: str
    cell: int


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a letter stands for and why we think so."""

    variable: str
    reason: str
    defined: bool = False  # by the student's text (else guessed from the model)


def mentions(text: str, cell: int) -> list[Mention]:
    """Every letter variable mentioned in a text (capped), with its surroundings."""
    clean = text[:100_000]
    for junk in ("\\text", "\\mathrm", "\\mathit", "\\", "$", "`", "*", "{", "}"):
        clean = clean.replace(junk, "")
    found = []
    for match in _MENTION.finditer(clean):
        after = clean[match.end() : match.end() + 60]
        before = clean[max(0, match.start() - 40) : match.start()]
        found.append(Mention(match[1] + (match[2] or ""), after, before, cell))
        if len(found) >= 200:
            break
    return found


def resolve(
    found: Iterable[Mention],
    variables: Iterable[str],
    level1: tuple[str, ...],
    level2: tuple[str, ...],
) -> dict[str, Resolved]:
    """Each letter's variable: from a definition in the text, else from the model's order.

    Args:
        found: the letters mentioned in the notebook's text.
        variables: the data's variable names (lower case).
        level1, level2: the final model's student- and school-level predictors, in its order.

    >>> said = mentions("where $X_{1ij}$ is minority and W_1 = meanses", 3)
    >>> {k: v.variable for k, v in resolve(said, {"minority", "meanses", "ses"}, ("ses",), ()).items()}
    {'X1': 'minority', 'W1': 'meanses', 'X': 'ses'}
    """
    known = {v.lower() for v in variables}
    model = {v.lower() for v in (*level1, *level2)} & known
    out: dict[str, Resolved] = {}
    for mention in found:
        if mention.key in out:
            continue
        name = _defined(mention, known, model)
        if name is not None:
            out[mention.key] = Resolved(
                name, f"as your text in cell {mention.cell} defines it", True
            )
    for letter, order, level in (("X", level1, "student"), ("W", level2, "school")):
        for p, name in enumerate(order, start=1):
            ordinal = _ordinal(p)
            out.setdefault(
                f"{letter}{p}", Resolved(name, f"your model's {ordinal} {level}-level predictor")
            )
        if len(order) == 1:
            out.setdefault(letter, Resolved(order[0], f"your model's only {level}-level predictor"))
    return out


def _defined(mention: Mention, known: set[str], model: set[str]) -> str | None:
    """The variable a definition names: a predictor of the model before any other data variable
    ("where W is the school's mean SES, meanses" is meanses, not the id column school)."""
    after = mention.after.lstrip()
    link = next((k for k in _LINKS if after.lower().startswith(k)), None)
    if link is not None:
        words = [w.lower() for w in _WORD.findall(after[len(link) :])[:6]]
        candidates = [c for w in words for c in (w, w.removesuffix("ij").rstrip("_"))]
        for pool in (model, known):
            found = next((c for c in candidates if c in pool), None)
            if found is not None:
                return found
    before = mention.before.rstrip()
    if before.endswith(("(", " as", "=")):
        words = _WORD.findall(before.rstrip("(=").removesuffix(" as"))
        if words and words[-1].lower() in known:
            return words[-1].lower()
    return None


def _ordinal(p: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(p, f"{p}th")


def rename_letters(
    equation: sympy.Basic, resolved: Mapping[str, Resolved], school_level: frozenset[str]
) -> tuple[sympy.Basic, tuple[str, ...]]:
    """The equation with each letter symbol renamed to its variable, and what was renamed."""
    renames: dict[sympy.Basic, sympy.Basic] = {}
    said: list[str] = []
    for symbol in sorted(equation.free_symbols, key=str):
        if not isinstance(symbol, sympy.Symbol):
            continue
        match = _SYMBOL.fullmatch(symbol.name)
        if match is None:
            continue
        found = resolved.get(match[1].upper() + (str(int(match[2])) if match[2] else ""))
        if found is None or not (match[2] or match[3] or (found.defined and match[1].isupper())):
            continue  # a bare W is a letter only when the text says what it stands for
        try:
            target = w(found.variable) if found.variable in school_level else x(found.variable)
        except EquationError:  # a name the notation cannot spell; the comparison will say so
            continue
        renames[symbol] = target
        said.append(f"{symbol.name} as {target.name} ({found.reason})")
    if not renames:
        return equation, ()
    return equation.xreplace(renames), tuple(said)
