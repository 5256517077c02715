"""The number judge every numeric part uses: the expected value first, then the conventions and
known mistakes an answer may match instead (:class:`Alternative`), each with its credit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.answers.encoded import Invalid, number_of
from grader.answers.locate import Found
from grader.assignment.config import PartConfig
from grader.assignment.keys import KEYS
from grader.judge.checks.context import Context
from grader.judge.checks.said import fmt, missing, read_line, result, stated
from grader.report.values import PartResult
from reference.tolerance import describe_tolerance, within


@dataclass(frozen=True, slots=True)
class Alternative:
    """A value the answer may match instead of the expected one: a convention or a known mistake."""

    value: float
    key: str
    credit: float
    mistake: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def judge_number(
    part: PartConfig,
    ctx: Context,
    found: Found,
    expected: float,
    alternatives: Sequence[Alternative] = (),
) -> PartResult:
    """Judge a numeric answer: expected value first, then conventions and known mistakes."""
    if found.value is None:
        return missing(part, ctx, part.id)
    value = number_of(found.value)
    tolerance = describe_tolerance(part.atol, part.rtol)
    where = found.where or None
    head = [ctx.say(f"{part.id}.checked", tolerance=tolerance, answer=found.label)]
    if isinstance(value, Invalid):
        line = ctx.say("common.invalid", **stated(found, "?"), reason=value.reason,
                       wanted="a number")  # fmt: skip
        return result(part, 0, [*head, line], variable=where, mistakes=["invalid"])
    fields = {**stated(found, fmt(value)), "tolerance": tolerance}
    head += [read_line(ctx, part.id, found, fmt(value)), *found.notes]
    reveal = _reveal(ctx, expected, tolerance)
    match = _closest(value, expected, alternatives, part)
    if match is None and _matches(value, expected, part):
        return result(part, part.points, [*head, ctx.say("common.passed", **fields)],
                      variable=where)  # fmt: skip
    if match is not None:
        line = ctx.say(match.key, **fields, **match.fields)
        extra = reveal if match.credit < 1 else ""
        return result(part, part.points * match.credit, [*head, line, extra], variable=where,
                      mistakes=[match.mistake])  # fmt: skip
    if not math.isfinite(value):
        key = f"{part.id}.nan" if f"{part.id}.nan" in KEYS else "common.not_finite"
        return result(part, 0, [*head, ctx.say(key, **fields)], variable=where, mistakes=["nan"])
    if _matches(value / 100, expected, part):
        share = ctx.config.credit_for("percent")
        return result(part, part.points * share, [*head, ctx.say("common.percent", **fields)],
                      variable=where, mistakes=["percent"])  # fmt: skip
    line = ctx.say(f"{part.id}.wrong", **fields)
    return result(part, 0, [*head, line, reveal], variable=where, mistakes=["wrong"])


def _closest(
    value: float, expected: float, alternatives: Sequence[Alternative], part: PartConfig
) -> Alternative | None:
    """The alternative the answer matches best, if one matches better than the expected value.

    Tolerances can overlap (the REML ICC is within rounding of the ML one), so the closest
    interpretation wins: an answer nearer the REML value is told it used REML.
    """
    matching = [a for a in alternatives if _matches(value, a.value, part)]
    if not matching:
        return None
    best = min(matching, key=lambda a: abs(value - a.value))
    if _matches(value, expected, part) and abs(value - expected) <= abs(value - best.value):
        return None
    return best


def _matches(value: float, target: float, part: PartConfig) -> bool:
    return within(value, target, atol=part.atol, rtol=part.rtol)


def _reveal(ctx: Context, expected: float, tolerance: str) -> str:
    if not ctx.config.reveal_expected:
        return ""
    return ctx.say("common.expected", expected=fmt(expected), tolerance=tolerance)


def ecf_alternative(ctx: Context, value: float | None) -> list[Alternative]:
    """The value from the student's own fit, when it counts.

    A fit at the optimum (within the tolerance) earns full credit for its own numbers: on a flat
    likelihood two equally good points can differ beyond a part's tolerance. A fit short of the
    optimum earns error-carried-forward credit, as the grading config says.
    """
    if value is None or not math.isfinite(value):
        return []
    if ctx.own_fit_at_optimum:
        return [Alternative(value, "common.passed", 1.0)]
    if not ctx.own_fit_counts:
        return []
    credit = ctx.config.ecf_factor
    label = {1.0: "full", 0.5: "half"}.get(credit, "no")
    return [Alternative(value, "common.ecf", credit, "carried_forward", {"credit": label})]


def typed_in_alternative(
    ctx: Context, part: PartConfig, original: float | None, expected: float
) -> list[Alternative]:
    """The bundled file's answer, on hidden data, when it is far enough from the copy's to tell.

    Only a quantity the perturbation moved by more than twice the tolerance can tell a typed-in
    answer from a computed one; closer than that, a correct answer could match both.
    """
    if ctx.original is None or original is None or not distinguishable(part, original, expected):
        return []
    return [Alternative(original, "common.typed_in", 0.0, "typed_in")]


def distinguishable(part: PartConfig, original: float, expected: float) -> bool:
    """The copy moved this value by more than twice the part's tolerance (see above)."""
    margin = 2 * (part.atol + part.rtol * abs(expected))
    return math.isfinite(original) and abs(original - expected) > margin
