"""Normalising the names students give to model terms, so spelling conventions never cost points.

``(Intercept)``, ``Intercept``, ``const`` and ``γ00`` all mean the intercept; ``cses:sector``,
``sector:cses`` and ``sector*cses`` are one interaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy

from reference.equations.symbols import beta, gamma, read_symbol, u

INTERCEPT = frozenset({"__intercept__"})
RESIDUAL = frozenset({"__residual__"})
_INTERCEPT_WORDS = {
    "intercept", "const", "constant", "group", "1", "groupvar", "group var", "school",
    "u0j", "u0", "beta0j", "b0j", "gamma00",
}  # fmt: skip
_SYMBOLS: dict[str, Callable[..., sympy.Symbol]] = {"beta": beta, "gamma": gamma, "u": u}
_RESIDUAL_WORDS = {"residual", "resid", "r", "rij", "error", "e", "eij", "epsilon", "sigma2",
                   "level1", "scale", "residualvariance"}  # fmt: skip


def term_key(name: str) -> frozenset[str]:
    """The set of variables a term name multiplies, or the intercept/residual markers.

    >>> sorted(term_key("sector:cses")) == sorted(term_key("CSES * Sector"))
    True
    >>> term_key("(Intercept)") == INTERCEPT
    True
    """
    text = name.strip().lower()
    squashed = re.sub(r"[\s()_{}\\'\"`$^]", "", text)
    if squashed in _INTERCEPT_WORDS:
        return INTERCEPT
    info = read_symbol(text)
    if squashed in _RESIDUAL_WORDS or info.kind == "residual":  # ε_ij, \varepsilon_{ij}
        return RESIDUAL
    if info.kind in _SYMBOLS:  # γ₀₁, \gamma_{01} and gamma_01 are one symbol; γ₀₀ is u0j's
        symbol = _SYMBOLS[info.kind](*info.index)
        return INTERCEPT if not any(info.index) else frozenset({symbol.name})
    parts = re.split(r"\s*(?::|\*|×|·|\bx\b)\s*", text)
    return frozenset(re.sub(r"[^a-z0-9_]", "", p) for p in parts if p.strip())


def display(key: frozenset[str]) -> str:
    """A readable name for a term key (``Intercept``, ``Residual``, ``cses:sector``)."""
    if key == INTERCEPT:
        return "Intercept"
    if key == RESIDUAL:
        return "Residual"
    return ":".join(sorted(key))
