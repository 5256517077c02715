"""``hlm-grader``: a thin shell over the command modules in :mod:`grader.commands`.

Each command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Exit codes: 0 all passed, 1 something failed, 2 bad input or a tool failure.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import grader.commands
from grader.errors import GraderError
from reference.errors import HLMReferenceError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hlm-grader", description="Reference solution and autograder for the HLM assignment."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(grader.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"grader.commands.{info.name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hlm-grader`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args))
    except (GraderError, HLMReferenceError) as exc:
        print(f"hlm-grader: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hlm-grader: interrupted.", file=sys.stderr)
        return 2
    except Exception as exc:  # the last boundary: a bug is one line, not a traceback
        print(
            f"hlm-grader: internal error ({type(exc).__name__}: {exc}); nothing was changed. "
            "Please report it with the command you ran.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
