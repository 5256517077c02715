"""Comparing a student's equations with the model's, for the grader.

Pure functions of sympy objects (as rebuilt by :func:`reference.equations.serialize.from_tree`) and the
reference equations. Equivalence does not depend on term order, factoring or sides (``a - b = 0``),
and terms are matched by the variables they multiply, never by the index a student gave their β, γ
or u, so a correct but differently numbered equation is equivalent (with at most a ``wrong_index``
note). Each function returns a :class:`~reference.compare.findings.Comparison` whose findings tell a student
what differs; see :data:`reference.compare.findings.KINDS` for every kind.
"""

from __future__ import annotations

import sympy

from reference.compare.findings import Comparison, Finding
from reference.compare.matching import (
    Expected,
    Monomial,
    Tally,
    match_terms,
    monomial,
    variables_text,
)
from reference.compare.reading import Reading, read_equation
from reference.equations.estimates import EstimatedEquations
from reference.equations.model import ModelEquations
from reference.equations.symbols import read_symbol, symbol_text, u, w

__all__ = ["compare_combined", "compare_estimates", "compare_level1", "compare_level2"]


def compare_level1(student: object, model: ModelEquations) -> Comparison:
    """Compare a level-1 equation with the model's.

    >>> from reference.data import load_data
    >>> from reference.equations.model import model_equations
    >>> from reference.notation import Eq, y, beta, r, x, w
    >>> from reference.model.spec import make_spec, parse_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> eqs = model_equations(parse_spec(SEED_FINAL, load_data("hlm")))
    >>> wrong = Eq(y, beta(0) + beta(1) * x("minority") + beta(2) * w("meanses") + r)
    >>> for finding in compare_level1(wrong, eqs).findings:
    ...     print(finding.kind, finding.expected or finding.found)
    missing_term β2j·female_ij
    missing_term β3j·ses_ij
    school_var_in_level1 β2j·meanses_j
    """
    tally = Tally()
    reading = _read(student, "level-1 equation", "response", model, tally)
    match_terms(reading, _level1_expected(model), tally)
    return tally.result("level1")


def compare_level2(
    student: object, model: ModelEquations, *, level1: object | None = None
) -> Comparison:
    """Compare level-2 equations, one per β, with the model's.

    Args:
        student: a list or tuple (or sympy ``Tuple``) of equations, or a single equation.
        model: the reference equations.
        level1: the student's level-1 equation, which says how they numbered their β's; without
            it, a student's β_pj is taken to be the model's β_pj.

    >>> from reference.data import load_data
    >>> from reference.equations.model import model_equations
    >>> from reference.notation import Eq, beta, gamma, u, w
    >>> from reference.model.spec import make_spec, parse_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> eqs = model_equations(parse_spec(SEED_FINAL, load_data("hlm")))
    >>> student = [Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad")
    ...               + u(0)), Eq(beta(1), gamma(1, 0)), Eq(beta(2), gamma(2, 0))]
    >>> compare_level2(student, eqs).kinds()
    ('missing_random', 'missing_level2', 'level2_count')
    """
    tally = Tally()
    equations = list(student) if isinstance(student, list | tuple | sympy.Tuple) else [student]
    numbering = _numbering(level1, model)
    seen: set[int] = set()
    for equation in equations:
        reading = _read(equation, "level-2 equation", "beta", model, tally)
        if reading.defined is None:
            continue
        mine = read_symbol(reading.defined.name).index[0]
        ref = numbering.get(mine)
        if ref is None or ref in seen:
            kind = "level2_unknown_beta" if ref is None else "duplicate_equation"
            tally.add(Finding(kind, symbol_text(reading.defined.name)))
            continue
        seen.add(ref)
        tally.matches.append((reading.defined, model.coefficient(ref).symbol, ""))
        match_terms(reading, _level2_expected(model, ref, mine), tally)
    _check_count(model, seen, len(equations), tally)
    return tally.result("level2")


def compare_combined(student: object, model: ModelEquations) -> Comparison:
    """Compare a combined (mixed-model) equation with the model's.

    >>> from reference.data import load_data
    >>> from reference.equations.model import model_equations
    >>> from reference.notation import Eq, y, gamma, u, r, x, w
    >>> from reference.model.spec import make_spec, parse_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> eqs = model_equations(parse_spec(SEED_FINAL, load_data("hlm")))
    >>> fixed = eqs.combined.rhs - u(1) * x("minority")  # the seed student's omission
    >>> result = compare_combined(Eq(y, fixed), eqs)
    >>> result.equivalent, [(f.kind, f.expected) for f in result.findings]
    (False, [('missing_random', 'u1j·minority_ij')])
    """
    tally = Tally()
    reading = _read(student, "combined equation", "response", model, tally)
    fixed = {monomial(f.variables): f.symbol * sympy.Mul(*f.variables) for f in model.fixed_effects}
    expected = Expected(
        "combined equation", "gamma", fixed, _random(model), True, model.school_level,
        _fixed_slopes(model),
    )  # fmt: skip
    match_terms(reading, expected, tally)
    return tally.result("combined")


def compare_estimates(
    student: object, estimated: EstimatedEquations, *, atol: float = 0.01, rtol: float = 0.0
) -> Comparison:
    """Compare a combined equation with estimates: numbers within ``atol + rtol·|expected|``.

    The default ``atol`` of 0.01 accepts estimates rounded to 3 (or 2) decimals. The random part,
    u's and r_ij, must be written out as symbols.

    >>> from reference.data import load_data
    >>> from reference.equations.model import model_equations
    >>> from reference.notation import Eq, y
    >>> from reference.model.spec import make_spec, parse_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> from reference.equations.estimates import estimate_equations
    >>> eqs = model_equations(parse_spec(SEED_FINAL, load_data("hlm")))
    >>> lme4 = {"Intercept": 11.80175, "ses": 1.88795, "meanses": 1.13019, "pracad": 4.38578,
    ...         "minority": -2.94470, "female": -1.23279}
    >>> t = [[1.37873, 0.05253], [0.05253, 1.67347]]
    >>> estimated = estimate_equations(eqs, lme4, t, ["Group", "minority"], 35.68694)
    >>> compare_estimates(Eq(y, estimated.combined.rhs), estimated).equivalent
    True
    """
    model = estimated.model
    tally = Tally()
    reading = _read(student, "combined equation with estimates", "response", model, tally)
    values = {monomial(f.variables): estimated.estimate(f.symbol) for f in model.fixed_effects}
    fixed = {
        mono: sympy.Float(round(values[mono], estimated.decimals)) * sympy.Mul(*f.variables)
        for f in model.fixed_effects
        for mono in [monomial(f.variables)]
    }
    expected = Expected(
        "combined equation with estimates", "number", fixed, _random(model), True,
        model.school_level, _fixed_slopes(model), values, decimals=estimated.decimals,
    )  # fmt: skip
    match_terms(reading, expected, tally, (atol, rtol))
    return tally.result("estimates")


def _read(
    equation: object, part: str, defines: str, model: ModelEquations, tally: Tally
) -> Reading:
    reading = read_equation(equation, part, defines=defines, response=model.response_name,
                            school_level=model.school_level,
                            aliases=model.aliases, known=model.known,
                            model_variables=model.variables)  # fmt: skip
    for finding in reading.findings:
        tally.add(finding)
    return reading


def _level1_expected(model: ModelEquations) -> Expected:
    fixed = {monomial(c.factors): c.symbol * sympy.Mul(*c.factors) for c in model.coefficients}
    return Expected("level-1 equation", "beta", fixed, {}, True, model.school_level)


def _level2_expected(model: ModelEquations, ref: int, mine: int) -> Expected:
    coefficient = model.coefficient(ref)
    fixed = {
        tuple(sorted(f.school)): f.symbol * sympy.Mul(*(w(v) for v in f.school))
        for f in model.fixed_effects
        if f.beta == ref
    }
    random: dict[Monomial, sympy.Expr] = {(): u(ref)} if coefficient.random else {}
    part = f"level-2 equation of {symbol_text(coefficient.symbol.name)}"
    slope = monomial(coefficient.factors)
    slopes: dict[Monomial, str] = (
        {} if coefficient.random else {(): variables_text(slope, model.school_level)}
    )
    return Expected(
        part, "gamma", fixed, random, False, model.school_level, slopes, beta=mine, slope=slope
    )


def _random(model: ModelEquations) -> dict[Monomial, sympy.Expr]:
    school = [e for e in model.random_effects if read_symbol(e.symbol.name).kind == "u"]
    return {monomial(e.variables): e.symbol * sympy.Mul(*e.variables) for e in school}


def _fixed_slopes(model: ModelEquations) -> dict[Monomial, str]:
    """Variables whose coefficient the model keeps fixed: a u on them is ``random_on_fixed``."""
    fixed = [monomial(c.factors) for c in model.coefficients if not c.random]
    return {mono: variables_text(mono, model.school_level) for mono in fixed}


def _numbering(level1: object | None, model: ModelEquations) -> dict[int, int]:
    """The student's β index → the model's, from their level-1 equation when there is one."""
    identity = {c.index: c.index for c in model.coefficients}
    if level1 is None:
        return identity
    tally = Tally()
    reading = _read(level1, "level-1 equation", "response", model, tally)
    match_terms(reading, _level1_expected(model), tally)
    pairs = {
        read_symbol(mine.name).index[0]: read_symbol(ref.name).index[0]
        for mine, ref, _ in tally.matches
    }
    return pairs or identity


def _check_count(model: ModelEquations, seen: set[int], count: int, tally: Tally) -> None:
    for coefficient, equation in zip(model.coefficients, model.level2, strict=True):
        if coefficient.index not in seen:
            tally.add(
                Finding("missing_level2", symbol_text(coefficient.symbol.name), equation.text())
            )
    if count != len(model.coefficients):
        tally.add(Finding("level2_count", "", str(len(model.coefficients)), str(count)))
