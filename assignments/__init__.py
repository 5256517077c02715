"""The assignments: one folder each, holding everything specific to that assignment as data.

A folder ``assignments/<name>/`` holds ``assignment.toml`` (the data file and how to read it, the
response, the groups, the forecast profile, the final-model rules, the answer contract, the hidden-data
recipe), ``messages.toml`` (every sentence the grader says), ``grading.toml`` (points, tolerances,
credit, policies, limits), the nbgrader source notebook and the data. The engine (``reference`` and
``grader``) knows no assignment: it is handed one by name or by folder, and this module is how a
name becomes a folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The assignment the command line and the in-notebook self-check use when none is named.
DEFAULT = "hlm"
#: The file that makes a folder an assignment.
DESCRIPTION = "assignment.toml"


def bundled() -> tuple[str, ...]:
    """The names of the assignments shipped with hlm-grader, sorted (``('exam', 'hlm')``)."""
    root = Path(str(resources.files(__name__)))
    return tuple(sorted(p.parent.name for p in root.glob(f"*/{DESCRIPTION}")))


def folder(assignment: str | Path) -> Path:
    """The folder of an assignment given by name (``"hlm"``) or by path (a folder of one).

    A string is a bundled assignment's name if there is one of that name, else a path.

    Raises:
        FileNotFoundError: no such assignment; the message lists the bundled ones.
    """
    text = str(assignment)
    path = Path(assignment).expanduser()
    if isinstance(assignment, str) and text.isidentifier():
        bundled_one = Path(str(resources.files(__name__))) / text
        if (bundled_one / DESCRIPTION).is_file():
            path = bundled_one
    if not (path / DESCRIPTION).is_file():
        raise FileNotFoundError(
            f"there is no assignment {text!r}: expected a folder with {DESCRIPTION}; the bundled "
            f"assignments are {', '.join(bundled())}."
        )
    return path.resolve()
