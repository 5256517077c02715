"""A subset of the hostile corpus through the nbgrader path: the test cells run after hostile code.

Each case's cells are followed by the assignment's own autograder test cells (copied, metadata and
all, from ``assignments/hlm/hlm.ipynb``), run in one sandboxed kernel as ``nbgrader autograde``
runs them, and scored with nbgrader's own :func:`nbgrader.utils.determine_grade`. The verdict is
computed in a fresh ``python -I`` process, so patching ``math``, ``numpy`` or ``grader`` in the
kernel changes nothing. What it cannot survive is documented by a strict xfail: the test cells'
own code runs in the student's kernel, so a notebook can replace ``grade`` itself.

Unlike ``hlm-grader check``, real ``nbgrader autograde`` runs the student's code without any
sandbox (see docs/security.md); the sandbox here only keeps the hostile cases from doing harm. The
last test runs the real ``nbgrader autograde`` in a course in tmp on a notebook that only writes
a canary and overwrites a classmate's copy there, and documents (strict xfail) that it can.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import determine_grade

from grader.run.execute import ExecutionResult, run_notebook
from tests.hlm import HLM
from tests.hostile.build_corpus import NOTEBOOKS
from tests.hostile.conftest import REPO, Guard, needs_sandbox

pytestmark = [pytest.mark.slow, needs_sandbox]

SOURCE = REPO / "assignments" / "hlm" / "hlm.ipynb"
#: The score each case deserves per part under nbgrader (parts not listed: 0). Each of these
#: notebooks answers at most the ICC: 0.1793 is right, 0.5 is wrong.
SUBSET: dict[str, Mapping[str, float]] = {
    "patch_isclose": {},  # math.isclose and numpy patched; the ICC is wrong
    "patch_grader": {},  # grader.tolerance, grader.judge.engine, reference.quantities patched
    "redefine_names": {"icc": 10},  # print, open, json, ... rebound in the notebook
    "sys_exit": {"icc": 10},
    "keyboard_interrupt": {"icc": 10},
    "markup_and_surrogates": {},  # feedback quoting markup and a lone surrogate
    "os_exit": {},  # the kernel dies before any test cell runs
}


def grade_cells() -> list[nbformat.NotebookNode]:
    source = nbformat.read(SOURCE, as_version=4)
    cells = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade") is True]
    return [c for c in cells if c.cell_type == "code"]


def part_of(cell: nbformat.NotebookNode) -> str:
    grade_id: str = cell.metadata["nbgrader"]["grade_id"]
    return grade_id.removeprefix("test_")


def run_with_test_cells(case: str, tmp_path: Path) -> tuple[ExecutionResult, int]:
    notebook = nbformat.read(NOTEBOOKS / f"{case}.ipynb", as_version=4)
    first_test = len(notebook.cells)
    notebook.cells.extend(grade_cells())
    path = tmp_path / "hlm.ipynb"
    nbformat.write(notebook, path)
    result = run_notebook(
        path,
        data_file=HLM.bundled_data,
        data_path=HLM.data_file,
        say=HLM.grading.say,
        cell_timeout=300,
        total_timeout=600,
        sandbox=True,
    )
    return result, first_test


def nbgrader_scores(result: ExecutionResult, first_test: int) -> dict[str, float]:
    """Each test cell's score as nbgrader computes it; a cell that never ran scores 0."""
    assert result.notebook is not None
    ran = {run.index: run.status for run in result.cells}
    scores = {}
    for index, cell in enumerate(result.notebook.cells[first_test:], start=first_test):
        score, _ = determine_grade(cell)
        scores[part_of(cell)] = 0.0 if ran.get(index) == "skipped" else float(score or 0.0)
    return scores


@pytest.mark.parametrize("case", sorted(SUBSET))
def test_the_test_cells_score_what_the_notebook_deserves(
    case: str, tmp_path: Path, untouched: Guard
) -> None:
    result, first_test = run_with_test_cells(case, tmp_path)
    scores = nbgrader_scores(result, first_test)
    assert scores == {part_of(c): float(SUBSET[case].get(part_of(c), 0)) for c in grade_cells()}
    untouched.check()


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="documented limit: nbgrader's test cells run in the student's kernel, so a notebook "
    "can replace grader.notebook.grade; hlm-grader grade is the authoritative grade",
)
def test_a_notebook_that_replaces_grade_itself_is_not_believed(
    tmp_path: Path, untouched: Guard
) -> None:
    result, first_test = run_with_test_cells("patch_nbgrader_grade", tmp_path)
    scores = nbgrader_scores(result, first_test)
    try:
        untouched.check()
    except AssertionError as exc:  # damage is a real failure, not the documented limit
        pytest.fail(str(exc))
    assert scores["icc"] == 0  # its ICC is 0.5


# --- the real nbgrader autograde ------------------------------------------------------------------

INTRUDER = """\
# Written by a student: marks outside this student's own autograded folder.
from pathlib import Path

root = Path.cwd().parents[2]  # autograde runs in <course>/autograded/<student>/hlm
(root / "hlm-hostile-canary-course").write_text("written by a student notebook")
victim = root / "submitted" / "classmate" / "hlm" / "hlm.ipynb"
victim.write_text("overwritten by another student")
icc = 0.1793
"""


@pytest.fixture(scope="module")
def autograded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A course in tmp where one student's notebook writes outside its folder under autograde."""
    import os
    import subprocess
    import sys

    from grader.notebook.course import init_course

    environ = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }

    def nbgrader(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course.root,
                              env=environ, capture_output=True, text=True, timeout=1200)  # fmt: skip

    course = init_course(tmp_path_factory.mktemp("nbgrader") / "course", timeout=120)
    assert nbgrader("generate_assignment", "hlm").returncode == 0
    release = nbformat.read(course.root / "release" / "hlm" / "hlm.ipynb", as_version=4)
    for student in ("intruder", "classmate"):
        folder = course.root / "submitted" / student / "hlm"
        folder.mkdir(parents=True)
        nbformat.write(release, folder / "hlm.ipynb")
    intruder = nbformat.read(course.root / "submitted" / "intruder" / "hlm" / "hlm.ipynb", 4)
    (answer,) = [c for c in intruder.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "answer_icc"]  # fmt: skip
    answer.source = INTRUDER
    nbformat.write(intruder, course.root / "submitted" / "intruder" / "hlm" / "hlm.ipynb")
    classmate = (course.root / "submitted" / "classmate" / "hlm" / "hlm.ipynb").read_text()
    done = nbgrader("autograde", "hlm", "--student", "intruder")
    assert done.returncode == 0, done.stderr[-3000:]
    return course.root, classmate


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="documented limit: nbgrader autograde runs student code unsandboxed, with the "
    "instructor's rights (see docs/security.md); run it in a container or use hlm-grader grade",
)
def test_nbgrader_autograde_keeps_a_notebook_inside_its_own_folder(
    autograded: tuple[Path, str],
) -> None:
    root, classmate = autograded
    assert not (root / "hlm-hostile-canary-course").exists()
    assert (root / "submitted" / "classmate" / "hlm" / "hlm.ipynb").read_text() == classmate
