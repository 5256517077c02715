"""A model's equations in Raudenbush & Bryk's notation, built from its :class:`ModelStructure`.

Level 1 has one β per distinct student-level predictor (a product such as ``ses:female`` is its own
predictor) and per random slope: random slopes first in the order of ``re_formula``, then the other
level-1 predictors alphabetically. Each β has a level-2 equation: the school-level parts of the fixed
terms of its predictor, in formula order (a pure school-level term belongs to β_0j; ``cses:sector``
gives γ·sector_j in the cses slope's equation), plus u_pj where the coefficient is random.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import groupby

import sympy

from reference.equations.display import Equation, Factors, math_table
from reference.equations.symbols import beta, gamma, r, response_symbol, sigma2, tau, u, w, x
from reference.model.structure import ModelStructure


@dataclass(frozen=True, slots=True)
class Coefficient:
    """A level-1 coefficient β_pj: the student-level variables it multiplies, fixed or random."""

    index: int
    variables: tuple[str, ...]
    random: bool

    @property
    def symbol(self) -> sympy.Symbol:
        return beta(self.index)

    @property
    def factors(self) -> Factors:
        """The student-level variables β_pj multiplies (none for the intercept β_0j)."""
        return tuple(x(v) for v in self.variables)


@dataclass(frozen=True, slots=True)
class FixedEffect:
    """A fixed effect γ_pq: its β, the variables it multiplies, its statsmodels term name."""

    beta: int
    q: int
    term: str
    school: tuple[str, ...]
    student: tuple[str, ...]

    @property
    def symbol(self) -> sympy.Symbol:
        return gamma(self.beta, self.q)

    @property
    def variables(self) -> Factors:
        """School-level then student-level variables, as in the combined equation."""
        return tuple(w(v) for v in self.school) + tuple(x(v) for v in self.student)


@dataclass(frozen=True, slots=True)
class RandomEffect:
    """A random effect (u_pj or r_ij), the variables it multiplies and its variance component."""

    symbol: sympy.Symbol
    variables: Factors
    variance: sympy.Symbol


@dataclass(frozen=True, slots=True, repr=False)
class ModelEquations:
    """Level-1, level-2 and combined equations of one model, and its fixed and random effects.

    >>> from reference.data import load_data
    >>> from reference.model.spec import make_spec, parse_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> eqs = model_equations(parse_spec(SEED_FINAL, load_data("hlm")))
    >>> print(eqs.level1)
    mathach_ij = β0j + β1j·minority_ij + β2j·female_ij + β3j·ses_ij + r_ij
    >>> print(eqs.level2[0])
    β0j = γ00 + γ01·meanses_j + γ02·pracad_j + u0j
    >>> eqs.gamma_terms[gamma(1, 0)]
    'minority'
    """

    coefficients: tuple[Coefficient, ...]
    fixed_effects: tuple[FixedEffect, ...]
    school_level: frozenset[str]
    response_name: str
    aliases: Mapping[str, str] = field(default_factory=dict)
    known: frozenset[str] = frozenset()  # every variable a name may mean (empty: not checked)

    @property
    def variables(self) -> frozenset[str]:
        """The model's own variables (student- and school-level), as its equations name them."""
        out = {v for c in self.coefficients for v in c.variables}
        return frozenset(out | {v for f in self.fixed_effects for v in (*f.school, *f.student)})

    @property
    def response(self) -> sympy.Symbol:
        return response_symbol(self.response_name)

    @property
    def level1(self) -> Equation:
        terms = [(c.symbol, *c.factors) for c in self.coefficients]
        return Equation(self.response, (*terms, (r,)))

    @property
    def level2(self) -> tuple[Equation, ...]:
        return tuple(Equation(c.symbol, self._level2_terms(c)) for c in self.coefficients)

    @property
    def combined(self) -> Equation:
        fixed = [(f.symbol, *f.variables) for f in self.fixed_effects]
        random = [(e.symbol, *e.variables) for e in self.random_effects]
        return Equation(self.response, (*fixed, *random))

    @property
    def random_effects(self) -> tuple[RandomEffect, ...]:
        """u_pj of each random coefficient (with τ_pp), then r_ij (with σ²)."""
        school = tuple(
            RandomEffect(u(c.index), c.factors, tau(c.index, c.index))
            for c in self.coefficients
            if c.random
        )
        return (*school, RandomEffect(r, (), sigma2))

    @property
    def gamma_terms(self) -> dict[sympy.Symbol, str]:
        """Each γ and the statsmodels name of its fixed-effect column (``Intercept`` for γ_00)."""
        return {f.symbol: f.term for f in self.fixed_effects}

    @property
    def u_variables(self) -> dict[str, str]:
        """Spellings of each random slope's u (``u1j``, ``u_1j``, ``u1``) → its variable(s)."""
        out: dict[str, str] = {}
        for c in self.coefficients:
            if c.random and c.variables:
                name = ":".join(c.variables)
                out |= dict.fromkeys((f"u{c.index}j", f"u_{c.index}j", f"u{c.index}"), name)
        return out

    def coefficient(self, index: int) -> Coefficient:
        return next(c for c in self.coefficients if c.index == index)

    def text(self) -> str:
        level2 = "\n".join(f"  {e.text()}" for e in self.level2)
        return f"Level 1:\n  {self.level1}\nLevel 2:\n{level2}\nCombined:\n  {self.combined}"

    def latex(self) -> str:
        rows = [r"\text{Level 1:}\quad " + self.level1.latex(align=True)]
        rows += [
            (r"\text{Level 2:}\quad " if i == 0 else "") + e.latex(align=True)
            for i, e in enumerate(self.level2)
        ]
        rows.append(r"\text{Combined:}\quad " + self.combined.latex(align=True))
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

    def mathml(self) -> str:
        return math_table([self.level1, *self.level2, self.combined])

    def _repr_latex_(self) -> str:
        return f"$${self.latex()}$$"

    def __repr__(self) -> str:
        return self.text()

    def _level2_terms(self, coefficient: Coefficient) -> tuple[Factors, ...]:
        fixed = [
            (f.symbol, *(w(v) for v in f.school))
            for f in self.fixed_effects
            if f.beta == coefficient.index
        ]
        random = [(u(coefficient.index),)] if coefficient.random else []
        return (*fixed, *random)


def model_equations(structure: ModelStructure) -> ModelEquations:
    """The equations of a validated model (see the module docstring for the numbering).

    >>> from reference.data import load_data
    >>> from reference.model.spec import make_spec, parse_spec
    >>> spec = make_spec("mathach ~ meanses + sector + cses + cses:meanses + cses:sector", "~cses")
    >>> print(model_equations(parse_spec(spec, load_data("hlm"))).level2[1])
    β1j = γ10 + γ11·meanses_j + γ12·sector_j + u1j
    """
    coefficients = _coefficients(structure)
    index = {_key(c.variables): c.index for c in coefficients}
    return ModelEquations(
        coefficients=coefficients,
        fixed_effects=_fixed_effects(structure, index),
        school_level=structure.school_level,
        response_name=structure.spec.response,
        aliases=structure.aliases,
        known=structure.columns | frozenset(structure.aliases)
        if structure.columns
        else frozenset(),
    )


def _coefficients(structure: ModelStructure) -> tuple[Coefficient, ...]:
    slopes = [structure.slope_factors(s) for s in structure.random_slopes]
    seen = {_key(s) for s in slopes}
    others: dict[tuple[str, ...], tuple[str, ...]] = {}
    for term in structure.fixed_terms:
        key = _key(term.level1)
        if term.level1 and key not in seen:
            others.setdefault(key, term.level1)
    ordered = slopes + sorted(others.values(), key=lambda v: ":".join(sorted(v)))
    out = [Coefficient(i + 1, v, i < len(slopes)) for i, v in enumerate(ordered)]
    if _has_intercept(structure):
        out.insert(0, Coefficient(0, (), structure.random_intercept))
    return tuple(out)


def _has_intercept(structure: ModelStructure) -> bool:
    school_only = any(not t.level1 for t in structure.fixed_terms)
    return structure.intercept or structure.random_intercept or school_only


def _key(variables: tuple[str, ...]) -> tuple[str, ...]:
    """Which β a product of variables belongs to: ``ses·ses`` (ses²) is not ``ses``'s."""
    return tuple(sorted(variables))


def _fixed_effects(
    structure: ModelStructure, index: dict[tuple[str, ...], int]
) -> tuple[FixedEffect, ...]:
    rows = [(index[_key(t.level1)], t) for t in structure.fixed_terms]
    rows.sort(key=lambda row: row[0])  # stable: formula order within each β
    out = [FixedEffect(0, 0, "Intercept", (), ())] if structure.intercept else []
    for p, group in groupby(rows, key=lambda row: row[0]):
        terms = [t for _, t in group]
        pure = [t for t in terms if not t.level2]
        out += [FixedEffect(p, 0, t.name, (), t.level1) for t in pure]
        cross = [t for t in terms if t.level2]
        out += [FixedEffect(p, q, t.name, t.level2, t.level1) for q, t in enumerate(cross, 1)]
    return tuple(sorted(out, key=lambda f: (f.beta, f.q)))
