"""Candidate answers from each kind of place, before :mod:`grader.answers.locate` picks one.

* :func:`answer_dicts`: dicts whose keys name parts (``answers = {"icc": …, "level 1": …}``);
* :func:`own_values`: the student's own variables whose name suggests a part;
* :func:`equations_of`: every equation a value holds — a sympy object, a string of LaTeX or plain
  text, a list of them — read and classified by what it defines and contains.

A name only nominates: the value's type must fit the part (a number for the ICC, a list of names
for the effects, an equation of the right kind for the equations).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy

from grader.answers.encoded import Encoded, estimates_of, names_of, number_of
from grader.answers.found import Found, excerpt
from grader.answers.mathread import (
    EquationKind,
    canonical_letters,
    classify,
    read_rows,
    string_rows,
)
from grader.answers.patterns import name_fits
from grader.answers.submission import Submission
from reference.equations.serialize import from_tree
from reference.errors import EquationError

NUMBER_ANSWERS = ("icc", "aic_change", "residual_variance_change", "forecast")
LIST_ANSWERS = ("fixed_effects", "random_effects")
EQUATION_ANSWERS = ("level1", "level2", "combined", "combined_with_estimates")
#: Most specific first: a key "combined model with estimates" is not the combined model.
KEY_ORDER = (
    "combined_with_estimates", "combined", "level1", "level2", "icc", "aic_change",
    "residual_variance_change", "forecast", "fixed_estimates", "fixed_effects", "random_effects",
)  # fmt: skip
MAX_EQUATIONS_PER_VALUE = 30


@dataclass(frozen=True, slots=True)
class Candidate:
    """One equation a value or text holds, classified, with where it came from."""

    kind: EquationKind
    equation: sympy.Basic
    found: Found  # provenance; its value is filled in once the answer is chosen
    order: int
    group: str  # equations of one list, one string or one cell belong together


def fits(part: str, enc: Encoded | None, *, strings: bool = False, loose: bool = False) -> bool:
    """Whether an encoded value has the type a part needs (equations are judged by content).

    A number written as a string (``"0.18"``) fits only where ``strings`` allows it: in the
    contract's variable, never under a name that merely resembles the part's. A list of effects
    is a list; a dict or Series (its keys the effects) fits only ``loose``-ly.
    """
    if enc is None or enc.get("type") == "invalid":
        return False
    if part in NUMBER_ANSWERS:
        return isinstance(number_of(enc), float) and (strings or enc.get("type") != "string")
    if part in LIST_ANSWERS:
        if enc.get("type") != "list" and not loose:
            return False
        names = names_of(enc)
        return isinstance(names, tuple) and 0 < len(names) <= 60 and all(len(n) < 80 for n in names)
    if part == "fixed_estimates":
        estimates = estimates_of(enc)
        return isinstance(estimates, dict) and bool(estimates)
    return enc.get("type") in {"sympy", "string", "list"}


def answer_dicts(submission: Submission) -> Iterator[tuple[str, dict[str, tuple[str, Encoded]]]]:
    """Dicts that look like a student's answers: (name, {part: (key, value)})."""
    for name, enc in submission.values.items():
        if enc.get("type") != "mapping" or enc.get("pytype") != "dict":
            continue
        parts: dict[str, tuple[str, Encoded]] = {}
        items = enc.get("items")
        for pair in items if isinstance(items, list) else []:  # the file may be forged
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], dict)):
                continue
            key, value = str(pair[0]), pair[1]
            part = next((p for p in KEY_ORDER if name_fits(p, key) and fits(p, value, strings=True)
                         and p not in parts), None)  # fmt: skip
            if part is not None:
                parts[part] = (key, value)
        if len(parts) >= 2 or (parts and name_fits_answers(name)):
            yield name, parts


def name_fits_answers(name: str) -> bool:
    low = name.lower()
    return any(w in low for w in ("answer", "result", "solution", "submission", "report"))


def own_values(
    submission: Submission, part: str, skip: set[str], *, loose: bool = False
) -> list[tuple[str, Encoded]]:
    """The student's variables (not models) whose name suggests ``part`` and whose type fits."""
    pool: list[tuple[str, Encoded]] = []
    if part in NUMBER_ANSWERS:
        pool = [(k, {"type": "number", "value": v}) for k, v in submission.scalars.items()]
    pool += list(submission.values.items())
    return [(k, v) for k, v in pool
            if k not in skip and name_fits(part, k) and fits(part, v, loose=loose)]  # fmt: skip


def equations_of(
    enc: Encoded, found: Found, order: int, response: str
) -> tuple[list[Candidate], list[str]]:
    """Every equation a value holds, classified; and the reader's notes."""
    out: list[Candidate] = []
    notes: list[str] = []
    group = f"{found.variable}/{found.key}"
    for item in _leaves(enc):
        if len(out) >= MAX_EQUATIONS_PER_VALUE:
            break
        if item.get("type") == "sympy":
            equation = _rebuilt(item)
            if equation is not None:
                equation = canonical_letters(equation)
                out.append(Candidate(classify(equation, response), equation, found, order, group))
        elif item.get("type") == "string" and isinstance(item.get("value"), str):
            text = str(item["value"])
            rows, syntax = string_rows(text)
            read = read_rows(rows, syntax, response) if rows else None
            if read is None:
                continue
            notes += read.notes
            for row in read.equations:
                said = Found(found.variable, None, found.guessed, found.source, found.cell,
                             found.key, excerpt(row.source), row.notes)  # fmt: skip
                out.append(Candidate(row.kind, row.equation, said, order, group))
    return out, notes


def _leaves(enc: Encoded, depth: int = 0) -> Iterator[Encoded]:
    items = enc.get("items")
    if enc.get("type") == "list" and depth < 2:
        for item in items if isinstance(items, list) else []:  # the file may be forged
            if isinstance(item, dict):
                yield from _leaves(item, depth + 1)
    else:
        yield enc


def _rebuilt(enc: Encoded) -> sympy.Basic | None:
    try:
        built = from_tree(enc.get("tree"))
    except EquationError:
        return None
    if isinstance(built, sympy.Tuple):
        return built[0] if len(built) == 1 else None
    return built


def names_value(items: tuple[str, ...]) -> Encoded:
    """A list of names as the extraction step would have encoded it."""
    return {"type": "list", "items": [{"type": "string", "value": i} for i in items]}
