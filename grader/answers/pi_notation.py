"""Raudenbush & Bryk's three-level naming used for two levels: π for β, β for γ, r_pj for u_pj.

Some textbooks write a two-level model with the letters of R&B's three-level chapter: level 1
``Y_ij = π_0j + π_1j·a_ij + e_ij``, level 2 ``π_0j = β_00 + β_01·W_j + r_0j``. Used consistently
it is the same model, and a notation slip costs nothing by policy; so when the notebook's level-1
equation has π coefficients (and no β_pj), every equation it wrote is read with π as β, β_pq as
γ_pq, an indexed r_pj as u_pj and e_ij as r_ij, and feedback says so once per answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sympy

from reference.equations.symbols import beta, gamma, plain_name, r, read_symbol, u

NOTE = (
    "Your equations use the π notation (π for β, β for γ, r_pj for u_pj, e_ij for r_ij); "
    "they were read in the standard notation."
)
_PI = re.compile(r"(?:pi|π)_?(\d{1,2}),?_?j?")
_BETA_PQ = re.compile(r"(?:beta|β)_?(?:(\d)(\d)|(\d{1,2}),(\d{1,2}))")
_R_PJ = re.compile(r"r_?(\d{1,2}),?_?j")
_E_IJ = re.compile(r"(?:e|epsilon|varepsilon|ε|ϵ)_?ij")


def uses_pi(equations: Iterable[sympy.Basic], response: str) -> bool:
    """Whether an equation of the response has π coefficients and no β_pj (its level 1).

    >>> y, p0, p1, ses = sympy.symbols("mathach_ij pi_0j pi_1j ses_ij")
    >>> uses_pi([sympy.Eq(y, p0 + p1 * ses)], "mathach"), uses_pi([sympy.Eq(p0, p1)], "mathach")
    (True, False)
    """
    for equation in equations:
        if not isinstance(equation, sympy.Equality) or not isinstance(equation.lhs, sympy.Symbol):
            continue
        if read_symbol(equation.lhs.name, response).kind != "response":
            continue
        names = [s.name for s in equation.rhs.free_symbols if isinstance(s, sympy.Symbol)]
        if any(_PI.fullmatch(plain_name(n)) for n in names) and not any(
            read_symbol(n).kind == "beta" and read_symbol(n).subscript == "j" for n in names
        ):
            return True
    return False


def from_pi(equation: sympy.Basic) -> sympy.Basic:
    """The equation in the standard notation: π → β, β_pq → γ_pq, r_pj → u_pj, e_ij → r_ij.

    >>> p0, b00, b01, r0, w = sympy.symbols("pi_0j beta_00 beta_01 r_0j meanses_j")
    >>> from_pi(sympy.Eq(p0, b00 + b01 * w + r0))
    Eq(beta_0j, gamma_00 + gamma_01*meanses_j + u_0j)
    """
    renames: dict[sympy.Basic, sympy.Basic] = {}
    for symbol in equation.free_symbols:
        if isinstance(symbol, sympy.Symbol):
            target = _standard(plain_name(symbol.name))
            if target is not None:
                renames[symbol] = target
    return equation.xreplace(renames) if renames else equation


def standard_name(name: str) -> str:
    """A symbol's name in the standard notation (a list's ``r_{0j}`` is ``u_0j``), else as given.

    >>> standard_name("r_{2j}"), standard_name("β₀₁"), standard_name("minority")
    ('u_2j', 'gamma_01', 'minority')
    """
    target = _standard(plain_name(name.strip().strip("$`")))
    return target.name if target is not None else name


def _standard(name: str) -> sympy.Symbol | None:
    if match := _PI.fullmatch(name):
        return beta(int(match[1]))
    if match := _BETA_PQ.fullmatch(name):
        p, q = (match[1], match[2]) if match[1] is not None else (match[3], match[4])
        return gamma(int(p), int(q))
    if match := _R_PJ.fullmatch(name):
        return u(int(match[1]))
    if _E_IJ.fullmatch(name):
        return r
    return None
