"""``hlm-grader check NOTEBOOK``: the student's self-check (and the instructor's one-off grade)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import assignments
from grader.commands import add_assignment_option, add_run_options

NAME = "check"
HELP = "Run a notebook in a fresh kernel and grade it: a table of parts, scores and feedback."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebook", type=Path, help="the .ipynb to check (never modified)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds the whole notebook may run (default: grading.toml)")  # fmt: skip
    parser.add_argument("--data", type=Path, default=None,
                        help="the data file to run against (default: the assignment's own)")  # fmt: skip
    add_assignment_option(parser, default=None)
    parser.epilog = (
        "Without --assignment, the assignment is the one whose data file is beside the notebook "
        f"(e.g. data/hsb12.sav), else {assignments.DEFAULT}."
    )
    add_run_options(parser)


def run(args: argparse.Namespace) -> int:
    from grader.assignment.assignment import assignment_here, load_assignment
    from grader.check import check_notebook
    from grader.report.json import to_json
    from grader.report.text import print_report

    named = args.assignment or assignment_here(args.notebook.resolve().parent)
    report = check_notebook(
        args.notebook,
        assignment=load_assignment(named, grading=args.config),
        data_file=args.data,
        timeout=args.timeout,
        sandbox=args.sandbox,
    )
    if args.json:
        print(to_json(report))
    else:
        print_report(report, sys.stdout)  # laid out for the terminal's width (COLUMNS off one)
    if report.error is not None and not any(p.status != "missing" for p in report.parts):
        return 2
    return 0 if report.passed else 1
