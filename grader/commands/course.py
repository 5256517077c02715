"""``hlm-grader course init DIR``: create a ready nbgrader course for the assignment."""

from __future__ import annotations

import argparse
import importlib.util

from grader.assignment.config import load_config
from grader.errors import GraderError
from grader.notebook.course import ASSIGNMENT, init_course

NAME = "course"
HELP = (
    "Set up an nbgrader course for the assignment (config, source notebook, data, and hlm-grader)."
)
INIT_HELP = (
    "create DIR with nbgrader_config.py and source/hlm/ (hlm.ipynb, data/hsb12.sav and this "
    "hlm-grader as a wheel for students); then run the standard nbgrader commands from DIR"
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
        default=int(load_config().cell_timeout),
        metavar="SECONDS",
        help="seconds a notebook cell may run when autograding (default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    # Checked before anything is written: a course without nbgrader to run it is no use.
    if importlib.util.find_spec("nbgrader") is None:
        raise GraderError(NEEDS_NBGRADER)
    course = init_course(args.directory, force=args.force, timeout=args.timeout)
    print(f"Created the nbgrader course {course.root}:")
    for path in course.files:
        print(f"  {path.relative_to(course.root)}")
    print(
        "\nNext, from that directory (with this environment's bin on PATH):\n"
        f"  nbgrader generate_assignment {ASSIGNMENT}      # release/{ASSIGNMENT}/ for students "
        "(notebook, data, wheel)\n"
        f"  # put submissions in submitted/<student>/{ASSIGNMENT}/{ASSIGNMENT}.ipynb, then\n"
        f"  nbgrader autograde {ASSIGNMENT} --student <student>\n"
        f"  nbgrader generate_feedback {ASSIGNMENT}\n"
        "  nbgrader export                           # grades.csv"
    )
    return 0
