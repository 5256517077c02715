"""Which term each γ_pq and u_pj of a written list of effects stands for, in the student's numbering.

Students number β, γ and u their own way: Raudenbush & Bryk's convention gives u_q to β_q, so a
student whose minority slope is β_2j writes u_2j where the model's own numbering (random slopes
first) says u_1j. A symbol in a list is therefore read through the student's own equations: the
level-1 equation says which variables β_pj multiplies, the level-2 equation of β_pj which γ_pq and
u_pj go with it, and the combined equation which variables each γ_pq and u_pj multiplies (it has
the last word). Only when the student's equations number no symbol of a kind does the model's
own numbering decide.
"""

from __future__ import annotations

from typing import Any

import sympy

from grader.answers.pi_notation import NOTE, standard_name
from grader.judge.checks.context import Context
from grader.judge.checks.reading import memoised, prepare
from reference.equations.symbols import read_symbol

#: (kind, index) → the term, variables joined by ":" (``Intercept`` for none).
Terms = dict[tuple[str, tuple[int, ...]], str]
_KINDS = ("gamma", "u")


def effect_term(ctx: Context, name: str) -> str:
    """The term a γ or u in a written list stands for (``u2j`` → ``minority`` when the student's
    level-2 equation of β_2j, minority's slope, has u_2j); any other name is returned unchanged.
    """
    if memoised(ctx, "pi_notation", lambda: _pi_notation(ctx)):
        name = standard_name(name)
    info = read_symbol(name)
    if info.kind not in _KINDS:
        return name
    terms: Terms = memoised(ctx, "effect_terms", lambda: _terms(ctx))
    return terms.get((info.kind, info.index), name)


def _pi_notation(ctx: Context) -> bool:
    """Whether the student's equations were read from the π notation (their list is too)."""
    return any(NOTE in ctx.located.get(part).notes for part in ("level1", "level2", "combined"))


def _terms(ctx: Context) -> Terms:
    own: Terms = {}
    level1 = prepare(ctx, ctx.located.get("level1"), "level1").equation
    level2 = prepare(ctx, ctx.located.get("level2"), "level2").equation
    if isinstance(level1, sympy.Equality) and level2 is not None:
        own |= from_levels(level1, level2 if isinstance(level2, list) else [level2])
    for part in ("combined_with_estimates", "combined"):  # the combined model has the last word
        equation = prepare(ctx, ctx.located.get(part), part).equation
        if isinstance(equation, sympy.Equality):
            own |= from_combined(equation)
    reference = _reference_terms(ctx)
    fallback = {k: v for k, v in reference.items() if not any(o[0] == k[0] for o in own)}
    return fallback | own


def _reference_terms(ctx: Context) -> Terms:
    equations = ctx.equations
    if equations is None:
        return {}
    out: Terms = {("gamma", read_symbol(s.name).index): t for s, t in equations.gamma_terms.items()}
    for c in equations.coefficients:
        if c.random:
            out[("u", (c.index,))] = ":".join(c.variables) or "Intercept"
    return out


def from_combined(equation: sympy.Equality) -> Terms:
    """Each γ and u of a combined equation → the variables it multiplies.

    >>> g, u, ses = sympy.symbols("gamma_10 u_2j minority_ij")
    >>> from_combined(sympy.Eq(sympy.Symbol("mathach_ij"), g * ses + u * ses))
    {('gamma', (1, 0)): 'minority', ('u', (2,)): 'minority'}
    """
    out: Terms = {}
    for term in sympy.Add.make_args(sympy.expand(equation.rhs)):
        coefficients, variables = _split(term)
        if len(coefficients) == 1:
            info = read_symbol(coefficients[0])
            out[(info.kind, info.index)] = ":".join(sorted(variables)) or "Intercept"
    return out


def from_levels(level1: sympy.Equality, level2: list[Any]) -> Terms:
    """Each γ and u of the level-2 equations → the variables they multiply through their β.

    >>> b0, b2, g00, g20, u0, u2 = sympy.symbols("beta_0j beta_2j gamma_00 gamma_20 u_0j u_2j")
    >>> one = sympy.Eq(sympy.Symbol("Y_ij"), b0 + b2 * sympy.Symbol("minority_ij"))
    >>> read = from_levels(one, [sympy.Eq(b0, g00 + u0), sympy.Eq(b2, g20 + u2)])
    >>> read[("u", (2,))], read[("gamma", (2, 0))], read[("u", (0,))]
    ('minority', 'minority', 'Intercept')
    """
    betas: dict[tuple[int, ...], list[str]] = {}
    for term in sympy.Add.make_args(sympy.expand(level1.rhs)):
        symbols = [s.name for s in term.free_symbols if isinstance(s, sympy.Symbol)]
        found = [read_symbol(s) for s in symbols if read_symbol(s).kind == "beta"]
        if len(found) == 1:
            betas[found[0].index] = [read_symbol(s).base for s in symbols
                                     if read_symbol(s).kind == "variable"]  # fmt: skip
    out: Terms = {}
    for equation in level2:
        if not isinstance(equation, sympy.Equality) or not isinstance(equation.lhs, sympy.Symbol):
            continue
        lhs = read_symbol(equation.lhs.name)
        if lhs.kind != "beta" or lhs.index not in betas:
            continue
        for term in sympy.Add.make_args(sympy.expand(equation.rhs)):
            coefficients, variables = _split(term)
            if len(coefficients) == 1:
                info = read_symbol(coefficients[0])
                joined = sorted([*betas[lhs.index], *variables])
                out[(info.kind, info.index)] = ":".join(joined) or "Intercept"
    return out


def _split(term: sympy.Basic) -> tuple[list[str], list[str]]:
    """A term's γ and u symbols, and the names of the variables it multiplies."""
    names = [s.name for s in term.free_symbols if isinstance(s, sympy.Symbol)]
    coefficients = [n for n in names if read_symbol(n).kind in _KINDS]
    variables = [read_symbol(n).base for n in names if read_symbol(n).kind == "variable"]
    return coefficients, variables
