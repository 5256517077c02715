"""``hlm-grader course init`` and the source notebook it ships: fast tests, no kernel, no nbgrader run.

The nbgrader behaviours the course config exists for are checked with nbgrader's own classes:
stderr in a test cell scores 0, IgnorePattern does nothing unless enabled, and feedback keeps
hidden tests' code unless ClearHiddenTests runs.
"""

from __future__ import annotations

import base64
import csv
import email.parser
import hashlib
import importlib.util
import io
import re
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from nbgrader.preprocessors import ClearHiddenTests, IgnorePattern
from nbgrader.utils import determine_grade
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

import assignments
import grader
import reference
from grader.assignment import load_config
from grader.cli import main
from grader.errors import GraderError
from grader.notebook.course import Course, init_course, nbgrader_config
from tests.hlm import CONTRACT, HLM

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = REPO / "assignments" / "hlm"
WRITTEN_POINTS = 5


def load(course: Course) -> Config:
    return PyFileConfigLoader(course.config_file.name, path=str(course.root)).load_config()


@pytest.fixture
def course(tmp_path: Path) -> Course:
    return init_course(tmp_path / "course", timeout=45)


def test_init_creates_config_notebook_data_and_wheel(course: Course) -> None:
    version = metadata.version("hlm-grader")
    assert [p.relative_to(course.root).as_posix() for p in course.files] == [
        "nbgrader_config.py",
        "source/hlm/hlm.ipynb",
        "source/hlm/data/hsb12.sav",
        f"source/hlm/hlm_grader-{version}-py3-none-any.whl",
    ]
    assert all(p.is_file() for p in course.files)
    assert course.notebook.read_bytes() == (ASSIGNMENT / "hlm.ipynb").read_bytes()
    assert course.data.read_bytes() == (ASSIGNMENT / "data" / "hsb12.sav").read_bytes()


def test_the_wheel_holds_every_file_of_the_running_packages(course: Course) -> None:
    # The students install exactly the grader the instructor runs: same modules, same data.
    with zipfile.ZipFile(course.wheel) as wheel:
        names = set(wheel.namelist())
        for package in (grader, reference, assignments):
            root = Path(package.__file__).parent
            shipped = [p for p in root.rglob("*") if p.suffix in {".py", ".toml", ".ipynb", ".sav"}
                       and "__pycache__" not in p.parts]  # fmt: skip
            for path in shipped:
                name = (Path(package.__name__) / path.relative_to(root)).as_posix()
                assert name in names and wheel.read(name) == path.read_bytes(), name
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_wheels_record_lists_every_file_with_its_hash(course: Course) -> None:
    with zipfile.ZipFile(course.wheel) as wheel:
        info = f"hlm_grader-{metadata.version('hlm-grader')}.dist-info"
        rows = list(csv.reader(io.StringIO(wheel.read(f"{info}/RECORD").decode())))
        assert {r[0] for r in rows} == set(wheel.namelist())
        for name, digest, size in rows:
            if name == f"{info}/RECORD":
                assert (digest, size) == ("", "")
                continue
            data = wheel.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == f"sha256={expected.decode()}" and int(size) == len(data), name
        core = email.parser.Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        assert core["Name"] == "hlm-grader" and core["Version"] == metadata.version("hlm-grader")
        project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        base = {r for r in core.get_all("Requires-Dist") if "extra ==" not in r}
        assert base == {r.replace(" ", "") for r in project["dependencies"]}
        assert b"hlm-grader = grader.cli:main" in wheel.read(f"{info}/entry_points.txt")


def test_the_wheel_is_the_same_bytes_every_time(course: Course) -> None:
    first = course.wheel.read_bytes()
    older = course.source / "hlm_grader-0.0.1-py3-none-any.whl"
    older.write_bytes(b"an older release")
    init_course(course.root, force=True)
    assert course.wheel.read_bytes() == first
    assert not older.exists()  # one hlm-grader in the release: the one running now


def test_config_sets_what_nbgrader_needs(course: Course) -> None:
    c = load(course)
    assert c.CourseDirectory.course_id == "hlm"
    assert c.CourseDirectory.root == str(course.root)
    assert c.ExecutePreprocessor.timeout == 45
    assert c.ExecutePreprocessor.kernel_name == "python3"
    assert c.IgnorePattern.enabled is True
    assert c.OverwriteCells.add_missing_cells is True
    assert "nbgrader.preprocessors.ClearHiddenTests" in c.GenerateFeedback.preprocessors
    assert {".hlm-judgement-*", "answers.json"} <= set(c.CourseDirectory.ignore)


def test_config_follows_the_course_when_it_is_moved(course: Course, tmp_path: Path) -> None:
    moved = course.root.rename(tmp_path / "moved")
    assert load(Course(moved, HLM)).CourseDirectory.root == str(moved)


def test_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(GraderError, match=r"is not empty.*--force"):
        init_course(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "course"
    target.write_text("")
    with pytest.raises(GraderError, match="is a file"):
        init_course(target)


def test_force_rewrites_the_course_and_keeps_other_files(course: Course) -> None:
    course.config_file.write_text("c = get_config()\n")
    (course.root / "gradebook.db").write_text("keep me")
    init_course(course.root, force=True)
    assert "IgnorePattern.enabled = True" in course.config_file.read_text()
    assert (course.root / "gradebook.db").read_text() == "keep me"


def test_an_empty_directory_is_fine(tmp_path: Path) -> None:
    assert init_course(tmp_path).notebook.is_file()


def test_timeout_must_be_positive() -> None:
    with pytest.raises(GraderError, match="positive"):
        nbgrader_config(timeout=0, assignment=HLM, named="hlm")


def test_cli_init_and_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "course"
    assert main(["course", "init", str(target), "--timeout", "60"]) == 0
    out = capsys.readouterr().out
    assert "nbgrader generate_assignment hlm" in out and "-py3-none-any.whl" in out
    assert load(Course(target, HLM)).ExecutePreprocessor.timeout == 60
    assert main(["course", "init", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not empty" in err
    assert main(["course", "init", str(target), "--force"]) == 0


# --- the nbgrader behaviours the config is for, checked with nbgrader's own code -------------


def graded_cell(*outputs: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("grade('icc')")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 10, "grade_id": "t"}
    cell.outputs = [*outputs, nbformat.v4.new_output("execute_result", {"text/plain": "7.5"})]
    return cell


def stderr(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name="stderr", text=text)


WARNING = "/x/site-packages/statsmodels/base/model.py:607: ConvergenceWarning: Maximum Likelihood\n"


def ignore_pattern(config: Config) -> IgnorePattern:
    return IgnorePattern(config=config)


def apply(preprocessor: IgnorePattern, cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[cell])
    out, _ = preprocessor(nb, {})
    return out.cells[0]


def test_stderr_in_a_test_cell_scores_zero_in_nbgrader() -> None:
    assert determine_grade(graded_cell()) == (7.5, 10.0)
    assert determine_grade(graded_cell(stderr(WARNING))) == (0, 10.0)


def test_ignore_pattern_does_nothing_unless_enabled(course: Course) -> None:
    disabled = Config(load(course))
    disabled.IgnorePattern.enabled = False
    cell = apply(ignore_pattern(disabled), graded_cell(stderr(WARNING)))
    assert determine_grade(cell) == (0, 10.0)


@pytest.mark.parametrize(
    "text",
    [
        WARNING,
        "<ipython-input-3>:2: FutureWarning: a warning raised as each cell starts\n",
        "/x/y.py:3: UserWarning: this student's notebook is noisy\n  warnings.warn(\n",
        "INFO:root:fitting\n",
        "WARNING:matplotlib.font_manager:building the font cache\n",
    ],
)
def test_the_course_config_keeps_warnings_from_zeroing_a_test_cell(
    course: Course, text: str
) -> None:
    cell = apply(ignore_pattern(load(course)), graded_cell(stderr(text)))
    assert determine_grade(cell) == (7.5, 10.0)


@pytest.mark.parametrize("text", ["a message on stderr\n", "ERROR:root:the grader failed\n"])
def test_other_stderr_is_kept(course: Course, text: str) -> None:
    cell = apply(ignore_pattern(load(course)), graded_cell(stderr(text)))
    assert determine_grade(cell) == (0, 10.0)


def test_feedback_clears_hidden_tests(course: Course) -> None:
    nb = nbformat.read(course.notebook, as_version=4)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_icc"]
    assert 'grade("icc")' in cells[0].source
    cleared, _ = ClearHiddenTests(config=load(course))(nbformat.v4.new_notebook(cells=cells), {})
    assert "HIDDEN TESTS" not in cleared.cells[0].source
    assert "grade(" not in cleared.cells[0].source


# --- the source notebook ---------------------------------------------------------------------


def nbgrader_cells(kind: str) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(ASSIGNMENT / "hlm.ipynb", as_version=4)
    meta = [(c, c.metadata.get("nbgrader", {})) for c in nb.cells]
    pick = {
        "test": lambda m: m.get("grade") and not m.get("solution"),
        "solution": lambda m: m.get("solution") and not m.get("grade"),
        "written": lambda m: m.get("grade") and m.get("solution"),
    }[kind]
    return [c for c, m in meta if m and pick(m)]


def test_one_locked_test_cell_per_part_with_its_points() -> None:
    cells = nbgrader_cells("test")
    config = load_config()
    assert [c.metadata.nbgrader["grade_id"] for c in cells] == [
        f"test_{p.id}" for p in config.parts
    ]
    for cell, part in zip(cells, config.parts, strict=True):
        assert cell.metadata.nbgrader["points"] == part.points
        assert cell.metadata.nbgrader["locked"] is True
        hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", cell.source, re.S)
        assert hidden is not None and hidden.group(1).strip().endswith(f'grade("{part.id}")')


def test_solution_cells_have_solution_regions() -> None:
    cells = nbgrader_cells("solution")
    assert len(cells) == len({a.part for a in CONTRACT})
    for cell in cells:
        assert cell.source.count("### BEGIN SOLUTION") == 1
        assert cell.source.count("### END SOLUTION") == 1


def test_every_answer_variable_is_assigned_in_a_solution_and_named_in_the_text() -> None:
    nb = nbformat.read(ASSIGNMENT / "hlm.ipynb", as_version=4)
    solutions = "\n".join(c.source for c in nbgrader_cells("solution"))
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for answer in CONTRACT:
        assert re.search(rf"^{answer.name} = ", solutions, re.M), answer.name
        assert f"**Answer in** `{answer.name}`" in text, answer.name


def test_written_answers_are_manually_graded_markdown() -> None:
    cells = nbgrader_cells("written")
    assert len(cells) == 3
    assert all(c.cell_type == "markdown" for c in cells)
    assert all(c.metadata.nbgrader["points"] == WRITTEN_POINTS for c in cells)


def test_grade_ids_and_cell_ids_are_unique() -> None:
    nb = nbformat.read(ASSIGNMENT / "hlm.ipynb", as_version=4)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids))
    assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_the_committed_notebook_is_what_the_build_script_writes() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_notebook", ASSIGNMENT / "build_notebook.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = nbformat.read(ASSIGNMENT / "hlm.ipynb", as_version=4)
    assert module.build() == committed, "run python assignments/hlm/build_notebook.py"
