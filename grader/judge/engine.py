"""Judging a submission's answers against the reference — in the grader's own process.

Pure with respect to the student: it reads only the validated :class:`~grader.answers.submission.Submission`,
so nothing the student's code did can change a verdict.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from grader.answers.locate import locate
from grader.answers.models import StudentModel
from grader.answers.submission import Submission
from grader.assignment.assignment import Assignment
from grader.judge.assess import FitAssessment, check_optimum, check_rules
from grader.judge.checks.context import Context, Original
from grader.judge.checks.equations import (
    check_combined_equation,
    check_combined_with_estimates,
    check_level_equations,
)
from grader.judge.checks.model import check_effect_lists, check_final_model, check_fixed_estimates
from grader.judge.checks.numbers import (
    check_aic_change,
    check_forecast,
    check_icc,
    check_residual_variance_change,
)
from grader.judge.checks.said import result
from grader.judge.student_model import read_model, read_other
from grader.report.values import PartResult
from reference.data.dataset import Dataset, dataset_of
from reference.data.files import data_hash, load_data
from reference.errors import HLMReferenceError
from reference.fitting.cache import cached_fit
from reference.fitting.random_effects import on_boundary
from reference.model.spec import unconditional
from reference.quantities import ReferenceSolution, solve

Check = Callable[[Context], PartResult]

CHECKS: dict[str, Check] = {
    "icc": check_icc,
    "final_model": check_final_model,
    "level_equations": check_level_equations,
    "combined_equation": check_combined_equation,
    "fixed_estimates": check_fixed_estimates,
    "combined_with_estimates": check_combined_with_estimates,
    "effect_lists": check_effect_lists,
    "aic_change": check_aic_change,
    "residual_variance_change": check_residual_variance_change,
    "forecast": check_forecast,
}


def build_context(submission: Submission, *, assignment: Assignment, data: pd.DataFrame) -> Context:
    """Locate answers, re-fit the student's own model robustly, and assess their fit."""
    config = assignment.grading
    located = locate(submission, assignment.dataset.response, assignment.template_text)
    final, fit = read_model(located.final, data)
    located = dataclasses.replace(
        located, final=final, unconditional=read_other(located.unconditional, data)
    )
    reference = None
    if fit.spec is not None and isinstance(located.final, StudentModel):
        fit = check_rules(fit, located.final, data, config.messages)
    if fit.spec is not None and fit.unusable is None:
        reference, fit = _solve(fit, data)
    if reference is not None and isinstance(located.final, StudentModel):
        fit = check_optimum(fit, located.final, reference.final.llf, data,
                            config.optimum_tolerance, boundary=on_boundary(reference.final))  # fmt: skip
    empty = unconditional(assignment.dataset)
    return Context(
        located=located,
        assignment=assignment,
        data=data,
        reference=reference,
        unconditional_ml=cached_fit(empty, data),
        unconditional_reml=cached_fit(empty.with_reml(True), data),
        assessment=fit,
        equations=_equations(fit, data, reference),
        original=_original(fit, data, reference),
    )


def _original(fit: FitAssessment, data: pd.DataFrame, reference: object) -> Original | None:
    """On hidden data: the answers the bundled file gives, which only a typed-in answer matches."""
    bundled = _bundled(dataset_of(data))
    if bundled is None or data_hash(data) == data_hash(bundled):
        return None
    empty = unconditional(dataset_of(data))
    ml = cached_fit(empty, bundled)
    reml = cached_fit(empty.with_reml(True), bundled)
    solution = None
    if reference is not None and fit.spec is not None:
        try:
            solution = solve(fit.spec, bundled, require_final=False)
        except HLMReferenceError:
            solution = None
    return Original(ml.tau00 / (ml.tau00 + ml.scale), reml.tau00 / (reml.tau00 + reml.scale),
                    solution)  # fmt: skip


def _bundled(dataset: Dataset) -> pd.DataFrame | None:
    return _bundled_in(dataset.folder)


@functools.cache
def _bundled_in(folder: Path) -> pd.DataFrame | None:
    try:
        return load_data(folder)
    except HLMReferenceError:
        return None


def _solve(
    fit: FitAssessment, data: pd.DataFrame
) -> tuple[ReferenceSolution | None, FitAssessment]:
    """The reference for the student's own model, or why there is none (e.g. ses = cses + meanses)."""
    assert fit.spec is not None
    try:
        return solve(fit.spec, data, require_final=False), fit
    except HLMReferenceError as exc:
        return None, dataclasses.replace(fit, unusable=str(exc))


def _equations(fit: FitAssessment, data: pd.DataFrame, reference: object) -> object | None:
    if reference is None or fit.spec is None:
        return None
    from reference.equations.model import model_equations
    from reference.model.spec import parse_spec

    return model_equations(parse_spec(fit.spec, data, require_final=False))


@dataclass(frozen=True, slots=True)
class Judgement:
    """Every part's result, the notes on how answers were found, and the final model as read (in
    the reference's names; None when there was none) — what a report and a class summary need."""

    parts: tuple[PartResult, ...]
    notes: tuple[str, ...]
    final: StudentModel | None = None


def judge(
    submission: Submission, *, assignment: Assignment, data: pd.DataFrame
) -> tuple[tuple[PartResult, ...], tuple[str, ...]]:
    """Every part's result, in the grading config's order, and the notes on how answers were found
    (see :func:`judgement`)."""
    done = judgement(submission, assignment=assignment, data=data)
    return done.parts, done.notes


def judgement(submission: Submission, *, assignment: Assignment, data: pd.DataFrame) -> Judgement:
    """Judge every part once, locating the answers and reading the final model once.

    ``data`` is the assignment's (or a perturbed copy, on hidden data), as the notebook ran on it.
    A failure of the grader itself never loses the report: if the context cannot be built, every
    part says so (``judge.grader_failed``, never a fault of the notebook); if one check fails,
    that part alone does.
    """
    config = assignment.grading
    try:
        ctx = build_context(submission, assignment=assignment, data=data)
    except Exception as exc:  # the grader's own bug: the report must survive it
        line = config.say("judge.grader_failed", error=type(exc).__name__)
        return Judgement(tuple(result(p, 0, [line], status="error") for p in config.parts), (line,))
    parts = tuple(_run(part.id, ctx) for part in config.parts)
    return Judgement(parts, ctx.located.notes, ctx.final)


def _run(part_id: str, ctx: Context) -> PartResult:
    part = ctx.config.part(part_id)
    check = CHECKS.get(part_id)
    if check is None:
        return result(part, 0, [ctx.say("judge.no_check")], status="error")
    try:
        return check(ctx)
    except HLMReferenceError as exc:
        return result(part, 0, [ctx.say("judge.not_judged", reason=str(exc))], status="error")
    except Exception as exc:  # a bug in one check costs that part, not the report
        line = ctx.say("judge.grader_failed", error=type(exc).__name__)
        return result(part, 0, [line], status="error", mistakes=["grader_error"])
