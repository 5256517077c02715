"""Assessing the student's final model: the gap to the optimum is measured, never taken on trust."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from grader.answers.models import StudentModel, to_model
from grader.judge.assess import check_optimum, read_spec
from tests.grader.helpers import SEED_FINAL_DEFAULT, SEED_FINAL_OPTIMUM, num

LME4_OPTIMUM = -23139.4984  # DOMAIN.md: lme4's ML log-likelihood of the seed's final model
TOLERANCE = 0.05


def model_claiming(record: dict[str, object], llf: float) -> StudentModel:
    model = to_model("final", {**record, "llf": num(llf)})
    assert isinstance(model, StudentModel)
    return model


@pytest.mark.parametrize("claimed", [1e6, LME4_OPTIMUM + 1.0, math.nan, math.inf, -math.inf])
def test_a_short_fit_claiming_an_impossible_likelihood_is_judged_by_its_estimates(
    hsb: pd.DataFrame, claimed: float
) -> None:
    # Was: a notebook that patched MixedLMResults.llf (to 1e6, or to nan) was "at the optimum".
    model = model_claiming(SEED_FINAL_DEFAULT, claimed)
    fit = check_optimum(read_spec(model), model, LME4_OPTIMUM, hsb, TOLERANCE)
    assert fit.short
    assert not fit.genuine
    assert fit.gap == pytest.approx(4.8, abs=0.1)  # the default fit's real shortfall


def test_optimal_estimates_with_a_non_finite_llf_still_reach_the_optimum(hsb: pd.DataFrame) -> None:
    # lbfgs can report llf = -inf at a good point: the estimates decide, not the flag.
    model = model_claiming(SEED_FINAL_OPTIMUM, -math.inf)
    fit = check_optimum(read_spec(model), model, LME4_OPTIMUM, hsb, TOLERANCE)
    assert not fit.short


def test_an_honest_short_fit_is_short_and_genuine(hsb: pd.DataFrame) -> None:
    model = model_claiming(SEED_FINAL_DEFAULT, -23144.2992)
    fit = check_optimum(read_spec(model), model, LME4_OPTIMUM, hsb, TOLERANCE)
    assert fit.short and fit.genuine
    assert fit.gap == pytest.approx(4.8008, abs=1e-3)
