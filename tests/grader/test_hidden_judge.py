"""Judging on a hidden-data copy, no kernel: typed-in answers are named, computed ones pass.

The typed-in numbers are the seed student's on the real file (lme4's, DOMAIN.md); the "computed"
ones are what a notebook gets on the copy, i.e. the copy's optimum.
"""

from __future__ import annotations

import pandas as pd
import pytest

from grader.answers.submission import parse_answers
from grader.assignment import load_config
from grader.judge.engine import judge
from reference.data.files import read_raw, tidy
from reference.data.perturb import perturb
from reference.model.spec import make_spec
from reference.quantities import solve
from tests.grader.helpers import SEED_UNCONDITIONAL, answers_file, mapping, model, num
from tests.hlm import HLM

CONFIG = load_config()
FORMULA = "mathach ~ ses + meanses + pracad + minority + female"
TYPED_IN = {  # lme4 on the real file (DOMAIN.md)
    "icc": num(0.1793),
    "aic_change": num(-822.81),
    "residual_variance_change": num(0.0884),
    "forecast": num(8.269),
    "fixed_estimates": mapping({"Intercept": 11.80175, "ses": 1.88795, "meanses": 1.13019,
                                "pracad": 4.38578, "minority": -2.94470, "female": -1.23279}),
}  # fmt: skip
NUMERIC = tuple(TYPED_IN)


@pytest.fixture(scope="module")
def copy() -> pd.DataFrame:
    return tidy(perturb(read_raw(HLM.dataset), HLM.dataset, seed=3), HLM.dataset)


@pytest.fixture(scope="module")
def computed(copy: pd.DataFrame) -> tuple[dict, dict]:
    """The answers and fitted models a notebook that computes everything has on the copy."""
    solution = solve(make_spec(FORMULA, "~ minority"), copy)
    fit, unc = solution.final, solution.unconditional
    final = model(FORMULA, dict(fit.fe_params), [list(r) for r in fit.cov_re], fit.scale, fit.llf,
                  fit.aic, re_names=("Group", "minority"))  # fmt: skip
    unconditional = model("mathach ~ 1", dict(unc.fe_params), [list(r) for r in unc.cov_re],
                          unc.scale, unc.llf, unc.aic)  # fmt: skip
    answers = {
        "icc": num(solution.icc),
        "aic_change": num(solution.aic_change),
        "residual_variance_change": num(solution.residual_variance_change),
        "forecast": num(solution.forecast),
        "fixed_estimates": mapping(dict(fit.fe_params)),
    }
    return answers, {"unconditional": unconditional, "final": final}


def grade(answers: dict, models: dict, data: pd.DataFrame) -> dict:
    parts, _ = judge(
        parse_answers(answers_file(answers, models)), assignment=HLM.with_grading(CONFIG), data=data
    )
    return {p.id: p for p in parts}


def test_answers_typed_in_from_the_real_file_are_called_typed_in(
    copy: pd.DataFrame, computed: tuple[dict, dict]
) -> None:
    _, models = computed
    parts = grade(TYPED_IN, models, copy)
    for part_id in NUMERIC:
        assert parts[part_id].score == 0, parts[part_id]
        assert "typed_in" in parts[part_id].mistakes, parts[part_id]
        assert "typed in" in parts[part_id].feedback
    assert parts["final_model"].score == parts["final_model"].max_score  # fitted on the copy


def test_answers_computed_on_the_copy_pass(copy: pd.DataFrame, computed: tuple[dict, dict]) -> None:
    answers, models = computed
    parts = grade(answers, models, copy)
    for part_id in NUMERIC:
        assert parts[part_id].status == "passed", parts[part_id]
        assert not parts[part_id].mistakes


def test_on_the_real_file_the_same_typed_in_answers_pass(hsb: pd.DataFrame) -> None:
    # Why hidden data exists: typed-in numbers are right on the file everybody has.
    from tests.grader.helpers import SEED_FINAL_OPTIMUM

    parts = grade(TYPED_IN, {"unconditional": SEED_UNCONDITIONAL, "final": SEED_FINAL_OPTIMUM}, hsb)
    for part_id in NUMERIC:
        assert parts[part_id].status == "passed", parts[part_id]


def test_printed_text_that_mimics_answers_is_caught_as_typed_in(
    copy: pd.DataFrame, computed: tuple[dict, dict]
) -> None:
    # A notebook that just prints the real file's numbers: its fresh output on the copy is the same
    # text, so the number read from it is typed in, exactly like a typed-in variable.
    import dataclasses

    from tests.grader.answers.text_helpers import code, md, text

    _, models = computed
    printed = text(
        md("The ICC is 0.1793."),  # the prose: written about the real file, never compared here
        code('print("ICC: 0.1793")', "ICC: 0.1793\n"),
        code('print("Change in AIC: -822.81")', "Change in AIC: -822.81\n"),
    )
    sub = dataclasses.replace(parse_answers(answers_file({}, models)), notebook=printed)
    parts = {p.id: p for p in judge(sub, assignment=HLM.with_grading(CONFIG), data=copy)[0]}
    for part_id in ("icc", "aic_change"):
        assert parts[part_id].score == 0 and "typed_in" in parts[part_id].mistakes, parts[part_id]
        assert "We read your" in parts[part_id].feedback
    assert "Your text" not in parts["icc"].feedback
