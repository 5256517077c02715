"""Checks of the final model itself, its estimates and the lists of fixed and random effects."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from grader.answers.encoded import Invalid, estimates_of, names_of
from grader.answers.locate import Found
from grader.answers.names import RESIDUAL, display, term_key
from grader.judge.assess import FitAssessment
from grader.judge.checks.base import distinguishable
from grader.judge.checks.context import Context
from grader.judge.checks.numbering import effect_term
from grader.judge.checks.said import fmt, missing, missing_lines, read_list, result, stated
from grader.report.values import PartResult
from reference.tolerance import describe_tolerance, within


def check_final_model(ctx: Context) -> PartResult:
    part = ctx.config.part("final_model")
    fit, model = ctx.assessment, ctx.located.final
    variable = ctx.located.final_variable
    if model is None:
        return result(part, 0, [ctx.say("final_model.missing")], status="missing",
                      mistakes=["missing"])  # fmt: skip
    if isinstance(model, Invalid) or fit is None or fit.unusable:
        reason = model.reason if isinstance(model, Invalid) else (fit.unusable if fit else "?")
        return result(part, 0, [ctx.say("final_model.unusable", reason=reason)], variable=variable,
                      mistakes=["unusable_model"])  # fmt: skip
    head = ctx.say("final_model.checked", variable=variable, formula=fit.formula,
                   re_formula=fit.re_formula, optimum_tolerance=ctx.config.optimum_tolerance)  # fmt: skip
    if fit.wrong_data:
        return result(part, 0, [head, fit.wrong_data], variable=variable, mistakes=["wrong_data"])
    lines, mistakes, score = [head], [], float(part.points)
    rules_share = 1 - ctx.config.optimum_share - ctx.config.reml_share
    if fit.rules_problem:
        score -= part.points * rules_share
        lines.append(ctx.say("final_model.rules", reason=fit.rules_problem))
        mistakes.append("rules")
    if model.reml:
        score -= part.points * ctx.config.reml_share
        lines.append(ctx.say("final_model.reml"))
        mistakes.append("reml")
    if fit.short:
        score -= part.points * ctx.config.optimum_share
        lines.append(_short_line(ctx, fit, model.llf))
        mistakes.append("short_of_optimum")
    if not mistakes:
        lines.append(ctx.say("final_model.passed"))
    if fit.boundary:
        lines.append(ctx.say("final_model.boundary", gap=fit.gap or 0.0))
    if fit.read:
        lines.append(ctx.say("final_model.read", columns="; ".join(fit.read)))
    return result(part, score, lines, variable=variable, mistakes=mistakes)


def _short_line(ctx: Context, fit: FitAssessment, llf: float) -> str:
    line = ctx.say("final_model.short", gap=fit.gap or 0.0, observed_llf=llf)
    if not fit.genuine:
        line += " " + ctx.say("final_model.not_genuine", variable=ctx.located.final_variable)
    return line


def check_fixed_estimates(ctx: Context) -> PartResult:
    part = ctx.config.part("fixed_estimates")
    found = ctx.located.get("fixed_estimates")
    notes: list[str] = []
    if found.value is None and ctx.final is not None:
        estimates: dict[str, float] | Invalid = dict(ctx.final.fe_params)
        variable = ctx.located.final_variable
        notes.append(ctx.say("fixed_estimates.from_model"))
    elif found.value is None:
        return missing(part, ctx, "fixed_estimates")
    else:
        estimates, variable = estimates_of(found.value), found.variable
        if not isinstance(estimates, Invalid) and ctx.assessment is not None:
            estimates = in_model_names(estimates, ctx.assessment)
    if ctx.reference is None:
        return result(part, 0, [ctx.say("common.no_final")], status="error", variable=variable)
    tolerance = describe_tolerance(part.atol, part.rtol)
    head = ctx.say("fixed_estimates.checked", variable=variable, tolerance=tolerance)
    if isinstance(estimates, Invalid):
        line = ctx.say("common.invalid", answer=variable, variable=variable,
                       reason=estimates.reason, wanted="a dict {term: estimate}")  # fmt: skip
        return result(part, 0, [head, line], variable=variable, mistakes=["invalid"])
    return _judge_estimates(ctx, estimates, [head, *notes], variable)


def _judge_estimates(
    ctx: Context, estimates: Mapping[str, float], lines: list[str], variable: str | None
) -> PartResult:
    part = ctx.config.part("fixed_estimates")
    assert ctx.reference is not None  # checked by the caller
    expected = _by_key(ctx.reference.final.fe_params)
    given = _by_key(estimates)
    verdicts = {k: _verdict(ctx, k, given[k], v) for k, v in expected.items() if k in given}
    credit = {"right": 1.0, "ecf": ctx.config.ecf_factor}
    score = sum(credit.get(v, 0.0) for v in verdicts.values())
    shown = _shown(ctx)

    def terms(verdict: str) -> list[str]:
        return [shown(k) for k, v in verdicts.items() if v == verdict]

    wrong = [shown(k) + _reveal(ctx, expected[k]) for k, v in verdicts.items() if v == "wrong"]
    ecf, typed = terms("ecf"), terms("typed_in")
    absent = [shown(k) for k in expected if k not in given]
    extra = [shown(k) for k in given if k not in expected]
    lines += _estimate_lines(ctx, absent, extra, wrong, ecf)
    if typed:
        lines.append(ctx.say("fixed_estimates.typed_in", terms=", ".join(typed)))
    mistakes = ["missing_terms" * bool(absent), "extra_terms" * bool(extra), "wrong_values" * bool(wrong),
                "carried_forward" * bool(ecf), "typed_in" * bool(typed)]  # fmt: skip
    if not (absent or extra or wrong or ecf or typed):
        lines.append(ctx.say("fixed_estimates.all_agree", count=len(expected)))
    return result(part, part.points * score / (len(expected) + len(extra)), lines,
                  variable=variable, mistakes=mistakes)  # fmt: skip


def _verdict(ctx: Context, key: frozenset[str], observed: float, expected: float) -> str:
    """One estimate: right, right for the student's own fit ("ecf"), typed in, or wrong."""
    part = ctx.config.part("fixed_estimates")
    if within(observed, expected, atol=part.atol, rtol=part.rtol):
        return "right"
    own = _by_key(ctx.final.fe_params).get(key) if ctx.final is not None else None
    if own is not None and within(observed, own, atol=part.atol, rtol=part.rtol):
        if ctx.own_fit_at_optimum:
            return "right"  # their fit reached the optimum too: its estimates are as right as ours
        if ctx.own_fit_counts:
            return "ecf"
    original = ctx.original.solution if ctx.original is not None else None
    if original is not None:
        value = _by_key(original.final.fe_params).get(key)
        if (value is not None and distinguishable(part, value, expected)
                and within(observed, value, atol=part.atol, rtol=part.rtol)):  # fmt: skip
            return "typed_in"
    return "wrong"


def _estimate_lines(
    ctx: Context, absent: list[str], extra: list[str], wrong: list[str], ecf: list[str]
) -> list[str]:
    lines = []
    if absent:
        lines.append(ctx.say("fixed_estimates.missing_terms", terms=", ".join(absent)))
    if extra:
        lines.append(ctx.say("fixed_estimates.extra_terms", terms=", ".join(extra)))
    if wrong:
        lines.append(ctx.say("fixed_estimates.wrong_values", terms=", ".join(wrong)))
    if ecf:
        label = {1.0: "full", 0.5: "half"}.get(ctx.config.ecf_factor, "no")
        lines.append(ctx.say("fixed_estimates.ecf", terms=", ".join(ecf), credit=label))
    return lines


def in_model_names(values: Mapping[str, float], fit: FitAssessment) -> dict[str, float]:
    """A student's ``{name: value}`` under the spec's term names (their ``C(sector)[T.1.0]`` is
    the spec's ``sector``); names that are not their labels are kept as written."""
    terms = {term_key(label): term for term, label in fit.labels.items()}
    return {terms.get(term_key(name), name): value for name, value in values.items()}


def _shown(ctx: Context) -> Callable[[frozenset[str]], str]:
    """How a term is named in feedback: as the student named it, else as the model does."""
    fit = ctx.assessment
    labels = {term_key(t): label for t, label in fit.labels.items()} if fit is not None else {}
    return lambda key: labels.get(key, display(key))


def _reveal(ctx: Context, value: float) -> str:
    return f" (expected {fmt(value)})" if ctx.config.reveal_expected else ""


def _by_key(values: Mapping[str, float]) -> dict[frozenset[str], float]:
    return {term_key(k): float(v) for k, v in values.items()}


def check_effect_lists(ctx: Context) -> PartResult:
    part = ctx.config.part("effect_lists")
    fixed, random = ctx.located.get("fixed_effects"), ctx.located.get("random_effects")
    if fixed.value is None and random.value is None:
        return missing(part, ctx, "fixed_effects")
    if ctx.reference is None:
        return result(part, 0, [ctx.say("common.no_final")], status="error")
    labels = [f.label for f in (fixed, random) if f.value is not None]
    lines = [ctx.say("effect_lists.checked", answers=" and ".join(dict.fromkeys(labels)))]
    expected_fixed = {term_key(n) for n in ctx.reference.final.fe_params}
    names = ctx.reference.final.cov_re_names
    expected_random = {term_key(n) for n in names}
    half = part.points / 2
    score_f, lines_f = _judge_list(ctx, fixed, expected_fixed, "fixed", half, set())
    score_r, lines_r = _judge_list(ctx, random, expected_random, "random", half, {RESIDUAL})
    mistakes = ["fixed_list" * (score_f < half), "random_list" * (score_r < half)]
    where = ", ".join(dict.fromkeys(f.where for f in (fixed, random) if f.where)) or None
    return result(part, score_f + score_r, lines + lines_f + lines_r, mistakes=mistakes,
                  variable=where)  # fmt: skip


def _judge_list(
    ctx: Context,
    found: Found,
    expected: set[frozenset[str]],
    which: str,
    points: float,
    optional: set[frozenset[str]],
) -> tuple[float, list[str]]:
    name = f"{which}_effects"
    names = names_of(found.value)
    if isinstance(names, Invalid):
        if names.reason == "missing":
            return 0.0, missing_lines(ctx, name)
        return 0.0, [ctx.say("common.invalid", **stated(found, "?"), reason=names.reason,
                             wanted="a list of names")]  # fmt: skip
    said = read_list(ctx, name, found, names)
    names = tuple(effect_term(ctx, n) for n in names)
    if ctx.assessment is not None:
        names = tuple(in_model_names(dict.fromkeys(names, 0.0), ctx.assessment))
    written = {_spelled(term_key(n), expected): n.strip() for n in reversed(names)}
    given = set(written) - optional
    absent = [display(k) for k in expected - given]
    # a name no term can be read from (only symbols) is shown as written, never as ""
    extra = [t for t in (display(k) or written[k] for k in given - expected) if t]
    lines = [said] if said else []
    if absent:
        lines.append(ctx.say(f"effect_lists.{which}_missing", terms=", ".join(sorted(absent))))
    if extra:
        lines.append(ctx.say(f"effect_lists.{which}_extra", terms=", ".join(sorted(extra))))
    return (0.0 if absent or extra else points), lines


def _spelled(key: frozenset[str], expected: set[frozenset[str]]) -> frozenset[str]:
    """The expected term a name spells without its underscores (``log(size)`` for log_size)."""
    squashed = frozenset(k.replace("_", "") for k in key)
    found = [e for e in expected if frozenset(k.replace("_", "") for k in e) == squashed]
    return found[0] if len(found) == 1 else key
