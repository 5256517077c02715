"""``hlm-grader grade SUBMISSIONS --out DIR``: grade a whole class (see :mod:`grader.batch.grade`)."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

import assignments
from grader.commands import add_assignment_option, add_run_options
from grader.errors import GraderError

NAME = "grade"
HELP = (
    "Grade every submission in a folder (or an nbgrader submitted/ tree) in parallel: per-student "
    "report.json, feedback.html and Gradescope results.json, plus grades.csv and summary.html."
)
NEEDS_DASK = "`hlm-grader grade --scheduler` needs Dask distributed: pip install 'hlm-grader[dask]'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", type=Path, metavar="SUBMISSIONS",
                        help="a folder of .ipynb files (student id = file name) or an nbgrader "
                             "submitted/ tree (or the course root holding it)")  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="where the reports go; students already graded there are skipped")  # fmt: skip
    parser.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                        help="notebooks graded at once (default: the number of cores)")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=None, metavar="S",
                        help="seconds each notebook may run (default: grading.toml)")  # fmt: skip
    parser.add_argument("--hidden-data", action="store_true",
                        help="run every notebook on a freshly perturbed copy of the data, so "
                             "typed-in numbers fail while computed answers still pass")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="regrade students already graded")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="send the work to this Dask distributed scheduler "
                             "(needs pip install 'hlm-grader[dask]')")  # fmt: skip
    add_assignment_option(parser, default=assignments.DEFAULT)
    add_run_options(parser)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _assignment(given: str) -> str | Path:
    """A bundled assignment's name stays a name (workers on other machines find it by name)."""
    return given if given in assignments.bundled() else Path(given)


def run(args: argparse.Namespace) -> int:
    # Before any notebook is read or fitted: Dask is an extra, imported only when asked for.
    if args.scheduler is not None and importlib.util.find_spec("distributed") is None:
        raise GraderError(NEEDS_DASK)
    from grader.batch.grade import grade_batch
    from grader.batch.progress import tally

    result = grade_batch(
        args.submissions,
        out=args.out,
        jobs=args.jobs,
        timeout=args.timeout,
        hidden_data=args.hidden_data,
        force=args.force,
        scheduler=args.scheduler,
        config_path=args.config,
        sandbox=args.sandbox,
        assignment=_assignment(args.assignment),
    )
    counts = tally(report for _, report in result.reports)
    print(
        f"{len(result.reports)} students: {result.graded} graded now, {result.skipped} already "
        f"graded. {counts['passed']} passed every part, {counts['failed']} did not, "
        f"{counts['ungraded']} could not be graded."
    )
    print(f"Reports in {result.out}/<student>/; class summary {result.out / 'summary.html'}")
    if result.graded and result.tool_failures == result.graded:
        return 2  # not one notebook could be graded: the tool, not the class, is at fault
    return 0 if result.all_passed else 1
