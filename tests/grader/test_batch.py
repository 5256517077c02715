"""Batch grading: finding submissions, isolation of each one, resume, outputs, hidden data, Dask.

Mechanics run on tiny notebooks (a second of kernel time each) with short timeouts; only the
hidden-data test runs the real solution notebook. The class run is shared by the tests that read
it, also across xdist workers, so it is graded once per session.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from grader.batch.grade import BatchResult, failed_report, grade_batch
from grader.batch.outputs import read_report, write_student
from grader.batch.progress import BatchProgress, Running, describe, estimate, tally
from grader.batch.submissions import StudentNotebook, find_submissions, safe_id
from grader.batch.workers import Failure, run_pool
from grader.cli import main
from grader.report.gradescope import to_gradescope
from grader.report.values import GradeReport, PartResult
from tests.hlm import CONFIG

REPO = Path(__file__).resolve().parents[2]
SOLUTION = REPO / "assignments" / "hlm" / "hlm.ipynb"
TIMEOUT = 20.0
ROBUST = 'METHODS = [None, "lbfgs", "powell", "nm", ["powell", "lbfgs"], ["nm", "bfgs"]]'
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
# The seed model's answers on the real data (lme4, DOMAIN.md), typed in instead of computed.
TYPED_IN = {
    "icc = tau00_unconditional / (tau00_unconditional + sigma2_unconditional)": "icc = 0.1793",
    "fixed_estimates = final.fe_params.to_dict()": (
        'fixed_estimates = {"Intercept": 11.80175, "ses": 1.88795, "meanses": 1.13019, '
        '"pracad": 4.38578, "minority": -2.94470, "female": -1.23279}'
    ),
    "aic_change = final.aic - unconditional.aic": "aic_change = -822.81",
    "residual_variance_change = (unconditional.scale - final.scale) / unconditional.scale": (
        "residual_variance_change = 0.0884"
    ),
    "forecast = float(final.predict(pd.DataFrame([profile])).iloc[0])": "forecast = 8.269",
    ROBUST: 'METHODS = ["lbfgs"]',  # fast: the fit is not what this notebook gets wrong
}
TYPED_PARTS = ("icc", "fixed_estimates", "aic_change", "residual_variance_change", "forecast")


def notebook(*cells: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def write(folder: Path, name: str | bytes, nb: nbformat.NotebookNode | str) -> Path:
    """Write a notebook (or any text) as ``folder/name``; a bytes name may be any file name."""
    folder.mkdir(parents=True, exist_ok=True)
    text = nb if isinstance(nb, str) else nbformat.writes(nb)
    path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else name.encode())
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(os.fsdecode(path))


def submission(source: Path, edits: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """``source`` as a student submits it: hidden tests stripped, and ``edits`` applied."""
    nb = nbformat.read(source, as_version=4)
    for old, new in (edits or {}).items():
        if not any(old in cell.source for cell in nb.cells):
            raise LookupError(f"{source.name} no longer contains {old!r}")
    for cell in nb.cells:
        for old, new in (edits or {}).items():
            cell.source = cell.source.replace(old, new)
        cell.source = HIDDEN_TESTS.sub("", cell.source)
    return nb


@contextlib.contextmanager
def shared(factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """A folder shared by the xdist workers of this session, held under a lock while in use."""
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / name
    folder.mkdir(exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder


def once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Run ``make(folder)`` once per session, whichever worker asks first."""
    with shared(factory, name) as folder:
        if not (folder / "done").exists():
            make(folder)
            (folder / "done").write_text("")
    return folder


# --- finding submissions and naming students (no kernel) ---------------------------------------


def test_safe_ids_are_plain_folder_names_and_never_collide() -> None:
    assert safe_id("jane.doe") == "jane.doe"
    assert safe_id("José") == "José"
    for hostile in ("../../etc/passwd", "..", ".", "", "a/b", "a\\b", "x\udcff y", "grades.csv",
                    "summary.html", "CON", "nul.txt", "-rf", ".bashrc", "a" * 300):  # fmt: skip
        safe = safe_id(hostile)
        assert re.fullmatch(r"[\w][\w.-]*", safe), (hostile, safe)
        assert safe not in {".", ".."} and len(safe) <= 80 and safe != hostile
    assert safe_id("a b") != safe_id("a_b") == "a_b"


def test_a_flat_folder_names_students_by_file_and_ignores_other_files(tmp_path: Path) -> None:
    write(tmp_path, "alice.ipynb", notebook("icc = 0.18"))
    write(tmp_path, b"b\xffob.ipynb", notebook("icc = 0.18"))
    write(tmp_path, "grades.csv.ipynb", notebook())
    write(tmp_path, "Carol.ipynb", notebook())
    write(tmp_path, "carol.ipynb", notebook())
    write(tmp_path, "notes.txt", "not a submission")
    found = {item.label: item.student for item in find_submissions(tmp_path, assignment="hlm")}
    assert len(found) == 5 and found["alice.ipynb"] == "alice"
    assert found["b\\xffob.ipynb"].startswith("b_ob-")
    assert found["grades.csv.ipynb"].startswith("grades.csv-")
    assert found["Carol.ipynb"].casefold() != found["carol.ipynb"].casefold()


def test_an_nbgrader_tree_is_found_from_the_course_root(tmp_path: Path) -> None:
    submitted = tmp_path / "course" / "submitted"
    write(submitted / "alice" / "hlm", "hlm.ipynb", notebook())
    write(submitted / "alice" / "hlm", "hlm-Copy1.ipynb", notebook())
    write(submitted / "bob" / "hlm", "renamed.ipynb", notebook())
    (submitted / "carol" / "hlm").mkdir(parents=True)
    items = {i.student: i for i in find_submissions(tmp_path / "course", assignment="hlm")}
    assert set(items) == {"alice", "bob", "carol"}
    assert items["alice"].path.name == "hlm.ipynb"
    assert items["alice"].label == "alice/hlm/hlm.ipynb"
    assert items["bob"].path.name == "renamed.ipynb"
    assert not items["carol"].path.exists()  # graded anyway: its report says nothing was found


def test_a_folder_without_submissions_is_bad_input(tmp_path: Path) -> None:
    assert main(["grade", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["grade", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2


# --- the worker pool (no kernel) ---------------------------------------------------------------


def work(task: str) -> str:
    """A task for the pool: some finish, one kills its worker, one raises, one hangs."""
    if task == "die":
        os._exit(3)
    if task == "raise":
        raise ValueError("a bad task")
    if task == "hang":
        time.sleep(60)
    return task.upper()


def test_a_dead_raising_or_hanging_task_costs_only_itself() -> None:
    done: dict[str, object] = {}
    tasks = ["a", "die", "b", "raise", "hang", "c", "d"]
    run_pool(tasks, work, jobs=2, limit=4, on_done=lambda t, r: done.__setitem__(t, r), preload=())
    assert {t: done[t] for t in "abcd"} == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert isinstance(done["die"], Failure) and "exit code 3" in done["die"].reason
    assert isinstance(done["raise"], Failure) and "a bad task" in done["raise"].reason
    assert isinstance(done["hang"], Failure) and "after 4 s" in done["hang"].reason


def test_a_failed_worker_still_gives_the_student_a_full_report(tmp_path: Path) -> None:
    config = CONFIG
    item = StudentNotebook("alice", tmp_path / "alice.ipynb", "alice.ipynb")
    report = failed_report(item, Failure("The grader's worker process was killed by SIGKILL."),
                           config)  # fmt: skip
    write_student(tmp_path / "alice", report, config=config)
    back = read_report(tmp_path / "alice")
    assert back is not None and back.error == report.error and back.score == 0
    assert [p.id for p in back.parts] == [p.id for p in config.parts]
    assert {p.status for p in back.parts} == {"error"} and back.max_score == config.max_score
    assert "SIGKILL" in (tmp_path / "alice" / "feedback.html").read_text(encoding="utf-8")


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_a_students_files_get_the_mode_of_any_new_file(tmp_path: Path, mask: int) -> None:
    # Under the usual umasks a teaching assistant in the instructor's group can read the reports;
    # an instructor who wants them private sets a private umask, as for any other file.
    config = CONFIG
    report = failed_report(StudentNotebook("a", Path("a"), "a"), Failure("x"), config)
    with umask(mask):
        write_student(tmp_path / "out" / "a", report, config=config)
    assert stat.S_IMODE((tmp_path / "out" / "a").stat().st_mode) == 0o777 & ~mask
    for name in ("report.json", "feedback.html", "results.json"):
        assert stat.S_IMODE((tmp_path / "out" / "a" / name).stat().st_mode) == 0o666 & ~mask
    assert sorted(p.name for p in (tmp_path / "out" / "a").iterdir()) == [
        "feedback.html", "report.json", "results.json"
    ]  # fmt: skip


def test_the_progress_bar_counts_and_stays_quiet_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = failed_report(StudentNotebook("a", Path("a"), "a"), Failure("x"), CONFIG)
    with BatchProgress(1, skipped=2, enabled=False) as bar:
        bar.advance(report)
    assert capsys.readouterr().err == ""
    with BatchProgress(1, skipped=2, enabled=True) as bar:
        bar.advance(report)
    err = capsys.readouterr().err
    assert "Skipping 2" in err and "1/1" in err and "1 could not be graded" in err


def test_a_student_graded_despite_a_run_problem_counts_as_graded() -> None:
    # Erin's loop was interrupted at the cell limit, but every answer was set before it: 100.
    config = CONFIG
    parts = tuple(
        PartResult(p.id, p.title, p.points, p.points, "passed", "ok") for p in config.parts
    )
    erin = GradeReport("erin.ipynb", parts, error="Cell 3 ran longer than 300 s; interrupted.")
    crashed = failed_report(StudentNotebook("bob", Path("b"), "b"), Failure("x"), config)
    partial = GradeReport(
        "carol.ipynb", (replace(parts[0], score=0.0, status="failed"), *parts[1:])
    )
    assert erin.passed and erin.graded and not crashed.graded and partial.graded
    assert tally([erin, crashed, partial]) == {"passed": 1, "failed": 1, "ungraded": 1}


def test_the_estimate_names_a_student_far_past_the_typical_time() -> None:
    # Three notebooks took ~10 s; alice has run 200 s of her 300 s limit, bob 4 s, 2 queued.
    running = [Running("alice", 200.0), Running("bob", 4.0)]
    eta = estimate([9.0, 10.0, 11.0], running, 2, jobs=2, limit=300.0)
    assert [r.student for r in eta.overdue] == ["alice"]
    # bob's 6 s left and the 2 queued (10 s each) go to the one worker alice does not hold.
    assert eta.seconds == pytest.approx(26.0)
    assert eta.worst == pytest.approx(100.0)  # alice may run until her limit stops her
    text = describe(eta, running, 300.0).plain
    assert "Still running: alice for 0:03:20 (time limit 0:05:00)" in text
    assert "ETA ~0:00:26 (up to 0:01:40" in text and "Running: bob (0:00:04)" in text


def test_the_estimate_waits_for_a_first_duration_and_keeps_moving() -> None:
    assert estimate([], [Running("a", 5.0)], 3, jobs=1, limit=None).seconds is None
    early = estimate([10.0], [Running("a", 2.0)], 1, jobs=1, limit=None)
    later = estimate([10.0], [Running("a", 7.0)], 1, jobs=1, limit=None)
    assert early.seconds == pytest.approx(18.0) and later.seconds == pytest.approx(13.0)


def test_the_progress_display_names_who_is_still_running() -> None:
    now = [0.0]
    done = failed_report(StudentNotebook("a", Path("a"), "a"), Failure("x"), CONFIG)
    bar = BatchProgress(3, enabled=False, jobs=2, limit=600.0, clock=lambda: now[0])
    bar.start("fast")
    bar.start("looping")
    now[0] = 10.0
    bar.advance(done, "fast")
    bar.start("next")
    now[0] = 400.0
    lines = bar.lines().plain
    assert "Still running: looping for 0:06:40 (time limit 0:10:00)" in lines
    assert "Running: next (0:06:30)" not in lines  # next is overdue too: named, not listed
    assert lines.count("Still running") == 2 and "up to 0:03:30" in lines


def test_gradescope_results_have_the_autograder_fields() -> None:
    config = CONFIG
    report = failed_report(StudentNotebook("a", Path("a"), "a"), Failure("x"), config)
    doc = to_gradescope(report)
    assert doc["score"] == 0 and "x" in doc["output"]
    assert len(doc["tests"]) == len(config.parts)
    assert set(doc["tests"][0]) >= {"name", "score", "max_score", "output", "status"}


# --- a class graded in parallel (kernels) ------------------------------------------------------

CLASS = {
    "alice.ipynb": notebook("icc = 0.1793"),
    "bob.ipynb": notebook("import os\nos._exit(1)", "icc = 0.1793"),  # kills its kernel
    "carol.ipynb": "this is not a notebook",
    # Asks for 8 GiB at once: refused by the kernel's memory cap, without touching any memory.
    b"dave\xff evil.ipynb": notebook("hog = bytearray(8 * 1024**3)", "icc = 0.1793"),
    # Never ends (asleep, so its time limit costs no CPU): interrupted, and the next cell runs.
    "erin.ipynb": notebook("import time\nwhile True:\n    time.sleep(1)", "icc = 0.1793"),
}
# A short limit per cell for erin's loop, and room for the rest on a busy machine.
LIMITS = "[limits]\ncell_timeout = 10\ntotal_timeout = 60\n"


@pytest.fixture(scope="module")
def class_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    def make(folder: Path) -> None:
        for name, content in CLASS.items():
            write(folder / "submissions", name, content)
        config = folder / "grading.toml"
        config.write_text(LIMITS, encoding="utf-8")
        grade_batch(folder / "submissions", out=folder / "out", jobs=2, config_path=config)

    folder = once(tmp_path_factory, "class-run", make)
    return folder / "submissions", folder / "out"


def grades(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.mark.slow
def test_one_broken_submission_never_affects_the_others(class_run: tuple[Path, Path]) -> None:
    _, out = class_run
    table = grades(out)
    assert len(table) == 5
    dave = next(s for s in table if s.startswith("dave_evil-"))
    for good in ("alice", dave, "erin"):
        assert table[good]["icc"] == "10", good
    assert "kernel died" in table["bob"]["error"]
    assert table["bob"]["icc"] == "0"  # the cell after the crash never ran
    assert "not valid JSON" in table["carol"]["error"]
    assert (
        "carol.ipynb" in table["carol"]["error"] and str(out.parent) not in table["carol"]["error"]
    )
    assert table[dave]["error"] == ""
    assert "MemoryError" in " ".join(read_report(out / dave).notes)  # type: ignore[union-attr]
    assert "ran longer than 10 s and was interrupted" in table["erin"]["error"]


@pytest.mark.slow
def test_every_student_gets_three_files_inside_the_output(class_run: tuple[Path, Path]) -> None:
    _, out = class_run
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 5
    for folder in folders:
        assert folder.resolve().parent == out.resolve()
        assert {p.name for p in folder.iterdir()} == {
            "report.json",
            "feedback.html",
            "results.json",
        }
    report = json.loads((out / "alice" / "report.json").read_text(encoding="utf-8"))
    assert report["notebook"] == "alice.ipynb" and report["meta"]["student"] == "alice"
    assert report["meta"]["data"]["hidden_seed"] is None
    assert "Feedback: alice.ipynb" in (out / "alice" / "feedback.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_results_json_follows_gradescope_s_format(class_run: tuple[Path, Path]) -> None:
    _, out = class_run
    for folder in (p for p in out.iterdir() if p.is_dir()):
        doc = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        tests = doc["tests"]
        assert isinstance(doc["score"], (int, float)) and isinstance(doc["output"], str)
        assert doc["score"] == pytest.approx(sum(t["score"] for t in tests))
        assert len(tests) == len(CONFIG.parts)
        for test in tests:
            assert isinstance(test["name"], str) and isinstance(test["output"], str)
            assert 0 <= test["score"] <= test["max_score"]
            assert test["status"] in {"passed", "failed"}
    alice = json.loads((out / "alice" / "results.json").read_text(encoding="utf-8"))
    assert alice["score"] == 10 and alice["tests"][0]["status"] == "passed"


@pytest.mark.slow
def test_grades_csv_and_summary_cover_the_class(class_run: tuple[Path, Path]) -> None:
    _, out = class_run
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["student", *(p.id for p in CONFIG.parts), "total", "error"]
    assert grades(out)["alice"]["total"] == "10"
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert page.count('/feedback.html"') == 5
    assert "(no final model found)" in page and "no answer found" in page


@pytest.mark.slow
def test_a_rerun_skips_students_already_graded(class_run: tuple[Path, Path]) -> None:
    submissions, out = class_run
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/report.json")}
    result = grade_batch(submissions, out=out, jobs=2, config_path=out.parent / "grading.toml")
    assert (result.graded, result.skipped) == (0, 5)
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/report.json")} == before
    assert len(result.reports) == 5 and not result.all_passed


@pytest.mark.slow
def test_an_interrupted_run_resumes_and_force_regrades(tmp_path: Path) -> None:
    submissions = tmp_path / "submissions"
    write(submissions, "alice.ipynb", notebook("icc = 0.1793"))
    write(submissions, "carol.ipynb", "not a notebook")
    out = tmp_path / "out"

    def run(**options: bool) -> BatchResult:
        return grade_batch(submissions, out=out, jobs=2, timeout=TIMEOUT, **options)

    assert (run().graded, run().graded) == (2, 0)
    (out / "alice" / "report.json").unlink()  # as if the run had stopped before alice finished
    again = run()
    assert (again.graded, again.skipped) == (1, 1) and read_report(out / "alice") is not None
    forced = run(force=True)
    assert (forced.graded, forced.skipped) == (2, 0)
    assert main(["grade", str(submissions), "--out", str(out), "--jobs", "2"]) == 1


# --- hidden data (the real solution) and Dask ---------------------------------------------------


@pytest.mark.slow
def test_hidden_data_fails_typed_in_numbers_and_keeps_full_marks(tmp_path: Path) -> None:
    from reference.data.files import data_hash, load_data

    submissions = tmp_path / "submissions"
    write(submissions, "solution.ipynb", submission(SOLUTION))
    write(submissions, "typed.ipynb", submission(SOLUTION, TYPED_IN))
    out = tmp_path / "out"
    # A fresh seed every run: the promise holds for any copy, not for one that happens to work.
    result = grade_batch(submissions, out=out, jobs=2, hidden_data=True, timeout=600)
    reports = dict(result.reports)
    solution, typed = reports["solution"], reports["typed"]
    assert result.hidden_seed is not None
    assert solution.meta["data"]["hash"] != data_hash(
        load_data("hlm")
    )  # it really ran on other data
    assert solution.score == solution.max_score == 100, (result.hidden_seed, solution.to_dict())
    for part in TYPED_PARTS:  # each typed-in answer is told so, not merely marked wrong
        assert "typed_in" in typed.part(part).mistakes, (result.hidden_seed, typed.part(part))
        assert "typed in" in typed.part(part).feedback
    assert typed.part("final_model").score > 0  # its model was fitted on the data it was given
    note = next(n for n in typed.notes if n.startswith("Graded on hidden data"))
    assert "did not follow the data" in note and "Change in AIC" in note
    assert "did not follow" not in " ".join(solution.notes)
    feedback = (out / "typed" / "feedback.html").read_text(encoding="utf-8")
    assert "perturbed copy" in feedback and "did not follow the data" in feedback
    assert f"seed {result.hidden_seed}" in (out / "summary.html").read_text(encoding="utf-8")
    assert json.loads((out / "batch.json").read_text())["hidden_seed"] == result.hidden_seed


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_outputs(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    submissions = tmp_path / "submissions"
    write(submissions, "alice.ipynb", notebook("icc = 0.1793"))
    write(submissions, "bob.ipynb", notebook("import os\nos._exit(1)"))
    write(submissions, "carol.ipynb", "not a notebook")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as cluster:  # fmt: skip
        result = grade_batch(submissions, out=tmp_path / "out", timeout=TIMEOUT,
                             scheduler=cluster.scheduler_address)  # fmt: skip
    table = grades(tmp_path / "out")
    assert result.graded == 3 and set(table) == {"alice", "bob", "carol"}
    assert table["alice"]["icc"] == "10" and table["alice"]["error"] == ""
    assert "kernel died" in table["bob"]["error"]
    assert (
        "not valid JSON" in table["carol"]["error"]
        and "hlm-grader-shipped" not in table["carol"]["error"]
    )
    for student in table:
        assert (tmp_path / "out" / student / "results.json").is_file()


def test_without_start_times_the_estimate_follows_the_overall_rate() -> None:
    # On a Dask cluster nobody says when a student starts: 2 done in 60 s, 4 to go, about 120 s.
    now = [0.0]
    done = failed_report(StudentNotebook("a", Path("a"), "a"), Failure("x"), CONFIG)
    bar = BatchProgress(6, enabled=False, jobs=2, clock=lambda: now[0])
    now[0] = 60.0
    bar.advance(done)
    bar.advance(done)
    assert bar.lines().plain == "ETA ~0:02:00"


def test_when_only_a_slow_student_is_left_the_eta_says_so() -> None:
    eta = estimate([10.0, 10.0], [Running("erin", 46.0)], 0, jobs=2, limit=60.0)
    assert eta.seconds == 0 and eta.worst == pytest.approx(14.0)
    text = describe(eta, [Running("erin", 46.0)], 60.0).plain
    assert text.startswith("ETA: up to 0:00:14, waiting only for the slow ones")
    assert "Still running: erin for 0:00:46 (time limit 0:01:00)" in text


@pytest.mark.slow
def test_every_output_of_a_class_run_has_the_mode_of_any_new_file(
    class_run: tuple[Path, Path],
) -> None:
    current = os.umask(0)
    os.umask(current)
    _, out = class_run
    for path in [out, *out.rglob("*")]:
        wanted = (0o777 if path.is_dir() else 0o666) & ~current
        assert stat.S_IMODE(path.stat().st_mode) == wanted, path
