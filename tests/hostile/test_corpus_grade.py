"""The hostile corpus through ``hlm-grader grade``: one batch of everything, nobody harmed by anybody.

The whole corpus (and the two files made at test time) is graded as one class by the real CLI in a
subprocess, two notebooks at a time. Every student's report must be what the manifest says that
notebook deserves on its own, so one student's runaway or tampering changes no other student's
result, and the full-marks control still gets 100. A second, hidden-data batch shows that typed-in
(or forged) answers fail there while computed ones still earn full marks.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.build_corpus import (
    NOTEBOOKS,
    SECRET_FILE_NAME,
    SECRET_VARIABLE,
    write_huge_outputs,
    write_non_utf8_name,
)
from tests.hostile.cases import BY_NAME, COMMITTED, PARTS, Status, judged
from tests.hostile.conftest import HIDDEN_SEED, Guard, Snapshot, needs_sandbox, sha256

pytestmark = [pytest.mark.slow, needs_sandbox]

#: The whole-notebook limit for every student: above every non-runaway case's needs.
BATCH_TIMEOUT = 30.0
#: What cases made for hidden data deserve on the bundled data.
ON_BUNDLED_DATA: dict[str, Mapping[str, Status]] = {
    "hardcoded": BY_NAME["hardcoded_visible"].judged,
    # A forgery is a way of typing numbers in: on the bundled data its ICC passes.
    "forged_answers": judged(icc="passed", forecast="error"),
    "computed_control": BY_NAME["computed_control"].judged,
}


STATE = "batch.json"  # grader.batch.grade.STATE: where a run keeps its hidden seed for a resume


def grade_class(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "grader.cli", "grade", str(folder), "--out", str(out),
               "--jobs", "2", "--timeout", str(BATCH_TIMEOUT), "--sandbox", *extra]  # fmt: skip
    return subprocess.run(
        command, capture_output=True, text=True, timeout=3600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


def reports(out: Path) -> dict[str, dict[str, Any]]:
    """Every student's report.json under ``out``, by student folder."""
    found = {}
    for path in sorted(out.glob("*/report.json")):
        found[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {part["id"]: part["status"] for part in report["parts"]}


def expected(judged_parts: Mapping[str, Status]) -> dict[str, str]:
    return {part: judged_parts.get(part, "missing") for part in PARTS}


def copy_corpus(folder: Path) -> dict[str, str]:
    """The class: every committed notebook, the 50 MB one and the non-UTF-8 name."""
    folder.mkdir()
    for path in NOTEBOOKS.glob("*.ipynb"):
        shutil.copyfile(path, folder / path.name)
    write_huge_outputs(folder / "huge_outputs.ipynb")
    write_non_utf8_name(folder)
    return {str(p): sha256(p) for p in folder.iterdir()}


@dataclass(frozen=True, slots=True)
class Batch:
    folder: Path
    out: Path
    hashes: dict[str, str]
    guard: Guard
    output: str


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Batch]:
    """The whole corpus graded as one class, with a secret planted for it to steal."""
    tmp = tmp_path_factory.mktemp("batch")
    folder, out = tmp / "submissions", tmp / "out"
    hashes = copy_corpus(folder)
    secret = "hlm-secret-" + secrets.token_hex(8)
    (tmp / SECRET_FILE_NAME).write_text(secret, encoding="utf-8")
    guard = Guard(Snapshot.take(), secret, ())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_VARIABLE, secret)
        done = grade_class(folder, out)
    yield Batch(folder, out, hashes, guard, done.stdout + done.stderr)
    assert done.returncode == 1, done.stdout + done.stderr  # some students failed, none broke it


def test_every_student_gets_what_their_notebook_deserves_alone(
    batch: Batch,
) -> None:
    graded = reports(batch.out)
    for case in COMMITTED:
        if case.source is not None:
            continue  # the same file as another case, graded once here
        want = ON_BUNDLED_DATA.get(case.name, case.judged)
        assert statuses(graded[case.name]) == expected(want), case.name


def test_the_full_marks_control_gets_100_in_the_hostile_class(
    batch: Batch,
) -> None:
    report = reports(batch.out)["full_marks"]
    assert report["error"] is None
    assert report["score"] == report["max_score"] == 100


def test_broken_files_and_odd_names_get_reports_too(
    batch: Batch,
) -> None:
    graded = reports(batch.out)
    assert len(graded) == len(list(batch.folder.iterdir()))
    assert "more than the 20 MB" in graded["huge_outputs"]["error"]
    (odd,) = [r for name, r in graded.items() if name.startswith("hlm-")]
    assert statuses(odd) == expected(BY_NAME["non_utf8_name"].judged)
    for name, report in graded.items():
        if report["error"] is not None:
            assert "\n" not in report["error"], name


def test_nothing_outside_each_run_changed(batch: Batch, untouched: Guard) -> None:
    hashes = {str(p): sha256(p) for p in batch.folder.iterdir()}
    assert hashes == batch.hashes, "a submission was changed"
    leftovers = [p for p in batch.out.rglob("*") if "canary" in p.name]
    assert not leftovers, f"a notebook wrote into the output folder: {leftovers}"
    assert "Traceback" not in batch.output
    for path in batch.out.rglob("*"):
        if path.is_file():
            assert batch.guard.secret.encode() not in path.read_bytes(), f"{path} leaks the secret"
    batch.guard.check()


def test_hidden_data_fails_typed_in_answers_and_passes_computed_ones(
    tmp_path: Path, untouched: Guard
) -> None:
    folder, out = tmp_path / "submissions", tmp_path / "out"
    folder.mkdir()
    cases = [BY_NAME[name] for name in ("hardcoded", "forged_answers", "computed_control")]
    for case in cases:
        shutil.copyfile(NOTEBOOKS / case.file, folder / case.file)
    # Resume a run on the manifest's hidden seed, so the lbfgs-only fit of `hardcoded` falls short
    # as the manifest says (a one-method fit of a random-slope model may or may not, on any data).
    out.mkdir()
    (out / STATE).write_text(json.dumps({"hidden_seed": HIDDEN_SEED}), encoding="utf-8")
    done = grade_class(folder, out, "--hidden-data")
    assert done.returncode == 1, done.stdout + done.stderr
    graded = reports(out)
    for case in cases:
        report = graded[case.name]
        assert report["meta"]["data"]["hidden_seed"] == HIDDEN_SEED
        assert statuses(report) == expected(case.judged), case.name
        assert "Graded on hidden data" in " ".join(report["notes"])
    assert graded["computed_control"]["score"] == 100
    # Its lbfgs-only fit fell short on the copy: the note says why a single optimizer can.
    assert "several methods" in " ".join(graded["hardcoded"]["notes"])
    assert "several methods" not in " ".join(graded["computed_control"]["notes"])
    untouched.check()
