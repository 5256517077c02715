"""Wall-clock time of ``hlm-grader reference`` (the seed's model), cold and warm, against targets.

Cold: an empty cache directory (``HLM_GRADER_CACHE``), so three models are fitted and statsmodels is
imported. Warm: every fit cached, so nothing heavy should even be imported. Process start-up and
imports count, as they do for a user. Targets are for the 2-core development machine.

Usage: ``python benchmarks/bench_reference.py [--repeat N]``; exits 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_TARGET = 5.0
WARM_TARGET = 1.5


def command() -> list[str]:
    """The installed console script, or the module when the script is not on PATH."""
    script = shutil.which("hlm-grader")
    return [script, "reference"] if script else [sys.executable, "-m", "grader.cli", "reference"]


def timed_run(cache_dir: Path) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run.

    CPU time is reported too because other work on a shared machine inflates wall-clock time.
    """
    env = dict(os.environ, HLM_GRADER_CACHE=str(cache_dir))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command(), env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(repeat: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    cold, warm = [], []
    with tempfile.TemporaryDirectory(prefix="hlm-bench-") as root:
        for i in range(repeat):
            cache_dir = Path(root) / f"cache-{i}"
            cold.append(timed_run(cache_dir))
            warm.append(timed_run(cache_dir))
    return cold, warm


def report(name: str, runs: list[tuple[float, float]], target: float) -> bool:
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    each = ", ".join(f"{w:.2f}" for w, _ in runs)
    verdict = "ok" if wall <= target else "TOO SLOW"
    print(
        f"{name:5s} wall median {wall:5.2f} s (runs: {each}; cpu median {cpu:.2f} s)  "
        f"target {target:.1f} s  ratio {wall / target:4.2f}  {verdict}"
    )
    return wall <= target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold/warm pairs to run (default 3)")
    args = parser.parse_args(argv)
    print(f"timing: {' '.join(command())}")
    cold, warm = measure(args.repeat)
    cold_ok = report("cold", cold, COLD_TARGET)
    warm_ok = report("warm", warm, WARM_TARGET)
    ratio = statistics.median(w for w, _ in cold) / statistics.median(w for w, _ in warm)
    print(f"cold / warm: {ratio:.1f}x")
    return 0 if cold_ok and warm_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
