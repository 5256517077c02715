"""What every check shares: the judging context, result builders, and the number judge."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from grader.answers.encoded import Invalid, number_of
from grader.answers.locate import WHAT, Found, Located
from grader.answers.models import StudentModel
from grader.assignment.assignment import Assignment
from grader.assignment.config import GradingConfig, PartConfig
from grader.assignment.keys import KEYS
from grader.judge.assess import FitAssessment
from grader.report.values import PartResult, Status
from reference.data.dataset import Dataset
from reference.tolerance import describe_tolerance, within


@dataclass(frozen=True, slots=True)
class Original:
    """The answers on the bundled data file, when the notebook ran on a perturbed copy of it.

    An answer that matches these instead of the copy's did not come from the data the notebook
    read: it was typed in (or copied).
    """

    icc_ml: float
    icc_reml: float
    solution: Any | None  # ReferenceSolution of the student's model on the bundled file


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a check may read. Built once per notebook by :func:`grader.judge.engine.judge`.

    Attributes:
        assignment: the assignment, graded by its configuration (``config``).
        reference: the reference solution for the student's own final model (None if unusable).
        unconditional_ml, unconditional_reml: reference fits of the unconditional model.
        assessment: what the grader found of the student's final model (rules, data, optimum).
        original: on hidden data, the answers of the bundled file (None otherwise).
    """

    located: Located
    assignment: Assignment
    data: pd.DataFrame
    reference: Any | None
    unconditional_ml: Any
    unconditional_reml: Any
    assessment: FitAssessment | None = None
    equations: Any | None = None
    original: Original | None = None

    @property
    def config(self) -> GradingConfig:
        return self.assignment.grading

    @property
    def dataset(self) -> Dataset:
        return self.assignment.dataset

    @property
    def own_fit_counts(self) -> bool:
        fit = self.assessment
        return fit is not None and fit.short and fit.genuine

    @property
    def own_fit_at_optimum(self) -> bool:
        """The student's own estimates reach the optimum: numbers consistent with them are right."""
        fit = self.assessment
        return fit is not None and fit.at_optimum

    @property
    def final(self) -> StudentModel | None:
        model = self.located.final
        return model if isinstance(model, StudentModel) else None

    @property
    def unconditional(self) -> StudentModel | None:
        model = self.located.unconditional
        return model if isinstance(model, StudentModel) else None

    def say(self, key: str, /, **fields: Any) -> str:
        """A sentence of the assignment's catalogue, filled from ``fields``."""
        return self.config.say(key, **fields)


@dataclass(frozen=True, slots=True)
class Alternative:
    """A value the answer may match instead of the expected one: a convention or a known mistake."""

    value: float
    key: str
    credit: float
    mistake: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def result(
    part: PartConfig,
    score: float,
    lines: Sequence[str],
    *,
    status: Status | None = None,
    variable: str | None = None,
    mistakes: Sequence[str] = (),
) -> PartResult:
    """A part result; the status follows from the score unless given."""
    score = min(max(score, 0.0), part.points)
    if status is None:
        status = "passed" if score >= part.points else "partial" if score > 0 else "failed"
    return PartResult(
        part.id,
        part.title,
        score,
        part.points,
        status,
        " ".join(x for x in lines if x),
        variable,
        tuple(m for m in mistakes if m),
    )


def missing(part: PartConfig, ctx: Context, name: str) -> PartResult:
    """No answer: where to put it (template notebooks), or where the grader looked."""
    return result(part, 0.0, missing_lines(ctx, name), status="missing", mistakes=["missing"])


def missing_lines(ctx: Context, name: str) -> list[str]:
    """What feedback says of a missing answer: the variable to set in a template notebook; in a
    free-form one, what was looked for and where, and what was read but answers nothing."""
    spec = ctx.assignment.contract.spec(name)
    if ctx.located.template:
        return [ctx.say("common.missing", variable=name, description=spec.description)]
    what = MISSING_WHAT.get(name, WHAT.get(name, name).removeprefix("the "))
    forms = FORMS.get(spec.kind, FORMS["number"]).format(response=ctx.dataset.response)
    lines = [ctx.say("common.missing_free_form", what=what, examples=EXAMPLES.get(name, ""),
                     forms=forms)]  # fmt: skip
    if spec.kind in {"equation", "equations"} and ctx.located.unread:
        lines.append(ctx.say("common.unread", items="; ".join(ctx.located.unread)))
    return lines


#: What is missing when no answer of a part is found at all.
MISSING_WHAT = {"level1": "level-1 or level-2 equation", "fixed_effects": "list of effects"}
#: Names students give each answer, as examples in feedback on a free-form notebook.
EXAMPLES = {
    "icc": "`icc`, `rho`",
    "aic_change": "`aic_change`, `delta_aic`",
    "residual_variance_change": "`pve_level1`, `variance_change`",
    "forecast": "`forecast`, `yhat`",
    "level1": "`level1`, `L1`",
    "level2": "`level2`, `l2_eqs`",
    "combined": "`combined`, `comb`",
    "combined_with_estimates": "`combined_with_estimates`, `comb_est`",
    "fixed_effects": "`fixed_effects`, `fe_list`",
    "random_effects": "`random_effects`, `re_list`",
    "fixed_estimates": "`fixed_estimates`, `coef`",
}
FORMS = {
    "number": "a printed line or a sentence giving it with its value, such as “ICC: 0.18”",
    "equation": (
        "LaTeX in $…$, $$…$$, \\[…\\] or an align block, or a printed line such as “{response}_ij = …”"
    ),
    "equations": "LaTeX in $…$, $$…$$, \\[…\\] or an align block, one equation per β",
    "names": "a bullet list after a line saying these are the fixed (or random) effects",
    "estimates": "a dict or Series of estimates",
}


def stated(found: Found, observed: str) -> dict[str, str]:
    """The fields messages use to name an answer: ``answer`` (where it is), ``stated`` (it and
    its value), ``variable`` (the student's name for it, else where it is)."""
    label = found.label
    if found.source in {"output", "markdown"}:
        said = f"The value {observed}"  # where it was read is said just before
    else:
        said = f"{label} = {observed}"
    return {"answer": label, "stated": said, "observed": observed,
            "variable": found.variable or label}  # fmt: skip


def read_list(ctx: Context, name: str, found: Found, names: Sequence[str]) -> str:
    """What was read, for a list of effects that came from the Markdown."""
    if not found.from_text:
        return ""
    return ctx.say("read.list", what=f"your {WHAT[name].removeprefix('the ')}", where=found.label,
                   items=", ".join(names))  # fmt: skip


def read_line(ctx: Context, part_id: str, found: Found, observed: str) -> str:
    """What was read, for an answer that came from printed text or the Markdown."""
    if not found.from_text or found.cell is None:
        return ""
    where = f"{'the output' if found.source == 'output' else 'the Markdown'} of cell {found.cell}"
    return ctx.say("read.number", what=f"your {WHAT[part_id].removeprefix('the ')}", where=where,
                   excerpt=found.excerpt or "", observed=observed)  # fmt: skip


def fmt(value: float) -> str:
    """Numbers as a student would read them: 4 significant decimals, nan/inf spelled out."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4f}" if abs(value) < 1e4 else f"{value:.2f}"


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
