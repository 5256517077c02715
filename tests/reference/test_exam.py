"""The Exam assignment's data and reference, against lme4: a second assignment, from its files alone.

Truth values: lme4 1.1.31 (Matrix 1.5.3, R 4.2.2), from ``Rscript scripts/lme4_exam.R`` (output in
``scripts/lme4_exam.txt``), copied here by hand: the best of nloptwrap, bobyqa and Nelder_Mead.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reference.data import dataset_of, load_data, load_dataset, school_level_columns
from reference.data.files import read_raw, tidy
from reference.data.perturb import perturb
from reference.fitting.cache import cached_fit
from reference.fitting.result import FitResult
from reference.model.spec import make_spec, solution_spec, unconditional
from reference.quantities import forecast_from, solve

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "assignments" / "exam" / "data" / "exam.csv"

# lme4 (scripts/lme4_exam.txt): formula, re_formula, REML?, loglik, fixef, T (lower triangle), σ².
LME4 = {
    "unconditional": ("normexam ~ 1", "1", False, -5505.3245, {"Intercept": -0.01316706726},
                      ((0.1686389315,),), 0.8477605054),
    "unconditional_reml": ("normexam ~ 1", "1", True, -5507.3273, {"Intercept": -0.01325213154},
                           ((0.1715994717,),), 0.8477576807),
    "intercept": ("normexam ~ standlrt + sex + schavg + type", "1", False, -4657.7129,
                  {"Intercept": -0.1564298013, "standlrt": 0.555903127, "sex": 0.1617278042,
                   "schavg": 0.3457623516, "type": 0.166236231},
                  ((0.0663661807,),), 0.5624481904),
    "slope_cross": ("normexam ~ standlrt + sex + schavg + standlrt:schavg", "~standlrt", False,
                    -4637.0207,
                    {"Intercept": -0.106310059, "standlrt": 0.5546574476, "sex": 0.1731890938,
                     "schavg": 0.3568083651, "standlrt:schavg": 0.1642421104},
                    ((0.07057090345, 0.01162282624), (0.01162282624, 0.0115498553)),
                    0.5502337375),
    "slope_vr": ("normexam ~ standlrt + sex + vr", "~standlrt", False, -4642.2745,
                 {"Intercept": -0.3061854084, "standlrt": 0.5503030805, "sex": 0.1720049588,
                  "vr": 0.09565863246},
                 ((0.07691120369, 0.01481055742), (0.01481055742, 0.01484763028)), 0.5500323789),
}  # fmt: skip
AIC = {"unconditional": 11016.649, "slope_cross": 9292.041}
# Measured: log-likelihoods within 5e-5 (lme4 prints 4 decimals), fixed effects within 2e-7,
# variance components within 2e-6 relative.
LLF_ATOL, FE_ATOL, VC_RTOL = 1e-4, 1e-6, 1e-5


@pytest.fixture(scope="module")
def exam() -> pd.DataFrame:
    return load_data("exam")


@pytest.fixture(scope="module")
def fits(exam: pd.DataFrame) -> dict[str, FitResult]:
    out = {}
    for name, (formula, re_formula, reml, *_) in LME4.items():
        out[name] = cached_fit(make_spec(formula, re_formula, reml=reml), exam)
    return out


def test_the_committed_file_is_what_the_build_script_makes_from_mlmrev(tmp_path: Path) -> None:
    location = ROOT / "scripts" / "build_exam.py"
    spec = importlib.util.spec_from_file_location("build_exam", location)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(tmp_path / "exam.csv")])
    assert (tmp_path / "exam.csv").read_bytes() == DATA.read_bytes()


def test_the_data_reads_as_the_assignment_describes_it(exam: pd.DataFrame) -> None:
    # mlmRev's Exam: 4,059 students in 65 schools; schavg is the school mean of standLRT.
    assert exam.shape == (4059, 10) and exam["school"].nunique() == 65
    assert dataset_of(exam).response == "normexam" and dataset_of(exam).group == "school"
    assert sorted(school_level_columns(exam)) == ["schavg", "schgend", "type", "vr"]
    means = exam.groupby("school")["standlrt"].transform("mean")
    assert np.allclose(means, exam["schavg"], atol=1e-6)
    assert set(exam["sex"]) == {0, 1} and set(exam["schgend"]) == {1, 2, 3}


@pytest.mark.parametrize("name", list(LME4))
def test_fits_match_lme4(fits: dict[str, FitResult], name: str) -> None:
    _, _, _, llf, fixef, tau, sigma2 = LME4[name]
    fit = fits[name]
    assert abs(fit.llf - llf) <= LLF_ATOL, (fit.llf, llf)
    assert dict.fromkeys(fit.fe_params) == dict.fromkeys(fixef)
    for term, value in fixef.items():
        assert abs(fit.fe_params[term] - value) <= FE_ATOL, (term, fit.fe_params[term], value)
    assert fit.scale == pytest.approx(sigma2, rel=VC_RTOL)
    assert np.allclose(fit.cov_re, tau, rtol=VC_RTOL, atol=1e-6)


def test_the_solution_matches_lme4_by_hand(exam: pd.DataFrame) -> None:
    solution = solve(solution_spec(load_dataset("exam")), exam)
    (_, _, _, _, _, ((tau00,),), sigma2) = LME4["unconditional"]
    assert solution.icc == pytest.approx(tau00 / (tau00 + sigma2), abs=1e-5)  # 0.1659
    assert solution.aic_change == pytest.approx(AIC["slope_cross"] - AIC["unconditional"], abs=2e-3)
    assert solution.residual_variance_change == pytest.approx(
        (sigma2 - LME4["slope_cross"][6]) / sigma2, abs=1e-4
    )
    fe = LME4["slope_cross"][4]  # at standlrt 0.5, sex 1, schavg 0.2: the assignment's profile
    by_hand = fe["Intercept"] + fe["standlrt"] * 0.5 + fe["sex"] + fe["schavg"] * 0.2
    by_hand += fe["standlrt:schavg"] * 0.5 * 0.2
    assert solution.forecast == pytest.approx(by_hand, abs=1e-4)
    profile = load_dataset("exam").forecast_profile
    assert forecast_from(fe, profile) == pytest.approx(by_hand, abs=1e-12)


def test_a_students_own_school_mean_is_schavg_at_the_profile() -> None:
    from reference.model.derived import Derived, Expr, col

    profile = load_dataset("exam").forecast_profile
    centred = Derived("lrt_c", Expr("centre", (col("standlrt"),)))
    assert forecast_from({"lrt_c": 1.0}, profile, (centred,)) == pytest.approx(0.5 - 0.2)


def test_the_unconditional_model_is_the_responses(exam: pd.DataFrame) -> None:
    assert unconditional(dataset_of(exam)).formula == "normexam ~ 1"


def test_hidden_data_moves_only_normexam_and_keeps_the_structure() -> None:
    dataset = load_dataset("exam")
    raw = read_raw(dataset)
    copy = perturb(raw, dataset, seed=1)
    pd.testing.assert_frame_equal(copy.drop(columns="normexam"), raw.drop(columns="normexam"))
    assert (copy["normexam"] != raw["normexam"]).mean() > 0.99
    assert math.isclose(copy["normexam"].round(6).sum(), copy["normexam"].sum(), abs_tol=1e-6)
    assert sorted(school_level_columns(tidy(copy, dataset))) == ["schavg", "schgend", "type", "vr"]
