"""The second assignment end to end: `course init`, `check` and `grade` on mlmRev's Exam, from its
folder alone (``assignments/exam/``: no code of the engine names it).

The solution notebook is the course's source notebook with its hidden tests removed, as a student's
release copy has them; the mistaken one reports the inverted ICC (σ²/(τ00+σ²)) and the AIC change
with its sign reversed. What each deserves comes from ``grading.toml`` alone: every part's points,
0 for an inverted ICC and half of the AIC part for a reversed sign (its ``[credit]``).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import tomllib
from pathlib import Path

import nbformat
import pytest

from grader.cli import main

EXAM = Path(__file__).resolve().parents[2] / "assignments" / "exam"
GRADING = tomllib.loads((EXAM / "grading.toml").read_text(encoding="utf-8"))
POINTS = {part: float(table["points"]) for part, table in GRADING["parts"].items()}
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)
MISTAKES = {
    "icc = tau00 / (tau00 + unconditional.scale)": (
        "icc = unconditional.scale / (tau00 + unconditional.scale)"
    ),
    "aic_change = final.aic - unconditional.aic": "aic_change = unconditional.aic - final.aic",
}
#: The mistaken notebook's scores: the ICC earns its inverted credit, the AIC change its sign's.
MISTAKEN = {
    **POINTS,
    "icc": POINTS["icc"] * GRADING["credit"]["icc_inverted"],
    "aic_change": POINTS["aic_change"] * GRADING["credit"]["aic_sign"],
}


def release_copy(source: Path, mistakes: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The source notebook as a student submits it: hidden tests gone, answers as given."""
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        cell.source = HIDDEN.sub("", cell.source)
        for right, wrong in (mistakes or {}).items():
            cell.source = cell.source.replace(right, wrong)
    changed = sum(wrong in c.source for c in notebook.cells for wrong in (mistakes or {}).values())
    assert changed == len(mistakes or {})
    return notebook


def test_the_committed_notebook_is_what_the_build_script_writes() -> None:
    spec = importlib.util.spec_from_file_location("build_exam_notebook", EXAM / "build_notebook.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = nbformat.read(EXAM / "exam.ipynb", as_version=4)
    assert module.build() == committed, "run python assignments/exam/build_notebook.py"


def test_one_locked_test_cell_per_part_and_every_answer_set_in_a_solution() -> None:
    notebook = nbformat.read(EXAM / "exam.ipynb", as_version=4)
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id", "")
             .startswith("test_")]  # fmt: skip
    assert {c.metadata["nbgrader"]["grade_id"][5:]: c.metadata["nbgrader"]["points"]
            for c in tests} == POINTS  # fmt: skip
    solutions = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    for name in ("unconditional", "icc", "final", "level1", "level2", "combined", "fixed_effects",
                 "random_effects", "fixed_estimates", "combined_with_estimates", "aic_change",
                 "residual_variance_change", "forecast"):  # fmt: skip
        assert re.search(rf"^{name} = ", solutions, re.M), name


def test_course_init_sets_up_the_exam_course(tmp_path: Path) -> None:
    root = tmp_path / "course"
    assert main(["course", "init", str(root), "--assignment", "exam"]) == 0
    source = root / "source" / "exam"
    assert (source / "exam.ipynb").read_bytes() == (EXAM / "exam.ipynb").read_bytes()
    assert (source / "data" / "exam.csv").read_bytes() == (EXAM / "data" / "exam.csv").read_bytes()
    config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "os.environ['HLM_GRADER_ASSIGNMENT'] = 'exam'" in config
    assert "c.CourseDirectory.course_id = 'exam'" in config
    assert list(source.glob("hlm_grader-*.whl"))


@pytest.mark.slow
def test_course_check_and_grade_from_the_assignment_folder_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "course"
    assert main(["course", "init", str(root), "--assignment", "exam"]) == 0
    source = root / "source" / "exam" / "exam.ipynb"
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    nbformat.write(release_copy(source), submissions / "solution.ipynb")
    nbformat.write(release_copy(source, MISTAKES), submissions / "mistaken.ipynb")
    capsys.readouterr()

    code = main(["check", "--assignment", "exam", "--json", str(submissions / "solution.ipynb")])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["error"] is None, report
    assert {p["id"]: p["score"] for p in report["parts"]} == POINTS

    out = tmp_path / "out"
    assert main(["grade", "--assignment", "exam", str(submissions), "--out", str(out),
                 "--jobs", "2"]) == 1  # fmt: skip
    with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
        grades = {row["student"]: row for row in csv.DictReader(handle)}
    for student, expected in (("solution", POINTS), ("mistaken", MISTAKEN)):
        assert {p: float(grades[student][p]) for p in POINTS} == expected, student
        assert float(grades[student]["total"]) == sum(expected.values())
    mistaken = json.loads((out / "mistaken" / "report.json").read_text(encoding="utf-8"))
    mistakes = {p["id"]: p["mistakes"] for p in mistaken["parts"]}
    assert "icc_inverted" in mistakes["icc"] and "aic_sign" in mistakes["aic_change"]
    assert mistaken["meta"]["assignment"] == "exam"


def test_a_free_form_exam_notebook_is_read_in_the_exams_own_names() -> None:
    # Equations in Markdown and a printed line, the ICC printed, the final model under its own
    # name: the reading knows normexam is the response from assignment.toml alone. The model's
    # numbers are lme4's optimum (scripts/lme4_exam.txt), so every later part is judged against it.
    from grader.assignment import load_assignment
    from grader.judge.engine import judge
    from reference.data import load_data
    from tests.grader.answers.text_helpers import code, md, submission
    from tests.grader.helpers import model

    exam = load_assignment("exam")
    fe = {"Intercept": -0.106310059, "standlrt": 0.5546574476, "sex": 0.1731890938,
          "schavg": 0.3568083651, "standlrt:schavg": 0.1642421104}  # fmt: skip
    final = model("normexam ~ standlrt + sex + schavg + standlrt:schavg", fe,
                  [[0.07057090345, 0.01162282624], [0.01162282624, 0.0115498553]], 0.5502337375,
                  -4637.0207, 9292.041, re_names=("Group", "standlrt"), n_obs=4059, n_groups=65)  # fmt: skip
    level1 = (r"$$\text{normexam}_{ij} = \beta_{0j} + \beta_{1j}\,\text{standlrt}_{ij} + "
              r"\beta_{2j}\,\text{sex}_{ij} + r_{ij}$$")  # fmt: skip
    level2 = (r"$$\beta_{0j} = \gamma_{00} + \gamma_{01}\,\text{schavg}_j + u_{0j}$$" "\n"
              r"$$\beta_{1j} = \gamma_{10} + \gamma_{11}\,\text{schavg}_j + u_{1j}$$" "\n"
              r"$$\beta_{2j} = \gamma_{20}$$")  # fmt: skip
    printed = ("normexam_ij = -0.106 + 0.555*standlrt_ij + 0.173*sex_ij + 0.357*schavg_j + "
               "0.164*standlrt_ij*schavg_j + u_0j + u_1j*standlrt_ij + r_ij")  # fmt: skip
    sub = submission(md("# My exam models"), md("**Level 1:** " + level1), md(level2),
                     code("print(' + '.join(terms))", printed + "\n"),
                     code("print(f'ICC: {rho:.4f}')", "ICC: 0.1659\n"),
                     models={"m_final": final})  # fmt: skip
    parts = {p.id: p for p in judge(sub, assignment=exam, data=load_data(exam.dataset))[0]}
    assert parts["icc"].score == POINTS["icc"], parts["icc"].feedback
    assert parts["final_model"].score == POINTS["final_model"], parts["final_model"].feedback
    assert parts["level_equations"].score == POINTS["level_equations"], parts["level_equations"]
    assert parts["combined_with_estimates"].score == POINTS["combined_with_estimates"]
    assert "normexam" in parts["level_equations"].feedback
