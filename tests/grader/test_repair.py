"""Restoring the release's grade cells in a submission, against a real nbgrader gradebook.

One course is generated per module (``hlm-grader course init`` and ``nbgrader generate_assignment``,
no kernel); each test runs our step and then nbgrader's own sanitizing steps on a submission, as
``nbgrader autograde`` does before running it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbgrader.preprocessors import CheckCellMetadata, OverwriteCells

from grader.notebook.course import SANITIZE_PREPROCESSORS, init_course
from grader.notebook.repair import RestoreGradeCells

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "fixtures" / "notebooks" / "seed_style.ipynb"
TESTS = [f"test_{p}" for p in ("icc", "final_model", "level_equations", "combined_equation",
         "effect_lists", "fixed_estimates", "combined_with_estimates", "aic_change",
         "residual_variance_change", "forecast")]  # fmt: skip
WRITTEN = ["written_icc", "written_final_model", "written_comparison"]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_course(tmp_path_factory.mktemp("repair") / "course").root
    # nbgrader runs alembic from this Python's bin folder.
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "hlm"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return root


def sanitize(nb: nbformat.NotebookNode, root: Path) -> nbformat.NotebookNode:
    """Our step, then nbgrader's own (restoring missing cells on), as autograde runs them."""
    resources: dict[str, Any] = {"nbgrader": {"db_url": f"sqlite:///{root / 'gradebook.db'}",
                                              "notebook": "hlm", "assignment": "hlm"}}  # fmt: skip
    for step in (RestoreGradeCells(), OverwriteCells(add_missing_cells=True), CheckCellMetadata()):
        nb, resources = step(nb, resources)
    return nb


def grade_ids(nb: nbformat.NotebookNode) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]


def test_the_course_runs_the_repair_just_before_nbgrader_restores_cells() -> None:
    steps = list(SANITIZE_PREPROCESSORS)
    assert steps.index("grader.notebook.repair.RestoreGradeCells") + 1 == steps.index(
        "nbgrader.preprocessors.OverwriteCells"
    )


def test_without_the_repair_nbgrader_fails_on_a_notebook_not_from_the_release(course: Path) -> None:
    # What `nbgrader autograde` did to the seed student: KeyError, assignment removed, 0 points.
    nb = nbformat.read(SEED, as_version=4)
    resources = {"nbgrader": {"db_url": f"sqlite:///{course / 'gradebook.db'}", "notebook": "hlm",
                              "assignment": "hlm"}}  # fmt: skip
    with pytest.raises(KeyError, match="answer_icc"):
        OverwriteCells(add_missing_cells=True)(nb, resources)


def test_a_notebook_not_from_the_release_gets_every_grade_cell_at_its_end(course: Path) -> None:
    nb = sanitize(nbformat.read(SEED, as_version=4), course)
    original = nbformat.read(SEED, as_version=4)
    assert [c.source for c in nb.cells[: len(original.cells)]] == [c.source for c in original.cells]
    assert grade_ids(nb) == WRITTEN + TESTS  # after the student's own cells, release order
    release = nbformat.read(course / "release" / "hlm" / "hlm.ipynb", as_version=4)
    sources = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells
               if c.metadata.get("nbgrader", {}).get("grade_id") in TESTS}  # fmt: skip
    restored = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
    for test in TESTS:
        # The gradebook's text (the hidden grading call included), locked, with its points.
        assert f'grade("{test.removeprefix("test_")}")' in restored[test].source
        assert sources[test].strip() in restored[test].source  # the comment students saw
        assert restored[test].metadata["nbgrader"]["locked"] is True
    for written in WRITTEN:  # waits for a person: not the release's text, so not scored 0
        assert "added it back" in restored[written].source
        assert restored[written].metadata["nbgrader"]["solution"] is True


def test_a_written_answer_goes_back_after_its_neighbour(course: Path) -> None:
    release = nbformat.read(course / "release" / "hlm" / "hlm.ipynb", as_version=4)
    position = grade_ids(release).index("written_icc")
    release.cells = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                     not in ("written_icc", "test_forecast")]  # fmt: skip
    nb = sanitize(release, course)
    ids = grade_ids(nb)
    assert ids.index("written_icc") == position  # right after answer_icc, as in the release
    assert ids[-1] == "test_forecast"


def test_a_complete_submission_is_not_touched(course: Path) -> None:
    release = nbformat.read(course / "release" / "hlm" / "hlm.ipynb", as_version=4)
    before = nbformat.writes(release)
    nb, _ = RestoreGradeCells()(release, {"nbgrader": {
        "db_url": f"sqlite:///{course / 'gradebook.db'}", "notebook": "hlm", "assignment": "hlm"}})  # fmt: skip
    assert nbformat.writes(nb) == before
