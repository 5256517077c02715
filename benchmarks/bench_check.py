"""``hlm-grader check`` against ``jupyter nbconvert --execute`` of the same notebook, in one run.

Targets (issue 4): the self-check takes at most 1.15× nbconvert's time with a warm reference cache,
and at most 1.3× with a cold one (a final model the reference has never fitted), because the robust
re-fit of a new model must not double the student's wait. Each command is a fresh process, as for a
student; times are medians of --repeat runs, interleaved so machine load hits both alike.

Usage: ``python benchmarks/bench_check.py [--repeat N] [--notebook PATH]``; exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "tests" / "fixtures" / "notebooks" / "full_marks.ipynb"
DATA = ROOT / "assignments" / "hlm" / "data" / "hsb12.sav"
WARM_TARGET, COLD_TARGET = 1.15, 1.3
# A final model nobody has fitted before: the R&B cross-level model with a random cses slope.
COLD_FORMULA = "mathach ~ meanses + sector + cses + cses:meanses + cses:sector + female"


def nbconvert(notebook: Path, work: Path) -> float:
    """Seconds to execute the notebook with nbconvert, next to a copy of the data."""
    shutil.copy(notebook, work / notebook.name)
    (work / "data").mkdir(exist_ok=True)
    shutil.copy(DATA, work / "data" / "hsb12.sav")
    start = time.perf_counter()
    subprocess.run(
        ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--output", "executed",
         "--ExecutePreprocessor.timeout=600", str(work / notebook.name)],
        check=True, capture_output=True, cwd=work,
    )  # fmt: skip
    return time.perf_counter() - start


def check(notebook: Path, cache: Path) -> float:
    """Seconds for ``hlm-grader check`` (a fresh process, as a student runs it)."""
    env = dict(os.environ, HLM_GRADER_CACHE=str(cache))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "grader.cli", "check", str(notebook), "--json"],
        capture_output=True, env=env, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    report = json.loads(done.stdout)
    if report["error"] and "ran longer" in report["error"]:
        raise SystemExit(f"check failed: {report['error']}")
    return elapsed


def cold_notebook(work: Path) -> Path:
    """The solution notebook with a final model that no cache holds."""
    nb = json.loads(SOLUTION.read_text())
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        cell["source"] = source.replace(
            '"mathach ~ ses + meanses + pracad + minority + female"', f'"{COLD_FORMULA}"'
        ).replace('re_formula="~minority"', 're_formula="~cses"')
    (work / "src").mkdir(exist_ok=True)
    path = work / "src" / "cold_model.ipynb"
    path.write_text(json.dumps(nb))
    return path


def measure(repeat: int) -> dict[str, tuple[float, float]]:
    """Median seconds (check, nbconvert) for the warm and the cold case."""
    times: dict[str, list[tuple[float, float]]] = {"warm": [], "cold": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warm_cache = work / "warm-cache"
        check(SOLUTION, warm_cache)  # fill the cache once
        cold = cold_notebook(work)
        for i in range(repeat):
            times["warm"].append((check(SOLUTION, warm_cache), nbconvert(SOLUTION, work)))
            cold_cache = work / f"cold-cache-{i}"
            times["cold"].append((check(cold, cold_cache), nbconvert(cold, work)))
    return {k: (statistics.median(c for c, _ in v), statistics.median(n for _, n in v))
            for k, v in times.items()}  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    failed = False
    for case, (ours, base) in measure(args.repeat).items():
        target = WARM_TARGET if case == "warm" else COLD_TARGET
        ratio = ours / base
        failed |= ratio > target
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{case:5s} check {ours:6.2f} s  nbconvert {base:6.2f} s  "
              f"ratio {ratio:.2f}× (target ≤ {target}×) {verdict}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
