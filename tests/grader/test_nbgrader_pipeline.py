"""The real nbgrader pipeline on a class of fixture submissions, with its sqlite gradebook in tmp.

One module-scoped run does everything the assertions read: ``hlm-grader course init``,
``nbgrader generate_assignment``, submissions built from that release by
``tests/fixtures/nbgrader/build.py``, ``nbgrader autograde --student`` for each student (two at a
time), ``nbgrader generate_feedback``, ``nbgrader export`` and, when it exists,
``hlm-grader check --json`` on every submission. Expected scores come from the scenarios (the
assignment's points, and 0 for a part with a classic mistake), never from the grader. Beside the
scenarios built from the release, the class holds the seed student's own notebook, which was never
started from the release: it must be graded (not dropped), as ``hlm-grader check`` grades it. The
feedback pages are measured in headless Chromium.
"""

from __future__ import annotations

import csv
import html
import importlib.util
import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

from grader.notebook.course import Course, init_course
from tests.grader.chromium import measure, needs_chromium, screenshot_png

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "nbgrader"
# Long enough for the solution's several fits on a busy two-core machine; the looping fixture
# sleeps through it, so it costs wall time in one worker but no CPU.
CELL_TIMEOUT = 90
WRITTEN_MAX = 15
AUTOGRADERS_AT_ONCE = 2  # the gradebook is one sqlite file
WORKERS = 4  # two of them mostly wait for the looping notebook's time limit


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nbgrader_fixtures", FIXTURES / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building the class
    spec.loader.exec_module(module)
    return module


build = load_build()
NAMES = [s.name for s in build.SCENARIOS]
# A notebook not started from the release: no nbgrader cells at all (the seed student's).
SEED = "seed_style"
SEED_NOTEBOOK = REPO / "tests" / "fixtures" / "notebooks" / "seed_style.ipynb"
# Another, free-form: equations in Markdown LaTeX, its own names, read from the submitted file by
# the test cells (tests/corpus: every part is right).
FREE_FORM = "free_form"
FREE_FORM_NOTEBOOK = REPO / "tests" / "corpus" / "notebooks" / "f02_aligned_rho.ipynb"
OWN = {SEED: SEED_NOTEBOOK, FREE_FORM: FREE_FORM_NOTEBOOK}
STUDENTS = [*NAMES, *OWN]
# Longest first, so the pool's two slots finish together.
ORDER = [
    "infinite_loop",
    "full_marks",
    *[n for n in STUDENTS if n not in {"infinite_loop", "full_marks"}],
]


@dataclass(frozen=True)
class Run:
    course: Course
    release: nbformat.NotebookNode
    autograde: dict[str, subprocess.CompletedProcess[str]]
    feedback: subprocess.CompletedProcess[str]
    grades: dict[str, dict[str, Any]]
    scores: dict[str, dict[str, float | None]]
    manual: dict[str, dict[str, bool]]
    checks: dict[str, subprocess.CompletedProcess[str]]

    def autograded(self, student: str) -> nbformat.NotebookNode:
        path = self.course.root / "autograded" / student / "hlm" / "hlm.ipynb"
        return nbformat.read(path, as_version=4)

    def feedback_dir(self, student: str) -> Path:
        return self.course.root / "feedback" / student / "hlm"


def env(cache: Path) -> dict[str, str]:
    out = build.nbgrader_env()
    out["HLM_GRADER_CACHE"] = str(cache)
    return out


def nbgrader(root: Path, environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def check_config(tmp: Path) -> Path:
    """The assignment's grading.toml with the test's per-cell time limit."""
    text = (REPO / "assignments" / "hlm" / "grading.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^cell_timeout = .*$", f"cell_timeout = {CELL_TIMEOUT}", text)
    path = tmp / "grading.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_check(
    notebook: Path, config: Path, environ: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "grader.cli",
            "check",
            str(notebook),
            "--json",
            "--config",
            str(config),
        ],
        env=environ,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def read_gradebook(
    root: Path,
) -> tuple[dict[str, dict[str, float | None]], dict[str, dict[str, bool]]]:
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, float | None]] = {}
    manual: dict[str, dict[str, bool]] = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "hlm") as gb:
        for name in STUDENTS:
            notebook = gb.find_submission_notebook("hlm", "hlm", name)
            scores[name] = {g.name: g.auto_score for g in notebook.grades}
            manual[name] = {g.name: bool(g.needs_manual_grade) for g in notebook.grades}
    return scores, manual


def submit(root: Path, release: nbformat.NotebookNode) -> None:
    for name, nb in build.submissions(release).items():
        folder = root / "submitted" / name / "hlm"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "hlm.ipynb")
    # A forged judgement cache next to a submission must never reach the autograded folder.
    (root / "submitted" / "tampered" / "hlm" / ".hlm-judgement-forged.json").write_text("{}")
    for name, path in OWN.items():
        folder = root / "submitted" / name / "hlm"
        folder.mkdir(parents=True)
        (folder / "hlm.ipynb").write_bytes(path.read_bytes())


def in_parallel(tasks: list[Callable[[], Any]], workers: int) -> list[Any]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [f.result() for f in [pool.submit(t) for t in tasks]]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("nbgrader")
    environ = env(tmp / "fit-cache")
    course = init_course(tmp / "course", timeout=CELL_TIMEOUT)
    root = course.root
    generated = nbgrader(root, environ, "generate_assignment", "hlm")
    assert generated.returncode == 0, generated.stderr[-3000:]
    release = nbformat.read(root / "release" / "hlm" / "hlm.ipynb", as_version=4)
    submit(root, release)

    slots = threading.Semaphore(AUTOGRADERS_AT_ONCE)

    def autograde(name: str) -> Callable[[], subprocess.CompletedProcess[str]]:
        def task() -> subprocess.CompletedProcess[str]:
            with slots:
                return nbgrader(root, environ, "autograde", "hlm", "--student", name)

        return task

    config = check_config(tmp)

    def check(name: str) -> Callable[[], subprocess.CompletedProcess[str]]:
        notebook = root / "submitted" / name / "hlm" / "hlm.ipynb"
        return lambda: run_check(notebook, config, environ)

    tasks = [task(n) for n in ORDER for task in (autograde, check)]
    results = in_parallel(tasks, WORKERS)
    graded = dict(zip(ORDER, results[::2], strict=True))
    checks = dict(zip(ORDER, results[1::2], strict=True))

    feedback = nbgrader(root, environ, "generate_feedback", "hlm")
    exported = nbgrader(root, environ, "export")
    assert exported.returncode == 0, exported.stderr[-3000:]
    with open(root / "grades.csv", newline="") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle)}
    scores, manual = read_gradebook(root)
    return Run(course, release, graded, feedback, grades, scores, manual, checks)


def part_scores(run: Run, student: str) -> dict[str, float | None]:
    return {
        k.removeprefix("test_"): v for k, v in run.scores[student].items() if k.startswith("test_")
    }


# --- the release ------------------------------------------------------------------------------


def test_release_holds_no_solutions_and_no_hidden_tests(run: Run) -> None:
    text = json.dumps([c.source for c in run.release.cells])
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "import grade", "grade("):
        assert marker not in text
    for solution in ("fit_best", "tau00_unconditional /", "final.aic - unconditional.aic",
                     "final.predict(", "Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w(\"meanses\")"):  # fmt: skip
        assert solution not in text
    written = [c for c in run.release.cells if c.metadata.get("nbgrader", {}).get("solution")
               and c.cell_type == "markdown"]  # fmt: skip
    assert [c.source for c in written] == ["YOUR ANSWER HERE"] * 3
    assert (run.course.root / "release" / "hlm" / "data" / "hsb12.sav").is_file()


def test_committed_fixtures_are_built_from_this_release(run: Run) -> None:
    for name, nb in build.submissions(run.release).items():
        committed = nbformat.read(FIXTURES / f"{name}.ipynb", as_version=4)
        assert nb == committed, (
            f"{name}.ipynb is stale: run python tests/fixtures/nbgrader/build.py"
        )


# --- autograde --------------------------------------------------------------------------------


@pytest.mark.parametrize("student", STUDENTS)
def test_autograde_succeeds(run: Run, student: str) -> None:
    result = run.autograde[student]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Removing failed assignment" not in result.stderr


def test_a_notebook_not_started_from_the_release_is_graded_not_dropped(run: Run) -> None:
    # Was: KeyError 'answer_icc' in add_missing_cells, the assignment removed, 0.0 / 115.
    checked = json.loads(run.checks[SEED].stdout)
    assert checked["score"] > 0  # the seed notebook answers several parts correctly
    assert float(run.grades[SEED]["raw_score"]) == pytest.approx(checked["score"])
    nb = run.autograded(SEED)
    restored = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(restored) == len(build.POINTS) + len(build.WRITTEN)
    # The student's written answers are elsewhere in their notebook: a person grades them.
    assert all(run.manual[SEED][w] for w in build.WRITTEN)


@pytest.mark.parametrize("student", NAMES)
def test_every_part_scores_what_the_scenario_deserves(run: Run, student: str) -> None:
    assert part_scores(run, student) == build.BY_NAME[student].expected


@pytest.mark.parametrize("student", NAMES)
def test_export_totals(run: Run, student: str) -> None:
    row = run.grades[student]
    scenario = build.BY_NAME[student]
    assert float(row["raw_score"]) == pytest.approx(scenario.total)
    assert float(row["max_score"]) == pytest.approx(sum(build.POINTS.values()) + WRITTEN_MAX)


def test_written_answers_wait_for_manual_grading(run: Run) -> None:
    for student in NAMES:
        written = {k: v for k, v in run.manual[student].items() if k.startswith("written_")}
        assert set(written) == set(build.WRITTEN)
        # Unanswered ("YOUR ANSWER HERE" unchanged) scores 0 at once; an answer needs a person.
        assert all(written.values()) is build.BY_NAME[student].written
        assert any(written.values()) is build.BY_NAME[student].written


def test_a_tampered_test_cell_is_restored(run: Run) -> None:
    cell = build.cell(run.autograded("tampered"), "test_icc")
    assert 'grade("icc")' in cell.source


def test_deleted_test_cells_are_restored(run: Run) -> None:
    nb = run.autograded("deleted_test")
    for grade_id in ("test_icc", "test_forecast"):
        assert 'grade("' in build.cell(nb, grade_id).source


def test_a_forged_judgement_is_not_copied_for_autograding(run: Run) -> None:
    assert not (
        run.course.root / "autograded" / "tampered" / "hlm" / ".hlm-judgement-forged.json"
    ).exists()


def stderr_text(cell: nbformat.NotebookNode) -> str:
    return "".join(o.text for o in cell.get("outputs", []) if o.get("name") == "stderr")


def test_warnings_reach_stderr_but_not_the_test_cells(run: Run) -> None:
    nb = run.autograded("warnings")
    tests = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")
    ]
    others = [c for c in nb.cells if c.cell_type == "code" and c not in tests]
    assert any("a message on stderr" in stderr_text(c) for c in others)
    assert all(stderr_text(c) == "" for c in tests)


def test_an_endless_cell_is_interrupted_and_the_rest_still_runs(run: Run) -> None:
    nb = run.autograded("infinite_loop")
    errors = [o for o in build.cell(nb, "answer_forecast").outputs if o.output_type == "error"]
    assert errors, "the looping cell should end in an error (interrupted at the time limit)"
    last = build.cell(nb, "test_forecast")
    assert any(o.output_type == "execute_result" for o in last.outputs)


# --- feedback ---------------------------------------------------------------------------------


def visible_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", "", page)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_feedback_is_generated(run: Run) -> None:
    assert run.feedback.returncode == 0, run.feedback.stderr[-3000:]


@pytest.mark.parametrize("student", STUDENTS)
def test_feedback_shows_the_feedback_but_not_the_hidden_tests(run: Run, student: str) -> None:
    folder = run.feedback_dir(student)
    text = visible_text(folder / "hlm.html")
    assert "Unconditional model and ICC" in text and "Forecast for the given student" in text
    assert "HIDDEN TESTS" not in text and "import grade" not in text
    assert not list(folder.rglob(".hlm-judgement-*"))


@pytest.mark.parametrize("student", ["partial", SEED])
def test_feedback_names_each_part_and_shows_it_once_without_a_prompt(
    run: Run, student: str
) -> None:
    page = (run.feedback_dir(student) / "hlm.html").read_text(encoding="utf-8")
    toc = re.search(r'<div id="toc">(.*?)</div>', page, re.DOTALL)
    assert toc is not None
    titles = re.findall(r'<a href="#test_(\w+)">([^<]*)</a>', toc.group(1))
    assert [part for part, _ in titles] == list(build.POINTS)
    assert all(title != "Test cell" and title for _, title in titles), titles
    assert "Test cell" not in toc.group(1)
    # Each part's feedback once, as HTML: no printed copy in a <pre>, no Out[n] prompt.
    assert page.count('class="hlm-part ') == len(build.POINTS)
    prompts = re.findall(r'<div class="prompt[^"]*">([^<]*)</div>\s*<div class="output_html[^"]*">'
                         r'<div class="hlm-report', page)  # fmt: skip
    assert prompts == [""] * len(build.POINTS)
    assert not re.search(r"<pre>[^<]*(agrees with the reference|No answer found)", page)


# Each part's feedback box in nbgrader's page: its width and alignment, and whether it overflows.
NBGRADER_LAYOUT = """
return {page, feedback: all('.hlm-feedback').map(e => ({...box(e), align: style(e, 'text-align'),
        overflow: e.scrollWidth > e.clientWidth + 1})),
        prompts: all('.hlm-report').map(r => r.closest('.output_area').querySelector('.prompt')
                                            .textContent.trim())};
"""


@needs_chromium
def test_feedback_page_shows_each_part_wrapped_wide_and_left_aligned(
    run: Run, tmp_path: Path
) -> None:
    page = run.feedback_dir("partial") / "hlm.html"
    found = measure(page.read_text(encoding="utf-8"), NBGRADER_LAYOUT, width=1280, tmp=tmp_path)
    assert len(found["feedback"]) == len(build.POINTS)
    for part in found["feedback"]:
        assert part["align"] == "left" and part["width"] > 500 and not part["overflow"], part
    assert set(found["prompts"]) == {""}  # no Out[n] before a part's feedback
    assert found["page"]["scroll"] <= found["page"]["inner"]
    shot = screenshot_png(page, tmp_path / "nbgrader-feedback.png", width=1280, height=2400)
    assert shot.stat().st_size > 10_000


# --- hlm-grader check agrees with nbgrader ----------------------------------------------------


@pytest.mark.parametrize("student", STUDENTS)
def test_check_and_nbgrader_agree(run: Run, student: str) -> None:
    result = run.checks[student]
    assert result.stdout.strip(), result.stderr[-3000:]
    report = json.loads(result.stdout)
    checked = {p["id"]: float(p["score"]) for p in report["parts"]}
    assert checked == pytest.approx(part_scores(run, student)), report.get("error")


def test_a_free_form_notebook_is_read_alike_by_the_test_cells(run: Run) -> None:
    """Its equations and lists are in Markdown, which the test cells read from the submitted file:
    nbgrader gives what hlm-grader check gives, and every part is right (tests/corpus: f02)."""
    checked = json.loads(run.checks[FREE_FORM].stdout)
    assert checked["score"] == 100, [(p["id"], p["feedback"]) for p in checked["parts"]
                                      if p["score"] < p["max_score"]]  # fmt: skip
    assert float(run.grades[FREE_FORM]["raw_score"]) == pytest.approx(100)
