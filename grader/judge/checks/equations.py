"""Checks of the equations: level 1 and 2, the combined model, and the combined model with estimates.

The student's equations arrive as JSON trees and are rebuilt only through the allow-list of
:func:`reference.equations.serialize.from_tree`; the term-by-term comparison is :mod:`reference.compare.equations`'s.
Each blocking difference costs a share of the equation's points (``DIFFERENCE_COST``), so one slip
in a long equation is not graded like a missing equation; notation slips cost nothing but are said.
"""

from __future__ import annotations

from typing import Any

import sympy

from grader.answers.encoded import Invalid, tree_of
from grader.answers.locate import Found
from grader.judge.checks.base import Context, missing, result
from grader.report.values import PartResult
from reference.compare.equations import (
    compare_combined,
    compare_estimates,
    compare_level1,
    compare_level2,
)
from reference.compare.findings import Comparison, Finding
from reference.equations.estimates import estimate_equations
from reference.equations.serialize import from_tree
from reference.errors import EquationError

DIFFERENCE_COST = 0.25
LEVEL1_SHARE = 0.4


def check_level_equations(ctx: Context) -> PartResult:
    part = ctx.config.part("level_equations")
    found1, found2 = ctx.located.get("level1"), ctx.located.get("level2")
    if found1.value is None and found2.value is None:
        return missing(part, ctx, "level1")
    if ctx.equations is None:
        return result(part, 0, [ctx.say("no_final")], status="error")
    level1, problem1 = _equation(found1, "level1")
    level2, problem2 = _equation(found2, "level2")
    lines = [ctx.say("equations.checked", variables="`level1` and `level2`")]
    score, kinds = 0.0, ["invalid"] if problem1 or problem2 else []
    if level1 is not None:
        comparison = compare_level1(level1, ctx.equations)
        score += part.points * LEVEL1_SHARE * _share(comparison)
        lines += _lines(ctx, "Level 1", comparison)
        kinds += comparison.kinds()
    if level2 is not None:
        comparison = compare_level2(level2, ctx.equations, level1=level1)
        score += part.points * (1 - LEVEL1_SHARE) * _share(comparison)
        lines += _lines(ctx, "Level 2", comparison)
        kinds += comparison.kinds()
    lines += [p for p in (problem1, problem2) if p]
    return result(part, score, lines, variable="level1, level2", mistakes=kinds)


def check_combined_equation(ctx: Context) -> PartResult:
    part = ctx.config.part("combined_equation")
    found = ctx.located.get("combined")
    if found.value is None:
        return missing(part, ctx, "combined")
    if ctx.equations is None:
        return result(part, 0, [ctx.say("no_final")], status="error", variable="combined")
    equation, problem = _equation(found, "combined")
    lines = [ctx.say("equations.checked", variables="`combined`")]
    if equation is None:
        return result(part, 0, [*lines, problem or ""], variable="combined", mistakes=["invalid"])
    comparison = compare_combined(equation, ctx.equations)
    score = part.points * _share(comparison)
    return result(part, score, [*lines, *_lines(ctx, "Combined", comparison)],
                  variable="combined", mistakes=comparison.kinds())  # fmt: skip


def check_combined_with_estimates(ctx: Context) -> PartResult:
    part = ctx.config.part("combined_with_estimates")
    found = ctx.located.get("combined_with_estimates")
    name = "combined_with_estimates"
    if found.value is None:
        return missing(part, ctx, name)
    if ctx.equations is None or ctx.reference is None:
        return result(part, 0, [ctx.say("no_final")], status="error", variable=name)
    equation, problem = _equation(found, name)
    lines = [ctx.say("equations.checked_estimates", tolerance=f"±{part.atol:g}")]
    if equation is None:
        return result(part, 0, [*lines, problem or ""], variable=name, mistakes=["invalid"])
    comparison = _compare_estimates(ctx, equation, ctx.reference.final)
    if not comparison.equivalent and ctx.own_fit_at_optimum and ctx.final is not None:
        own = _compare_estimates(ctx, equation, ctx.final, own=True)
        if own.equivalent:  # their fit reached the optimum too: its estimates are as right
            comparison = own
    if not comparison.equivalent and ctx.own_fit_counts and ctx.final is not None:
        own = _compare_estimates(ctx, equation, ctx.final, own=True)
        if own.equivalent:
            line = ctx.say("ecf", variable=name, observed="your equation",
                           credit={1.0: "full", 0.5: "half"}.get(ctx.config.ecf_factor, "no"))  # fmt: skip
            return result(part, part.points * ctx.config.ecf_factor, [*lines, line],
                          variable=name, mistakes=["carried_forward"])  # fmt: skip
    original = ctx.original.solution if ctx.original is not None else None
    typed_in = (not comparison.equivalent and original is not None
                and _compare_estimates(ctx, equation, original.final).equivalent)  # fmt: skip
    if typed_in:
        line = ctx.say("hidden.typed_in", variable=name, observed="your equation")
        return result(part, 0, [*lines, line], variable=name, mistakes=["typed_in"])
    score = part.points * _share(comparison)
    return result(part, score, [*lines, *_lines(ctx, "With estimates", comparison)],
                  variable=name, mistakes=comparison.kinds())  # fmt: skip


def _compare_estimates(
    ctx: Context, equation: sympy.Basic, fit: Any, own: bool = False
) -> Comparison:
    part = ctx.config.part("combined_with_estimates")
    names = fit.cov_re_names if not own else fit.re_names
    assert ctx.equations is not None  # checked by the caller
    estimated = estimate_equations(ctx.equations, fit.fe_params, fit.cov_re, names, fit.scale)
    return compare_estimates(equation, estimated, atol=part.atol, rtol=part.rtol)


def _equation(found: Found, name: str) -> tuple[Any | None, str | None]:
    """Rebuild the student's equation(s) through the allow-list, or say why not."""
    if found.value is None:
        return None, None
    trees = tree_of(found.value)
    if isinstance(trees, Invalid):
        wanted = "a list of sympy equations" if name == "level2" else "a sympy equation (Eq)"
        return None, f"`{name}` holds {trees.reason}; this part needs {wanted}."
    try:
        if isinstance(trees, list):
            return [from_tree(t) for t in trees], None
        return from_tree(trees), None
    except EquationError as exc:
        return None, f"`{name}` could not be read as an equation: {exc}"


def _share(comparison: Comparison) -> float:
    blocking = sum(1 for f in comparison.findings if f.blocking)
    return max(0.0, 1.0 - DIFFERENCE_COST * blocking)


def _render(finding: Finding, ctx: Context) -> str:
    """A finding in the instructor's wording when they gave one that fits, else the default."""
    try:
        return finding.render(ctx.config.messages)
    except (KeyError, IndexError, ValueError):
        return finding.message


def _lines(ctx: Context, label: str, comparison: Comparison) -> list[str]:
    if comparison.equivalent and not comparison.findings:
        return [f"{label}: matches your model."]
    messages = [_render(f, ctx) for f in comparison.findings]
    verdict = "matches your model, with a notation note" if comparison.equivalent else "differs"
    return [f"{label}: {verdict}:", *(f"• {m}" for m in messages)]
