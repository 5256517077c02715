"""The student corpus graded by the real CLI, part by part, against what a careful human gives.

The slow tests grade every notebook in ONE ``hlm-grader grade`` run (two at a time) and one check of
a few representative notebooks through ``hlm-grader check --json``; each part's score must be the
expected one (±0.01) and its feedback (or mistake codes) must contain the expected phrase. On
failure a table of every disagreement is printed, and the agreement figure ("N of M parts agree")
is printed either way. The fast tests check that the committed notebooks are what build.py writes
and that the expectations are complete and consistent with grading.toml and lme4_truth.txt.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.build import NOTEBOOKS, SUBMISSIONS, notebook
from tests.corpus.expected import EXPECTED, PARTS, POINTS, Expected
from tests.corpus.truth import load_truth

REPO = Path(__file__).resolve().parents[2]
GRADING = REPO / "assignments" / "hlm" / "grading.toml"
#: Whole-notebook limit in the batch: the slowest notebook needs under a minute on a busy machine.
TIMEOUT = 300
#: Representative notebooks for the `check --json` test: template ECF, free-form, array API, seed.
#: Environment variable naming a folder where the batch leaves its reports (default: a tmp dir).
KEEP_OUT = "HLM_CORPUS_OUT"
CHECKED = ("t17_default_short", "f02_aligned_rho", "a12_array_frame", "p01_seed_as_submitted")


@dataclass(frozen=True, slots=True)
class Disagreement:
    notebook: str
    part: str
    expected: float
    got: float | None
    problem: str
    reason: str


def compare(expected: Expected, report: dict[str, Any] | None) -> list[Disagreement]:
    """Every part of ``report`` that differs from ``expected`` (score ±0.01, phrase present)."""
    parts = {p["id"]: p for p in (report or {}).get("parts", [])}
    found = []
    for part_id, verdict in expected.parts.items():
        part = parts.get(part_id)
        if part is None:
            problem = "no report" if report is None else (report.get("error") or "part missing")
            found.append(Disagreement(expected.name, part_id, verdict.score, None, str(problem),
                                      verdict.reason))  # fmt: skip
            continue
        text = (part.get("feedback") or "") + " " + " ".join(part.get("mistakes") or [])
        if abs(part["score"] - verdict.score) > 0.01:
            problem = "score" + (" (unsure)" if verdict.unsure else "")
        elif verdict.phrase and verdict.phrase.lower() not in text.lower():
            problem = f"feedback lacks {verdict.phrase!r}"
        else:
            continue
        found.append(Disagreement(expected.name, part_id, verdict.score, part["score"], problem,
                                  verdict.reason))  # fmt: skip
    return found


def table(disagreements: list[Disagreement]) -> str:
    rows = [f"{'notebook':<30} {'part':<25} {'want':>6} {'got':>6}  problem: reason"]
    for d in disagreements:
        got = "-" if d.got is None else f"{d.got:g}"
        rows.append(f"{d.notebook:<30} {d.part:<25} {d.expected:>6g} {got:>6}  "
                    f"{d.problem}: {d.reason[:90]}")  # fmt: skip
    return "\n".join(rows)


def agreement(disagreements: list[Disagreement], notebooks: int) -> str:
    total = notebooks * len(PARTS)
    scores = sum(1 for d in disagreements if d.problem.startswith("score") or d.got is None)
    phrases = sum(1 for d in disagreements if d.problem.startswith("feedback"))
    return (f"{total - scores} of {total} parts agree on the score; "
            f"{phrases} more lack the expected phrase")  # fmt: skip


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], capture_output=True,
                          text=True, timeout=3600, cwd=REPO, env=env)  # fmt: skip


def judge(reports: dict[str, dict[str, Any] | None]) -> None:
    """Print the agreement figure and the disagreements; fail if there are any."""
    disagreements = [d for name, r in reports.items() for d in compare(EXPECTED[name], r)]
    print("\n" + agreement(disagreements, len(reports)))
    if disagreements:
        print(table(disagreements))
    assert not disagreements, f"{len(disagreements)} parts disagree (table above)"


# ---- fast: the corpus is current and its expectations are complete ----


def test_build_is_current() -> None:
    committed = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert committed == set(SUBMISSIONS), "run python -m tests.corpus.build"
    for name, cells in SUBMISSIONS.items():
        text = (NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8")
        assert text == notebook(cells), f"{name} is stale: run python -m tests.corpus.build"


def test_every_notebook_has_a_verdict_for_every_part() -> None:
    assert set(EXPECTED) == set(SUBMISSIONS)
    assert len(EXPECTED) >= 40
    for expected in EXPECTED.values():
        assert tuple(expected.parts) == PARTS, expected.name
        for part_id, verdict in expected.parts.items():
            assert 0 <= verdict.score <= POINTS[part_id], (expected.name, part_id)
            assert verdict.reason, (expected.name, part_id)


def test_points_are_those_of_grading_toml() -> None:
    config = tomllib.loads(GRADING.read_text(encoding="utf-8"))
    assert {k: v["points"] for k, v in config["parts"].items()} == POINTS


def test_every_final_model_has_lme4_truth() -> None:
    truth = load_truth()
    for expected in EXPECTED.values():
        assert expected.model in truth, expected.name
        assert truth[expected.model].aic_change is not None, "verdicts are against ML fits"
    # the anchors every verdict leans on (DOMAIN.md's lme4 table)
    assert truth["unconditional"].loglik == pytest.approx(-23557.9051, abs=1e-4)
    assert truth["seed"].aic_change == pytest.approx(-822.81, abs=0.01)
    assert truth["seed"].forecast == pytest.approx(8.269, abs=0.001)


# ---- slow: the real grader on the whole corpus ----


@pytest.mark.slow
def test_corpus_grades_as_a_careful_human_would(tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    out = Path(os.environ.get(KEEP_OUT) or tmp_path / "out")  # set it to read the reports after
    folder.mkdir()
    for name in SUBMISSIONS:
        shutil.copyfile(NOTEBOOKS / f"{name}.ipynb", folder / f"{name}.ipynb")
    done = cli("grade", str(folder), "--out", str(out), "--jobs", "2", "--timeout", str(TIMEOUT),
               "--force")  # fmt: skip
    assert done.returncode in (0, 1), done.stdout + done.stderr
    reports: dict[str, dict[str, Any] | None] = {}
    for name in SUBMISSIONS:
        path = out / name / "report.json"
        reports[name] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    judge(reports)


@pytest.mark.slow
def test_check_json_agrees_on_representative_notebooks() -> None:
    reports: dict[str, dict[str, Any] | None] = {}
    for name in CHECKED:
        done = cli("check", str(NOTEBOOKS / f"{name}.ipynb"), "--json", "--timeout", str(TIMEOUT))
        assert done.returncode in (0, 1), done.stdout + done.stderr
        reports[name] = json.loads(done.stdout)
    judge(reports)
