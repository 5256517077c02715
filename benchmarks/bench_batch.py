"""``hlm-grader grade --jobs 2`` against ``nbgrader autograde`` on the same class, in one run.

Both grade the same submissions (copies of a few variants of the solution notebook, all in nbgrader's
release format so that nbgrader can grade them) in a course made by ``hlm-grader course init``, with
one shared, pre-warmed fit cache (``HLM_GRADER_CACHE``), so neither pays for reference fits the other
did not. Target: the batch takes at most 0.6x nbgrader's wall-clock time. Peak memory (RSS) is
sampled with psutil when it is installed: per grader worker process, per student kernel, and per
worker with its kernel; without psutil only the largest process is reported (getrusage).

Usage: ``python benchmarks/bench_batch.py [--count 40] [--jobs 2] [--keep DIR] [--hidden-data]``
(``--hidden-data`` also times a hidden-data batch against the same nbgrader run); exits 1 when the
ratio misses its target. It takes a while: 15 to 30 minutes for 40 submissions on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat

REPO = Path(__file__).resolve().parents[1]
SOLUTION = REPO / "assignments" / "hlm" / "hlm.ipynb"
TARGET = 0.6
ROBUST = 'METHODS = [None, "lbfgs", "powell", "nm", ["powell", "lbfgs"], ["nm", "bfgs"]]'
# Variants of the solution: all its fits (slow, full marks); lbfgs only (reaches this model's
# optimum fast, full marks); statsmodels' default fit only (stops short, as the seed student's did).
VARIANTS = {"solution": ROBUST, "lbfgs": 'METHODS = ["lbfgs"]', "default_fit": "METHODS = [None]"}
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
MIX = ("default_fit", "lbfgs", "default_fit", "lbfgs", "lbfgs", "default_fit", "lbfgs", "solution")


def build_submissions(count: int) -> dict[str, nbformat.NotebookNode]:
    """``count`` submissions cycling through :data:`MIX`, by student id."""
    source = nbformat.read(SOLUTION, as_version=4)
    if not any(ROBUST in cell.source for cell in source.cells):
        raise SystemExit(f"{SOLUTION} no longer holds {ROBUST!r}; update the benchmark's variants.")
    variants = {name: _variant(source, line) for name, line in VARIANTS.items()}
    return {f"s{i:02d}_{MIX[i % len(MIX)]}": variants[MIX[i % len(MIX)]] for i in range(count)}


def _variant(source: nbformat.NotebookNode, methods: str) -> nbformat.NotebookNode:
    # As a student submits it: the solutions filled in, the test cells without their hidden code
    # (nbgrader restores that from its gradebook; hlm-grader never runs it).
    notebook = nbformat.from_dict(json.loads(json.dumps(source)))
    for cell in notebook.cells:
        cell.source = HIDDEN_TESTS.sub("", cell.source.replace(ROBUST, methods))
    return notebook


def warm_cache() -> None:
    """Fit every reference model these submissions need, once, before anything is timed."""
    from reference.data.dataset import dataset_of
    from reference.data.files import load_data
    from reference.fitting.cache import cached_fit
    from reference.model.spec import make_spec, unconditional
    from reference.quantities import solve

    data = load_data("hlm")
    UNCONDITIONAL = unconditional(dataset_of(data))
    SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    for spec in (UNCONDITIONAL, UNCONDITIONAL.with_reml(True)):
        cached_fit(spec, data)
    solve(SEED_FINAL, data)


class MemorySampler:
    """Peak RSS of the processes under one process, sampled twice a second (psutil)."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peaks: dict[int, tuple[str, int]] = {}  # pid -> (kind, peak bytes)
        self.subtree: dict[int, int] = {}  # worker pid -> peak of worker + its descendants
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        import psutil

        while not self.stop.wait(0.5):
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                continue
            for process in processes:
                self._sample(process)

    def _sample(self, process: Any) -> None:
        import psutil

        try:
            rss = process.memory_info().rss
            kind = _kind(process)
            if kind == "worker":
                tree = process.children(recursive=True)
                total = rss + sum(p.memory_info().rss for p in tree)
                self.subtree[process.pid] = max(self.subtree.get(process.pid, 0), total)
        except psutil.Error:
            return
        old = self.peaks.get(process.pid, (kind, 0))[1]
        self.peaks[process.pid] = (kind, max(old, rss))

    def summary(self) -> str:
        by_kind: dict[str, list[int]] = {}
        for kind, peak in self.peaks.values():
            by_kind.setdefault(kind, []).append(peak)
        parts = [
            f"{kind} max {max(peaks) / 2**20:.0f} MiB over {len(peaks)}"
            for kind, peaks in sorted(by_kind.items())
        ]
        if self.subtree:
            parts.append(f"worker+kernel max {max(self.subtree.values()) / 2**20:.0f} MiB")
        return "; ".join(parts)


def _kind(process: Any) -> str:
    cmdline = " ".join(process.cmdline())
    parent = process.parent()
    parent_cmd = " ".join(parent.cmdline()) if parent is not None else ""
    if "bwrap" in process.name():
        return "bwrap"
    if "forkserver" in cmdline:  # workers are forked from the forkserver: same command line
        return "worker" if "forkserver" in parent_cmd else "forkserver"
    if "ipykernel" in cmdline or "kernel.json" in cmdline:
        return "kernel"
    if "grader.notebook.adjudicate" in cmdline:
        return "adjudicate"
    if "resource_tracker" in cmdline:
        return "resource_tracker"
    return "main"


@contextmanager
def sampled(process: subprocess.Popen[bytes]) -> Iterator[MemorySampler | None]:
    try:
        sampler = MemorySampler(process.pid)
    except ImportError:
        yield None
        return
    sampler.thread.start()
    try:
        yield sampler
    finally:
        sampler.stop.set()
        sampler.thread.join()


def timed(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Wall-clock seconds of ``command`` and a line on its peak memory; output in ``name.log``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(cwd / f"{name}.log", "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        with sampled(process) as sampler:
            code = process.wait()
    wall = time.perf_counter() - start
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({code}); see {log.name}")
    if sampler is not None:
        return wall, sampler.summary()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, f"largest process {max(peak, before) / 1024:.0f} MiB (getrusage; no psutil)"


def run_nbgrader(root: Path, submissions: dict[str, nbformat.NotebookNode]) -> tuple[float, str]:
    from grader.notebook.course import init_course

    course = init_course(root / "course")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                 os.environ.get("PATH", "")]))  # fmt: skip
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*nbgrader, "generate_assignment", "hlm"], cwd=course.root, env=env,
                   check=True, capture_output=True)  # fmt: skip
    for student, notebook in submissions.items():
        folder = course.root / "submitted" / student / "hlm"
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / "hlm.ipynb")
    result = timed("autograde", [*nbgrader, "autograde", "hlm"], course.root, env)
    subprocess.run([*nbgrader, "export"], cwd=course.root, env=env, check=True,
                   capture_output=True)  # fmt: skip
    return result


def run_batch(
    root: Path, submissions: dict[str, nbformat.NotebookNode], jobs: int, hidden: bool = False
) -> tuple[float, str]:
    folder, out = root / "flat", root / ("out-hidden" if hidden else "out")
    shutil.rmtree(out, ignore_errors=True)  # every student graded now, none skipped
    folder.mkdir(exist_ok=True)
    for student, notebook in submissions.items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    command = [sys.executable, "-m", "grader.cli", "grade", str(folder), "--out", str(out),
               "--jobs", str(jobs), *(["--hidden-data"] if hidden else [])]  # fmt: skip
    return timed("grade", command, root, dict(os.environ))


def agreement(root: Path) -> str:
    """How many students got the same autograded total from both (nbgrader's excludes the
    hand-graded written answers, which it leaves at 0)."""
    with open(root / "course" / "grades.csv", newline="") as handle:
        nbgrader = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(handle)}
    same = 0
    for student, score in nbgrader.items():
        report = json.loads((root / "out" / student / "report.json").read_text(encoding="utf-8"))
        same += abs(report["score"] - score) < 0.01
    return f"{same}/{len(nbgrader)} students got the same total from both"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="submissions (default 40)")
    parser.add_argument("--jobs", type=int, default=2, help="batch workers (default 2)")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep the files")
    parser.add_argument("--nbgrader-seconds", type=float, default=None, metavar="S",
                        help="skip nbgrader and compare with this earlier measurement of it")  # fmt: skip
    parser.add_argument("--hidden-data", action="store_true",
                        help="also time the batch with --hidden-data (a fresh copy, its fits "
                             "not in the warmed cache, and the copy's vetting)")  # fmt: skip
    args = parser.parse_args(argv)
    root = Path(args.keep or tempfile.mkdtemp(prefix="hlm-bench-batch-")).resolve()
    root.mkdir(parents=True, exist_ok=True)
    os.environ["HLM_GRADER_CACHE"] = str(root / "fit-cache")
    try:
        warm_cache()
        submissions = build_submissions(args.count)
        print(f"{args.count} submissions: " + ", ".join(
            f"{sum(s.endswith(v) for s in submissions)} {v}" for v in VARIANTS), flush=True)  # fmt: skip
        if args.nbgrader_seconds is None:
            nb_wall, nb_memory = run_nbgrader(root, submissions)
        else:
            nb_wall, nb_memory = args.nbgrader_seconds, "(an earlier run)"
        print(f"nbgrader autograde: {nb_wall:7.1f} s   memory: {nb_memory}", flush=True)
        batch_wall, batch_memory = run_batch(root, submissions, args.jobs)
        print(f"hlm-grader grade:   {batch_wall:7.1f} s   memory: {batch_memory}")
        if (root / "course" / "grades.csv").is_file():
            print(agreement(root))
        if args.hidden_data:
            hidden_wall, hidden_memory = run_batch(root, submissions, args.jobs, hidden=True)
            print(f"  with --hidden-data: {hidden_wall:7.1f} s   memory: {hidden_memory}")
            print(f"batch --hidden-data / nbgrader = {hidden_wall / nb_wall:.2f} "
                  f"(target <= {TARGET})", flush=True)  # fmt: skip
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    ratio = batch_wall / nb_wall
    verdict = "ok" if ratio <= TARGET else "TOO SLOW"
    print(f"batch / nbgrader = {ratio:.2f} (target <= {TARGET})  {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
