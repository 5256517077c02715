"""The combined equation with fitted values: γ's replaced by estimates, τ's and σ² alongside.

Estimates are looked up by statsmodels' fixed-effect names. Interactions are matched by their set
of factors, because statsmodels, patsy, formulaic and lme4 may order them differently
(``cses:meanses`` vs ``meanses:cses``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy
from numpy.typing import ArrayLike

from reference.equations.display import Equation, Factors, math_table
from reference.equations.symbols import sigma2, tau
from reference.errors import EquationError

if TYPE_CHECKING:
    from reference.equations.model import ModelEquations

#: Names statsmodels and lme4 give the random intercept's row of T.
INTERCEPT_NAMES = frozenset({"Group", "Intercept", "(Intercept)"})


@dataclass(frozen=True, slots=True, repr=False)
class EstimatedEquations:
    """A model's combined equation with its estimates, and its variance components.

    Attributes:
        model: the symbolic equations.
        estimates: each γ and its fitted value, unrounded.
        variances: τ_pq and σ² with their fitted values, unrounded (variances, then covariances).
        decimals: digits printed after the decimal point.
    """

    model: ModelEquations
    estimates: tuple[tuple[sympy.Symbol, float], ...]
    variances: tuple[tuple[sympy.Symbol, float], ...]
    decimals: int = 3

    def estimate(self, symbol: sympy.Symbol) -> float:
        return dict(self.estimates)[symbol]

    @property
    def combined(self) -> Equation:
        values = dict(self.estimates)
        fixed: list[Factors] = [
            (self._number(values[f.symbol]), *f.variables) for f in self.model.fixed_effects
        ]
        random = [(e.symbol, *e.variables) for e in self.model.random_effects]
        return Equation(self.model.response, (*fixed, *random), self.decimals)

    @property
    def variance_components(self) -> tuple[Equation, ...]:
        """``τ00 = 1.379``, ``τ11 = …``, ``τ01 = …``, ``σ² = …`` as equations."""
        return tuple(Equation(s, ((self._number(v),),), self.decimals) for s, v in self.variances)

    def text(self) -> str:
        components = ", ".join(e.text() for e in self.variance_components)
        return f"{self.combined.text()}\n  with {components}"

    def latex(self) -> str:
        components = r",\quad ".join(e.latex() for e in self.variance_components)
        return rf"\begin{{aligned}}{self.combined.latex()} \\ {components}\end{{aligned}}"

    def mathml(self) -> str:
        return math_table([self.combined, *self.variance_components])

    def _repr_latex_(self) -> str:
        return f"$${self.latex()}$$"

    def __repr__(self) -> str:
        return self.text()

    def _number(self, value: float) -> sympy.Float:
        return sympy.Float(round(value, self.decimals))


def estimate_equations(
    model: ModelEquations,
    fe_params: Mapping[str, float],
    cov_re: ArrayLike,
    cov_re_names: Sequence[str],
    scale: float,
    decimals: int = 3,
) -> EstimatedEquations:
    """Pair a model's γ's, τ's and σ² with fitted values (see ``ModelEquations.with_estimates``).

    >>> from reference.data import load_data
    >>> from reference.equations.model import model_equations
    >>> from reference.model.spec import make_spec, parse_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> eqs = model_equations(parse_spec(SEED_FINAL, load_data("hlm")))
    >>> lme4 = {"Intercept": 11.80175, "ses": 1.88795, "meanses": 1.13019, "pracad": 4.38578,
    ...         "minority": -2.94470, "female": -1.23279}
    >>> t = [[1.37873, 0.05253], [0.05253, 1.67347]]
    >>> print(estimate_equations(eqs, lme4, t, ["Group", "minority"], 35.68694))
    mathach_ij = 11.802 + 1.130·meanses_j + 4.386·pracad_j - 2.945·minority_ij - 1.233·female_ij + 1.888·ses_ij + u0j + u1j·minority_ij + r_ij
      with τ00 = 1.379, τ11 = 1.673, τ01 = 0.053, σ² = 35.687
    """
    estimates = tuple((f.symbol, _lookup(fe_params, f.term)) for f in model.fixed_effects)
    variances = (*_variances(model, cov_re, cov_re_names), (sigma2, _finite(scale, "scale")))
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise EquationError(f"decimals must be a whole number from 0 to 12; got {decimals!r}.")
    return EstimatedEquations(model, estimates, variances, decimals)


def _factor_set(name: str) -> frozenset[str]:
    return frozenset(part.strip() for part in str(name).split(":"))


def _lookup(fe_params: Mapping[str, float], term: str) -> float:
    names = fe_params.keys()  # not `in fe_params`: a pandas Series iterates over its values
    keys = [str(k) for k in names]
    wanted = INTERCEPT_NAMES if term == "Intercept" else {term}
    matches = [
        k
        for k in keys
        if k in wanted or (term != "Intercept" and _factor_set(k) == _factor_set(term))
    ]
    if not matches:
        raise EquationError(
            f"fe_params has no estimate for the fixed effect {term!r}; found {', '.join(keys) or 'none'}. "
            "Pass the fixed-effect estimates of this model (result.fe_params)."
        )
    return _finite(fe_params[matches[0]], term)


def _finite(value: object, what: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise EquationError(f"the estimate of {what} must be a finite number; got {value!r}.")
    return number


def _variances(
    model: ModelEquations, cov_re: ArrayLike, names: Sequence[str]
) -> tuple[tuple[sympy.Symbol, float], ...]:
    index = [_random_index(model, str(n)) for n in names]
    matrix = np.asarray(cov_re, dtype=float)
    expected = sorted(c.index for c in model.coefficients if c.random)
    if matrix.shape != (len(index), len(index)) or sorted(index) != expected:
        raise EquationError(
            f"cov_re must be the {len(expected)}×{len(expected)} covariance matrix of this model's "
            f"random effects; got shape {matrix.shape} named {list(map(str, names))}. "
            "Pass result.cov_re and list(result.cov_re.index)."
        )
    where = {p: i for i, p in enumerate(index)}
    pairs = [(p, p) for p in expected] + [
        (p, q) for i, p in enumerate(expected) for q in expected[i + 1 :]
    ]
    return tuple((tau(p, q), _finite(matrix[where[p], where[q]], f"τ{p}{q}")) for p, q in pairs)


def _random_index(model: ModelEquations, name: str) -> int:
    if name in INTERCEPT_NAMES:
        return 0
    wanted = _factor_set(name)
    for c in model.coefficients:
        if c.random and frozenset(c.variables) == wanted:
            return c.index
    raise EquationError(
        f"cov_re names a random effect {name!r} that this model does not have; "
        f"its random slopes are {', '.join(':'.join(c.variables) for c in model.coefficients if c.index and c.random) or 'none'}."
    )
