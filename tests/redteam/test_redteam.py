"""The red team's notebooks graded by the real CLI in one batch: every part as a careful human
grades it (see expected.py for who wrote them and how the verdicts were decided)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.redteam.expected import EXPECTED, FULL, expected_scores

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NOTEBOOKS = HERE / "notebooks"


def test_every_notebook_has_verdicts_and_the_points_are_grading_tomls() -> None:
    names = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert names == set(EXPECTED)
    grading = tomllib.loads((REPO / "assignments/hlm/grading.toml").read_text(encoding="utf-8"))
    assert {k: v["points"] for k, v in grading["parts"].items()} == FULL
    for name in EXPECTED:
        assert set(expected_scores(name)) == set(FULL)
        nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
def test_the_red_team_notebooks_grade_as_a_careful_human_would(tmp_path: Path) -> None:
    folder, out = tmp_path / "submissions", tmp_path / "out"
    shutil.copytree(NOTEBOOKS, folder)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "grader.cli", "grade", str(folder), "--out", str(out),
         "--jobs", "2", "--timeout", "300", "--force"],
        capture_output=True, text=True, timeout=3600, cwd=REPO, env=env,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stdout + done.stderr
    wrong = []
    for name in EXPECTED:
        report = json.loads((out / name / "report.json").read_text(encoding="utf-8"))
        got = {p["id"]: p for p in report["parts"]}
        for part, score in expected_scores(name).items():
            if abs(got[part]["score"] - score) > 0.01:
                wrong.append(f"{name} {part}: expected {score}, got {got[part]['score']}: "
                             f"{got[part]['feedback'][:300]}")  # fmt: skip
    assert not wrong, "\n".join(wrong)
