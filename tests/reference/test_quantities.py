"""Derived quantities and the whole reference solution, against DOMAIN.md, lme4 and hand calculation."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reference import (
    ReferenceSolution,
    SpecError,
    cached_fit,
    forecast_from,
    forecast_interval,
    icc,
    make_spec,
    relative_change,
    solve,
)
from tests.hlm import FORECAST_PROFILE, SEED_FINAL

# lme4 1.1.31, scripts/lme4_truth.txt: the seed's model fitted by ML.
SEED_FE = {
    "Intercept": 11.80174835,
    "ses": 1.887951005,
    "meanses": 1.130187741,
    "pracad": 4.385775619,
    "minority": -2.944701392,
    "female": -1.232792146,
}
SEED_T = [[1.378727572, 0.05253387235], [0.05253387235, 1.673468526]]
SEED_SIGMA2 = 35.68693874
SEED_VCOV = [
    [0.1328504628, -0.0008107446568, 0.08474228095, -0.213684635, -0.002968236836, -0.01423777398],
    [
        -0.0008107446568,
        0.01178005841,
        -0.01033278954,
        -0.0008501709069,
        0.00331918205,
        0.0008766014693,
    ],
    [0.08474228095, -0.01033278954, 0.1830381889, -0.1767460225, 0.01681769855, 0.0006139246823],
    [-0.213684635, -0.0008501709069, -0.1767460225, 0.4194365946, -0.01479407582, 0.00190948394],
    [-0.002968236836, 0.00331918205, 0.01681769855, -0.01479407582, 0.05578882598, 0.0005748802658],
    [
        -0.01423777398,
        0.0008766014693,
        0.0006139246823,
        0.00190948394,
        0.0005748802658,
        0.02513001689,
    ],
]


@pytest.fixture(scope="module")
def solution(hsb: pd.DataFrame) -> ReferenceSolution:
    return solve(SEED_FINAL, hsb)


def test_icc_from_lme4_variances() -> None:
    assert icc(8.55346068, 39.14839996) == pytest.approx(0.1793, abs=5e-5)
    assert icc(8.614024837, 39.14832189) == pytest.approx(0.1804, abs=5e-5)


def test_relative_change() -> None:
    assert relative_change(39.14839996, 35.68693874) == pytest.approx(0.0884, abs=5e-5)
    assert relative_change(2.0, 3.0) == pytest.approx(-0.5)  # an increase is a negative change
    assert math.isnan(relative_change(0.0, 1.0))


def test_forecast_by_hand() -> None:
    # 11.80175 + 1.13019·(−0.4) + 4.38578·0.25 − 2.94470 − 1.23279 = 8.26863 (ses = 0)
    assert forecast_from(SEED_FE, FORECAST_PROFILE) == pytest.approx(8.269, abs=5e-4)


def test_forecast_multiplies_the_factors_of_interactions() -> None:
    fe = {"Intercept": 1.0, "cses": 2.0, "cses:meanses": 10.0}
    assert forecast_from(fe, FORECAST_PROFILE) == pytest.approx(1.0 + 0.8 + 10.0 * 0.4 * -0.4)


def test_forecast_names_the_missing_variable() -> None:
    with pytest.raises(SpecError, match="no value for 'disclim'"):
        forecast_from({"Intercept": 1.0, "disclim": 2.0}, FORECAST_PROFILE)


def test_seed_solution_matches_domain_values(solution: ReferenceSolution) -> None:
    assert solution.icc == pytest.approx(0.1793, abs=5e-5)
    assert solution.icc_reml == pytest.approx(0.1804, abs=5e-5)
    assert solution.aic_change == pytest.approx(-822.81, abs=0.01)
    assert solution.residual_variance_change == pytest.approx(0.0884, abs=5e-5)
    assert solution.forecast == pytest.approx(8.269, abs=5e-4)
    # τ00 from 8.55346 to 1.37873 (lme4): (8.55346 − 1.37873) / 8.55346
    assert solution.intercept_variance_change == pytest.approx(0.83881, abs=1e-4)


def test_seed_solution_lists_effects_and_levels(solution: ReferenceSolution) -> None:
    assert solution.fixed_effects == tuple(SEED_FE)
    assert solution.random_effects == ("Intercept", "minority")
    assert solution.school_level == ("disclim", "himinty", "meanses", "pracad", "sector", "size")
    assert solution.final.spec.method == "ML" and solution.unconditional_reml.spec.method == "REML"
    assert solution.final_reml is None


def test_forecast_interval_by_hand_from_lme4(solution: ReferenceSolution) -> None:
    x = np.array(
        [1.0, 0.0, -0.4, 0.25, 1.0, 1.0]
    )  # Intercept, ses, meanses, pracad, minority, female
    z = np.array([1.0, 1.0])  # Intercept, minority
    variance = x @ np.array(SEED_VCOV) @ x + z @ np.array(SEED_T) @ z + SEED_SIGMA2
    half = 1.959963984540054 * math.sqrt(variance)
    centre = forecast_from(SEED_FE, FORECAST_PROFILE)
    low, high = solution.forecast_interval
    assert low == pytest.approx(centre - half, abs=0.01)
    assert high == pytest.approx(centre + half, abs=0.01)


def test_forecast_interval_level(solution: ReferenceSolution) -> None:
    low90, high90 = forecast_interval(solution.final, FORECAST_PROFILE, level=0.9)
    low95, high95 = solution.forecast_interval
    assert low95 < low90 < solution.forecast < high90 < high95
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        forecast_interval(solution.final, FORECAST_PROFILE, level=1.0)


def test_solution_to_dict_is_json(solution: ReferenceSolution) -> None:
    record = json.loads(json.dumps(solution.to_dict(), allow_nan=False))
    assert record["icc"] == pytest.approx(0.1793, abs=5e-5)
    assert record["final"]["method"] == "ML"
    assert record["final"]["cov_re_names"] == ["Intercept", "minority"]
    assert record["unconditional_reml"]["aic"] is None  # statsmodels: nan for REML
    assert record["forecast_interval"] == list(solution.forecast_interval)
    assert record["school_level"] == ["disclim", "himinty", "meanses", "pracad", "sector", "size"]


def test_reml_spec_keeps_the_final_model_ml_and_adds_its_reml_fit(hsb: pd.DataFrame) -> None:
    reml = solve(SEED_FINAL.with_reml(True), hsb)
    assert reml.final.spec.method == "ML"
    assert reml.aic_change == pytest.approx(-822.81, abs=0.01)
    assert reml.final_reml is not None
    assert reml.final_reml.llf == pytest.approx(-23143.1938, abs=0.01)  # lme4 REML


def test_solve_rejects_models_that_break_the_final_rules(hsb: pd.DataFrame) -> None:
    two = make_spec("mathach ~ ses + meanses", "1")
    cached_fit(two, hsb)  # a cached fit must not let an invalid final model through
    with pytest.raises(SpecError, match="at least three predictors"):
        solve(two, hsb)
    with pytest.raises(SpecError, match="at least one school-level predictor"):
        solve(make_spec("mathach ~ ses + minority + female", "1"), hsb)


def test_warm_solve_does_not_import_statsmodels(empty_cache_dir: Path) -> None:
    code = (
        "import sys; from reference import load_data, make_spec, solve; "
        "s = solve(make_spec('mathach ~ ses + meanses + pracad + minority + female', "
        "'~minority'), load_data('hlm')); "
        "print(round(s.icc, 4), 'statsmodels' in sys.modules, 'scipy.optimize' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout.split() == ["0.1793", "True", "True"]
    assert runs[1].stdout.split() == ["0.1793", "False", "False"]
    assert runs[0].stderr == runs[1].stderr == ""
