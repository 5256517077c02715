"""Free-form notebooks run end to end through `check_notebook`: answers in Markdown LaTeX, printed
text, own names, an answers dict, and a final model declared before a rejected alternative.

Expected figures are lme4's (scripts/lme4_truth.txt): for the "intercept_himinty" model
(`mathach ~ minority + female + ses + pracad + himinty + (1 | school)`, ML) AIC 46311.243, σ²
35.88131, so against the unconditional model (AIC 47121.810, σ² 39.14840) the AIC change is
-810.567, the level-1 variance change (39.14840 - 35.88131) / 39.14840 = 0.0835, and the forecast
11.19315 - 2.98387 - 1.22175 + 5.59840 * 0.25 = 8.3871. For "cross_level"
(`mathach ~ minority + female + ses + sector + minority:sector + (1 + minority | school)`): AIC
46324.387, σ² 35.68710: -797.423, 0.0884, and 13.37155 - 4.09659 - 1.26484 = 8.0101.
Golden reports: tests/fixtures/golden/ (regenerate with UPDATE_GOLDEN=1 after reviewing).
"""

from __future__ import annotations

import re

import pytest

from grader.check import check_notebook
from tests.grader.test_scenarios import CONFIG, FIXTURES, assert_golden

# scenario: (expected total, {part: score} for the parts that are not full)
EXPECTED: dict[str, tuple[float, dict[str, float]]] = {
    # the real seed: default fit 4.8 short (-5); no level or combined equations; its Markdown
    # lists leave out the intercept (fixed) and u0j (random), each half all or nothing (its
    # `fixed_effects` is a dict of estimates for the forecast, not the list it wrote); its
    # printed combined model follows its own fit but leaves out u1j·minority (one difference)
    "seed_text": (
        62.5,
        {
            "final_model": 10,
            "level_equations": 0,
            "combined_equation": 0,
            "effect_lists": 0,
            "combined_with_estimates": 7.5,
        },
    ),
    "free_form_latex": (100, {}),
    "own_names": (100, {}),
    "answers_dict": (100, {}),
    # only numbers: the final model is m2 (declared), not m3 (fitted after it, rejected)
    "final_declared": (
        60,
        {
            "level_equations": 0,
            "combined_equation": 0,
            "effect_lists": 0,
            "combined_with_estimates": 0,
        },
    ),
}
# lme4 figures each scenario's graded numbers must agree with (to the part's tolerance).
LME4 = {
    "free_form_latex": {
        "aic_change": -797.423,
        "residual_variance_change": 0.0884,
        "forecast": 8.0101,
    },
    "own_names": {"aic_change": -810.567, "residual_variance_change": 0.0835, "forecast": 8.3871},
    "answers_dict": {
        "aic_change": -810.567,
        "residual_variance_change": 0.0835,
        "forecast": 8.3871,
    },
    "final_declared": {
        "aic_change": -810.567,
        "residual_variance_change": 0.0835,
        "forecast": 8.3871,
    },
}
TOLERANCE = {"aic_change": 0.05, "residual_variance_change": 0.0015, "forecast": 0.01}


@pytest.mark.slow
@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_text_scenario_report(scenario: str) -> None:
    report = check_notebook(FIXTURES / "notebooks" / f"{scenario}.ipynb", config=CONFIG)
    total, parts = EXPECTED[scenario]
    scores = {p.id: p.score for p in report.parts}
    assert {k: scores[k] for k in parts} == parts, report.to_dict()
    assert report.score == total, report.to_dict()
    for part in report.parts:
        if part.id in LME4.get(scenario, {}):
            assert abs(_graded_value(part.feedback) - LME4[scenario][part.id]) <= TOLERANCE[part.id]
    assert_golden(scenario, report.to_dict())


def _graded_value(feedback: str) -> float:
    """The number a part's feedback says was graded ("`x` = -810.5676 agrees", "The value …")."""
    match = re.search(r"(?:= |The value )(-?\d+\.\d+) agrees", feedback)
    assert match is not None, feedback
    return float(match.group(1))


@pytest.mark.slow
def test_the_declared_final_model_is_graded_and_the_reason_said() -> None:
    report = check_notebook(FIXTURES / "notebooks" / "final_declared.ipynb", config=CONFIG)
    assert report.meta["final_model"]["formula"] == (
        "mathach ~ minority + female + ses + pracad + himinty"
    )
    assert any(
        n.startswith("Graded your fitted model `m2` as your final model: your text in cell")
        for n in report.notes
    )
