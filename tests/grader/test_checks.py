"""Checks judged on answer dicts, no kernel. Expected numbers come from lme4 and DOMAIN.md (or hand
calculation from the seed student's printed output), never from the code under test."""

from __future__ import annotations

import dataclasses

import pytest

from grader.answers.submission import parse_answers
from grader.assignment import load_config
from grader.assignment.config import GradingConfig
from grader.judge.engine import judge
from grader.report.values import PartResult
from tests.grader.helpers import (
    SEED_FINAL_DEFAULT,
    SEED_FINAL_OPTIMUM,
    SEED_UNCONDITIONAL,
    answers_file,
    mapping,
    model,
    names,
    num,
)
from tests.hlm import HLM

CONFIG = load_config()


def grade(answers=None, models=None, scalars=None, config: GradingConfig = CONFIG, *, data):
    parts, notes = judge(
        parse_answers(answers_file(answers, models, scalars)),
        assignment=HLM.with_grading(config),
        data=data,
    )
    return {p.id: p for p in parts}, notes


def optimum(answers, hsb, **kwargs):
    models = {"unconditional": SEED_UNCONDITIONAL, "final": SEED_FINAL_OPTIMUM}
    return grade(answers, models, data=hsb, **kwargs)[0]


def default_fit(answers, hsb, **kwargs):
    models = {"unconditional": SEED_UNCONDITIONAL, "final": SEED_FINAL_DEFAULT}
    return grade(answers, models, data=hsb, **kwargs)[0]


def full(part: PartResult) -> bool:
    return part.status == "passed" and part.score == part.max_score


# ICC: ML 0.1793, REML 0.1804 (lme4); inverted 1 - 0.1793 = 0.8207.
@pytest.mark.parametrize("value", [0.1793, 0.179, 0.18])
def test_icc_rounded_to_three_decimals_passes(value, hsb):
    assert full(optimum({"icc": num(value)}, hsb)["icc"])


def test_icc_from_reml_is_accepted_and_named(hsb):
    part = optimum({"icc": num(0.1804)}, hsb)["icc"]
    assert full(part) and "REML" in part.feedback and part.mistakes == ("icc_reml",)


def test_inverted_icc_is_named(hsb):
    part = optimum({"icc": num(0.8207)}, hsb)["icc"]
    assert part.score == 0 and "within" in part.feedback and "icc_inverted" in part.mistakes


def test_icc_as_percentage_gets_half(hsb):
    part = optimum({"icc": num(17.93)}, hsb)["icc"]
    assert part.status == "partial" and part.score == 5 and "proportion" in part.feedback


def test_self_check_never_reveals_the_expected_value(hsb):
    part = optimum({"icc": num(0.25)}, hsb)["icc"]
    assert part.score == 0 and "0.179" not in part.feedback and "0.18" not in part.feedback


def test_instructors_may_reveal_expected_values(hsb):
    config = dataclasses.replace(CONFIG, reveal_expected=True)
    part = optimum({"icc": num(0.25)}, hsb, config=config)["icc"]
    assert "Expected 0.179" in part.feedback


@pytest.mark.parametrize(
    "enc, phrase",
    [
        ({"type": "string", "value": "high"}, "string"),
        ({"type": "none"}, "None"),
        ({"type": "unsupported", "pytype": "__main__.Liar"}, "Liar"),
        (num(float("nan")), "not a finite number"),
    ],
)
def test_unusable_icc_values_say_what_was_found(enc, phrase, hsb):
    part = optimum({"icc": enc}, hsb)["icc"]
    assert part.score == 0 and phrase in part.feedback


def test_missing_answers_say_which_variable_to_set(hsb):
    parts, _ = grade(data=hsb)
    assert parts["icc"].status == "missing" and "`icc`" in parts["icc"].feedback
    assert parts["final_model"].status == "missing" and "`final`" in parts["final_model"].feedback
    assert all(p.score == 0 for p in parts.values())


# The seed's model at lme4's optimum: AIC change -822.81, level-1 change 0.0884, forecast 8.269.
def test_answers_at_the_optimum_get_full_marks(hsb):
    parts = optimum(
        {
            "aic_change": num(-822.81),
            "residual_variance_change": num(0.0884),
            "forecast": num(8.269),
            "fixed_estimates": mapping({"(Intercept)": 11.802, "ses": 1.888, "meanses": 1.130,
                                        "pracad": 4.386, "minority": -2.945, "female": -1.233}),
            "fixed_effects": names("Intercept", "ses", "meanses", "pracad", "minority", "female"),
            "random_effects": names("Intercept", "minority", "Residual"),
        },
        hsb,
    )  # fmt: skip
    for part_id in ("final_model", "aic_change", "residual_variance_change", "forecast",
                    "fixed_estimates", "effect_lists"):  # fmt: skip
        assert full(parts[part_id]), parts[part_id].feedback


def test_aic_change_sign_reversed(hsb):
    part = optimum({"aic_change": num(822.81)}, hsb)["aic_change"]
    # grading.toml: a reversed sign earns half the points ([credit] aic_sign).
    assert part.score == 5 and "sign" in part.feedback


def test_aic_change_nan_from_reml(hsb):
    part = optimum({"aic_change": num(float("nan"))}, hsb)["aic_change"]
    assert part.score == 0 and "reml=False" in part.feedback


def test_residual_change_from_tau00_is_named(hsb):
    # (8.55346 - 1.37873) / 8.55346 = 0.8388 (lme4's τ00 of both models)
    part = optimum({"residual_variance_change": num(0.8388)}, hsb)["residual_variance_change"]
    assert part.score == 0 and "τ00" in part.feedback


def test_residual_change_sign_reversed(hsb):
    part = optimum({"residual_variance_change": num(-0.0884)}, hsb)["residual_variance_change"]
    assert part.score == 2.5 and "sign" in part.feedback  # [credit] variance_sign = 0.5


def test_forecast_that_drops_a_term_names_it(hsb):
    # 8.269 - 4.38578 * 0.25 = 7.1725: pracad left out
    part = optimum({"forecast": num(7.1725)}, hsb)["forecast"]
    assert part.score == 5 and "`pracad`" in part.feedback  # [credit] forecast_dropped_term


# The seed's own default fit: 4.80 log-lik short; its answers follow from that fit.
# By hand from its printout: AIC 46308.5983 - 47121.8102 = -813.2119;
# (39.1483 - 35.4463) / 39.1483 = 0.0946; forecast 11.9452 - 0.4*1.2356 + 0.25*4.0973
# - 2.9647 - 1.2308 = 8.2798.
SEED_OWN = {
    "aic_change": num(-813.2119),
    "residual_variance_change": num(0.0946),
    "forecast": num(8.2798),
}


def test_a_fit_short_of_the_optimum_costs_points_once(hsb):
    parts = default_fit(SEED_OWN, hsb)
    final = parts["final_model"]
    assert final.score == 10 and "4.80" in final.feedback and "short_of_optimum" in final.mistakes
    for part_id in SEED_OWN:
        assert full(parts[part_id]) and "your own fit" in parts[part_id].feedback


def test_error_carried_forward_policy_none(hsb):
    config = dataclasses.replace(CONFIG, error_carried_forward="none")
    parts = default_fit(SEED_OWN, hsb, config=config)
    assert all(parts[p].score == 0 for p in SEED_OWN)


def test_error_carried_forward_policy_half(hsb):
    config = dataclasses.replace(CONFIG, error_carried_forward="half")
    parts = default_fit(SEED_OWN, hsb, config=config)
    assert all(parts[p].score == parts[p].max_score / 2 for p in SEED_OWN)


def test_typed_in_model_numbers_earn_no_carried_forward_credit(hsb):
    fake = model(
        "mathach ~ ses + meanses + pracad + minority + female",
        {"Intercept": 12.0, "ses": 1.9, "meanses": 1.2, "pracad": 4.0, "minority": -3.0,
         "female": -1.2},
        [[1.7, 0.8], [0.8, 3.1]], 35.0, -23150.0, 46320.0, re_names=("Group", "minority"),
    )  # fmt: skip
    parts, _ = grade({"forecast": num(8.2)}, {"final": fake}, data=hsb)
    assert parts["forecast"].score == 0
    assert "not a point of its likelihood" in parts["final_model"].feedback


# A genuine point of the seed's model 0.039 log-likelihood units below lme4's optimum (-23139.4984),
# i.e. within the 0.05 optimum tolerance: the profiled β and σ² at lme4's θ with θ[2] shrunk by 6%
# (the likelihood is that flat there). Its pracad is 0.0145 from lme4's 4.38578, beyond ±0.01.
NEAR_OPTIMUM = model(
    "mathach ~ ses + meanses + pracad + minority + female",
    {"Intercept": 11.795034, "ses": 1.890045, "meanses": 1.120783, "pracad": 4.400305,
     "minority": -2.938490, "female": -1.231998},
    [[1.379547, 0.052566], [0.052566, 1.479786]], 35.708138, -23139.5372, 46299.07,
    re_names=("Group", "minority"),
)  # fmt: skip
NEAR_ESTIMATES = {
    "fixed_estimates": mapping({"Intercept": 11.7950, "ses": 1.8900, "meanses": 1.1208,
                                "pracad": 4.4003, "minority": -2.9385, "female": -1.2320}),
}  # fmt: skip


def test_a_fit_within_the_optimum_tolerance_earns_full_marks_for_its_own_estimates(hsb):
    # Was: final_model passed (0.039 < 0.05 short) yet pracad failed ±0.01 against lme4's optimum;
    # on hidden data the solution's own best-of-six fit lost points this way on a third of seeds.
    parts, _ = grade(NEAR_ESTIMATES, {"unconditional": SEED_UNCONDITIONAL, "final": NEAR_OPTIMUM},
                     data=hsb)  # fmt: skip
    assert full(parts["final_model"]), parts["final_model"]
    assert full(parts["fixed_estimates"]), parts["fixed_estimates"]
    assert "carried_forward" not in parts["fixed_estimates"].mistakes


def test_numbers_of_a_claimed_near_optimum_that_is_not_a_point_of_the_likelihood_still_fail(hsb):
    # Same claimed llf and estimates, but a τ11 that does not go with them: not their fit's numbers.
    fake = dict(NEAR_OPTIMUM, cov_re=[[num(x) for x in row] for row in [[1.0, 0.0], [0.0, 3.0]]])
    parts, _ = grade(NEAR_ESTIMATES, {"unconditional": SEED_UNCONDITIONAL, "final": fake}, data=hsb)
    assert parts["fixed_estimates"].score < parts["fixed_estimates"].max_score
    assert "pracad" in parts["fixed_estimates"].feedback


def test_final_model_rules(hsb):
    two = model("mathach ~ ses + meanses", {"Intercept": 12.6, "ses": 2.2, "meanses": 3.0},
                [[2.0]], 37.0, -23200.0, 46410.0)  # fmt: skip
    part = grade(models={"final": two}, data=hsb)[0]["final_model"]
    assert part.score < part.max_score and "at least three predictors" in part.feedback


def test_final_model_fitted_by_reml_loses_a_third(hsb):
    reml = dict(SEED_FINAL_OPTIMUM, method="REML")
    part = grade(models={"final": reml}, data=hsb)[0]["final_model"]
    assert part.score == 10 and "reml=False" in part.feedback


def test_final_model_grouped_by_student_gets_nothing(hsb):
    wrong = dict(SEED_FINAL_OPTIMUM, n_groups=7185)
    part = grade(models={"final": wrong}, data=hsb)[0]["final_model"]
    assert part.score == 0 and "grouped by school" in part.feedback


def test_fixed_estimates_partial_credit_names_the_wrong_terms(hsb):
    estimates = {"Intercept": 11.802, "ses": 1.888, "meanses": 1.5, "pracad": 4.386,
                 "minority": -2.945}  # fmt: skip
    part = optimum({"fixed_estimates": mapping(estimates)}, hsb)["fixed_estimates"]
    assert part.status == "partial" and "meanses" in part.feedback and "female" in part.feedback


def test_effect_lists_missing_random_intercept(hsb):
    answers = {
        "fixed_effects": names("(Intercept)", "female", "minority", "pracad", "meanses", "ses"),
        "random_effects": names("minority"),
    }
    part = optimum(answers, hsb)["effect_lists"]
    assert part.score == part.max_score / 2 and "Intercept" in part.feedback


def test_seed_style_names_are_found_and_reported(hsb):
    models = {"unconditional_model_results": SEED_UNCONDITIONAL,
              "final_model_results": SEED_FINAL_DEFAULT}  # fmt: skip
    scalars = {"icc": 0.1793, "variance_change": 0.0946, "forecast_value": 8.2798}
    parts, notes = grade(models=models, scalars=scalars, data=hsb)
    assert full(parts["residual_variance_change"]) and full(parts["forecast"])
    assert any("final_model_results" in n for n in notes)
    assert any("variance_change" in n for n in notes)


def test_later_parts_are_judged_for_a_model_that_breaks_the_rules(hsb):
    two = model("mathach ~ ses + meanses", {"Intercept": 12.6, "ses": 2.2, "meanses": 3.0},
                [[2.0]], 37.0, -23200.0, 46410.0)  # fmt: skip
    parts, _ = grade({"forecast": num(99.0)}, {"final": two}, data=hsb)
    assert (
        parts["forecast"].status == "failed" and "own final model" not in parts["forecast"].feedback
    )


def test_a_model_with_linearly_dependent_terms_is_explained_not_a_traceback(hsb):
    # ses = cses + meanses exactly in this data, so the three together cannot be estimated
    dependent = model("mathach ~ ses + cses + meanses", {"Intercept": 12.6, "ses": 2.2,
                      "cses": 0.1, "meanses": 3.0}, [[2.0]], 37.0, -23200.0, 46410.0)  # fmt: skip
    parts, _ = grade({"forecast": num(9.0)}, {"final": dependent}, data=hsb)
    assert parts["final_model"].score == 0 and "cses" in parts["final_model"].feedback
    assert parts["forecast"].status == "error"


def test_a_bug_in_one_check_costs_that_part_alone(hsb, monkeypatch):
    from grader.judge import engine

    def broken(ctx):
        raise TypeError("unsupported operand")

    monkeypatch.setitem(engine.CHECKS, "aic_change", broken)
    parts = optimum({"aic_change": num(-822.81), "forecast": num(8.269)}, hsb)
    assert parts["aic_change"].status == "error" and "TypeError" in parts["aic_change"].feedback
    assert "grader itself" in parts["aic_change"].feedback
    assert full(parts["forecast"])


def test_a_bug_while_building_the_context_still_gives_a_report(hsb, monkeypatch):
    from grader.judge import engine

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(engine, "build_context", broken)
    parts, notes = engine.judge(
        parse_answers(answers_file()), assignment=HLM.with_grading(CONFIG), data=hsb
    )
    assert len(parts) == 10 and all(p.status == "error" for p in parts)
    assert "KeyError" in notes[0]
