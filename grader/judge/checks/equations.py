"""Checks of the equations: level 1 and 2, the combined model, and the combined model with estimates.

The student's equations arrive as JSON trees (from a variable, or read from their text by
:mod:`grader.answers.locate`) and are rebuilt only through the allow-list of
:func:`reference.equations.serialize.from_tree`; letters such as ``X_{1ij}`` are renamed to the
data's variables first (:mod:`grader.answers.letters`), and what was read from text is said. The
term-by-term comparison is :mod:`reference.compare.equations`'s. Each blocking difference costs a
share of the equation's points (``DIFFERENCE_COST``); notation slips cost nothing but are said.

One omission, one charge: a random effect missing from the level-2 equations is naturally missing
from the combined model written from them, and from the one with estimates. It is charged in the
first part where it appears; later parts say it is the same omission and do not charge it again.
"""

from __future__ import annotations

from typing import Any

from grader.answers.locate import WHAT, Found
from grader.judge.checks.context import Context
from grader.judge.checks.reading import Prepared, prepare
from grader.judge.checks.said import missing, result
from grader.report.values import PartResult
from reference.compare.equations import (
    compare_combined,
    compare_estimates,
    compare_level1,
    compare_level2,
)
from reference.compare.findings import Comparison, Finding
from reference.equations.estimates import estimate_equations

DIFFERENCE_COST = 0.25
LEVEL1_SHARE = 0.4
_ESTIMATE_KINDS = frozenset({"wrong_estimate", "symbol_not_estimate"})


def check_level_equations(ctx: Context) -> PartResult:
    part = ctx.config.part("level_equations")
    found1, found2 = ctx.located.get("level1"), ctx.located.get("level2")
    if found1.value is None and found2.value is None:
        return missing(part, ctx, "level1")
    if ctx.equations is None:
        return result(part, 0, [ctx.say("common.no_final")], status="error")
    read1, read2 = prepare(ctx, found1, "level1"), prepare(ctx, found2, "level2")
    comparison1, comparison2 = level_comparisons(ctx)
    lines = [ctx.say("equations.checked", variables=_labels(found1, found2)),
             *read1.lines, *dict.fromkeys(r for r in read2.lines if r not in read1.lines)]  # fmt: skip
    score, kinds = 0.0, ["invalid"] if read1.problem or read2.problem else []
    if comparison1 is not None:
        score += part.points * LEVEL1_SHARE * _share(comparison1)
        lines += _lines(ctx, "Level 1", comparison1)
        kinds += comparison1.kinds()
    if comparison2 is not None:
        score += part.points * (1 - LEVEL1_SHARE) * _share(comparison2)
        lines += _lines(ctx, "Level 2", comparison2)
        kinds += comparison2.kinds()
    lines += [p for p in (read1.problem, read2.problem) if p]
    where = ", ".join(dict.fromkeys(w for w in (found1.where, found2.where) if w)) or None
    return result(part, score, lines, variable=where, mistakes=kinds)


def check_combined_equation(ctx: Context) -> PartResult:
    part = ctx.config.part("combined_equation")
    found = ctx.located.get("combined")
    if found.value is None:
        return missing(part, ctx, "combined")
    where = found.where or None
    if ctx.equations is None:
        return result(part, 0, [ctx.say("common.no_final")], status="error", variable=where)
    read = prepare(ctx, found, "combined")
    lines = [ctx.say("equations.checked", variables=found.label), *read.lines]
    comparison = combined_comparison(ctx)
    if comparison is None:
        return result(part, 0, [*lines, read.problem or ""], variable=where, mistakes=["invalid"])
    earlier = _omissions(level_comparisons(ctx)[1])
    waived = _waived(comparison, earlier)
    lines += [*_lines(ctx, "Combined", comparison), *_same(ctx, waived, "your level-2 equations")]
    return result(part, part.points * _share(comparison, waived), lines, variable=where,
                  mistakes=_kinds(comparison, waived))  # fmt: skip


def check_combined_with_estimates(ctx: Context) -> PartResult:
    part = ctx.config.part("combined_with_estimates")
    found = ctx.located.get("combined_with_estimates")
    if found.value is None:
        return missing(part, ctx, "combined_with_estimates")
    where = found.where or None
    if ctx.equations is None or ctx.reference is None:
        return result(part, 0, [ctx.say("common.no_final")], status="error", variable=where)
    read = prepare(ctx, found, "combined_with_estimates")
    lines = [ctx.say("equations.checked_estimates", tolerance=f"±{part.atol:g}",
                     answer=found.label), *read.lines]  # fmt: skip
    if read.equation is None:
        return result(part, 0, [*lines, read.problem or ""], variable=where, mistakes=["invalid"])
    comparison, basis = _estimates_basis(ctx, read.equation)
    factor = ctx.config.ecf_factor if basis == "ecf" else 1.0
    if basis == "ecf":
        credit = {1.0: "full", 0.5: "half"}.get(ctx.config.ecf_factor, "no")
        lines.append(ctx.say("common.ecf_estimates", credit=credit))
    if basis == "typed_in":  # the original file's estimates, not the copy's
        line = ctx.say("common.typed_in", stated="Your equation", variable=found.label,
                       observed="your equation")  # fmt: skip
        return result(part, 0, [*lines, line], variable=where, mistakes=["typed_in"])
    level2, combined = level_comparisons(ctx)[1], combined_comparison(ctx)
    earlier = {**_omissions(level2), **_omissions(combined, "your combined model")}
    waived = _waived(comparison, earlier)
    lines += [*_lines(ctx, "With estimates", comparison), *_same(ctx, waived)]
    mistakes = [*_kinds(comparison, waived), "carried_forward" * (basis == "ecf")]
    return result(part, part.points * factor * _share(comparison, waived), lines,
                  variable=where, mistakes=mistakes)  # fmt: skip


def _estimates_basis(ctx: Context, equation: Any) -> tuple[Comparison, str]:
    """The comparison to grade by, and its basis: ``reference`` (the optimum's estimates),
    ``own`` (the student's fit, at the optimum too), ``ecf`` (their fit, short of the optimum:
    carried-forward credit), or ``typed_in`` (the original file's estimates on hidden data).
    Structural differences (a missing term) are charged whatever the basis."""
    assert ctx.reference is not None  # checked by the caller
    comparison = _compare_estimates(ctx, equation, ctx.reference.final)
    if not _wrong_estimates(comparison):
        return comparison, "reference"
    if ctx.final is not None and (ctx.own_fit_at_optimum or ctx.own_fit_counts):
        own = _compare_estimates(ctx, equation, ctx.final, own=True)
        if not _wrong_estimates(own):
            return own, "own" if ctx.own_fit_at_optimum else "ecf"
    original = ctx.original.solution if ctx.original is not None else None
    if original is not None and not _wrong_estimates(
        _compare_estimates(ctx, equation, original.final)
    ):
        return comparison, "typed_in"
    return comparison, "reference"


def _wrong_estimates(comparison: Comparison) -> bool:
    return any(f.kind in _ESTIMATE_KINDS for f in comparison.findings)


def _compare_estimates(ctx: Context, equation: Any, fit: Any, own: bool = False) -> Comparison:
    part = ctx.config.part("combined_with_estimates")
    names = fit.cov_re_names if not own else fit.re_names
    assert ctx.equations is not None  # checked by the caller
    estimated = estimate_equations(ctx.equations, fit.fe_params, fit.cov_re, names, fit.scale)
    return compare_estimates(equation, estimated, atol=part.atol, rtol=part.rtol)


_MEMO: list[tuple[Context, dict[str, Any]]] = []


def _memo(ctx: Context) -> dict[str, Any]:
    """Comparisons shared by the three checks of one context (one omission, one charge)."""
    entry = _MEMO[0] if _MEMO else None  # one read: another thread may replace the entry
    if entry is None or entry[0] is not ctx:
        entry = (ctx, {})
        _MEMO[:] = [entry]
    return entry[1]


def level_comparisons(ctx: Context) -> tuple[Comparison | None, Comparison | None]:
    """The student's level-1 and level-2 equations compared with the model's (None if absent)."""
    memo = _memo(ctx)
    if "levels" not in memo:
        read1 = prepare(ctx, ctx.located.get("level1"), "level1")
        read2 = prepare(ctx, ctx.located.get("level2"), "level2")
        first = second = None
        if ctx.equations is not None and read1.equation is not None:
            first = compare_level1(read1.equation, ctx.equations)
        if ctx.equations is not None and read2.equation is not None:
            second = compare_level2(read2.equation, ctx.equations, level1=read1.equation)
        memo["levels"] = (first, second)
    levels: tuple[Comparison | None, Comparison | None] = memo["levels"]
    return levels


def combined_comparison(ctx: Context) -> Comparison | None:
    memo = _memo(ctx)
    if "combined" not in memo:
        read: Prepared = prepare(ctx, ctx.located.get("combined"), "combined")
        model = ctx.equations
        ok = model is not None and read.equation is not None
        memo["combined"] = compare_combined(read.equation, model) if ok and model else None
    combined: Comparison | None = memo["combined"]
    return combined


def _omissions(
    comparison: Comparison | None, where: str = "your level-2 equations"
) -> dict[str, str]:
    """Missing random effects, by the variable whose slope they are, and where they were missed."""
    if comparison is None:
        return {}
    return {f.subject: where for f in comparison.findings if f.kind == "missing_random"}


def _waived(comparison: Comparison, earlier: dict[str, str]) -> dict[Finding, str]:
    return {f: earlier[f.subject] for f in comparison.findings
            if f.kind == "missing_random" and f.subject in earlier}  # fmt: skip


def _same(ctx: Context, waived: dict[Finding, str], default: str = "") -> list[str]:
    return [ctx.say("equations.same_omission", terms=f.expected, earlier=where or default)
            for f, where in waived.items()]  # fmt: skip


def _kinds(comparison: Comparison, waived: dict[Finding, str]) -> list[str]:
    kinds = [f.kind for f in comparison.findings if f not in waived]
    return list(dict.fromkeys(kinds)) + ["same_omission"] * bool(waived)


def _labels(*found: Found) -> str:
    labels = [f.label for f in found if f.value is not None]
    return " and ".join(dict.fromkeys(labels)) or "your equations"


def _share(comparison: Comparison, waived: dict[Finding, str] | None = None) -> float:
    blocking = sum(1 for f in comparison.findings if f.blocking and f not in (waived or {}))
    return max(0.0, 1.0 - DIFFERENCE_COST * blocking)


def _lines(ctx: Context, label: str, comparison: Comparison) -> list[str]:
    if comparison.equivalent and not comparison.findings:
        return [ctx.say("equations.matches", label=label)]
    messages = [ctx.say(f"findings.{f.kind}", **f.fields()) for f in comparison.findings]
    verdict = "equations.matches_with_note" if comparison.equivalent else "equations.differs"
    return [ctx.say(verdict, label=label), *(f"• {m}" for m in messages)]


__all__ = ["WHAT", "check_combined_equation", "check_combined_with_estimates",
           "check_level_equations"]  # fmt: skip
