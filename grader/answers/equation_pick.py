"""Choosing the level-1, level-2, combined and with-estimates equations among all those found.

Candidates come in tiers — the contract's variables, an answers dict, the student's own
variables, printed outputs, the Markdown — and each kind of equation is taken from the first tier
that has one of that kind. Within a tier the fullest wins (most β's for level 1, most terms for a
combined model; later breaks ties), and the level-2 equations are the set that goes with the
chosen level-1 equation: those written after it, before the next equation of the response.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import sympy

from grader.answers.candidates import EQUATION_ANSWERS, Candidate, equations_of
from grader.answers.encoded import Encoded
from grader.answers.found import Found, excerpt
from grader.answers.mathread import classify
from grader.answers.patterns import EXCLUDED_NAMES, name_fits
from grader.answers.pi_notation import NOTE, from_pi, uses_pi
from grader.answers.reading import TextReading
from grader.answers.submission import Submission
from grader.answers.usage import CodeFacts
from grader.assignment.contract import SLOTS
from reference.equations.serialize import to_tree
from reference.equations.symbols import read_symbol
from reference.errors import EquationError

MAX_UNREAD = 5
MAX_VALUE_CHARS = 300_000


@dataclass(frozen=True, slots=True)
class Picked:
    """The equations chosen, per contract name, and what was read but answers nothing."""

    answers: dict[str, Found] = field(default_factory=dict)
    unread: tuple[str, ...] = ()


def pick_equations(
    submission: Submission,
    dicts: Sequence[tuple[str, dict[str, tuple[str, Encoded]]]],
    text: TextReading,
    facts: CodeFacts,
    response: str,
) -> Picked:
    """Every equation answer, from the first tier that has one of its kind (equations of the
    model define ``response``, the assignment's response column)."""
    answers: dict[str, Found] = {}
    contract = [p for p in EQUATION_ANSWERS if p in submission.answers]
    for part in contract:
        answers[part] = _contract(part, submission.answers[part], response)
    examples = {c for c, names in facts.cell_reads.items() if any(_example(n) for n in names)}
    tiers = [_dict_tier(dicts, response), _own_tier(submission, facts, response),
             _text_tier(text, "output", examples), _text_tier(text, "markdown", set())]  # fmt: skip
    pi = uses_pi((c.equation for tier in tiers for c in tier), response)
    if pi:
        tiers = [[_standard(c, response) for c in tier] for tier in tiers]
    for part in EQUATION_ANSWERS:
        if part in answers:
            continue
        for tier in tiers:
            chosen = _choose(part, tier)
            if chosen is not None:
                answers[part] = chosen
                break
    return Picked(answers, _unread(text, response, pi))


def _standard(candidate: Candidate, response: str) -> Candidate:
    """A candidate in the π notation, read in the standard one (and classified again)."""
    equation = from_pi(candidate.equation)
    if equation == candidate.equation:
        return candidate
    found = replace(candidate.found, notes=(*candidate.found.notes, NOTE))
    return replace(candidate, kind=classify(equation, response), equation=equation, found=found)


def _contract(part: str, enc: Encoded, response: str) -> Found:
    """The contract's variable; a string in it is read as an equation (LaTeX or plain)."""
    if enc.get("type") != "string" and not _has_strings(enc):
        return Found(part, enc)
    candidates, _ = equations_of(enc, Found(part, None), 0, response)
    if not candidates:
        return Found(part, enc)
    chosen = candidates if part == "level2" else candidates[:1]
    return _found(part, chosen, guessed=False) or Found(part, enc)


def _has_strings(enc: Encoded) -> bool:
    items = enc.get("items") if enc.get("type") == "list" else None
    return isinstance(items, list) and any(
        isinstance(i, dict) and i.get("type") == "string" for i in items
    )


def _dict_tier(
    dicts: Sequence[tuple[str, dict[str, tuple[str, Encoded]]]], response: str
) -> list[Candidate]:
    out: list[Candidate] = []
    for order, (name, parts) in enumerate(dicts):
        for key, enc in parts.values():
            found = Found(name, None, True, "dict", key=key)
            out += equations_of(enc, found, order, response)[0]
    return out


def _own_tier(submission: Submission, facts: CodeFacts, response: str) -> list[Candidate]:
    out: list[Candidate] = []
    names = list(submission.values)
    budget = MAX_VALUE_CHARS  # what strings of variables may cost the reader, all together
    for name, enc in submission.values.items():
        if name in SLOTS or _example(name):
            continue
        budget -= len(json.dumps(enc))
        if budget < 0:
            break
        order = facts.last_assigned(name) * 1000 + names.index(name)
        out += equations_of(enc, Found(name, None, True, "variable"), order, response)[0]
    return out


def _example(name: str) -> bool:
    return EXCLUDED_NAMES.match(name.lower()) is not None


def _text_tier(text: TextReading, source: str, skip: set[int]) -> list[Candidate]:
    """Equations read from printed outputs or Markdown; a cell that shows the template's worked
    examples (it reads ``example_…`` variables) is not an answer."""
    out = []
    for read in text.equations:
        place, row = read.place, read.row
        if place.source != source or place.cell in skip:
            continue
        found = Found(None, None, True, place.source, place.cell,  # type: ignore[arg-type]
                      excerpt=excerpt(row.source), notes=row.notes)  # fmt: skip
        out.append(Candidate(row.kind, row.equation, found, place.order, f"cell{place.cell}"))
    return out


def _choose(part: str, tier: list[Candidate]) -> Found | None:
    if part == "level2":
        return _level2(tier)
    of_kind = [c for c in tier if c.kind == part]
    if not of_kind:
        return None
    size = _betas if part == "level1" else _terms
    best = max(of_kind, key=lambda c: (size(c.equation), _hinted(part, c), c.order))
    return _found(part, [best])


def _level2(tier: list[Candidate]) -> Found | None:
    level2 = [c for c in tier if c.kind == "level2"]
    if not level2:
        return None
    level1 = [c for c in tier if c.kind == "level1"]
    if level1:
        anchor = max(level1, key=lambda c: (_betas(c.equation), c.order))
        response = [c.order for c in tier if c.kind != "level2" and c.order > anchor.order
                    and c.kind != "other"]  # fmt: skip
        stop = min(response, default=None)
        after = [c for c in level2 if c.order >= anchor.order and (stop is None or c.order < stop)]
        if after:
            return _found("level2", _distinct(after))
    groups: dict[str, list[Candidate]] = {}
    for c in level2:
        groups.setdefault(c.group, []).append(c)
    best = max(groups.values(), key=lambda g: (len(_distinct(g)), _hinted("level2", g[0]),
                                                g[-1].order))  # fmt: skip
    return _found("level2", _distinct(best))


def _distinct(candidates: list[Candidate]) -> list[Candidate]:
    """One equation per β (the first written), in order."""
    seen: set[str] = set()
    out = []
    for c in sorted(candidates, key=lambda c: c.order):
        defined = str(c.equation.lhs) if isinstance(c.equation, sympy.Equality) else ""
        if defined not in seen:
            seen.add(defined)
            out.append(c)
    return out


def _hinted(part: str, candidate: Candidate) -> bool:
    found = candidate.found
    name = found.key or found.variable or ""
    return bool(name) and name_fits(part, name)


def _betas(equation: sympy.Basic) -> int:
    return sum(1 for s in equation.free_symbols if read_symbol(str(s)).kind == "beta")


def _terms(equation: sympy.Basic) -> int:
    rhs = equation.rhs if isinstance(equation, sympy.Equality) else equation
    return len(sympy.Add.make_args(rhs))


def _found(part: str, chosen: list[Candidate], guessed: bool = True) -> Found | None:
    """The chosen equation(s) as an answer: sympy trees, with where they were read."""
    try:
        trees = [to_tree(c.equation) for c in chosen]
    except EquationError:
        return None
    value: Encoded = (
        {"type": "list", "items": [{"type": "sympy", "tree": t} for t in trees]}
        if part == "level2"
        else {"type": "sympy", "tree": trees[0]}
    )
    first = chosen[0].found
    rows = [c.found.excerpt for c in chosen if c.found.excerpt]
    notes = tuple(dict.fromkeys(n for c in chosen for n in c.found.notes))
    said = excerpt("; ".join(rows)) if rows else None
    return replace(first, value=value, guessed=guessed and first.guessed, excerpt=said, notes=notes)


def _near_miss(equation: sympy.Basic, response: str) -> bool:
    """An equation of a random effect, a γ or the response: meant as an answer, read as none."""
    lhs = equation.lhs if isinstance(equation, sympy.Equality) else None
    kind = read_symbol(lhs.name, response).kind if isinstance(lhs, sympy.Symbol) else ""
    return kind in {"u", "gamma", "residual", "response"}


def _unread(text: TextReading, response: str, pi: bool) -> tuple[str, ...]:
    """Equations the text has that answer nothing, and rows the reader could not read."""
    from reference.equations.display import Equation

    out: list[str] = []
    for read in text.equations:
        equation = from_pi(read.row.equation) if pi else read.row.equation
        kind = classify(equation, response) if pi else read.row.kind
        if kind == "other" and len(out) < MAX_UNREAD and _near_miss(equation, response):
            where = f"cell {read.place.cell}"
            shown = Equation.from_sympy(equation).text()
            out.append(
                f"{where} has {shown}, which is neither an equation of {response} nor of a β"
            )
    for place, failure in text.failures[:MAX_UNREAD]:
        out.append(f"cell {place.cell} has “{excerpt(failure.source)}”, which could not be "
                   f"read ({failure.error})")  # fmt: skip
    return tuple(out)
