"""A student's model read by its values, from the kernel's extraction to the judge's verdicts.

The answers are produced by running the real extraction source on real statsmodels fits (in this
process: no kernel), in the spellings students use. Expected values are lme4's (DOMAIN.md and
``scripts/lme4_truth.txt``); verdicts are what the grading policy says for a correct notebook.
"""

from __future__ import annotations

import base64
import json
import warnings
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from grader.answers.cell import kernel_source
from grader.answers.design import read_design
from grader.answers.submission import parse_answers
from grader.assignment import load_config
from grader.judge.engine import judge
from tests.grader.helpers import num
from tests.hlm import HLM

# lme4: the seed's model at its optimum, and the unconditional model (DOMAIN.md).
SEED = {"Intercept": 11.80175, "ses": 1.88795, "meanses": 1.13019, "pracad": 4.38578,
        "minority": -2.94470, "female": -1.23279}  # fmt: skip
AIC_CHANGE, SIGMA2_CHANGE, FORECAST = -822.81, 0.0884, 8.269


def extract(namespace: dict[str, Any], tmp_path: Path) -> bytes:
    module: dict[str, Any] = {"__name__": "_hlm_extract"}
    exec(compile(kernel_source(), "hlm_extract", "exec"), module)  # our own source
    path = tmp_path / "answers.json"
    module["extract"](namespace, str(path), [])
    return path.read_bytes()


def best_fit(model: Any) -> Any:
    """The assignment's recipe: several optimizers, keep the highest log-likelihood."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = [model.fit(reml=False, method=m) for m in ("lbfgs", "powell", "nm")]
    return max(fits, key=lambda f: f.llf)


def with_answers(raw: bytes, **numbers: float) -> bytes:
    doc = json.loads(raw)
    doc["answers"].update({k: num(v) for k, v in numbers.items()})
    return json.dumps(doc).encode()


def parts(raw: bytes, hsb: pd.DataFrame) -> dict[str, Any]:
    results, _notes = judge(
        parse_answers(raw), assignment=HLM.with_grading(load_config()), data=hsb
    )
    return {p.id: p for p in results}


@pytest.mark.slow
def test_seed_model_in_capitals_grouped_by_name_is_graded_like_the_template(
    hsb: pd.DataFrame, tmp_path: Path
) -> None:
    import statsmodels.formula.api as smf

    upper = hsb.rename(columns=str.upper)
    unconditional = best_fit(smf.mixedlm("MATHACH ~ 1", upper, groups="SCHOOL"))
    final = best_fit(smf.mixedlm("MATHACH ~ SES + MEANSES + PRACAD + MINORITY + FEMALE", upper,
                                 groups="SCHOOL", re_formula="~MINORITY"))  # fmt: skip
    raw = extract({"unconditional": unconditional, "final": final}, tmp_path)
    raw = with_answers(raw, aic_change=AIC_CHANGE, residual_variance_change=SIGMA2_CHANGE,
                       forecast=FORECAST)  # fmt: skip
    doc = json.loads(raw)
    doc["answers"]["fixed_estimates"] = {
        "type": "mapping", "pytype": "dict",
        "items": [[k.upper() if k != "Intercept" else k, num(v)] for k, v in SEED.items()],
    }  # fmt: skip
    graded = parts(json.dumps(doc).encode(), hsb)
    for part in ("final_model", "fixed_estimates", "aic_change", "residual_variance_change",
                 "forecast"):  # fmt: skip
        assert graded[part].status == "passed", (part, graded[part].feedback)


@pytest.mark.slow
def test_derived_variables_and_the_array_api_are_judged_against_their_own_model(
    hsb: pd.DataFrame, tmp_path: Path
) -> None:
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    df = hsb.copy()
    df["ses_c"] = df["ses"] - df.groupby("school")["ses"].transform("mean")
    df["mean_ses"] = df.groupby("school")["ses"].transform("mean")
    final = best_fit(smf.mixedlm("mathach ~ ses_c + mean_ses + C(sector)", df, groups="school",
                                 re_formula="~ses_c"))  # fmt: skip
    exog = sm.add_constant(df[["ses_c", "mean_ses", "sector"]].to_numpy())
    arrays = best_fit(sm.MixedLM(df["mathach"].to_numpy(), exog, groups=df["school"].to_numpy(),
                                 exog_re=sm.add_constant(df[["ses_c"]].to_numpy())))  # fmt: skip
    # lme4 (scripts/lme4_truth.txt, derived_centred): AIC 46554.143 against 47121.810.
    lme4_aic_change = 46554.143 - 47121.810
    for model in (final, arrays):
        raw = extract({"final": model}, tmp_path)
        graded = parts(with_answers(raw, aic_change=lme4_aic_change), hsb)
        assert graded["final_model"].status == "passed", graded["final_model"].feedback
        assert graded["aic_change"].status == "passed", graded["aic_change"].feedback
    assert "`C(sector)[T.1.0]` is sector" in graded_feedback(final, tmp_path, hsb)


def graded_feedback(model: Any, tmp_path: Path, hsb: pd.DataFrame) -> str:
    return parts(extract({"final": model}, tmp_path), hsb)["final_model"].feedback


def test_vc_formula_random_intercept_counts_as_grouped_by_school(
    hsb: pd.DataFrame, tmp_path: Path
) -> None:
    import statsmodels.formula.api as smf

    df = hsb.assign(one=1)
    model = smf.mixedlm("mathach ~ ses + meanses + sector", df, groups="one",
                        vc_formula={"school": "0 + C(school)"})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit(reml=False)
    graded = parts(extract({"final": fitted}, tmp_path), hsb)
    feedback = graded["final_model"].feedback
    assert "groups" not in feedback.lower() or "school" in feedback.lower()
    assert graded["final_model"].status in {"passed", "partial"}, feedback
    assert "could not be used" not in feedback


# --- the design as untrusted data -----------------------------------------------------------------


def packed(values: np.ndarray) -> str:
    return base64.b64encode(zlib.compress(values.astype("<f8").tobytes())).decode()


@pytest.mark.parametrize(
    ("pool", "reason"),
    [
        ({"e": "%%%not base64"}, "not readable"),
        ({"e": base64.b64encode(zlib.compress(b"\0" * 10**6)).decode()}, "wrong length"),
        ({"e": packed(np.array([1.0, np.nan, 3.0]))}, "not finite"),
        ({}, "missing"),
    ],
)
def test_a_damaged_design_is_a_reason_not_an_error(pool: dict[str, str], reason: str) -> None:
    record = {"n": 3, "endog": "e", "exog": [], "exog_names": [], "exog_re": [], "groups": "e",
              "vc": []}  # fmt: skip
    result = read_design(record, pool, reml=False)
    assert isinstance(result, str) and reason in result


@pytest.mark.slow
def test_a_boundary_optimum_reached_as_closely_as_statsmodels_can_is_not_short(
    hsb: pd.DataFrame, tmp_path: Path
) -> None:
    """lme4's optimum of this model is singular (scripts/lme4_truth.txt, two_slopes_boundary:
    -23169.9529, theta[6] = 0); statsmodels' best method stops just below it."""
    import statsmodels.formula.api as smf

    model = smf.mixedlm("mathach ~ minority + cses + meanses + sector", hsb, groups="school",
                        re_formula="~minority + cses")  # fmt: skip
    graded = parts(extract({"final": best_fit(model)}, tmp_path), hsb)["final_model"]
    assert graded.status == "passed", graded.feedback
    assert "lies on the boundary" in graded.feedback


def test_a_forecast_with_a_schools_random_effects_added_is_named(hsb: pd.DataFrame) -> None:
    """The student's answer is built with statsmodels' own BLUPs of school 1224 at lme4's
    optimum (DOMAIN.md): fixed part 8.269 + u0j + u1j·minority (minority = 1)."""
    import statsmodels.formula.api as smf

    from tests.grader.helpers import SEED_FINAL_OPTIMUM, SEED_UNCONDITIONAL, answers_file

    model = smf.mixedlm("mathach ~ ses + meanses + pracad + minority + female", hsb,
                        groups=hsb["school"], re_formula="~minority")  # fmt: skip
    t = np.array([[1.37873, 0.05253], [0.05253, 1.67347]]) / 35.68694
    theta = np.linalg.cholesky(t)[np.tril_indices(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        at_optimum = model.fit(start_params=theta, reml=False, method="lbfgs", maxiter=0)
    u = at_optimum.random_effects[1224].to_numpy()
    fixed = float(at_optimum.fe_params @ np.array([1, 0, -0.4, 0.25, 1, 1]))
    raw = answers_file(
        answers={"forecast": num(fixed + u[0] + u[1])},
        models={"unconditional": SEED_UNCONDITIONAL, "final": SEED_FINAL_OPTIMUM},
    )
    graded = parts(raw, hsb)["forecast"]
    assert "forecast_random_effect" in graded.mistakes and "school 1224" in graded.feedback
    assert graded.score == pytest.approx(0.5 * graded.max_score)
