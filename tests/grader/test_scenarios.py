"""Scenario notebooks run end to end through `check_notebook`, compared with golden reports.

The golden files under tests/fixtures/golden/ are reviewed by hand; regenerate them after an
intended change with ``UPDATE_GOLDEN=1 python -m pytest tests/grader/test_scenarios.py``. Scores are
also asserted here explicitly, so a regenerated golden file cannot hide a wrong score.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import pytest

from grader.assignment import load_config
from grader.check import check_notebook

FIXTURES = Path(__file__).parents[1] / "fixtures"
# Generous per-cell time (statsmodels' default fit takes 6 s, much more on a loaded machine); the
# infinite loop gets a short one.
CONFIG = dataclasses.replace(load_config(), cell_timeout=120.0, total_timeout=600.0)
LOOP_CONFIG = dataclasses.replace(CONFIG, cell_timeout=15.0)

# scenario: (expected total, {part: expected score} for the parts that are not full)
EXPECTED: dict[str, tuple[float, dict[str, float]]] = {
    "full_marks": (100, {}),
    "icc_inverted": (90, {"icc": 0}),
    # REML fits: ICC from REML is accepted; final model loses its ML third; AIC is nan
    "reml_aic": (85, {"final_model": 10, "aic_change": 0}),
    # meanses in level 1 (one difference at level 1), u1j dropped from the combined model
    "wrong_equations": (96, {"level_equations": 13.5, "combined_equation": 7.5}),
    "missing_answers": (
        50,
        {
            "level_equations": 0,
            "combined_equation": 0,
            "effect_lists": 0,
            "combined_with_estimates": 0,
            "forecast": 0,
        },
    ),
    # the seed student: default fit 4.8 short (-5), no equations, no random_effects list
    "seed_style": (
        57.5,
        {
            "final_model": 10,
            "level_equations": 0,
            "combined_equation": 0,
            "effect_lists": 2.5,
            "combined_with_estimates": 0,
        },
    ),
    "infinite_loop": (90, {"forecast": 0}),
}


@pytest.mark.slow
@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_scenario_report(scenario: str) -> None:
    path = FIXTURES / "notebooks" / f"{scenario}.ipynb"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    report = check_notebook(path, config=LOOP_CONFIG if "loop" in scenario else CONFIG)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the notebook was modified"
    total, parts = EXPECTED[scenario]
    scores = {p.id: p.score for p in report.parts}
    assert {k: scores[k] for k in parts} == parts, report.to_dict()
    assert report.score == total
    assert_golden(scenario, report.to_dict())


def assert_golden(name: str, report: dict[str, object]) -> None:
    golden = FIXTURES / "golden" / f"{name}.json"
    report = {k: v for k, v in report.items() if k != "sandboxed"}  # depends on the machine
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if not os.environ.get("UPDATE_GOLDEN"):
            pytest.fail(f"wrote missing golden file {golden}; review and commit it")
    assert report == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_infinite_loop_is_reported_and_later_answers_survive() -> None:
    report = check_notebook(FIXTURES / "notebooks" / "infinite_loop.ipynb", config=LOOP_CONFIG)
    assert "ran longer than 15 s and was interrupted" in (report.error or "")
    assert report.part("aic_change").status == "passed"
