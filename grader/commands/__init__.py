"""One module per ``hlm-grader`` command (see :mod:`grader.cli`), and the options they share."""

from __future__ import annotations

import argparse
from pathlib import Path

import assignments

ASSIGNMENT_HELP = "the assignment: a bundled one's name ({names}) or a folder with assignment.toml"


def add_assignment_option(parser: argparse.ArgumentParser, *, default: str | None) -> None:
    """``--assignment NAME|PATH`` (the default assignment when ``default`` is None is found
    from the notebook's folder; see the command)."""
    shown = f" (default: {default})" if default else ""
    parser.add_argument("--assignment", default=default, metavar="NAME|PATH",
                        help=ASSIGNMENT_HELP.format(names=", ".join(assignments.bundled())) + shown)  # fmt: skip


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """``--config`` and ``--sandbox``/``--no-sandbox``: how notebooks are graded and run."""
    parser.add_argument("--config", type=Path, default=None,
                        help="a grading.toml to use instead of the assignment's")  # fmt: skip
    sandbox = parser.add_mutually_exclusive_group()
    sandbox.add_argument("--sandbox", dest="sandbox", action="store_const", const=True,
                         default=None, help="require the bubblewrap sandbox")  # fmt: skip
    sandbox.add_argument("--no-sandbox", dest="sandbox", action="store_const", const=False,
                         help="run without the sandbox")  # fmt: skip
