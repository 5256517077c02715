"""The hostile corpus through ``hlm-grader check``: every case gets a report, one sentence, no damage.

Each case runs through :func:`grader.check.check_notebook` in-process (a report must always come
back); a few also run through the real CLI in a subprocess, for exit codes and the absence of a
traceback. For every case: the sentence saying what happened is where the manifest says, every
part has the status the manifest gives, the submission is byte-for-byte unchanged, and nothing
outside the run changed (see :class:`tests.hostile.conftest.Guard`).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.assignment import load_config
from grader.check import check_notebook
from grader.report.render import print_report, to_json
from grader.report.values import GradeReport
from tests.hostile.build_corpus import NOTEBOOKS, build, write_huge_outputs, write_non_utf8_name
from tests.hostile.cases import BY_NAME, CASES, COMMITTED, Case
from tests.hostile.conftest import Guard, needs_sandbox, sha256

#: Longest sentence a student should have to read to know what happened.
MAX_SENTENCE = 400


def params(cases: tuple[Case, ...]) -> list[object]:
    kernel = [pytest.mark.slow, needs_sandbox]
    return [pytest.param(c, id=c.name, marks=kernel if c.kernel else ()) for c in cases]


def grade(case: Case, path: Path, hidden_data: Path) -> GradeReport:
    return check_notebook(
        path,
        data_file=hidden_data if case.hidden_data else None,
        timeout=case.timeout,
        sandbox=True if case.kernel else None,
    )


def sentence(report: GradeReport, where: str) -> str:
    """The text the manifest points at: the error, the notes, or one part's feedback."""
    if where == "error":
        return report.error or ""
    if where == "notes":
        return "\n".join(report.notes)
    return report.part(where).feedback


def assert_outcome(case: Case, report: GradeReport) -> None:
    assert case.phrase in sentence(report, case.where), (
        f"{case.name}: expected {case.phrase!r} in the {case.where}; the report says:\n"
        + json.dumps(report.to_dict(), indent=1, ensure_ascii=False)[:4000]
    )
    assert {p.id: p.status for p in report.parts} == case.statuses
    if report.error is not None:
        assert "\n" not in report.error and len(report.error) <= MAX_SENTENCE
    if not case.kernel:
        assert report.error, "a file refused before running must say why"
    # The report renders: no traceback waits in the CLI's table or JSON either.
    print_report(report, io.StringIO())
    json.loads(to_json(report))


@pytest.mark.parametrize("case", params(COMMITTED))
def test_each_case_gets_the_report_it_deserves(
    case: Case, untouched: Guard, hidden_data: Path
) -> None:
    path = NOTEBOOKS / case.file
    before = sha256(path)
    report = grade(case, path, hidden_data)
    assert_outcome(case, report)
    assert sha256(path) == before, "the submission itself changed"
    untouched.check(report)


def test_huge_stored_outputs_are_refused_before_running(
    tmp_path: Path, untouched: Guard, hidden_data: Path
) -> None:
    case = BY_NAME["huge_outputs"]
    path = write_huge_outputs(tmp_path / "huge.ipynb")
    assert path.stat().st_size > 50 * 1000**2
    report = grade(case, path, hidden_data)
    assert_outcome(case, report)
    untouched.check(report)


@pytest.mark.slow
@needs_sandbox
def test_a_file_name_that_is_not_utf8_is_graded(
    tmp_path: Path, untouched: Guard, hidden_data: Path
) -> None:
    case = BY_NAME["non_utf8_name"]
    path = write_non_utf8_name(tmp_path)
    before = sha256(path)
    report = grade(case, path, hidden_data)
    assert_outcome(case, report)
    assert sha256(path) == before
    untouched.check(report)


def test_the_manifest_and_the_corpus_agree(tmp_path: Path) -> None:
    committed = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert committed == sorted({c.file for c in COMMITTED})
    assert len(CASES) == len(BY_NAME) >= 25
    parts = {part.id for part in load_config().parts}
    for case in CASES:
        assert set(case.statuses) == parts


def test_the_committed_notebooks_are_current(tmp_path: Path) -> None:
    for path in build(tmp_path):
        assert path.read_bytes() == (NOTEBOOKS / path.name).read_bytes(), (
            f"{path.name} is stale: run python tests/hostile/build_corpus.py"
        )


# --- the real CLI, in a subprocess ---------------------------------------------------------------


def cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "grader.cli", "check", *map(str, args)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}
    )


def test_cli_refuses_invalid_json_with_exit_2_and_one_line(untouched: Guard) -> None:
    done = cli(NOTEBOOKS / "invalid_json.ipynb", "--json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "is not valid JSON" in json.loads(done.stdout)["error"]
    untouched.check()


@pytest.mark.slow
@needs_sandbox
def test_cli_reports_a_dead_kernel_with_exit_2(untouched: Guard) -> None:
    done = cli(NOTEBOOKS / "os_exit.ipynb", "--sandbox", "--timeout", "60")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "kernel died while running cell 2" in " ".join(done.stdout.split())
    untouched.check()


@pytest.mark.slow
@needs_sandbox
def test_cli_prints_markup_and_surrogates_from_a_notebook_verbatim(untouched: Guard) -> None:
    done = cli(
        NOTEBOOKS / "markup_and_surrogates.ipynb", "--sandbox", env={"PYTHONIOENCODING": "utf-8"}
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "'[/bold] [/]'" in done.stdout and "[red]10 / 10[/red]" in done.stdout
    untouched.check()


@pytest.mark.slow
@needs_sandbox
def test_cli_json_for_a_non_utf8_file_name_is_valid_utf8(tmp_path: Path, untouched: Guard) -> None:
    path = write_non_utf8_name(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "grader.cli", "check", "--json", "--sandbox", os.fsencode(path)],
        capture_output=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    report = json.loads(done.stdout.decode("utf-8"))
    assert report["notebook"] == "hlm-?l?ve.ipynb"
    assert report["parts"][0]["status"] == "passed"
    untouched.check()
