"""Checks of the numeric answers: ICC, AIC change, residual-variance change, forecast."""

from __future__ import annotations

import dataclasses
import math

from grader.answers.encoded import Invalid, number_of
from grader.answers.locate import Found
from grader.answers.models import StudentModel
from grader.judge.checks.base import (
    Alternative,
    ecf_alternative,
    judge_number,
    typed_in_alternative,
)
from grader.judge.checks.context import Context
from grader.judge.checks.said import fmt, missing, result, stated
from grader.report.values import PartResult
from reference.data.dataset import Profile
from reference.errors import SpecError
from reference.model.derived import Derived
from reference.model.spec import normalise_formula
from reference.quantities import forecast_from, school_forecasts, term_value


def check_icc(ctx: Context) -> PartResult:
    part = ctx.config.part("icc")
    ml, reml = ctx.unconditional_ml, ctx.unconditional_reml
    icc_ml, icc_reml = _icc(ml.tau00, ml.scale), _icc(reml.tau00, reml.scale)
    alternatives = [
        Alternative(icc_reml, "icc.reml", 1.0, "icc_reml"),
        Alternative(
            1 - icc_ml, "icc.inverted", ctx.config.credit_for("icc_inverted"), "icc_inverted"
        ),
        Alternative(
            1 - icc_reml, "icc.inverted", ctx.config.credit_for("icc_inverted"), "icc_inverted"
        ),
    ]
    if ctx.original is not None:
        original = ctx.original
        alternatives += typed_in_alternative(ctx, part, original.icc_ml, icc_ml)
        alternatives += typed_in_alternative(ctx, part, original.icc_reml, icc_reml)
    found = ctx.located.get("icc")
    outcome = judge_number(part, ctx, found, icc_ml, alternatives)
    notes = [_unconditional_note(ctx), *prose_notes(ctx, "icc", found, {"reml": icc_reml})]
    return _with(outcome, notes)


def _with(outcome: PartResult, lines: list[str]) -> PartResult:
    """The outcome with more sentences of feedback (same score and status)."""
    lines = [line for line in lines if line]
    if not lines:
        return outcome
    return dataclasses.replace(outcome, feedback=" ".join([outcome.feedback, *lines]))


def prose_notes(
    ctx: Context, part_id: str, found: Found, known: dict[str, float] | None = None
) -> list[str]:
    """Kind notes where the notebook's text reports another number than its code computed.

    Skipped on hidden data (the text was written about the original file) and when the graded
    answer itself came from the text. A number agrees when it is the code's value rounded (or
    cut) to the decimals the text shows.
    """
    value = number_of(found.value) if found.value is not None else None
    if ctx.original is not None or found.source == "markdown" or not isinstance(value, float):
        return []
    if not math.isfinite(value):
        return []
    for said in ctx.located.prose.get(part_id, ()):
        percent = said.decimals >= 2 and _agrees(100 * said.value, value, said.decimals - 2)
        if _agrees(said.value, value, said.decimals) or percent:
            continue  # the same number, or the code's percentage of the text's "17.93 %"
        quoted = f"{said.value:.{said.decimals}f}"
        fields = {"cell": said.place.cell, "quoted": quoted, "excerpt": said.text,
                  "observed": fmt(value)}  # fmt: skip
        reml = (known or {}).get("reml")
        if reml is not None and _agrees(said.value, reml, said.decimals):
            return [ctx.say("prose.reml", **fields)]
        return [ctx.say("prose.disagrees", **fields)]
    return []


def _agrees(said: float, value: float, decimals: int) -> bool:
    """``said`` is ``value`` rounded or cut to ``decimals`` places."""
    return abs(said - value) <= 10.0 ** (-decimals) + 1e-12


def _icc(tau00: float, sigma2: float) -> float:
    return tau00 / (tau00 + sigma2)


def _unconditional_note(ctx: Context) -> str:
    model, variable = ctx.unconditional, ctx.located.unconditional_variable
    if model is None or variable is None:
        return ""
    try:
        empty = f"{ctx.dataset.response} ~ 1"
        ok = model.formula is not None and normalise_formula(model.formula) == empty
    except SpecError:
        ok = False
    if ok and model.re_formula == "1":
        return ""
    found = f"{model.formula} with random part {model.re_formula}"
    return ctx.say("icc.unconditional_wrong", variable=variable, found=found)


def check_aic_change(ctx: Context) -> PartResult:
    part = ctx.config.part("aic_change")
    found = ctx.located.get("aic_change")
    if ctx.reference is None:
        return _no_final(ctx, part.id, found.variable)
    expected = float(ctx.reference.aic_change)
    alternatives = [
        *ecf_alternative(ctx, _own_aic_change(ctx)),
        Alternative(-expected, "aic_change.sign", ctx.config.credit_for("aic_sign"), "aic_sign"),
        *typed_in_alternative(ctx, part, _original(ctx, "aic_change"), expected),
    ]
    reml_value = _reml_aic_change(ctx)
    if reml_value is not None:
        credit = ctx.config.credit_for("aic_reml")
        alternatives.append(Alternative(reml_value, "aic_change.reml", credit, "aic_reml"))
    return _with(judge_number(part, ctx, found, expected, alternatives),
                 prose_notes(ctx, part.id, found))  # fmt: skip


def _own_aic_change(ctx: Context) -> float | None:
    final = ctx.final
    if final is None or final.reml:
        return None
    unc = ctx.unconditional
    base = unc.aic if unc is not None and not unc.reml else ctx.unconditional_ml.aic
    return final.aic - base


def _reml_aic_change(ctx: Context) -> float | None:
    final, unc = ctx.final, ctx.unconditional
    if final is None or unc is None or not (final.reml and unc.reml):
        return None
    return (-2 * final.llf + 2 * _n_params(final)) - (-2 * unc.llf + 2 * _n_params(unc))


def _n_params(model: StudentModel) -> int:
    k = len(model.cov_re)
    return len(model.fe_params) + k * (k + 1) // 2 + 1


def check_residual_variance_change(ctx: Context) -> PartResult:
    part = ctx.config.part("residual_variance_change")
    found = ctx.located.get("residual_variance_change")
    if ctx.reference is None:
        return _no_final(ctx, part.id, found.variable)
    expected = float(ctx.reference.residual_variance_change)
    own = None
    if ctx.final is not None:
        base = ctx.unconditional_ml.scale
        own = (base - ctx.final.scale) / base
    alternatives = [
        *ecf_alternative(ctx, own),
        Alternative(
            float(ctx.reference.intercept_variance_change),
            "residual_variance_change.tau",
            ctx.config.credit_for("variance_tau"),
            "variance_tau",
        ),
        Alternative(
            -expected,
            "residual_variance_change.sign",
            ctx.config.credit_for("variance_sign"),
            "variance_sign",
        ),
        *typed_in_alternative(ctx, part, _original(ctx, "residual_variance_change"), expected),
    ]
    return _with(judge_number(part, ctx, found, expected, alternatives),
                 prose_notes(ctx, part.id, found))  # fmt: skip


def check_forecast(ctx: Context) -> PartResult:
    part = ctx.config.part("forecast")
    found = ctx.located.get("forecast")
    if ctx.reference is None:
        return _no_final(ctx, part.id, found.variable)
    if ctx.reference.forecast_problem is not None:
        line = ctx.say("forecast.undefined", reason=ctx.reference.forecast_problem)
        return result(part, 0, [line], status="error", variable=found.variable,
                      mistakes=["no_forecast"])  # fmt: skip
    profile = ctx.reference.profile
    fe = dict(ctx.reference.final.fe_params)
    expected = float(ctx.reference.forecast)
    derived = ctx.reference.final.spec.derived
    own = _own_forecast(ctx, profile, derived)
    alternatives = [
        *ecf_alternative(ctx, own),
        *typed_in_alternative(ctx, part, _original(ctx, "forecast"), expected),
        *_with_school_effects(ctx, found),
    ]
    for term, value in fe.items():
        if term == "Intercept":
            continue
        try:
            contribution = value * term_value(term, profile, derived)
        except SpecError:
            continue
        if abs(contribution) > part.atol * 2:
            dropped = Alternative(
                expected - contribution,
                "forecast.dropped_term",
                ctx.config.credit_for("forecast_dropped_term"),
                "forecast_dropped_term",
                {"term": term},
            )
            alternatives.append(dropped)
    return _with(judge_number(part, ctx, found, expected, alternatives),
                 prose_notes(ctx, part.id, found))  # fmt: skip


def _with_school_effects(ctx: Context, found: Found) -> list[Alternative]:
    """The forecast with the first school's random effects added (``random_effects`` of the
    first school, what a student who "picks a school" takes), when the answer is not right.

    Only that school: 160 schools' values (HSB's) cover much of the plausible range, so matching
    any of them would name this mistake for answers that are wrong for other reasons.
    """
    value = number_of(found.value) if found.value is not None else None
    if ctx.reference is None or not isinstance(value, float) or not math.isfinite(value):
        return []
    part = ctx.config.part("forecast")
    if abs(value - ctx.reference.forecast) <= part.atol + part.rtol * abs(ctx.reference.forecast):
        return []  # right: no need to look further
    first = int(ctx.data[ctx.dataset.group].iloc[0])
    target = school_forecasts(ctx.reference, ctx.data).get(first)
    if target is None:
        return []
    credit = ctx.config.credit_for("forecast_random_effect")
    return [Alternative(target, "forecast.random_effect", credit, "forecast_random_effect",
                        {"group_id": first})]  # fmt: skip


def _own_forecast(ctx: Context, profile: Profile, derived: tuple[Derived, ...]) -> float | None:
    """The forecast the student's own estimates give, if they can be evaluated at the profile."""
    if ctx.final is None:
        return None
    try:
        return forecast_from(ctx.final.fe_params, profile, derived)
    except SpecError:
        return None


def _original(ctx: Context, quantity: str) -> float | None:
    """A quantity of the student's model on the bundled file (hidden-data grading only)."""
    solution = ctx.original.solution if ctx.original is not None else None
    return None if solution is None else float(getattr(solution, quantity))


def _no_final(ctx: Context, part_id: str, variable: str | None) -> PartResult:
    """No reference for the student's model: say so, unless the answer itself is unusable."""
    part = ctx.config.part(part_id)
    found = ctx.located.get(part_id)
    if found.value is None:
        return missing(part, ctx, part_id)
    value = number_of(found.value)
    where = found.where or None
    if isinstance(value, Invalid):
        line = ctx.say("common.invalid", **stated(found, "?"), reason=value.reason,
                       wanted="a number")  # fmt: skip
        return result(part, 0, [line], variable=where, mistakes=["invalid"])
    return result(part, 0, [ctx.say("common.no_final")], status="error", variable=where,
                  mistakes=["no_final"])  # fmt: skip
