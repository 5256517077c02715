"""Finding a class's submissions and giving each student a folder name that is safe to use.

A submission folder is either flat (``alice.ipynb``: the student id is the file's stem) or an
nbgrader tree (``submitted/alice/hlm/hlm.ipynb``: the id is the student's folder). File names come
from students, so an id may hold any bytes: :func:`safe_id` makes it a plain folder name that can
never leave the output directory or collide with the run's own files.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from grader.errors import GraderError

# The class files written beside the students' folders.
RESERVED = frozenset(
    {"grades.csv", "grades-canvas.csv", "grades-moodle.csv", "summary.html", "batch.json"}
)
_WINDOWS_DEVICES = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", re.IGNORECASE)
MAX_ID = 64


@dataclass(frozen=True, slots=True)
class StudentNotebook:
    """One submission: the student's safe id (a folder name under the output) and the file.

    Attributes:
        student: the id, safe as a folder name (see :func:`safe_id`).
        path: the submitted notebook (it may not exist: the report then says so).
        label: the file's path under the submissions folder, printable whatever bytes it held.
    """

    student: str
    path: Path
    label: str


def find_submissions(folder: Path, *, assignment: str) -> tuple[StudentNotebook, ...]:
    """The submissions in ``folder``: ``*.ipynb`` files, or an nbgrader ``submitted/`` tree
    (``submitted/<student>/<assignment>/*.ipynb``, ``assignment`` being its nbgrader name).

    A course root holding ``submitted/`` works too. Files other than ``.ipynb`` are ignored.

    Raises:
        GraderError: ``folder`` is not a directory or holds no submission.
    """
    if not folder.is_dir():
        raise GraderError(f"{folder} is not a folder; give the folder holding the submissions.")
    root = folder / "submitted" if (folder / "submitted").is_dir() else folder
    found = _nbgrader_tree(root, assignment) or [
        (p.stem, p) for p in sorted(root.glob("*.ipynb")) if not p.is_dir()
    ]
    if not found:
        raise GraderError(
            f"{folder} holds no .ipynb file and no nbgrader tree (submitted/<student>/"
            f"{assignment}/*.ipynb); check the path."
        )
    return _with_unique_ids(found, root)


def _nbgrader_tree(root: Path, assignment: str) -> list[tuple[str, Path]]:
    students = sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if any(root.glob("*.ipynb")) or not any(any(d.glob("*/*.ipynb")) for d in students):
        return []
    return [(d.name, _pick_notebook(d, assignment)) for d in students]


def _pick_notebook(student_dir: Path, assignment: str) -> Path:
    # The assignment's own notebook first. A student folder without any notebook still gets a
    # report, whose error says that no notebook was found where it should be.
    candidates = sorted(student_dir.glob("*/*.ipynb"), key=lambda p: (
        p.parent.name != assignment, p.name != f"{assignment}.ipynb", str(p)))  # fmt: skip
    return candidates[0] if candidates else student_dir / assignment / f"{assignment}.ipynb"


def safe_id(raw: str) -> str:
    """A folder name for a student id: letters, digits, ``.``, ``-`` and ``_`` only.

    An id that had to change (or that names one of the run's own files) gets a short hash of the
    original, so two different ids never share a folder.

    >>> safe_id("jane.doe"), safe_id("../../etc/passwd"), safe_id("grades.csv")
    ('jane.doe', 'etc_passwd-3754d6cb', 'grades.csv-a71edd09')
    """
    text = unicodedata.normalize("NFC", raw)
    cleaned = re.sub(r"[^\w.-]+", "_", text).lstrip("._-")[:MAX_ID].rstrip(".")
    reserved = cleaned.casefold() in RESERVED or _WINDOWS_DEVICES.fullmatch(cleaned)
    if cleaned == raw and cleaned and not reserved:
        return cleaned
    return f"{cleaned or 'student'}-{_digest(raw)}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def _with_unique_ids(found: Sequence[tuple[str, Path]], root: Path) -> tuple[StudentNotebook, ...]:
    items = [
        StudentNotebook(safe_id(raw), path, printable(str(path.relative_to(root))))
        for raw, path in found
    ]
    folded = [item.student.casefold() for item in items]
    # Ids equal but for case would share a folder on macOS and Windows.
    return tuple(
        replace(item, student=f"{item.student}-{_digest(str(item.path))}")
        if folded.count(item.student.casefold()) > 1
        else item
        for item in items
    )


def printable(name: str) -> str:
    """``name`` with any undecodable bytes of a file name shown as ``\\xNN``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")
