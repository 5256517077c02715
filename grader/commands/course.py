"""``hlm-grader course init DIR``: create a ready nbgrader course for the assignment."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

import assignments
from grader.assignment.assignment import load_assignment
from grader.commands import add_assignment_option
from grader.errors import GraderError
from grader.notebook.course import init_course

NAME = "course"
HELP = (
    "Set up an nbgrader course for an assignment (config, source notebook, data, and hlm-grader)."
)
INIT_HELP = (
    "create DIR with nbgrader_config.py and source/NAME/ (the assignment's notebook and data, "
    "e.g. hlm.ipynb and data/hsb12.sav, and this hlm-grader as a wheel for students); then run "
    "the standard nbgrader commands from DIR"
)
NEEDS_NBGRADER = "`hlm-grader course` needs nbgrader: pip install 'hlm-grader[instructor]'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser("init", help=INIT_HELP, description=INIT_HELP)
    init.add_argument("directory", metavar="DIR", help="the course directory (new or empty)")
    init.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DIR, replacing the config and source notebook "
        "(gradebook, submissions and other files are kept)",
    )
    init.add_argument(
        "--timeout",
        type=int,
        default=None,
        metavar="SECONDS",
        help="seconds a notebook cell may run when autograding (default: the assignment's "
        "cell_timeout in grading.toml)",
    )
    add_assignment_option(init, default=assignments.DEFAULT)


def run(args: argparse.Namespace) -> int:
    # Checked before anything is written: a course without nbgrader to run it is no use.
    if importlib.util.find_spec("nbgrader") is None:
        raise GraderError(NEEDS_NBGRADER)
    given = args.assignment
    chosen = load_assignment(given if given in assignments.bundled() else Path(given))
    timeout = args.timeout if args.timeout is not None else int(chosen.grading.cell_timeout)
    course = init_course(args.directory, assignment=chosen if given in assignments.bundled()
                         else Path(given), force=args.force, timeout=timeout)  # fmt: skip
    name, notebook = course.name, course.assignment.notebook
    print(f"Created the nbgrader course {course.root}:")
    for path in course.files:
        print(f"  {path.relative_to(course.root)}")
    print(
        "\nNext, from that directory (with this environment's bin on PATH):\n"
        f"  nbgrader generate_assignment {name}      # release/{name}/ for students "
        "(notebook, data, wheel)\n"
        f"  # put submissions in submitted/<student>/{name}/{notebook}, then\n"
        f"  nbgrader autograde {name} --student <student>\n"
        f"  nbgrader generate_feedback {name}\n"
        "  nbgrader export                           # grades.csv"
    )
    return 0
