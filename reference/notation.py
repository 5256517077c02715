"""Raudenbush & Bryk's notation for writing HLM equations in a notebook.

Import what you need and write the equations as you would on paper::

    from reference.notation import Eq, y, beta, gamma, u, r, x, w

    level1 = Eq(y, beta(0) + beta(1) * x("minority") + r)
    level2 = [
        Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + u(0)),
        Eq(beta(1), gamma(1, 0) + u(1)),
    ]

``x("minority")`` is a student-level variable (it varies within a school: minority_ij);
``w("meanses")`` is a school-level variable (constant within a school: meanses_j). ``y`` is the
response (mathach_ij in the HSB assignment: the response of the assignment whose data file is in
the working directory, where a notebook runs) and ``r`` the level-1 residual r_ij. ``beta(p)`` is β_pj, ``gamma(p, q)`` is
γ_pq, ``u(p)`` is u_pj; ``tau(p, q)`` and ``sigma2`` are the variance components τ_pq and σ².

The results are ordinary sympy objects: they render as the textbook in a notebook, and you can
add, factor or rearrange them freely. ``show(...)`` prints them with the terms in textbook order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sympy

import assignments
from reference.equations.display import Equation
from reference.equations.symbols import beta, gamma, r, response_symbol, sigma2, tau, u, w, x

# ``y`` is made on first use (module __getattr__ below): it depends on the working directory.
__all__ = ["Eq", "beta", "gamma", "r", "show", "sigma2", "tau", "u", "w", "x", "y"]  # noqa: F822


def __getattr__(name: str) -> sympy.Symbol:
    """``y``: the response of the assignment in the working directory (see the module's notes)."""
    if name != "y":
        raise AttributeError(f"module 'reference.notation' has no attribute {name!r}")
    from reference.data.description import detect, load_dataset

    assignment = detect(Path.cwd()) or assignments.DEFAULT
    return response_symbol(load_dataset(assignment).response)


def Eq(lhs: sympy.Expr | float, rhs: sympy.Expr | float) -> sympy.Equality:
    """An equation ``lhs = rhs`` that sympy never simplifies away (``Eq(a, a)`` stays as written).

    >>> Eq(beta(1), gamma(1, 0) + u(1))
    Eq(beta_1j, gamma_10 + u_1j)
    """
    return sympy.Eq(
        sympy.sympify(lhs, strict=True), sympy.sympify(rhs, strict=True), evaluate=False
    )


def show(equations: sympy.Basic | Iterable[sympy.Basic]) -> Equation | list[Equation]:
    """Equations with their terms in textbook order (β0j first, r_ij last), for display.

    >>> from reference.notation import y
    >>> show(Eq(y, r + beta(1) * x("minority") + beta(0)))
    mathach_ij = β0j + β1j·minority_ij + r_ij
    >>> show([Eq(beta(1), u(1) + gamma(1, 0))])
    [β1j = γ10 + u1j]
    """
    if isinstance(equations, sympy.Basic):
        return Equation.from_sympy(equations)
    return [Equation.from_sympy(e) for e in equations]
