"""One module per ``hlm-grader`` command (see :mod:`grader.cli`), and the options they share."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """``--config`` and ``--sandbox``/``--no-sandbox``: how notebooks are graded and run."""
    parser.add_argument("--config", type=Path, default=None,
                        help="a grading.toml to use instead of the assignment's")  # fmt: skip
    sandbox = parser.add_mutually_exclusive_group()
    sandbox.add_argument("--sandbox", dest="sandbox", action="store_const", const=True,
                         default=None, help="require the bubblewrap sandbox")  # fmt: skip
    sandbox.add_argument("--no-sandbox", dest="sandbox", action="store_const", const=False,
                         help="run without the sandbox")  # fmt: skip
