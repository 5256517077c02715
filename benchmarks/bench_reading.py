"""What reading answers from a notebook's text costs within ``hlm-grader check``, in one run.

Target (issue 11): the new reading — the notebook's text (cells and printed outputs), its
Markdown, math and printed lines, the code's assignments, the final-model choice, locating every
answer, and reading each fitted model by its values (the design's columns encoded in the kernel,
decoded and tied to the data here) — adds under 5% to ``check`` on the seed notebook. The reading stage is timed inside
the same ``check_notebook`` call that is timed as a whole (wrapping the stage's entry points:
building the notebook's text, locating the answers — which includes everything the old locate
did, so the share is an upper bound — and preparing equations read from text for comparison).
Medians of --repeat runs.

Usage: ``python benchmarks/bench_reading.py [--repeat N] [--notebook PATH ...]``; exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [
    ROOT / "tests" / "fixtures" / "notebooks" / "seed_style.ipynb",
    ROOT / "tests" / "fixtures" / "notebooks" / "seed_text.ipynb",  # the seed with its Markdown
]
TARGET = 0.05


class Stopwatch:
    """Seconds spent inside the wrapped functions."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed


def one_run(notebook: Path) -> tuple[float, float]:
    """(reading seconds, whole check seconds) of one ``check_notebook`` call."""
    import grader.answers.locate as locate_module
    import grader.answers.models as models_module
    import grader.check as check_module
    import grader.judge.checks.reading as reading_module
    import grader.judge.engine as engine_module

    watch = Stopwatch()
    stages = [(check_module, "from_notebook"), (locate_module, "_locate"),
              (reading_module, "_prepare"), (engine_module, "read_model"),
              (engine_module, "read_other"), (models_module, "read_design")]  # fmt: skip
    originals = [getattr(module, name) for module, name in stages]
    for (module, name), function in zip(stages, originals, strict=True):
        setattr(module, name, watch.wrap(function))
    try:
        start = time.perf_counter()
        report = check_module.check_notebook(notebook)
        whole = time.perf_counter() - start
    finally:
        for (module, name), function in zip(stages, originals, strict=True):
            setattr(module, name, function)
    if report.error:
        raise SystemExit(f"check failed on {notebook.name}: {report.error}")
    return watch.seconds, whole


def kernel_seconds() -> float:
    """The kernel's side of reading models by their values: encoding the seed's two fitted models'
    designs (timed in this process, on the same fits the seed's notebook makes)."""
    import warnings

    import statsmodels.formula.api as smf

    from grader.answers.cell import kernel_source
    from reference.data import load_data

    data = load_data("hlm")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = [
            smf.mixedlm("mathach ~ 1", data, groups=data["school"]).fit(reml=False),
            smf.mixedlm("mathach ~ ses + meanses + pracad + minority + female", data,
                        groups=data["school"], re_formula="~ minority").fit(reml=False),
        ]  # fmt: skip
    namespace: dict[str, Any] = {"__name__": "_bench"}
    exec(compile(kernel_source(), "hlm_extract", "exec"), namespace)  # our own source
    start = time.perf_counter()
    for model in models:
        namespace["_design"](model.model)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--notebook", type=Path, action="append", default=None)
    args = parser.parse_args(argv)
    one_run(NOTEBOOKS[0])  # warm the reference cache and the imports: not what is measured
    kernel = statistics.median(kernel_seconds() for _ in range(args.repeat))
    missed = False
    for notebook in args.notebook or NOTEBOOKS:
        runs = [one_run(notebook) for _ in range(args.repeat)]
        reading = statistics.median(r for r, _ in runs) + kernel
        whole = statistics.median(w for _, w in runs)
        ratio = statistics.median((r + kernel) / w for r, w in runs)
        verdict = "ok" if ratio < TARGET else "MISS"
        print(f"{notebook.name}: reading {reading * 1000:.0f} ms (kernel {kernel * 1000:.0f} ms) "
              f"of check {whole:.2f} s = "
              f"{ratio:.2%} (target < {TARGET:.0%}) {verdict}")  # fmt: skip
        missed |= ratio >= TARGET
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
