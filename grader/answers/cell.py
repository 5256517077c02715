"""The extraction cell: the code the grader appends to a student's notebook to read its answers.

The cell executes the source of :mod:`grader.kernel.extract` in a namespace of its own (so a student
who redefined ``print`` or ``json`` does not break it) and writes the answers to
:data:`~grader.assignment.contract.ANSWERS_FILE` in the working copy. The grader then reads that file as untrusted
data with :func:`grader.answers.submission.parse_answers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

from grader.assignment.contract import ANSWERS_FILE

#: The kernel-side files, executed in this order as one namespace.
KERNEL_FILES = ("extract.py", "model.py")


@cache
def kernel_source() -> str:
    """The extraction step's source: the files of :mod:`grader.kernel`, as one program."""
    package = resources.files("grader.kernel")
    return "\n\n".join(package.joinpath(f).read_text(encoding="utf-8") for f in KERNEL_FILES)


def extraction_cell(names: Sequence[str], assignment: str, path: str = ANSWERS_FILE) -> str:
    """Source of the cell that writes the notebook's answers (the contract's ``names`` and
    everything else that may be one) to ``path``, recording the ``assignment`` they are for."""
    names = [str(n) for n in names]
    return (
        "import builtins as _hlm_builtins\n"
        "_hlm_ns = {'__name__': '_hlm_extract'}\n"
        f"_hlm_builtins.exec({kernel_source()!r}, _hlm_ns)\n"
        f"_hlm_ns['extract'](_hlm_builtins.globals(), {path!r}, {names!r}, {assignment!r})\n"
        "del _hlm_ns, _hlm_builtins\n"
    )
