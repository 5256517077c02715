"""Matching the terms of one student equation with the model's, by the variables they multiply.

A student's β, γ or u is matched with the model's coefficient on the same variables, whatever its
index; what is left over on either side becomes a finding. The model's side of one equation is an
:class:`Expected`; findings and matches accumulate in a :class:`Tally` shared by all equations of a
part, so a coefficient reused across equations is caught too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sympy

from reference import tolerance
from reference.compare.findings import Comparison, Finding
from reference.compare.reading import COEFFICIENT_KINDS, Reading, Term, expr_text
from reference.equations.symbols import read_symbol, symbol_text, w, x

Monomial = tuple[str, ...]
#: A student's coefficient, the model's coefficient it was matched with, the student's term.
Match = tuple[sympy.Symbol, sympy.Symbol, str]
_ALLOWED = {
    "beta": "β's (β_pj, one per level-1 predictor) and r_ij",
    "gamma": "γ's (fixed effects) and u's (random effects)",
    "number": "estimates (numbers) and the random effects u_pj and r_ij",
}


@dataclass(frozen=True, slots=True)
class Expected:
    """The model's side of one equation, its terms keyed by the variables they multiply.

    Attributes:
        part: the equation's name in messages (``combined equation``).
        coefficient: what carries the fixed part: ``beta``, ``gamma`` or ``number``.
        fixed: the fixed terms (β·x, γ·w·x, or estimate·w·x).
        random: the u's.
        residual: whether r_ij belongs in this equation.
        school_level: the data's school-level variables.
        fixed_slopes: variables whose coefficient the model keeps fixed, and how to name them.
        values: unrounded estimates of the fixed terms (``number`` only).
        beta: in a level-2 equation, the index the student gave its β.
        slope: in a level-2 equation, the student-level variables its β multiplies (for naming
            terms: γ11 multiplies meanses_j·cses_ij).
        decimals: digits shown for expected estimates.
    """

    part: str
    coefficient: str
    fixed: dict[Monomial, sympy.Expr]
    random: dict[Monomial, sympy.Expr]
    residual: bool
    school_level: frozenset[str]
    fixed_slopes: dict[Monomial, str] = field(default_factory=dict)
    values: dict[Monomial, float] = field(default_factory=dict)
    beta: int | None = None
    slope: Monomial = ()
    decimals: int = 3

    def variables(self, monomial: Monomial) -> str:
        return variables_text(monomial + self.slope, self.school_level)


@dataclass(slots=True)
class Tally:
    """Findings and matches collected over the equations of one part."""

    findings: list[Finding] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    seen: set[Finding] = field(default_factory=set)

    def add(self, finding: Finding) -> None:
        if finding not in self.seen:
            self.seen.add(finding)
            self.findings.append(finding)

    def result(self, part: str) -> Comparison:
        findings = self.findings + _duplicates(self.matches)
        pairs = tuple(dict.fromkeys((mine, model) for mine, model, _ in self.matches))
        return Comparison(part, tuple(findings), pairs)


def monomial(factors: tuple[sympy.Expr, ...]) -> Monomial:
    """The sorted variable names of a product of variable symbols."""
    return tuple(sorted(read_symbol(f.name).base for f in factors if isinstance(f, sympy.Symbol)))


def variables_text(monomial: Monomial, school_level: frozenset[str]) -> str:
    """``meanses_j·cses_ij`` for a monomial, ``the intercept`` for the empty one."""
    if not monomial:
        return "the intercept"
    symbols = (w(v) if v in school_level else x(v) for v in monomial)
    return expr_text(sympy.Mul(*symbols))


def within(observed: float, expected: float, atol: float, rtol: float) -> bool:
    """The project's tolerance rule (:func:`reference.tolerance.within`), positional for brevity.

    >>> within(-2.95, -2.9447, 0.01, 0.0), within(float("nan"), 1.0, 1.0, 0.0)
    (True, False)
    """
    return tolerance.within(observed, expected, atol=atol, rtol=rtol)


def match_terms(
    reading: Reading, expected: Expected, tally: Tally, tolerance: tuple[float, float] = (0.01, 0.0)
) -> None:
    """Match a read equation with the model's and record what differs in ``tally``."""
    if reading.defined is None:
        return
    groups: dict[str, defaultdict[Monomial, list[Term]]] = {
        "fixed": defaultdict(list),
        "random": defaultdict(list),
        "residual": defaultdict(list),
        "bare": defaultdict(list),  # variables without a coefficient
    }
    for term in reading.terms:
        category = _category(term, expected)
        if isinstance(category, Finding):
            tally.add(category)
        elif category is not None:
            groups[category][term.monomial].append(term)
    for term in (t for terms in groups["bare"].values() for t in terms):
        shown = expected.fixed.get(term.monomial)
        wanted = expr_text(shown) if shown is not None else "a coefficient × " + term.text
        tally.add(Finding("missing_coefficient", expected.part, wanted, term.text))
    _match_fixed(groups["fixed"], expected, tally, tolerance, set(groups["bare"]))
    _match_random(groups["random"], expected, tally)
    if expected.residual and not groups["residual"]:
        tally.add(Finding("missing_residual", expected.part))


def _category(term: Term, expected: Expected) -> str | Finding | None:
    if term.other:
        unknown = any(isinstance(o, sympy.Symbol) for o in term.other)  # already reported
        return (
            None if unknown else _extra(term, expected, "; write sums of coefficient × variables")
        )
    if len(term.coefficients) > 1:
        return _extra(term, expected, "; it multiplies two coefficients")
    if not term.coefficients:
        if expected.coefficient == "number":
            return "fixed"
        if not term.monomial:
            return _extra(term, expected, "; a constant needs a coefficient symbol")
        return "bare"
    return _coefficient_category(term, expected)


def _coefficient_category(term: Term, expected: Expected) -> str | Finding:
    symbol = term.coefficients[0]
    kind = read_symbol(symbol.name).kind
    if kind == "residual":
        if term.monomial or not expected.residual:
            return _extra(term, expected, "; r_ij is the level-1 residual, added on its own")
        return "residual"
    if kind == "u":
        return "random"
    if kind == expected.coefficient:
        return "fixed"
    shown = symbol_text(symbol.name)
    if kind == "gamma" and expected.coefficient == "number":
        value = expected.values.get(term.monomial)
        wanted = f"{value:.{expected.decimals}f}" if value is not None else "a number"
        return Finding("symbol_not_estimate", shown, wanted, term.text)
    why = {
        "beta": f"{shown} is a level-1 coefficient (replace it by its level-2 equation)",
        "gamma": f"{shown} is a fixed effect, which belongs in a level-2 equation",
    }
    return Finding("wrong_coefficient", why[kind], _ALLOWED[expected.coefficient], term.text)


def _extra(term: Term, expected: Expected, detail: str) -> Finding:
    return Finding("extra_term", expected.part, found=term.text, detail=detail)


def _match_fixed(
    groups: dict[Monomial, list[Term]],
    expected: Expected,
    tally: Tally,
    tolerance: tuple[float, float],
    bare: set[Monomial],
) -> None:
    for mono, reference in expected.fixed.items():
        terms = groups.pop(mono, [])
        if not terms:
            if mono not in bare:  # already reported as missing_coefficient
                tally.add(Finding("missing_term", expected.variables(mono), expr_text(reference)))
            continue
        if expected.coefficient == "number":
            _estimate(terms[0], mono, expected, tally, tolerance)
        else:
            _record(terms[0], reference, expected, tally)
        _extras(terms[1:], mono, expected, tally)
    for mono, terms in groups.items():
        for term in terms:
            tally.add(_misplaced(term, mono, expected))


def _match_random(groups: dict[Monomial, list[Term]], expected: Expected, tally: Tally) -> None:
    for mono, reference in expected.random.items():
        terms = groups.pop(mono, [])
        if not terms:
            tally.add(Finding("missing_random", expected.variables(mono), expr_text(reference)))
            continue
        _record(terms[0], reference, expected, tally)
        _extras(terms[1:], mono, expected, tally)
    for mono, terms in groups.items():
        for term in terms:
            if mono in expected.fixed_slopes:
                tally.add(Finding("random_on_fixed", expected.fixed_slopes[mono], found=term.text))
            else:
                tally.add(Finding("extra_term", expected.part, found=term.text))


def _extras(terms: list[Term], mono: Monomial, expected: Expected, tally: Tally) -> None:
    detail = f"; {expected.variables(mono)} already has a term of this kind"
    for term in terms:
        tally.add(Finding("extra_term", expected.part, found=term.text, detail=detail))


def _misplaced(term: Term, mono: Monomial, expected: Expected) -> Finding:
    school = [v for v in mono if v in expected.school_level]
    student = [v for v in mono if v not in expected.school_level]
    if expected.coefficient == "beta" and school:
        subject = variables_text((school[0],), expected.school_level)
        return Finding("school_var_in_level1", subject, found=term.text)
    if expected.beta is not None and student:
        subject = variables_text((student[0],), expected.school_level)
        return Finding("student_var_in_level2", subject, found=term.text)
    return Finding("extra_term", expected.part, found=term.text)


def _record(term: Term, reference: sympy.Expr, expected: Expected, tally: Tally) -> None:
    mine = term.coefficients[0]
    model = _coefficient_of(reference)
    tally.matches.append((mine, model, term.text))
    if term.number != 1:
        fixed = expr_text(term.expr / term.number)
        tally.add(Finding("sign", symbol_text(mine.name), fixed, term.text))
    note = _index_note(term, mine, expr_text(reference), expected)
    if note is not None:
        tally.add(note)


def _index_note(term: Term, mine: sympy.Symbol, model: str, expected: Expected) -> Finding | None:
    info = read_symbol(mine.name)
    if expected.beta is not None:  # level 2: u_pj and γ_pq carry the index p of their β
        if info.index[0] == expected.beta:
            return None
        p = expected.beta
        wanted = f"u{p}j" if info.kind == "u" else f"γ{p}q"
        why = f"the coefficients of β{p}j's equation carry its index {p}"
        return Finding("wrong_index", why, wanted, term.text)
    slope = any(v not in expected.school_level for v in term.monomial)
    if (info.index[0] == 0) != slope:
        return None
    why = "index 0 is the intercept's" if slope else "the intercept's coefficients have index 0"
    return Finding("wrong_index", why, model, term.text)


def _estimate(
    term: Term, mono: Monomial, expected: Expected, tally: Tally, tolerance: tuple[float, float]
) -> None:
    observed = float(term.number)
    value = expected.values[mono]
    if not within(observed, value, *tolerance):
        shown = f"{value:.{expected.decimals}f}"
        tally.add(Finding("wrong_estimate", expected.variables(mono), shown, f"{observed:g}"))


def _coefficient_of(reference: sympy.Expr) -> sympy.Symbol:
    for factor in sympy.Mul.make_args(reference):
        if isinstance(factor, sympy.Symbol) and read_symbol(factor.name).kind in COEFFICIENT_KINDS:
            return factor
    raise ValueError(f"no coefficient in the model's term {reference}")  # a bug, not user input


def _duplicates(matches: list[Match]) -> list[Finding]:
    models: defaultdict[sympy.Symbol, dict[sympy.Symbol, str]] = defaultdict(dict)
    for mine, model, text in matches:
        models[mine].setdefault(model, text)
    return [
        Finding(
            "duplicate_coefficient",
            symbol_text(mine.name),
            found=", ".join(filter(None, texts.values())),
        )
        for mine, texts in models.items()
        if len(texts) > 1
    ]
